import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeStatus, createAccount } from '../../src/app/accounts.js';
import { addAttachment as addByManager } from '../../src/app/attachment-add.js';
import {
  decideAttachments,
  listAttachments,
  pendingAttachments,
  requestAttachment,
} from '../../src/app/attachments.js';
import { detach } from '../../src/app/attachment-detach.js';
import { initStore } from '../../src/app/init.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
} from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure, expectKey } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

/** Attachments (issue 5 A): requests, bulk decisions, additions, detachment, the GP transfer, dates, and who may do each. */

const NOW = '2025-03-10T09:30:00.000Z';
const CORR = 'claire.martin@dgfip.finances.gouv.fr'; // scope 64,40
const CORR_OUT = 'paul.landes@dgfip.finances.gouv.fr'; // scope 40: Pau is outside it
const PAU = '21640445900010';
const GP = 'gp@ville-pau.fr';
const GS = 'gs@ville-pau.fr';
const VR = 'vr@ville-pau.fr'; // holds VALIDATION_RATTACHEMENTS on Pau
const USER = 'agent@ville-pau.fr';
const OUTSIDER = 'jean.dufour@exemple.fr'; // attached nowhere
const INACTIVE = 'ancien@ville-pau.fr';
const ACTORS = ['corr', 'corrOut', 'gp', 'gs', 'vr', 'user', 'outsider', 'inactive'] as const;
type Who = (typeof ACTORS)[number];
const LOGIN: Record<Who, string> = {
  corr: CORR,
  corrOut: CORR_OUT,
  gp: GP,
  gs: GS,
  vr: VR,
  user: USER,
  outsider: OUTSIDER,
  inactive: INACTIVE,
};

describe.each(DIALECTS)('attachments (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let db: Db;
  let pau: number;
  let culture: number;
  let gpAttachment: number;

  const ids = async (login: string) =>
    (
      await db
        .selectFrom('account')
        .select('id')
        .where('login', '=', login)
        .executeTakeFirstOrThrow()
    ).id;
  const attachmentsOf = async (login: string) =>
    db
      .selectFrom('attachment')
      .selectAll()
      .where('accountId', '=', await ids(login))
      .orderBy('id')
      .execute();
  const mails = async (event?: string) =>
    (
      await db
        .selectFrom('notification')
        .innerJoin('account', 'account.id', 'notification.accountId')
        .select([
          'account.login',
          'notification.event',
          'notification.subject',
          'notification.body',
          'notification.structureId',
        ])
        .orderBy('notification.id')
        .execute()
    ).filter((m) => event === undefined || m.event === event);
  const refusals = async () =>
    db.selectFrom('auditLog').selectAll().where('outcome', '=', 'REFUSED').execute();
  const request = (login: string, extra: Partial<Parameters<typeof requestAttachment>[2]> = {}) =>
    requestAttachment(store, login, {
      structure: PAU,
      services: [],
      comment: 'Agent comptable',
      from: null,
      until: null,
      ...extra,
    });

  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64', '40'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    db = store.db;
    await createAccount(store, CORR, {
      login: CORR_OUT,
      data: { email: CORR_OUT, lastName: 'LANDES', firstName: 'Paul' },
      scope: ['40'],
    });
    await createAccount(store, CORR, {
      login: OUTSIDER,
      data: { email: OUTSIDER, lastName: 'DUFOUR', firstName: 'Jean' },
    });
    pau = await addStructure(db, PAU, '64000', 'COMMUNE DE PAU');
    culture = (
      await db
        .insertInto('service')
        .values({
          structureId: pau,
          code: 'SERV-CULT',
          label: 'Culture',
          active: 1,
          dateStart: null,
          dateEnd: null,
          createdAt: NOW,
          updatedAt: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('service')
      .values({
        structureId: pau,
        code: 'SPORT',
        label: 'Sports',
        active: 1,
        dateStart: null,
        dateEnd: null,
        createdAt: NOW,
        updatedAt: NOW,
      })
      .execute();
    gpAttachment = await addAttachment(
      db,
      await addAccount(db, GP, { lastName: 'LAFFITTE', firstName: 'Anne' }),
      pau,
      'GESTIONNAIRE_PRINCIPAL',
      'VALIDEE',
    );
    await addAttachment(
      db,
      await addAccount(db, GS, { lastName: 'CAZAUX', firstName: 'Marie' }),
      pau,
      'GESTIONNAIRE_SECONDAIRE',
      'VALIDEE',
    );
    const vr = await addAccount(db, VR, { lastName: 'BERGES', firstName: 'Paul' });
    await addAttachment(db, vr, pau, 'UTILISATEUR', 'VALIDEE');
    await db
      .insertInto('habilitation')
      .values({
        accountId: vr,
        structureId: pau,
        serviceId: null,
        profile: 'VALIDATION_RATTACHEMENTS',
        status: 'VALIDEE',
        requestedAt: NOW,
        decidedAt: NOW,
        decidedBy: GP,
        createdAt: NOW,
        updatedAt: NOW,
      })
      .execute();
    await addAttachment(
      db,
      await addAccount(db, USER, { lastName: 'ETCHEVERRY', firstName: 'Léa' }),
      pau,
      'UTILISATEUR',
      'VALIDEE',
    );
    const inactive = await addAccount(db, INACTIVE);
    await addAttachment(db, inactive, pau, 'UTILISATEUR', 'VALIDEE');
    await db.updateTable('account').set({ status: 'INACTIF' }).where('id', '=', inactive).execute();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  it('a request needs no right but an active account, waits for validation and tells each decider', async () => {
    const made = await request(OUTSIDER, {
      services: ['serv-cult'],
      from: '2025-04-01',
      until: '2025-12-31',
    });
    expect(made).toMatchObject({
      account: OUTSIDER,
      structure: `SIRET:${PAU}`,
      services: ['SERV-CULT'],
      role: 'UTILISATEUR',
      status: 'EN_COURS_DE_VALIDATION',
      dateStart: '2025-04-01',
      dateEnd: '2025-12-31',
      inEffect: false,
      comment: 'Agent comptable',
      requestedAt: NOW,
    });
    const sent = await mails('ATTACHMENT_REQUESTED');
    expect(sent.map((m) => m.login)).toEqual([GP, VR]);
    expect(sent[0]!.subject).toBe('Chorus Pro : demande de rattachement à COMMUNE DE PAU');
    expect(sent[0]!.body).toContain('Agent comptable');
    expect(sent[0]!.structureId).toBe(pau);
    const audit = await db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'attachment.request')
      .executeTakeFirstOrThrow();
    expect(audit.target).toBe(`attachment:${made.id}`);

    // a second request while one is live, a missing service, bad dates, an inactive account
    await expectKey(request(OUTSIDER), ConflictError, 'attachment.exists');
    await expectKey(request(USER), ConflictError, 'attachment.exists');
    await expectKey(request(CORR_OUT, { services: ['NOPE'] }), NotFoundError, 'service.notFound');
    await expect(
      request(CORR_OUT, { from: '2025-05-01', until: '2025-04-01' }),
    ).rejects.toMatchObject({ issues: [{ field: '--until', message: 'attachment.dateOrder' }] });
    await expectKey(request(CORR_OUT, { comment: '  ' }), InvalidInputError, 'error.invalidInput');
    await expectKey(request(INACTIVE), ForbiddenError, 'rights.inactiveActor');
    await expectKey(
      request(OUTSIDER, { structure: '99999999999999' }),
      NotFoundError,
      'structure.notFound',
    );
  });

  it('bulk decisions: each request on its own; already decided and unknown ones fail without blocking the others', async () => {
    const a = (await request(OUTSIDER)).id;
    const b = (await request(CORR_OUT, { services: ['SERV-CULT'] })).id;
    const other = await addAccount(db, 'autre@ville-pau.fr');
    void other;
    const c = (await request('autre@ville-pau.fr')).id;

    const first = await decideAttachments(store, GP, [a], { approve: true });
    expect(first).toMatchObject([{ id: a, ok: true, status: 'VALIDEE' }]);
    const mixed = await decideAttachments(store, VR, [a, b, 999], { approve: true });
    expect(mixed.map((r) => [r.id, r.ok, r.code, r.error?.key ?? null])).toEqual([
      [a, false, 6, 'attachment.alreadyDecided'],
      [b, true, 0, null],
      [999, false, 3, 'attachment.notFound'],
    ]);
    const rejected = await decideAttachments(store, GP, [c, b], {
      approve: false,
      reason: 'Inconnu du service',
    });
    expect(rejected.map((r) => [r.ok, r.code])).toEqual([
      [true, 0],
      [false, 6],
    ]);

    const [rowA] = await attachmentsOf(OUTSIDER);
    expect(rowA).toMatchObject({ status: 'VALIDEE', decidedBy: GP, decidedAt: NOW });
    const [rowB] = await attachmentsOf(CORR_OUT);
    expect(rowB).toMatchObject({ status: 'VALIDEE', decidedBy: VR });
    expect(
      await db
        .selectFrom('attachmentService')
        .select(['serviceId', 'status'])
        .where('attachmentId', '=', b)
        .execute(),
    ).toEqual([{ serviceId: culture, status: 'VALIDEE' }]);
    const [rowC] = await attachmentsOf('autre@ville-pau.fr');
    expect(rowC).toMatchObject({ status: 'REFUSEE', refusalReason: 'Inconnu du service' });

    const decided = await mails();
    expect(decided.filter((m) => m.event === 'ATTACHMENT_APPROVED').map((m) => m.login)).toEqual([
      OUTSIDER,
      CORR_OUT,
    ]);
    const refusal = decided.find((m) => m.event === 'ATTACHMENT_REJECTED')!;
    expect(refusal.login).toBe('autre@ville-pau.fr');
    expect(refusal.body).toContain('Motif : Inconnu du service');
    const actions = (
      await db
        .selectFrom('auditLog')
        .select('action')
        .where('outcome', '=', 'OK')
        .where('action', 'like', 'attachment.%')
        .orderBy('seq')
        .execute()
    ).map((r) => r.action);
    expect(actions.filter((x) => x === 'attachment.approve')).toHaveLength(2);
    expect(actions.filter((x) => x === 'attachment.reject')).toHaveLength(1);
  });

  it('a holder of VALIDATION_RATTACHEMENTS on one service decides only the requests limited to it', async () => {
    const vr = await ids(VR);
    await db
      .updateTable('habilitation')
      .set({ serviceId: culture })
      .where('accountId', '=', vr)
      .execute();
    const onCulture = (await request(OUTSIDER, { services: ['SERV-CULT'] })).id;
    const whole = (await request(CORR_OUT)).id;
    expect((await pendingAttachments(store, VR, undefined)).map((p) => p.id)).toEqual([onCulture]);
    const r = await decideAttachments(store, VR, [onCulture, whole], { approve: true });
    expect(r.map((x) => x.code)).toEqual([0, 4]);
    expect((await refusals()).map((e) => [e.action, e.target])).toEqual([
      ['attachment.decide', `attachment:${whole}`],
    ]);
  });

  it('validity dates count: an attachment out of its dates gives no rights, nor the habilitations it carries', async () => {
    const pending = (await request(OUTSIDER)).id;
    await db
      .updateTable('attachment')
      .set({ dateEnd: '2025-03-09' })
      .where('id', '=', gpAttachment)
      .execute();
    await db
      .updateTable('attachment')
      .set({ dateStart: '2025-03-11' })
      .where('accountId', '=', await ids(VR))
      .execute();
    for (const who of [GP, VR]) {
      await expectKey(pendingAttachments(store, who, PAU), ForbiddenError, 'rights.notManager');
      const [r] = await decideAttachments(store, who, [pending], { approve: true });
      expect(r!.code).toBe(4);
    }
    const listed = await listAttachments(store, GP, {});
    expect(listed).toMatchObject([
      { role: 'GESTIONNAIRE_PRINCIPAL', status: 'VALIDEE', dateEnd: '2025-03-09', inEffect: false },
    ]);
    // on its last day it still counts
    await db
      .updateTable('attachment')
      .set({ dateEnd: '2025-03-10' })
      .where('id', '=', gpAttachment)
      .execute();
    expect((await decideAttachments(store, GP, [pending], { approve: true }))[0]!.ok).toBe(true);
  });

  describe('who may do what', () => {
    const allowed = {
      pending: ['corr', 'gp', 'vr'],
      approve: ['gp', 'vr'],
      add: ['gp', 'vr'],
      listOther: ['corr', 'gp', 'user'],
    } satisfies Record<string, Who[]>;

    const attempts: Record<keyof typeof allowed, (login: string) => Promise<unknown>> = {
      pending: (login) => pendingAttachments(store, login, PAU),
      approve: async (login) => {
        const id = (await request(OUTSIDER)).id;
        const [r] = await decideAttachments(store, login, [id], { approve: true });
        if (r!.error) throw r!.error;
      },
      add: (login) =>
        addByManager(store, login, {
          login: OUTSIDER,
          structure: `SIRET:${PAU}`,
          services: [],
          role: 'UTILISATEUR',
          from: null,
          until: null,
        }),
      listOther: (login) => listAttachments(store, login, { account: USER }),
    };

    const cases = (Object.keys(allowed) as (keyof typeof allowed)[]).flatMap((command) =>
      ACTORS.map((who) => ({ command, who, ok: (allowed[command] as Who[]).includes(who) })),
    );
    it.each(cases)('$command by $who: allowed $ok', async ({ command, who, ok }) => {
      const attempt = attempts[command](LOGIN[who]);
      if (ok) {
        await attempt;
        expect(await refusals()).toEqual([]);
        return;
      }
      // an active account that is no correspondent finds another account it may not read as if it
      // did not exist (SPEC 6, no probing); the refusal is audited all the same
      const concealed = command === 'listOther' && !['corr', 'corrOut', 'inactive'].includes(who);
      await expect(attempt).rejects.toBeInstanceOf(concealed ? NotFoundError : ForbiddenError);
      const [refused] = await refusals();
      expect(refused).toMatchObject({ actor: LOGIN[who], outcome: 'REFUSED' });
    });

    it('pending with no structure: a decider sees its structures, a correspondent its scope, others nothing', async () => {
      const id = (await request(OUTSIDER)).id;
      for (const who of ['gp', 'vr', 'corr'] as const)
        expect((await pendingAttachments(store, LOGIN[who], undefined)).map((p) => p.id)).toEqual([
          id,
        ]);
      for (const who of ['corrOut', 'gs', 'user', 'outsider'] as const)
        expect(await pendingAttachments(store, LOGIN[who], undefined)).toEqual([]);
      await expectKey(
        pendingAttachments(store, INACTIVE, undefined),
        ForbiddenError,
        'rights.inactiveActor',
      );
    });

    it('detach and request are the holder’s own: anyone active, nobody inactive', async () => {
      await expectKey(
        detach(store, INACTIVE, { structure: PAU, services: [], newManager: null }),
        ForbiddenError,
        'rights.inactiveActor',
      );
      await expectKey(
        detach(store, OUTSIDER, { structure: PAU, services: [], newManager: null }),
        NotFoundError,
        'attachment.notAttached',
      );
    });
  });

  it('a manager adds a user; a second GP is a conflict', async () => {
    const added = await addByManager(store, VR, {
      login: OUTSIDER,
      structure: PAU,
      services: ['SERV-CULT', 'SPORT'],
      role: 'GESTIONNAIRE_SECONDAIRE',
      from: '2025-03-01',
      until: null,
    });
    expect(added).toMatchObject({
      account: OUTSIDER,
      services: ['SERV-CULT', 'SPORT'],
      role: 'GESTIONNAIRE_SECONDAIRE',
      status: 'VALIDEE',
      decidedBy: VR,
      inEffect: true,
    });
    expect((await mails('ATTACHMENT_ADDED')).map((m) => m.login)).toEqual([OUTSIDER]);
    await expectKey(
      addByManager(store, GP, {
        login: OUTSIDER,
        structure: PAU,
        services: [],
        role: 'UTILISATEUR',
        from: null,
        until: null,
      }),
      ConflictError,
      'attachment.exists',
    );
    await expectKey(
      addByManager(store, GP, {
        login: CORR_OUT,
        structure: PAU,
        services: [],
        role: 'GESTIONNAIRE_PRINCIPAL',
        from: null,
        until: null,
      }),
      ConflictError,
      'attachment.gpExists',
    );
    await expectKey(
      addByManager(store, GP, {
        login: INACTIVE,
        structure: PAU,
        services: [],
        role: 'UTILISATEUR',
        from: null,
        until: null,
      }),
      ConflictError,
      'attachment.accountInactive',
    );
    await expectKey(
      addByManager(store, GP, {
        login: 'nobody@nowhere.fr',
        structure: PAU,
        services: [],
        role: 'UTILISATEUR',
        from: null,
        until: null,
      }),
      NotFoundError,
      'account.notFound',
    );
  });

  it('a user detaches, from some services or from the whole structure', async () => {
    await addByManager(store, GP, {
      login: OUTSIDER,
      structure: PAU,
      services: ['SERV-CULT', 'SPORT'],
      role: 'UTILISATEUR',
      from: null,
      until: null,
    });
    const partly = await detach(store, OUTSIDER, {
      structure: PAU,
      services: ['sport'],
      newManager: null,
    });
    expect(partly.detachedServices).toEqual(['SPORT']);
    expect(partly.attachment).toMatchObject({ status: 'VALIDEE', services: ['SERV-CULT'] });
    await expectKey(
      detach(store, OUTSIDER, { structure: PAU, services: ['SPORT'], newManager: null }),
      NotFoundError,
      'attachment.serviceNotAttached',
    );
    const all = await detach(store, OUTSIDER, {
      structure: PAU,
      services: ['SERV-CULT'],
      newManager: null,
    });
    expect(all.attachment.status).toBe('SUPPRIMEE');
    await expectKey(
      detach(store, USER, { structure: PAU, services: ['SPORT'], newManager: null }),
      ConflictError,
      'attachment.wholeStructure',
    );
    await expectKey(
      detach(store, USER, { structure: PAU, services: [], newManager: GS }),
      InvalidInputError,
      'error.invalidInput',
    );
    expect(
      (await detach(store, USER, { structure: PAU, services: [], newManager: null })).attachment
        .status,
    ).toBe('SUPPRIMEE');
    expect(
      await db
        .selectFrom('auditLog')
        .select('action')
        .where('action', '=', 'attachment.detach')
        .execute(),
    ).toHaveLength(3);
  });

  describe('the GP transfer', () => {
    it('a GP cannot leave without a successor (6); the role moves, the former GP stays a plain user, both are told', async () => {
      await expectKey(
        detach(store, GP, { structure: PAU, services: [], newManager: null }),
        ConflictError,
        'attachment.gpNeedsSuccessor',
      );
      await expectKey(
        detach(store, GP, { structure: PAU, services: [], newManager: INACTIVE }),
        ConflictError,
        'attachment.accountInactive',
      );
      await expectKey(
        detach(store, GP, { structure: PAU, services: [], newManager: GP }),
        InvalidInputError,
        'error.invalidInput',
      );
      await expectKey(
        detach(store, GP, { structure: PAU, services: [], newManager: 'nobody@nowhere.fr' }),
        NotFoundError,
        'account.notFound',
      );

      const r = await detach(store, GP, { structure: PAU, services: [], newManager: GS });
      expect(r.newManager).toBe(GS);
      expect(r.attachment).toMatchObject({ account: GP, role: 'UTILISATEUR', status: 'VALIDEE' });
      expect((await attachmentsOf(GS))[0]).toMatchObject({
        role: 'GESTIONNAIRE_PRINCIPAL',
        status: 'VALIDEE',
      });
      expect((await mails('GP_TRANSFERRED')).map((m) => m.login)).toEqual([GS, GP]);
      const audit = await db
        .selectFrom('auditLog')
        .selectAll()
        .where('action', '=', 'attachment.transfer')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.changes!)).toMatchObject({
        principalManager: { before: GP, after: GS },
      });
      // the former GP has lost the role's rights, the new one has them
      await expectKey(pendingAttachments(store, GP, PAU), ForbiddenError, 'rights.notManager');
      expect(await pendingAttachments(store, GS, PAU)).toEqual([]);
    });

    it('to an account not yet attached, or with a pending request: the step attaches it', async () => {
      await detach(store, GP, { structure: PAU, services: [], newManager: OUTSIDER });
      expect(await attachmentsOf(OUTSIDER)).toMatchObject([
        {
          role: 'GESTIONNAIRE_PRINCIPAL',
          status: 'VALIDEE',
          dateStart: '2025-03-10',
          decidedBy: GP,
        },
      ]);
      await request(CORR_OUT);
      await detach(store, OUTSIDER, { structure: PAU, services: [], newManager: CORR_OUT });
      expect(await attachmentsOf(CORR_OUT)).toMatchObject([
        { role: 'GESTIONNAIRE_PRINCIPAL', status: 'VALIDEE', decidedBy: OUTSIDER },
      ]);
      const gps = await db
        .selectFrom('attachment')
        .select('accountId')
        .where('structureId', '=', pau)
        .where('role', '=', 'GESTIONNAIRE_PRINCIPAL')
        .where('status', '=', 'VALIDEE')
        .execute();
      expect(gps).toEqual([{ accountId: await ids(CORR_OUT) }]);
    });

    it('deleting the GP’s account is a conflict naming the structure, until the role is handed over', async () => {
      await expectKey(
        changeStatus(store, CORR, GP, 'delete'),
        ConflictError,
        'account.isPrincipalManager',
      );
      expect((await attachmentsOf(GP))[0]!.status).toBe('VALIDEE');
      await detach(store, GP, { structure: PAU, services: [], newManager: GS });
      expect((await changeStatus(store, CORR, GP, 'delete')).status).toBe('SUPPRIME');
    });
  });
});
