import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeStatus, editAccount } from '../../src/app/accounts.js';
import { detach } from '../../src/app/attachment-detach.js';
import { initStore } from '../../src/app/init.js';
import { importServices, importStructures } from '../../src/app/structure-import.js';
import { syncOptions } from './support/directory-store.js';
import { syncMadrhas, type SyncOptions, type SyncSummary } from '../../src/app/sync/madrhas.js';
import { RowChecker } from '../../src/app/sync/rows.js';
import { GROUPS } from '../../src/app/sync/stream.js';
import { openStore, type Store } from '../../src/db/store.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { testClock } from '../helpers/clock.js';
import { auditRows } from './support/audit.js';

// The sync's two paths (app/sync/stream.ts, the staged path of app/sync/madrhas.ts) must leave
// the same store and report the same summary, whatever the file; the streamed one gives way to
// the staged one when the file is not shaped for it. Each scenario runs on two stores, one per path.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const LINES = fs.readFileSync(path.join(FIXTURES, 'madrhas.csv'), 'utf8').split('\r\n');
const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const NOW = '2025-03-10T09:30:00.000Z';
const PAU = '21640445900010';

/** The fixture's lines by number (1: the header), with edits: a replacement, or null to drop the line. */
const lines = (
  numbers: number[],
  edits: Record<number, string | null> = {},
  extra: string[] = [],
) => [
  LINES[0]!,
  ...numbers.flatMap((n) =>
    n in edits ? (edits[n] === null ? [] : [edits[n]!]) : [LINES[n - 1]!],
  ),
  ...extra,
];
const cell = (text: string, index: number, value: string) =>
  text
    .split(';')
    .map((c, i) => (i === index ? value : c))
    .join(';');
/** Every line but the two GP claims on one structure (lines 12–13): a file the streamed path takes. */
const CLEAN = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16];
const NEWGP = 'nouveau.gp@mairie-pau.fr';
const newGpRow = `${NEWGP};M.;NOUVEAU;Gérard;${NEWGP};;SIRET;${PAU};;GESTIONNAIRE_PRINCIPAL;01/03/2025;;ACTIF`;

/** Plain users of one structure, one row each: more than one chunk of the streamed path. */
const MANY = Array.from(
  { length: GROUPS + 100 },
  (_, i) =>
    `agent.${i}@mairie-pau.fr;M.;AGENT;Paul;agent.${i}@mairie-pau.fr;;SIRET;${PAU};;UTILISATEUR;01/01/2024;;ACTIF`,
);

interface Step {
  file: string[];
  over?: Partial<SyncOptions>;
  /** What the automatic choice must have taken. */
  strategy: SyncSummary['strategy'];
  /** Done on both stores before the sync. */
  before?: (store: Store) => Promise<void>;
}

/** Pauline, GP of Pau, hands the role over to Jean in the tool (attachment detach --new-manager). */
const transferToJean = async (store: Store) =>
  void (await detach(store, 'pauline.dufour@mairie-pau.fr', {
    structure: `SIRET:${PAU}`,
    services: [],
    newManager: 'jean.martin@mairie-pau.fr',
  }));

/** Jean, a user of Pau, detaches himself in the tool. */
const jeanLeaves = async (store: Store) =>
  void (await detach(store, 'jean.martin@mairie-pau.fr', {
    structure: `SIRET:${PAU}`,
    services: [],
    newManager: null,
  }));

/** Jean's two rows at Pau (lines 4–5) with another role. */
const jeanAs = (role: string) => ({ 4: cell(LINES[3]!, 9, role), 5: cell(LINES[4]!, 9, role) });

const SCENARIOS: Record<string, Step[]> = {
  'a first run, the same file again, then changes, then delta mode': [
    { file: lines(CLEAN), strategy: 'streamed' },
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      // a name changed, a service dropped, an account gone (deactivated), a status back to ACTIF
      file: lines(CLEAN, {
        2: cell(LINES[1]!, 2, 'DUFOUR-LAFON'),
        3: cell(LINES[2]!, 2, 'DUFOUR-LAFON'),
        5: null,
        6: null,
        16: cell(LINES[15]!, 12, 'ACTIF'),
      }),
      over: { maxDeactivations: '100%' },
      strategy: 'streamed',
    },
    { file: lines(CLEAN), over: { mode: 'delta' }, strategy: 'streamed' },
    { file: lines(CLEAN), strategy: 'streamed' },
  ],
  'two GP claims on one structure: the staged path rejects both': [
    { file: lines(CLEAN), strategy: 'streamed' },
    { file: lines([...CLEAN, 12, 13]), strategy: 'staged' },
  ],
  'the GP moves to an account listed before the former GP, who stays as a user': [
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      file: [
        LINES[0]!,
        newGpRow,
        ...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }).slice(1),
      ],
      strategy: 'streamed',
    },
    {
      file: [
        LINES[0]!,
        newGpRow,
        ...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }).slice(1),
      ],
      strategy: 'streamed',
    },
  ],
  'the GP moves to an account listed after the former GP, in the same chunk of accounts': [
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      file: [...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }), newGpRow],
      strategy: 'streamed',
    },
  ],
  'the GP moves to an account listed more than a chunk after the former GP': [
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      file: [...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }), ...MANY, newGpRow],
      strategy: 'staged',
    },
  ],
  'the file demotes the GP and names no other: the GP keeps the role': [
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      file: lines(CLEAN, { 2: cell(LINES[1]!, 9, 'GESTIONNAIRE_SECONDAIRE') }),
      strategy: 'staged',
    },
  ],
  'a GP claimed against the store GP, who keeps the role: rejected': [
    { file: lines(CLEAN), strategy: 'streamed' },
    { file: lines(CLEAN, {}, [newGpRow]), strategy: 'staged' },
  ],
  'a GP claimed while the store GP is no longer listed there: rejected (the GP must step down in the file)':
    [
      { file: lines(CLEAN), strategy: 'streamed' },
      { file: lines(CLEAN, { 2: null }, [newGpRow]), strategy: 'staged' },
    ],
  'one login whose rows are apart': [{ file: lines([2, 4, 3, 5, 6, 15, 16]), strategy: 'staged' }],
  'one login whose rows are apart by more than a chunk of accounts': [
    { file: [LINES[0]!, ...MANY, cell(MANY[0]!, 7, '26640001900011')], strategy: 'staged' },
  ],
  'one login met again after a chunk, once its account exists': [
    { file: [LINES[0]!, ...MANY], strategy: 'streamed' },
    { file: [LINES[0]!, ...MANY, cell(MANY[0]!, 7, '26640001900011')], strategy: 'staged' },
  ],
  // PostgreSQL reads a chunk's accounts ahead, before the chunk before it is written (stream.ts)
  'existing accounts over more than a chunk, changed: read again after the chunk before is written':
    [
      { file: [LINES[0]!, ...MANY], strategy: 'streamed' },
      {
        file: [
          LINES[0]!,
          ...MANY.map((r) => cell(cell(r, 3, 'Pierre'), 9, 'GESTIONNAIRE_SECONDAIRE')),
        ],
        strategy: 'streamed',
      },
    ],
  'a login whose only row is rejected, met again in the next chunk': [
    {
      file: [LINES[0]!, cell(MANY[0]!, 10, '31/02/2024'), ...MANY.slice(1), MANY[0]!],
      strategy: 'streamed',
    },
  ],
  'an account with a rejected row keeps the attachments the file no longer names': [
    { file: lines(CLEAN), strategy: 'streamed' },
    { file: lines(CLEAN, { 2: cell(LINES[1]!, 10, '31/02/2024'), 3: null }), strategy: 'streamed' },
  ],
  'the directory changes between runs: rows on a structure deactivated or a service removed since are rejected, then taken again':
    [
      { file: lines(CLEAN), strategy: 'streamed' },
      {
        file: lines(CLEAN),
        strategy: 'streamed',
        before: async (store) => {
          await store.db
            .updateTable('structure')
            .set({ active: 0 })
            .where('identifier', '=', '21400192700018')
            .execute();
          await store.db
            .updateTable('service')
            .set({ active: 0 })
            .where('code', '=', 'SERV-CULT')
            .execute();
        },
      },
      {
        file: lines(CLEAN),
        strategy: 'streamed',
        before: async (store) => {
          await store.db
            .updateTable('structure')
            .set({ active: 1 })
            .where('identifier', '=', '21400192700018')
            .execute();
          await store.db
            .updateTable('service')
            .set({ active: 1 })
            .where('code', '=', 'SERV-CULT')
            .execute();
        },
      },
    ],
  'changes made since the last run (an attachment, an account) are kept by the next one (merged)': [
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      file: lines(CLEAN),
      strategy: 'streamed',
      before: async (store) => {
        await store.db
          .updateTable('attachment')
          .set({ status: 'DESACTIVEE' })
          .where(
            'accountId',
            '=',
            store.db
              .selectFrom('account')
              .select('id')
              .where('login', '=', 'jean.martin@mairie-pau.fr'),
          )
          .execute();
        await changeStatus(store, CORR, 'anne-marie.le-gall@mont-de-marsan.fr', 'deactivate');
        await store.db
          .updateTable('account')
          .set({ phone: '05 00 00 00 00' })
          .where('login', '=', 'pauline.dufour@mairie-pau.fr')
          .execute();
      },
    },
  ],
  'a GP transfer in the tool survives the unchanged export; a new GP named by the file applies (the transferee listed first)':
    [
      { file: lines(CLEAN), strategy: 'streamed' },
      { file: lines(CLEAN), strategy: 'streamed', before: transferToJean },
      { file: lines(CLEAN), strategy: 'streamed' },
      {
        file: [
          LINES[0]!,
          newGpRow,
          ...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }).slice(1),
        ],
        strategy: 'streamed',
      },
    ],
  'a GP transfer in the tool, then a new GP named by the file after the transferee, in the same chunk of accounts':
    [
      { file: lines(CLEAN), strategy: 'streamed' },
      { file: lines(CLEAN), strategy: 'streamed', before: transferToJean },
      {
        file: [...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }), newGpRow],
        strategy: 'streamed',
      },
    ],
  'a GP transfer in the tool, then a new GP named by the file more than a chunk after the transferee (the staged path decides)':
    [
      { file: lines(CLEAN), strategy: 'streamed' },
      { file: lines(CLEAN), strategy: 'streamed', before: transferToJean },
      {
        file: [...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }), ...MANY, newGpRow],
        strategy: 'staged',
      },
      {
        file: [...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }), ...MANY, newGpRow],
        strategy: 'streamed',
      },
    ],
  'a GP transfer in the tool, then a new GP claim whose rows disagree (rejected): the GP stays': [
    { file: lines(CLEAN), strategy: 'streamed' },
    { file: lines(CLEAN), strategy: 'streamed', before: transferToJean },
    {
      file: [
        LINES[0]!,
        newGpRow,
        cell(newGpRow, 3, 'Gérald'),
        ...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }).slice(1),
      ],
      strategy: 'streamed',
    },
  ],
  'the file demotes the GP for a new GP whose rows disagree (rejected): the GP stays': [
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      file: [
        LINES[0]!,
        newGpRow,
        cell(newGpRow, 3, 'Gérald'),
        ...lines(CLEAN, { 2: cell(LINES[1]!, 9, 'UTILISATEUR') }).slice(1),
      ],
      strategy: 'staged',
    },
  ],
  'a GP transfer in the tool, then an export that demotes the transferee and still names the former GP: the transferee stays GP':
    [
      { file: lines(CLEAN), strategy: 'streamed' },
      { file: lines(CLEAN), strategy: 'streamed', before: transferToJean },
      { file: lines(CLEAN, jeanAs('GESTIONNAIRE_SECONDAIRE')), strategy: 'streamed' },
      { file: lines(CLEAN, jeanAs('GESTIONNAIRE_SECONDAIRE')), strategy: 'streamed' },
    ],
  'the same, the transferee listed before the former GP, in the same chunk of accounts': [
    { file: lines(CLEAN), strategy: 'streamed' },
    { file: lines(CLEAN), strategy: 'streamed', before: transferToJean },
    {
      file: [
        LINES[0]!,
        ...lines([4, 5, 2, 3, ...CLEAN.slice(4)], jeanAs('GESTIONNAIRE_SECONDAIRE')).slice(1),
      ],
      strategy: 'streamed',
    },
  ],
  'a user detached in the tool, then named GP by the export as the GP steps down: the file wins': [
    { file: lines(CLEAN), strategy: 'streamed' },
    { file: lines(CLEAN), strategy: 'streamed', before: jeanLeaves },
    {
      file: lines(CLEAN, {
        2: cell(LINES[1]!, 9, 'UTILISATEUR'),
        4: cell(cell(LINES[3]!, 8, ''), 9, 'GESTIONNAIRE_PRINCIPAL'),
        5: null,
      }),
      strategy: 'streamed',
    },
  ],
  'a correspondent’s correction kept, then overridden by a real change of the export': [
    { file: lines(CLEAN), strategy: 'streamed' },
    {
      file: lines(CLEAN),
      strategy: 'streamed',
      before: async (store) =>
        void (await editAccount(store, CORR, 'jean.martin@mairie-pau.fr', {
          firstName: 'Jean-Pierre',
          lastName: 'MARTINEZ',
        })),
    },
    {
      file: lines(CLEAN, {
        4: cell(LINES[3]!, 2, 'MARTIN-LAFON'),
        5: cell(LINES[4]!, 2, 'MARTIN-LAFON'),
      }),
      strategy: 'streamed',
    },
  ],
};

describe.each(DIALECTS)('sync madrhas: the streamed and the staged paths agree (%s)', (dialect) => {
  const fresh: FreshLocation[] = [];
  const stores: Store[] = [];
  beforeEach(async () => {
    testClock.set(NOW);
    for (let i = 0; i < 2; i++) {
      const f = await freshLocation(dialect, 'migrated');
      await initStore({
        store: accessTo(f.location),
        login: CORR,
        data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
        scope: ['64', '40'],
      });
      const s = await openStore(f.location, { clock: testClock });
      await importStructures(s, CORR, {
        file: path.join(FIXTURES, 'annuaire.csv'),
        encoding: 'auto',
        lang: 'fr',
      });
      await importServices(s, CORR, {
        file: path.join(FIXTURES, 'services.csv'),
        encoding: 'auto',
        lang: 'fr',
      });
      fresh.push(f);
      stores.push(s);
    }
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    for (const s of stores.splice(0)) await s.close();
    for (const f of fresh.splice(0)) await f.cleanup();
  });

  const run = (
    store: Store,
    file: string,
    over: Partial<SyncOptions>,
    strategy: SyncOptions['strategy'],
  ) => syncMadrhas(store, CORR, syncOptions(file, { ...over, strategy }));

  // as written (line 6 has quotes: PapaParse's cells), and without any quote (io/csv-lines.ts: bytes)
  it.each(
    Object.entries(SCENARIOS).flatMap(([name, steps]) => [
      [name, steps, false] as const,
      [`${name} (no quotes: read as bytes)`, steps, true] as const,
    ]),
  )('%s', async (_name, steps, unquoted) => {
    const [auto, staged] = stores as [Store, Store];
    for (const [i, step] of steps.entries()) {
      const file = path.join(fresh[0]!.dir, `step-${i}`, 'madrhas.csv');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const text = [...step.file, ''].join('\r\n');
      fs.writeFileSync(file, unquoted ? text.replace(/"/g, '') : text);
      if (step.before) for (const s of stores) await step.before(s);
      const governed = await governedStructures(auto);
      const a = await run(auto, file, step.over ?? {}, 'auto');
      const b = await run(staged, file, step.over ?? {}, 'staged');
      expect(a.strategy, `step ${i}`).toBe(step.strategy);
      expect(b.strategy).toBe('staged');
      expect({ ...a, strategy: null }, `step ${i}`).toEqual({ ...b, strategy: null });
      expect(await state(auto), `step ${i}`).toEqual(await state(staged));
      // SPEC 8.1: a structure never loses its GP through the sync
      expect(await governedStructures(auto), `step ${i}`).toEqual(expect.arrayContaining(governed));
    }
  });

  it('a second run of the same file finds every account unchanged by its digest, and writes only its run entry', async () => {
    const [store] = stores as [Store];
    const file = path.join(fresh[0]!.dir, 'madrhas.csv');
    fs.writeFileSync(file, [...lines(CLEAN), ''].join('\r\n'));
    const first = await run(store, file, {}, 'auto');
    expect(first).toMatchObject({ strategy: 'streamed', created: 4, rejected: 7 });
    const digests = await store.db
      .selectFrom('account')
      .select(['login', 'syncDigest'])
      .where('source', '=', 'MADRHAS')
      .orderBy('login')
      .execute();
    // accounts with a rejected row are planned again each run: no digest
    expect(digests.filter((d) => d.syncDigest !== null).map((d) => d.login)).toEqual([
      'anne-marie.le-gall@mont-de-marsan.fr',
      'jean.martin@mairie-pau.fr',
      'pauline.dufour@mairie-pau.fr',
      'sophie.bernard@chateau-pau.fr',
    ]);
    const audits = await store.db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const again = await run(store, file, {}, 'auto');
    expect(again).toMatchObject({
      strategy: 'streamed',
      accounts: 4,
      unchanged: 4,
      created: 0,
      updated: 0,
      rejected: 7,
    });
    const after = await store.db
      .selectFrom('auditLog')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(audits.n) + 1);
  });

  it('unchanged rows are checked against the directory again only once it has moved, then stamped again', async () => {
    const [store] = stores as [Store];
    const file = path.join(fresh[0]!.dir, 'madrhas.csv');
    fs.writeFileSync(file, [...lines(CLEAN), ''].join('\r\n').replace(/"/g, ''));
    const digests = async () =>
      (
        await store.db
          .selectFrom('account')
          .select(['login', 'syncDigest'])
          .where('syncDigest', 'is not', null)
          .orderBy('login')
          .execute()
      ).map((d) => d.syncDigest);
    const rechecks = vi.spyOn(RowChecker.prototype, 'recheck');
    await run(store, file, {}, 'auto');
    const first = await digests();
    expect(first).toHaveLength(4);

    rechecks.mockClear();
    expect(await run(store, file, {}, 'auto')).toMatchObject({
      strategy: 'streamed',
      unchanged: 4,
    });
    expect(rechecks).not.toHaveBeenCalled();
    expect(await digests()).toEqual(first);

    // any change to the directory moves its revision: the rows are checked, and the digests stamped anew
    await store.db
      .updateTable('structure')
      .set({ companyName: 'Commune de Pau (64)' })
      .where('identifier', '=', PAU)
      .execute();
    rechecks.mockClear();
    expect(await run(store, file, {}, 'auto')).toMatchObject({
      strategy: 'streamed',
      unchanged: 4,
    });
    expect(rechecks).toHaveBeenCalled();
    const second = await digests();
    expect(second).toHaveLength(4);
    second.forEach((d, i) => {
      expect(d!.slice(0, 16)).toBe(first[i]!.slice(0, 16));
      expect(d!.slice(16)).not.toBe(first[i]!.slice(16));
    });

    rechecks.mockClear();
    expect(await run(store, file, {}, 'auto')).toMatchObject({
      strategy: 'streamed',
      unchanged: 4,
    });
    expect(rechecks).not.toHaveBeenCalled();
    rechecks.mockRestore();
  });

  it('the digest triggers and the deferred indexes stand aside only inside a run: after a run, a dry run and a refused run they are all there', async () => {
    const [store] = stores as [Store];
    // the first run brings more rows than the store holds: on SQLite it builds the deferred indexes again at the end
    const triggers = async () =>
      (store.dialect === 'sqlite'
        ? await sql<{
            name: string;
            text: string;
          }>`select name, sql as text from sqlite_master where type in ('trigger', 'index') and sql is not null order by name`.execute(
            store.db,
          )
        : await sql<{
            name: string;
            text: string;
          }>`select tgname as name, pg_get_triggerdef(oid) as text from pg_trigger where not tgisinternal
            union all select indexname, indexdef from pg_indexes where schemaname = current_schema() order by name`.execute(
            store.db,
          )
      ).rows;
    const before = await triggers();
    expect(before.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'account_digest_self',
        'attachment_one_gp_uq',
        'attachment_structure_idx',
        'audit_log_target_idx',
      ]),
    );
    const file = path.join(fresh[0]!.dir, 'madrhas.csv');
    fs.writeFileSync(file, [...lines(CLEAN), ''].join('\r\n'));
    await run(store, file, { dryRun: true }, 'auto');
    expect(await triggers()).toEqual(before);
    await run(store, file, {}, 'auto');
    expect(await triggers()).toEqual(before);
    // every account of the file gone: over the limit, the run rolls back (exit 6)
    fs.writeFileSync(file, [LINES[0]!, ''].join('\r\n'));
    await expect(run(store, file, { maxDeactivations: '0%' }, 'auto')).rejects.toThrow();
    expect(await triggers()).toEqual(before);
    // and they work: a change made outside a run clears the account's digest
    const pauline = 'pauline.dufour@mairie-pau.fr';
    await store.db
      .updateTable('account')
      .set({ lastName: 'DUFOUR-LAFON' })
      .where('login', '=', pauline)
      .execute();
    expect(
      (
        await store.db
          .selectFrom('account')
          .select('syncDigest')
          .where('login', '=', pauline)
          .executeTakeFirstOrThrow()
      ).syncDigest,
    ).toBeNull();
  });

  it('any change to an account, its attachments or their services clears its digest (triggers)', async () => {
    const [store] = stores as [Store];
    const file = path.join(fresh[0]!.dir, 'madrhas.csv');
    fs.writeFileSync(file, [...lines(CLEAN), ''].join('\r\n'));
    await run(store, file, {}, 'auto');
    const digestOf = async (login: string) =>
      (
        await store.db
          .selectFrom('account')
          .select('syncDigest')
          .where('login', '=', login)
          .executeTakeFirstOrThrow()
      ).syncDigest;
    const idOf = async (login: string) =>
      (
        await store.db
          .selectFrom('account')
          .select('id')
          .where('login', '=', login)
          .executeTakeFirstOrThrow()
      ).id;
    const [pauline, jean, anne, sophie] = [
      'pauline.dufour@mairie-pau.fr',
      'jean.martin@mairie-pau.fr',
      'anne-marie.le-gall@mont-de-marsan.fr',
      'sophie.bernard@chateau-pau.fr',
    ];
    for (const l of [pauline, jean, anne, sophie]) expect(await digestOf(l), l).not.toBeNull();

    // the account row (not its digest, not its timestamps alone)
    await store.db
      .updateTable('account')
      .set({ updatedAt: '2030-01-01T00:00:00.000Z' })
      .where('login', '=', pauline)
      .execute();
    expect(await digestOf(pauline)).not.toBeNull();
    await store.db
      .updateTable('account')
      .set({ email: 'autre@mairie-pau.fr' })
      .where('login', '=', pauline)
      .execute();
    expect(await digestOf(pauline)).toBeNull();
    // an attachment's update, a new attachment, a service link
    await store.db
      .updateTable('attachment')
      .set({ role: 'GESTIONNAIRE_SECONDAIRE' })
      .where('accountId', '=', await idOf(anne))
      .execute();
    expect(await digestOf(anne)).toBeNull();
    const jeanAttachment = await store.db
      .selectFrom('attachment')
      .select('id')
      .where('accountId', '=', await idOf(jean))
      .executeTakeFirstOrThrow();
    await store.db
      .deleteFrom('attachmentService')
      .where('attachmentId', '=', jeanAttachment.id)
      .where(
        'serviceId',
        '=',
        store.db.selectFrom('service').select('id').where('code', '=', 'SERV-CULT').limit(1),
      )
      .execute();
    expect(await digestOf(jean)).toBeNull();
    const structure = await store.db
      .selectFrom('structure')
      .select('id')
      .where('identifier', '=', PAU)
      .executeTakeFirstOrThrow();
    await store.db
      .insertInto('attachment')
      .values({
        accountId: await idOf(sophie),
        structureId: structure.id,
        role: 'UTILISATEUR',
        status: 'EN_COURS_DE_VALIDATION',
        source: 'MANUEL',
        createdAt: NOW,
        updatedAt: NOW,
      })
      .execute();
    expect(await digestOf(sophie)).toBeNull();
  });
});

/** The structures that have a validated GP. */
async function governedStructures(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('attachment')
    .innerJoin('structure', 'structure.id', 'attachment.structureId')
    .select('structure.identifier')
    .where('attachment.status', '=', 'VALIDEE')
    .where('attachment.role', '=', 'GESTIONNAIRE_PRINCIPAL')
    .execute();
  return rows.map((r) => r.identifier);
}

/** What the sync writes, in an order both paths share (ids and write order aside). */
async function state(store: Store) {
  const db = store.db;
  const accounts = await db
    .selectFrom('account')
    .select([
      'login',
      'status',
      'source',
      'title',
      'lastName',
      'firstName',
      'email',
      'phone',
      'searchKey',
      'completedAt',
    ])
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
      'attachment.decidedBy',
    ])
    .orderBy('account.login')
    .orderBy('structure.identifier')
    .orderBy('attachment.status')
    .execute();
  const links = await db
    .selectFrom('attachmentService')
    .innerJoin('attachment', 'attachment.id', 'attachmentService.attachmentId')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .innerJoin('service', 'service.id', 'attachmentService.serviceId')
    .select([
      'account.login',
      'attachment.status as attachmentStatus',
      'service.code',
      'attachmentService.status',
    ])
    .orderBy('account.login')
    .orderBy('service.code')
    .orderBy('attachment.status')
    .execute();
  const notifications = await db
    .selectFrom('notification')
    .select(['toAddress', 'event', 'subject'])
    .orderBy('toAddress')
    .orderBy('event')
    .execute();
  // as `audit export` reads them: a sync's accounts come from its run's rows (issue 16 point 9);
  // the digest of those rows hashes them in the order, and with the ids, each path gave them
  const audit = (await auditRows(db))
    .map(({ action, target, outcome, changes }) => ({
      action,
      target,
      outcome,
      changes: changes === null ? null : JSON.parse(changes),
    }))
    .map((e) =>
      e.changes?.runChanges
        ? { ...e, changes: { ...e.changes, runChanges: { count: e.changes.runChanges.count } } }
        : e,
    )
    // a transfer or a detach names the attachments by id, which each path gave in its own order
    .map((e) =>
      e.action === 'attachment.transfer'
        ? { ...e, changes: { ...e.changes, attachments: null } }
        : e,
    )
    .map((e) => (e.target.startsWith('attachment:') ? { ...e, target: 'attachment:#' } : e))
    .sort((x, y) =>
      `${x.action} ${x.target} ${JSON.stringify(x.changes)}`.localeCompare(
        `${y.action} ${y.target} ${JSON.stringify(y.changes)}`,
      ),
    );
  return { accounts, attachments, links, notifications, audit };
}
