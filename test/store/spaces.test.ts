import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  decideHabilitations,
  editHabilitation,
  grantHabilitation,
  listHabilitations,
  removeAllHabilitations,
  removeHabilitations,
  requestHabilitation,
} from '../../src/app/habilitations.js';
import type { ItemOutcome } from '../../src/app/requests.js';
import {
  decideSubscriptions,
  listSubscriptions,
  removeSubscriptions,
  requestSubscription,
} from '../../src/app/subscriptions.js';
import { initStore } from '../../src/app/init.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import type { HabilitationProfile, Space } from '../../src/domain/enums.js';
import { AppError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure, AT, counts } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

const NOW = '2025-03-10T09:30:00.000Z';
const CORR = 'claire.martin@dgfip.finances.gouv.fr'; // scope 64
const PAU = '21640445900010'; // 64000
const MDM = '21400192700018'; // 40000

// the kinds of actor of the rights matrix
const CORR_OUT = 'corr.landes@dgfip.finances.gouv.fr'; // scope 40: PAU is outside it
const GP = 'gp@ville-pau.fr';
const GS = 'gs@ville-pau.fr';
const VA = 'va@ville-pau.fr'; // VALIDATION_ABONNEMENTS on PAU
const USER = 'agent@ville-pau.fr'; // plain user of PAU: the requester
const UNRELATED = 'agent@mont-de-marsan.fr'; // attached to MDM only
const INACTIVE = 'parti@ville-pau.fr'; // attached to PAU, account INACTIF
const ACTORS = [CORR, CORR_OUT, GP, GS, VA, USER, UNRELATED, INACTIVE] as const;

/** 0 when it went through, else the exit code of its error (the one id's, for a bulk call). */
async function codeOf(call: Promise<unknown>): Promise<number> {
  try {
    const r = await call;
    if (Array.isArray(r) && r.length === 1 && 'ok' in r[0]) {
      const o = r[0] as ItemOutcome<unknown>;
      return o.ok ? 0 : o.error.exitCode;
    }
    return 0;
  } catch (err) {
    if (err instanceof AppError) return err.exitCode;
    throw err;
  }
}

describe.each(DIALECTS)('habilitations and space subscriptions (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let db: Db;
  const ids: Record<string, number> = {};
  let pau: number;
  let mdm: number;
  let servCult: number;

  async function habilitation(
    login: string,
    profile: HabilitationProfile,
    status: 'VALIDEE' | 'EN_COURS_DE_VALIDATION',
    serviceId: number | null = null,
  ) {
    const r = await db
      .insertInto('habilitation')
      .values({
        accountId: ids[login]!,
        structureId: pau,
        serviceId,
        profile,
        status,
        requestedAt: AT,
        decidedAt: null,
        decidedBy: null,
        createdAt: AT,
        updatedAt: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }
  async function pendingSubscription(
    login: string,
    space: Space = 'FACTURES_TRAVAUX',
    serviceId: number | null = null,
  ) {
    const r = await db
      .insertInto('subscription')
      .values({
        accountId: ids[login]!,
        structureId: pau,
        serviceId,
        space,
        mode: 'MODIFICATION',
        status: 'EN_COURS_DE_VALIDATION',
        requestedAt: AT,
        decidedAt: null,
        decidedBy: null,
        createdAt: AT,
        updatedAt: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }
  const lastAudit = () =>
    db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const mails = () =>
    db
      .selectFrom('notification')
      .innerJoin('account', 'account.id', 'notification.accountId')
      .select(['account.login', 'notification.event', 'notification.body'])
      .orderBy('notification.id')
      .execute();

  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    db = store.db;
    ids[CORR] = (
      await db
        .selectFrom('account')
        .select('id')
        .where('login', '=', CORR)
        .executeTakeFirstOrThrow()
    ).id;
    pau = await addStructure(db, PAU, '64000', 'COMMUNE DE PAU');
    mdm = await addStructure(db, MDM, '40000', 'COMMUNE DE MONT-DE-MARSAN');
    servCult = (
      await db
        .insertInto('service')
        .values({
          structureId: pau,
          code: 'SERV-CULT',
          label: 'Culture',
          active: 1,
          dateStart: null,
          dateEnd: null,
          createdAt: AT,
          updatedAt: AT,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    ids[CORR_OUT] = await addAccount(db, CORR_OUT);
    await db
      .insertInto('correspondentScope')
      .values({ accountId: ids[CORR_OUT], departement: '40' })
      .execute();
    for (const [login, role] of [
      [GP, 'GESTIONNAIRE_PRINCIPAL'],
      [GS, 'GESTIONNAIRE_SECONDAIRE'],
      [VA, 'UTILISATEUR'],
      [USER, 'UTILISATEUR'],
      [INACTIVE, 'UTILISATEUR'],
    ] as const) {
      ids[login] = await addAccount(db, login);
      await addAttachment(db, ids[login], pau, role, 'VALIDEE');
    }
    ids[UNRELATED] = await addAccount(db, UNRELATED);
    await addAttachment(db, ids[UNRELATED], mdm, 'UTILISATEUR', 'VALIDEE');
    await db
      .updateTable('account')
      .set({ status: 'INACTIF' })
      .where('id', '=', ids[INACTIVE]!)
      .execute();
    await habilitation(VA, 'VALIDATION_ABONNEMENTS', 'VALIDEE');
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  describe('default spaces', () => {
    it('are derived from valid attachments: three for a user, four for a manager, per service when limited to services', async () => {
      const spaces = async (login: string) =>
        (await listSubscriptions(store, login, {})).map(
          (s) => `${s.structure}|${s.service ?? ''}|${s.space}|${s.mode}|${s.default}|${s.id}`,
        );
      expect(await spaces(USER)).toEqual([
        `SIRET:${PAU}||MON_COMPTE|MODIFICATION|true|null`,
        `SIRET:${PAU}||FACTURES_EMISES|MODIFICATION|true|null`,
        `SIRET:${PAU}||FACTURES_RECUES|MODIFICATION|true|null`,
      ]);
      expect((await spaces(GP)).map((s) => s.split('|')[2])).toEqual([
        'MON_COMPTE',
        'FACTURES_EMISES',
        'FACTURES_RECUES',
        'ACTIVITES_GESTIONNAIRE',
      ]);
      expect(await spaces(GS)).toHaveLength(4);
      // a user limited to a service has the spaces on that service
      const culture = await addAccount(db, 'culture@ville-pau.fr');
      const a = await addAttachment(db, culture, pau, 'UTILISATEUR', 'VALIDEE');
      await db
        .insertInto('attachmentService')
        .values({ attachmentId: a, serviceId: servCult, status: 'VALIDEE' })
        .execute();
      expect((await spaces('culture@ville-pau.fr')).map((s) => s.split('|')[1])).toEqual([
        'SERV-CULT',
        'SERV-CULT',
        'SERV-CULT',
      ]);
      // nothing is stored
      expect(await db.selectFrom('subscription').selectAll().execute()).toEqual([]);
    });

    it('go with the attachment: none once it has ended, or before it starts, or while it is pending', async () => {
      await db
        .updateTable('attachment')
        .set({ dateEnd: '2025-03-09' })
        .where('accountId', '=', ids[USER]!)
        .execute();
      expect(await listSubscriptions(store, USER, {})).toEqual([]);
      await db
        .updateTable('attachment')
        .set({ dateEnd: null, dateStart: '2025-03-11' })
        .where('accountId', '=', ids[USER]!)
        .execute();
      expect(await listSubscriptions(store, USER, {})).toEqual([]);
      await db
        .updateTable('attachment')
        .set({ dateStart: '2025-03-10', status: 'EN_COURS_DE_VALIDATION' })
        .where('accountId', '=', ids[USER]!)
        .execute();
      expect(await listSubscriptions(store, USER, {})).toEqual([]);
    });

    it('requesting a default space is a conflict (6) and writes nothing', async () => {
      const before = await counts(db);
      expect(
        await codeOf(requestSubscription(store, USER, { structure: PAU, space: 'MON_COMPTE' })),
      ).toBe(6);
      expect(
        await codeOf(
          requestSubscription(store, GP, {
            structure: PAU,
            space: 'ACTIVITES_GESTIONNAIRE',
            service: 'SERV-CULT',
          }),
        ),
      ).toBe(6);
      expect(await counts(db)).toEqual(before);
      // a user has no ACTIVITES_GESTIONNAIRE by default: it may ask for it
      expect(
        await codeOf(
          requestSubscription(store, USER, { structure: PAU, space: 'ACTIVITES_GESTIONNAIRE' }),
        ),
      ).toBe(0);
    });
  });

  describe('another space, requested then approved', () => {
    it('is pending, the deciders are told; approved by a VALIDATION_ABONNEMENTS holder, the requester is told; each step audited', async () => {
      const made = await requestSubscription(store, USER, {
        structure: `SIRET:${PAU}`,
        space: 'FACTURES_TRAVAUX',
        mode: 'CONSULTATION_UNIQUEMENT',
      });
      expect(made).toMatchObject({
        account: USER,
        structure: `SIRET:${PAU}`,
        service: null,
        space: 'FACTURES_TRAVAUX',
        mode: 'CONSULTATION_UNIQUEMENT',
        status: 'EN_COURS_DE_VALIDATION',
        default: false,
      });
      expect(await lastAudit()).toMatchObject({
        actor: USER,
        action: 'subscription.request',
        target: `subscription:${made.id}`,
        outcome: 'OK',
      });
      expect((await mails()).map((m) => `${m.login} ${m.event}`)).toEqual([
        `${GP} SUBSCRIPTION_REQUESTED`,
        `${VA} SUBSCRIPTION_REQUESTED`,
      ]);
      expect((await mails())[0]!.body).toContain(
        `${USER} demande l’abonnement à l’espace Factures de travaux (consultation uniquement)`,
      );
      // the same request again: 6
      expect(
        await codeOf(
          requestSubscription(store, USER, { structure: PAU, space: 'FACTURES_TRAVAUX' }),
        ),
      ).toBe(6);
      // the deciders' view shows it pending, with everyone's default spaces
      const view = await listSubscriptions(store, VA, {
        structure: PAU,
        status: 'EN_COURS_DE_VALIDATION',
      });
      expect(view.map((v) => v.id)).toEqual([made.id]);

      const [outcome] = await decideSubscriptions(store, VA, [made.id!], 'approve');
      expect(outcome).toMatchObject({
        id: made.id,
        ok: true,
        value: { status: 'VALIDEE', decidedBy: VA, decidedAt: NOW },
      });
      expect(await lastAudit()).toMatchObject({
        actor: VA,
        action: 'subscription.approve',
        target: `subscription:${made.id}`,
        outcome: 'OK',
      });
      expect((await mails()).at(-1)).toMatchObject({ login: USER, event: 'SUBSCRIPTION_APPROVED' });
      const mine = await listSubscriptions(store, USER, {});
      expect(mine.filter((s) => !s.default).map((s) => `${s.space} ${s.status}`)).toEqual([
        'FACTURES_TRAVAUX VALIDEE',
      ]);

      // removed by its holder: gone from its list, audited
      const [removed] = await removeSubscriptions(store, USER, [made.id!]);
      expect(removed).toMatchObject({ ok: true, value: { status: 'SUPPRIMEE' } });
      expect((await listSubscriptions(store, USER, {})).filter((s) => !s.default)).toEqual([]);
      expect(await codeOf(removeSubscriptions(store, USER, [made.id!]))).toBe(6);
    });

    it('a rejection keeps the reason in the audit entry and the e-mail', async () => {
      const id = await pendingSubscription(USER);
      const [o] = await decideSubscriptions(store, GP, [id], 'reject', 'Pas de marchés de travaux');
      expect(o).toMatchObject({ ok: true, value: { status: 'REFUSEE' } });
      expect(JSON.parse((await lastAudit()).changes!)).toEqual({
        status: { before: 'EN_COURS_DE_VALIDATION', after: 'REFUSEE' },
        reason: 'Pas de marchés de travaux',
      });
      expect((await mails()).at(-1)!.body).toContain('Motif : Pas de marchés de travaux');
    });
  });

  describe('bulk decisions', () => {
    it('decide each id on its own: valid ones go through, already decided (6), unknown (3) and refused (4) ones are reported', async () => {
      const a = await pendingSubscription(USER, 'FACTURES_TRAVAUX');
      const b = await pendingSubscription(USER, 'SOLLICITATIONS_EMISES');
      const done = await pendingSubscription(USER, 'SOLLICITATIONS_RECUES');
      await decideSubscriptions(store, GP, [done], 'approve');
      const own = await pendingSubscription(VA, 'FACTURES_A_VALIDER'); // VA may not decide its own
      const outcomes = await decideSubscriptions(store, VA, [a, done, 999, b, own, a], 'approve');
      expect(
        outcomes.map((o) => (o.ok ? `${o.id} ok` : `${o.id} ${o.error.exitCode} ${o.error.key}`)),
      ).toEqual([
        `${a} ok`,
        `${done} 6 request.alreadyDecided`,
        '999 3 subscription.notFound',
        `${b} ok`,
        `${own} 4 rights.ownRequest`,
      ]);
      const statuses = await db
        .selectFrom('subscription')
        .select(['id', 'status'])
        .orderBy('id')
        .execute();
      expect(statuses.map((s) => s.status)).toEqual([
        'VALIDEE',
        'VALIDEE',
        'VALIDEE',
        'EN_COURS_DE_VALIDATION',
      ]);
      // the refusal is audited on its own; the others each have their entry
      const log = await db
        .selectFrom('auditLog')
        .select(['action', 'target', 'outcome'])
        .where('actor', '=', VA)
        .orderBy('seq')
        .execute();
      expect(log).toEqual([
        { action: 'subscription.approve', target: `subscription:${a}`, outcome: 'OK' },
        { action: 'subscription.approve', target: `subscription:${b}`, outcome: 'OK' },
        { action: 'subscription.decide', target: `subscription:${own}`, outcome: 'REFUSED' },
      ]);
    });

    it('habilitation requests too, and removals', async () => {
      const h1 = await habilitation(USER, 'CONSULTATION_UTILISATEURS', 'EN_COURS_DE_VALIDATION');
      const h2 = await habilitation(USER, 'MODIFICATION_STRUCTURE', 'EN_COURS_DE_VALIDATION');
      const out = await decideHabilitations(store, GP, [h1, h2, h1], 'reject', 'non');
      expect(out.map((o) => o.ok)).toEqual([true, true]);
      const again = await decideHabilitations(store, GP, [h1, h2], 'approve');
      expect(again.map((o) => (o.ok ? 0 : o.error.exitCode))).toEqual([6, 6]);
      const removed = await removeHabilitations(store, USER, [h1]);
      expect(removed[0]).toMatchObject({ ok: false, error: { key: 'request.alreadyClosed' } });
    });
  });

  describe('habilitations', () => {
    it('request, approval, and the right it gives only while attached', async () => {
      const made = await requestHabilitation(store, USER, {
        structure: PAU,
        profile: 'VALIDATION_ABONNEMENTS',
      });
      expect(made).toMatchObject({
        account: USER,
        profile: 'VALIDATION_ABONNEMENTS',
        status: 'EN_COURS_DE_VALIDATION',
        service: null,
      });
      // only the GP decides habilitation requests (SPEC 6): only the GP is told
      expect((await mails()).map((m) => `${m.login} ${m.event}`)).toEqual([
        `${GP} HABILITATION_REQUESTED`,
      ]);
      expect(
        await codeOf(
          requestHabilitation(store, USER, { structure: PAU, profile: 'VALIDATION_ABONNEMENTS' }),
        ),
      ).toBe(6);
      // pending: no right yet
      const sub = await pendingSubscription(GS);
      expect(await codeOf(decideSubscriptions(store, USER, [sub], 'approve'))).toBe(4);
      expect(await codeOf(decideHabilitations(store, VA, [made.id], 'approve'))).toBe(4);
      await decideHabilitations(store, GP, [made.id], 'approve');
      expect((await mails()).at(-1)).toMatchObject({ login: USER, event: 'HABILITATION_APPROVED' });
      expect(await codeOf(listSubscriptions(store, USER, { structure: PAU }))).toBe(0);
      // the attachment ends: the habilitation no longer counts
      await db
        .updateTable('attachment')
        .set({ dateEnd: '2025-03-01' })
        .where('accountId', '=', ids[USER]!)
        .execute();
      expect(await codeOf(decideSubscriptions(store, USER, [sub], 'approve'))).toBe(4);
      await db
        .updateTable('attachment')
        .set({ dateEnd: null })
        .where('accountId', '=', ids[USER]!)
        .execute();
      expect(await codeOf(decideSubscriptions(store, USER, [sub], 'approve'))).toBe(0);
    });

    it('grant by the GP (immediate), edit, list, remove-all; an unattached account or the GP itself: 6', async () => {
      const granted = await grantHabilitation(store, GP, USER, {
        structure: PAU,
        service: 'SERV-CULT',
        profile: 'CONSULTATION_UTILISATEURS',
      });
      expect(granted).toMatchObject({
        account: USER,
        service: 'SERV-CULT',
        status: 'VALIDEE',
        decidedBy: GP,
      });
      expect(await lastAudit()).toMatchObject({
        actor: GP,
        action: 'habilitation.grant',
        target: `habilitation:${granted.id}`,
      });
      expect(
        await codeOf(
          grantHabilitation(store, GP, USER, {
            structure: PAU,
            service: 'SERV-CULT',
            profile: 'CONSULTATION_UTILISATEURS',
          }),
        ),
      ).toBe(6);
      expect(
        await codeOf(
          grantHabilitation(store, GP, UNRELATED, {
            structure: PAU,
            profile: 'CONSULTATION_UTILISATEURS',
          }),
        ),
      ).toBe(6);
      expect(
        await codeOf(
          grantHabilitation(store, GP, GP, {
            structure: PAU,
            profile: 'CONSULTATION_UTILISATEURS',
          }),
        ),
      ).toBe(6);
      expect(
        await codeOf(
          grantHabilitation(store, GP, 'nobody@nowhere.fr', {
            structure: PAU,
            profile: 'CONSULTATION_UTILISATEURS',
          }),
        ),
      ).toBe(3);
      expect(
        await codeOf(
          grantHabilitation(store, GP, USER, {
            structure: PAU,
            service: 'NOPE',
            profile: 'CONSULTATION_UTILISATEURS',
          }),
        ),
      ).toBe(3);
      // a pending request for the same habilitation is approved by the grant
      const pending = await habilitation(USER, 'MODIFICATION_STRUCTURE', 'EN_COURS_DE_VALIDATION');
      expect(
        (
          await grantHabilitation(store, GP, USER, {
            structure: PAU,
            profile: 'MODIFICATION_STRUCTURE',
          })
        ).id,
      ).toBe(pending);

      const edited = await editHabilitation(store, GP, granted.id, { service: null });
      expect(edited).toMatchObject({ changed: ['service'], habilitation: { service: null } });
      expect(JSON.parse((await lastAudit()).changes!)).toEqual({
        service: { before: 'SERV-CULT', after: null },
      });
      expect(
        (await editHabilitation(store, GP, granted.id, { profile: 'CONSULTATION_UTILISATEURS' }))
          .changed,
      ).toEqual([]);
      // editing into a twin of another live one: 6
      expect(
        await codeOf(
          editHabilitation(store, GP, granted.id, { profile: 'MODIFICATION_STRUCTURE' }),
        ),
      ).toBe(6);

      expect((await listHabilitations(store, USER, {})).map((h) => h.profile)).toEqual([
        'CONSULTATION_UTILISATEURS',
        'MODIFICATION_STRUCTURE',
      ]);
      expect(
        (await listHabilitations(store, CORR, { structure: PAU })).map((h) => h.account),
      ).toEqual([VA, USER, USER]);
      const removed = await removeAllHabilitations(store, GP, { structure: PAU, account: USER });
      expect(removed.map((h) => h.status)).toEqual(['SUPPRIMEE', 'SUPPRIMEE']);
      expect(await listHabilitations(store, USER, {})).toEqual([]);
      expect((await listHabilitations(store, USER, { status: 'SUPPRIMEE' })).length).toBe(2);
    });
  });

  describe('the rights matrix: each command by each kind of actor', () => {
    //                                   corr   corrOut  GP  GS  VA  user unrelated inactive
    const cases: [string, (who: string) => Promise<unknown>, number[]][] = [
      [
        'subscription request',
        (who) => requestSubscription(store, who, { structure: PAU, space: 'FACTURES_TRAVAUX' }),
        [4, 4, 0, 0, 0, 0, 4, 4],
      ],
      [
        'subscription list --structure',
        (who) => listSubscriptions(store, who, { structure: PAU }),
        [0, 4, 0, 4, 0, 4, 4, 4],
      ],
      [
        'subscription approve',
        async (who) =>
          decideSubscriptions(store, who, [await pendingSubscription(USER)], 'approve'),
        [4, 4, 0, 4, 0, 4, 4, 4],
      ],
      [
        'subscription reject',
        async (who) => decideSubscriptions(store, who, [await pendingSubscription(USER)], 'reject'),
        [4, 4, 0, 4, 0, 4, 4, 4],
      ],
      [
        'subscription remove (the user’s)',
        async (who) => removeSubscriptions(store, who, [await pendingSubscription(USER)]),
        [4, 4, 0, 4, 0, 0, 4, 4],
      ],
      [
        'habilitation request',
        (who) =>
          requestHabilitation(store, who, { structure: PAU, profile: 'CONSULTATION_UTILISATEURS' }),
        [4, 4, 6, 0, 0, 0, 4, 4],
      ],
      [
        'habilitation list --structure',
        (who) => listHabilitations(store, who, { structure: PAU }),
        [0, 4, 0, 4, 4, 4, 4, 4],
      ],
      [
        'habilitation grant',
        (who) =>
          grantHabilitation(store, who, USER, {
            structure: PAU,
            profile: 'CONSULTATION_UTILISATEURS',
          }),
        [4, 4, 0, 4, 4, 4, 4, 4],
      ],
      [
        'habilitation edit',
        async (who) =>
          editHabilitation(
            store,
            who,
            await habilitation(USER, 'CONSULTATION_UTILISATEURS', 'VALIDEE'),
            { service: 'SERV-CULT' },
          ),
        [4, 4, 0, 4, 4, 4, 4, 4],
      ],
      [
        'habilitation approve',
        async (who) =>
          decideHabilitations(
            store,
            who,
            [await habilitation(USER, 'MODIFICATION_STRUCTURE', 'EN_COURS_DE_VALIDATION')],
            'approve',
          ),
        [4, 4, 0, 4, 4, 4, 4, 4],
      ],
      [
        'habilitation reject',
        async (who) =>
          decideHabilitations(
            store,
            who,
            [await habilitation(USER, 'MODIFICATION_STRUCTURE', 'EN_COURS_DE_VALIDATION')],
            'reject',
            'non',
          ),
        [4, 4, 0, 4, 4, 4, 4, 4],
      ],
      [
        'habilitation remove (the user’s)',
        async (who) =>
          removeHabilitations(store, who, [
            await habilitation(USER, 'VALIDATION_RATTACHEMENTS', 'VALIDEE'),
          ]),
        [4, 4, 0, 4, 4, 0, 4, 4],
      ],
      [
        'habilitation remove-all (the user’s)',
        async (who) => (
          await habilitation(USER, 'VALIDATION_RATTACHEMENTS', 'VALIDEE'),
          removeAllHabilitations(store, who, { structure: PAU, account: USER })
        ),
        [4, 4, 0, 4, 4, 0, 4, 4],
      ],
    ];

    it.each(cases)('%s', async (_name, call, expected) => {
      const got: number[] = [];
      for (const who of ACTORS) {
        const seqBefore = (await lastAudit()).seq;
        const code = await codeOf(call(who));
        got.push(code);
        // every refusal is audited, as refused, under the actor's login
        if (code === 4)
          expect(await lastAudit(), who).toMatchObject({
            seq: seqBefore + 1,
            actor: who,
            outcome: 'REFUSED',
          });
      }
      expect(got).toEqual(expected);
    });
  });
});
