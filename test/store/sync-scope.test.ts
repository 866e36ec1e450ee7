import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import { importServices, importStructures } from '../../src/app/structure-import.js';
import { syncMadrhas, type SyncOptions, type SyncSummary } from '../../src/app/sync/madrhas.js';
import { openStore, type Store } from '../../src/db/store.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { testClock } from '../helpers/clock.js';
import { auditRows } from './support/audit.js';

// SPEC 8.1 and 6: a MADRHAS file never reaches outside its correspondent's scope. A row about an
// existing account outside the scope is rejected whatever it says; full mode ends only the
// attachments in scope and deactivates only an account that keeps nothing in effect elsewhere.
// Each scenario runs on two stores, one per path of the sync (streamed and staged), which must
// agree.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const NOW = '2025-03-10T09:30:00.000Z';

const NATIONAL = 'national@dgfip.finances.gouv.fr';
const C64 = 'corr64@dgfip.finances.gouv.fr';
const C33 = 'corr33@dgfip.finances.gouv.fr';
const PAU = '21640445900010';
const BORDEAUX = '21330063500017';

const GP33 = 'gp33@mairie-bordeaux.fr';
const BOTH = 'both@agglo.fr';
const PENDING33 = 'pending33@mairie-bordeaux.fr';
const LAPSED33 = 'lapsed33@mairie-bordeaux.fr';
const USER33 = 'user33@mairie-bordeaux.fr';
const AGENT64 = 'agent64@mairie-pau.fr';

const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';
const row = (
  login: string,
  structure: string,
  o: Partial<{ nom: string; email: string; role: string; fin: string; statut: string }> = {},
) =>
  `${login};M.;${o.nom ?? 'AGENT'};Paul;${o.email ?? login};;SIRET;${structure};;${o.role ?? 'UTILISATEUR'};01/01/2024;${o.fin ?? ''};${o.statut ?? 'ACTIF'}`;

/** What the national correspondent synced first (every account's rows as the store holds them). */
const SEED = [
  row(GP33, BORDEAUX, { role: 'GESTIONNAIRE_PRINCIPAL' }),
  row(BOTH, PAU),
  row(BOTH, BORDEAUX),
  row(PENDING33, BORDEAUX),
  row(LAPSED33, BORDEAUX, { fin: '31/12/2024' }),
  row(USER33, BORDEAUX),
  row(AGENT64, PAU),
];
/** The Pyrénées-Atlantiques file: its own agent only. */
const FILE64 = [row(AGENT64, PAU)];
/** The Gironde file: its accounts' Gironde rows only. */
const FILE33 = [
  row(GP33, BORDEAUX, { role: 'GESTIONNAIRE_PRINCIPAL' }),
  row(BOTH, BORDEAUX),
  row(PENDING33, BORDEAUX),
  row(LAPSED33, BORDEAUX, { fin: '31/12/2024' }),
  row(USER33, BORDEAUX),
];

describe.each(DIALECTS)('sync madrhas within the correspondent’s scope (%s)', (dialect) => {
  const fresh: FreshLocation[] = [];
  const stores: Store[] = [];
  let step = 0;

  beforeEach(async () => {
    testClock.set(NOW);
    for (let i = 0; i < 2; i++) {
      const f = await freshLocation(dialect, 'migrated');
      await initStore({
        store: accessTo(f.location),
        login: NATIONAL,
        data: { email: NATIONAL, lastName: 'NATIONAL', firstName: 'Nina' },
        scope: ['*'],
      });
      const s = await openStore(f.location, { clock: testClock });
      fresh.push(f);
      stores.push(s);
      for (const [file, load] of [
        ['annuaire.csv', importStructures],
        ['services.csv', importServices],
      ] as const)
        await load(s, NATIONAL, { file: path.join(FIXTURES, file), encoding: 'auto', lang: 'fr' });
      for (const [login, scope] of [
        [C64, ['64']],
        [C33, ['33']],
      ] as const)
        await createAccount(s, NATIONAL, {
          login,
          data: { email: login, lastName: 'CORRESPONDANT', firstName: 'Cora' },
          scope,
        });
    }
    await both(NATIONAL, SEED, { mode: 'delta' });
    // a Gironde account with a mere pending request to a Pau structure, one whose Gironde attachment lapsed
    for (const s of stores)
      for (const login of [PENDING33, LAPSED33]) await pendingRequest(s, login, PAU);
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const f of fresh.splice(0)) await f.cleanup();
  });

  /** The same file synced by `actor` on both stores (one per path): both agree; returns the summary. */
  async function both(
    actor: string,
    rows: string[],
    over: Partial<SyncOptions> = {},
  ): Promise<SyncSummary> {
    const file = path.join(fresh[0]!.dir, `step-${step++}`, 'madrhas.csv');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, [HEADER, ...rows, ''].join('\r\n'));
    const options = (strategy: SyncOptions['strategy']): SyncOptions => ({
      file,
      encoding: 'auto',
      mode: 'full',
      dryRun: false,
      strict: false,
      maxDeactivations: '100%',
      lang: 'fr',
      ...over,
      strategy,
    });
    const [auto, staged] = stores as [Store, Store];
    const a = await syncMadrhas(auto, actor, options('auto'));
    const b = await syncMadrhas(staged, actor, options('staged'));
    expect(b.strategy).toBe('staged');
    expect({ ...a, strategy: null }).toEqual({ ...b, strategy: null });
    expect(await state(auto)).toEqual(await state(staged));
    return a;
  }

  const accountOf = async (login: string) => {
    const s = await state(stores[0]!);
    return {
      ...s.accounts.find((a) => a.login === login)!,
      attachments: s.attachments
        .filter((a) => a.login === login)
        .map((a) => `${a.identifier} ${a.role} ${a.status}`),
    };
  };
  const notifications = async () => (await state(stores[0]!)).notifications.length;

  const OUT64 =
    'IDENTIFIANT_CONNEXION : compte hors de votre périmètre (départements 64) : un fichier n’atteint pas les comptes d’un autre département';

  it.each(['delta', 'full'] as const)(
    'a row about an account outside the scope is rejected whatever it says, and the account is not touched (%s)',
    async (mode) => {
      const before = await state(stores[0]!);
      const summary = await both(
        C64,
        [
          // renamed, another contact address, attached to a Pau structure
          row(GP33, PAU, { nom: 'PIRATE', email: 'pirate@evil.example' }),
          // the very row the store has (its digest): outside the scope all the same
          row(GP33, BORDEAUX, { role: 'GESTIONNAIRE_PRINCIPAL' }),
          // deactivated
          row(USER33, PAU, { statut: 'INACTIF' }),
          // a correspondent whose scope the actor's does not cover
          row(C33, PAU),
          // listed, and in scope (Pau): its Gironde attachment is none of this file's business
          row(BOTH, PAU),
          ...FILE64,
        ],
        { mode },
      );
      expect(summary).toMatchObject({
        rejected: 4,
        unchanged: 2,
        created: 0,
        updated: 0,
        deactivated: 0,
        attachmentsEnded: 0,
      });
      expect(summary.sample).toEqual([
        { line: 2, errors: [OUT64] },
        {
          line: 3,
          errors: [
            'IDENTIFIANT_STRUCTURE : structure SIRET:21330063500017 hors de votre périmètre (département 33)',
            OUT64,
          ],
        },
        { line: 4, errors: [OUT64] },
        { line: 5, errors: [OUT64] },
      ]);
      const after = await state(stores[0]!);
      expect(after.accounts).toEqual(before.accounts);
      expect(after.attachments).toEqual(before.attachments);
      expect(after.notifications).toEqual(before.notifications);
    },
  );

  it('an account outside the scope claiming the GP of a structure in scope does not make its GP step down', async () => {
    await both(C64, [row(AGENT64, PAU, { role: 'GESTIONNAIRE_PRINCIPAL' })], { mode: 'delta' });
    const summary = await both(
      C64,
      [row(AGENT64, PAU), row(GP33, PAU, { role: 'GESTIONNAIRE_PRINCIPAL' })],
      { mode: 'delta' },
    );
    expect(summary).toMatchObject({ rejected: 1, gpKept: 1 });
    expect(summary.sample).toEqual([{ line: 3, errors: [OUT64] }]);
    expect((await accountOf(AGENT64)).attachments).toEqual([
      `${PAU} GESTIONNAIRE_PRINCIPAL VALIDEE`,
    ]);
    expect((await accountOf(GP33)).attachments).toEqual([
      `${BORDEAUX} GESTIONNAIRE_PRINCIPAL VALIDEE`,
    ]);
  });

  it('the pending request alone puts the Gironde account in the Pau scope: its rows are taken', async () => {
    // SPEC 6 counts a pending request: the 64 correspondent reaches the account (and may attach it in 64)
    const summary = await both(C64, [row(PENDING33, PAU), ...FILE64], { mode: 'delta' });
    expect(summary).toMatchObject({ rejected: 0, attachmentsChanged: 1 });
    expect((await accountOf(PENDING33)).attachments).toEqual([
      `${BORDEAUX} UTILISATEUR VALIDEE`,
      `${PAU} UTILISATEUR VALIDEE`,
    ]);
  });

  it('full mode ends only what lies in the scope, keeps active what holds elsewhere, and no file undoes another', async () => {
    const mails = await notifications();
    // the Gironde file first: it does not end the Pau attachment of the account attached in both
    const first33 = await both(C33, FILE33);
    expect(first33).toMatchObject({ rejected: 0, deactivated: 0, attachmentsEnded: 0 });
    expect(await accountOf(BOTH)).toMatchObject({
      status: 'ACTIF',
      attachments: [`${PAU} UTILISATEUR VALIDEE`, `${BORDEAUX} UTILISATEUR VALIDEE`].sort(),
    });
    // AGENT64 is in Pau only: out of the Gironde scope, untouched
    expect(await accountOf(AGENT64)).toMatchObject({ status: 'ACTIF' });

    // the Pau file, without the account attached in both: its Pau attachment ends, it stays active
    const first64 = await both(C64, FILE64);
    expect(first64).toMatchObject({
      rejected: 0,
      deactivated: 0,
      updated: 1,
      attachmentsEnded: 1,
    });
    expect(await accountOf(BOTH)).toMatchObject({
      status: 'ACTIF',
      attachments: [`${BORDEAUX} UTILISATEUR VALIDEE`, `${PAU} UTILISATEUR DESACTIVEE`],
    });
    // Gironde's GP and the accounts whose only link to Pau is a pending request: untouched
    expect(await accountOf(GP33)).toMatchObject({
      status: 'ACTIF',
      attachments: [`${BORDEAUX} GESTIONNAIRE_PRINCIPAL VALIDEE`],
    });
    for (const login of [PENDING33, LAPSED33])
      expect(await accountOf(login)).toMatchObject({
        status: 'ACTIF',
        attachments: [
          `${BORDEAUX} UTILISATEUR VALIDEE`,
          `${PAU} UTILISATEUR EN_COURS_DE_VALIDATION`,
        ],
      });
    expect(await notifications()).toBe(mails);

    // again, in turn: nothing moves, nobody is told
    const settled = await state(stores[0]!);
    for (const [actor, file] of [
      [C33, FILE33],
      [C64, FILE64],
      [C33, FILE33],
    ] as const) {
      const again = await both(actor, file);
      expect(again).toMatchObject({
        rejected: 0,
        created: 0,
        updated: 0,
        deactivated: 0,
        reactivated: 0,
        attachmentsAdded: 0,
        attachmentsChanged: 0,
        attachmentsEnded: 0,
      });
      expect(await state(stores[0]!)).toEqual(settled);
    }
  });

  it('an account in the scope only, absent from the file, is deactivated with its attachments there', async () => {
    const summary = await both(
      C33,
      FILE33.filter((r) => !r.startsWith(PENDING33)),
    );
    // PENDING33 holds nothing in effect outside Gironde (a pending request is not in effect)
    expect(summary).toMatchObject({ deactivated: 1, attachmentsEnded: 1 });
    expect(await accountOf(PENDING33)).toMatchObject({
      status: 'INACTIF',
      attachments: [
        `${BORDEAUX} UTILISATEUR DESACTIVEE`,
        `${PAU} UTILISATEUR EN_COURS_DE_VALIDATION`,
      ],
    });
  });
});

/** An attachment request waiting for its decision (as `attachment request` leaves it). */
async function pendingRequest(store: Store, login: string, identifier: string): Promise<void> {
  const { id: accountId } = await store.db
    .selectFrom('account')
    .select('id')
    .where('login', '=', login)
    .executeTakeFirstOrThrow();
  const { id: structureId } = await store.db
    .selectFrom('structure')
    .select('id')
    .where('identifier', '=', identifier)
    .executeTakeFirstOrThrow();
  await store.db
    .insertInto('attachment')
    .values({
      accountId,
      structureId,
      role: 'UTILISATEUR',
      status: 'EN_COURS_DE_VALIDATION',
      source: 'MANUEL',
      comment: 'je gère aussi la régie de Pau',
      createdAt: NOW,
      updatedAt: NOW,
    })
    .execute();
}

/** What the sync writes, in an order both paths share (ids and write order aside). */
async function state(store: Store) {
  const db = store.db;
  const accounts = await db
    .selectFrom('account')
    .select(['login', 'status', 'source', 'title', 'lastName', 'firstName', 'email', 'phone'])
    .orderBy('login')
    .execute();
  const attachments = await db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .innerJoin('structure', 'structure.id', 'attachment.structureId')
    .select([
      'account.login',
      'structure.identifier',
      'attachment.role',
      'attachment.status',
      'attachment.source',
      'attachment.dateStart',
      'attachment.dateEnd',
    ])
    .orderBy('account.login')
    .orderBy('structure.identifier')
    .orderBy('attachment.status')
    .execute();
  const notifications = await db
    .selectFrom('notification')
    .select(['toAddress', 'event', 'subject'])
    .orderBy('toAddress')
    .orderBy('event')
    .orderBy('subject')
    .execute();
  // as `audit export` reads them: a sync's accounts come from its run's rows (issue 16 point 9)
  const audit = (await auditRows(db))
    .filter((e) => e.action.startsWith('sync.account'))
    .map(({ action, target, outcome, changes }) => ({
      action,
      target,
      outcome,
      changes: changes === null ? null : JSON.parse(changes),
    }))
    .sort((x, y) =>
      `${x.action} ${x.target} ${JSON.stringify(x.changes)}`.localeCompare(
        `${y.action} ${y.target} ${JSON.stringify(y.changes)}`,
      ),
    );
  return { accounts, attachments, notifications, audit };
}
