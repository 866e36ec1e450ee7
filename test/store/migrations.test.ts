import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import { TABLES_IN_ORDER, type Database } from '../../src/db/schema.js';
import {
  assertSchemaCurrent,
  migrateToLatest,
  openStore,
  schemaState,
  type Store,
} from '../../src/db/store.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  ALL_TABLES,
  addStructure,
  appliedMigrations,
  count,
  expectKey,
  sha256File,
  tableNames,
} from './support/seed.js';
import { testClock } from '../helpers/clock.js';

// Every table of schema.ts is in the list the tests (and the backup) walk through.
type Missing = Exclude<keyof Database, (typeof TABLES_IN_ORDER)[number]>;
const everyTableListed: [Missing] extends [never] ? true : Missing = true;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

const migrator = (store: Store) =>
  new Migrator({ db: store.db, provider: { getMigrations: async () => MIGRATIONS } });

/** Every migration the program ships, in order. */
const LATEST = [
  '0001-initial',
  '0002-structure-search',
  '0003-sync-digest',
  '0004-directory-revision',
  '0005-sync-own-digests',
  '0006-structure-departement',
  '0007-audit-reason',
  '0008-sync-merge-runs',
  '0009-sync-digest-snapshot',
  '0010-run-change-no-target-index',
  '0011-snapshot-entries-uncompressed',
];

/** SQLite only: migration 0002's FTS5 index of the structures, and the shadow tables FTS5 keeps it in. */
const FTS_TABLES = [
  'structure_fts',
  'structure_fts_config',
  'structure_fts_data',
  'structure_fts_docsize',
  'structure_fts_idx',
];
const FTS_TRIGGERS = ['structure_fts_ad', 'structure_fts_ai', 'structure_fts_au'];
/** Migration 0003's triggers that clear an account's sync digest when it or its attachments change. */
const DIGEST_TRIGGERS = (dialect: string) =>
  dialect === 'sqlite'
    ? [
        'account_digest_self',
        'attachment_digest_delete',
        'attachment_digest_insert',
        'attachment_digest_update',
        'attachment_service_digest_delete',
        'attachment_service_digest_insert',
        'attachment_service_digest_update',
      ]
    : ['account_digest_self', 'attachment_digest', 'attachment_service_digest'];

/** The store's tables once every migration ran. */
/** Migration 0004's table and the triggers that move the directory's revision. */
const REVISION_TABLE = 'directory_state';
/** Migration 0008's tables: the runs' before-images, the store's keys. */
const RUN_CHANGE_TABLE = 'run_change';
const STORE_KEY_TABLE = 'store_key';
const SNAPSHOT_TABLE = 'sync_digest_snapshot';
const REVISION_TRIGGERS = (dialect: string) =>
  dialect === 'sqlite'
    ? [
        'service_revise_delete',
        'service_revise_insert',
        'service_revise_update',
        'structure_revise_delete',
        'structure_revise_insert',
        'structure_revise_update',
      ]
    : ['service_revise', 'structure_revise'];
const latestTables = (dialect: string) =>
  [
    ...ALL_TABLES,
    REVISION_TABLE,
    RUN_CHANGE_TABLE,
    STORE_KEY_TABLE,
    SNAPSHOT_TABLE,
    ...(dialect === 'sqlite' ? FTS_TABLES : []),
  ].sort();

async function columnsOf(db: Kysely<Database>, table: string): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return (tables.find((t) => t.name === table)?.columns ?? []).map((c) => c.name).sort();
}

async function indexNames(store: Store, table = 'structure'): Promise<string[]> {
  const rows =
    store.dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(
          store.db,
        )
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where tablename = ${table}`.execute(store.db);
  return rows.rows.map((r) => r.name).sort();
}

async function triggerNames(store: Store): Promise<string[]> {
  const rows =
    store.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'trigger'`.execute(
          store.db,
        )
      : await sql<{
          name: string;
        }>`select tgname as name from pg_trigger where not tgisinternal`.execute(store.db);
  return rows.rows.map((r) => r.name).sort();
}

/** Ids of the structures whose search key FTS5 matches (SQLite only). */
async function ftsMatch(db: Kysely<Database>, query: string): Promise<number[]> {
  const rows = await sql<{
    rowid: number;
  }>`select rowid from structure_fts where structure_fts match ${query} order by rowid`.execute(db);
  return rows.rows.map((r) => Number(r.rowid));
}

describe.each(DIALECTS)('migrations (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store | undefined;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    store = undefined;
  });
  afterEach(async () => {
    await store?.close();
    await fresh.cleanup();
  });

  const open = async () =>
    (store = await openStore(fresh.location, { create: true, clock: testClock }));

  it('creates every table of the schema on an empty store, and nothing else', async () => {
    expect(everyTableListed).toBe(true);
    expect(Object.keys(MIGRATIONS)).toEqual(LATEST);
    const s = await open();
    expect(await tableNames(s.db)).toEqual([]);

    expect(await migrateToLatest(s)).toEqual(LATEST);

    expect(await tableNames(s.db)).toEqual(latestTables(dialect));
    expect(TABLES_IN_ORDER.map(snake).sort()).toEqual(
      [...ALL_TABLES, REVISION_TABLE, RUN_CHANGE_TABLE, STORE_KEY_TABLE, SNAPSHOT_TABLE].sort(),
    );
    expect(await appliedMigrations(s.db)).toEqual(LATEST);
    // 0002: the folded name and city keys, the identifier index, and on SQLite the FTS5 index kept by triggers
    expect(await columnsOf(s.db, 'structure')).toEqual(
      expect.arrayContaining(['name_key', 'city_key', 'search_key']),
    );
    expect(await indexNames(s)).toContain('structure_identifier_idx');
    // 0010: the before-images are indexed by run, not by target (which no query reads)
    expect(await indexNames(s, 'run_change')).toContain('run_change_run');
    expect(await indexNames(s, 'run_change')).not.toContain('run_change_target');
    if (dialect === 'sqlite') {
      expect(await tableNames(s.db)).toContain('structure_fts');
      expect(await triggerNames(s)).toEqual(
        [...FTS_TRIGGERS, ...DIGEST_TRIGGERS(dialect), ...REVISION_TRIGGERS(dialect)].sort(),
      );
    } else {
      expect(await tableNames(s.db)).not.toContain('structure_fts');
      expect(await triggerNames(s)).toEqual(
        [...DIGEST_TRIGGERS(dialect), ...REVISION_TRIGGERS(dialect)].sort(),
      );
    }
    // 0003: the digest of the MADRHAS rows an account was last synced from
    expect(await columnsOf(s.db, 'account')).toContain('sync_digest');
    // 0004: the directory's revision, from 1
    expect(await s.db.selectFrom('directoryState').selectAll().execute()).toEqual([
      { id: 1, revision: 1 },
    ]);
    // the chain's head starts at the genesis
    expect(await s.db.selectFrom('auditHead').selectAll().execute()).toEqual([
      { id: 1, seq: 0, hash: '0'.repeat(64) },
    ]);
    await expect(assertSchemaCurrent(s)).resolves.toBeUndefined();
  });

  it('applies nothing the second time, and leaves the data alone', async () => {
    const s = await open();
    await migrateToLatest(s);
    await s.db.updateTable('auditHead').set({ seq: 7 }).where('id', '=', 1).execute();
    const structureId = await addStructure(s.db, '21640445900010', '64000', 'Commune de Pau');

    expect(await migrateToLatest(s)).toEqual([]);
    expect(await appliedMigrations(s.db)).toEqual(LATEST);
    expect(await count(s.db, 'auditHead')).toBe(1);
    expect((await s.db.selectFrom('auditHead').select('seq').executeTakeFirstOrThrow()).seq).toBe(
      7,
    );
    expect(await count(s.db, 'structure')).toBe(1);
    if (dialect === 'sqlite') expect(await ftsMatch(s.db, '"pau"*')).toEqual([structureId]);
  });

  it('migrates a store left at 0001 without losing its structures, and indexes them', async () => {
    const s = await open();
    const first = await migrator(s).migrateTo('0001-initial');
    expect(first.error).toBeUndefined();
    const pau = await addStructure(s.db, '21640445900010', '64000', 'Commune de Pau');
    const dax = await addStructure(s.db, '20004090500016', '40100', 'Syndicat de Dax');
    expect((await schemaState(s.db)).pending).toEqual(LATEST.slice(1));

    expect(await migrateToLatest(s)).toEqual(LATEST.slice(1));
    const rows = await s.db
      .selectFrom('structure')
      .select(['id', 'identifier', 'companyName', 'searchKey', 'nameKey', 'cityKey'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        id: pau,
        identifier: '21640445900010',
        companyName: 'Commune de Pau',
        searchKey: 'commune de pau',
        nameKey: '',
        cityKey: '',
      },
      {
        id: dax,
        identifier: '20004090500016',
        companyName: 'Syndicat de Dax',
        searchKey: 'syndicat de dax',
        nameKey: '',
        cityKey: '',
      },
    ]);
    if (dialect === 'sqlite') {
      // the index was rebuilt from the rows already there
      expect(await ftsMatch(s.db, '"commune"*')).toEqual([pau]);
      expect(await ftsMatch(s.db, '"dax"*')).toEqual([dax]);
    }
  });

  it.runIf(dialect === 'sqlite')(
    'keeps the FTS5 index in step with inserts, search-key updates and deletes',
    async () => {
      const s = await open();
      await migrateToLatest(s);
      const pau = await addStructure(s.db, '21640445900010', '64000', 'Commune de Pau');
      expect(await ftsMatch(s.db, '"pau"*')).toEqual([pau]);

      await s.db
        .updateTable('structure')
        .set({ searchKey: 'commune de lescar' })
        .where('id', '=', pau)
        .execute();
      expect(await ftsMatch(s.db, '"pau"*')).toEqual([]);
      expect(await ftsMatch(s.db, '"lescar"*')).toEqual([pau]);
      // an update that leaves the search key alone leaves the index alone
      await s.db.updateTable('structure').set({ city: 'LESCAR' }).where('id', '=', pau).execute();
      expect(await ftsMatch(s.db, '"lescar"*')).toEqual([pau]);

      await s.db.deleteFrom('structure').where('id', '=', pau).execute();
      expect(await ftsMatch(s.db, '"lescar"*')).toEqual([]);
      // the index is sound: FTS5's own check against its content table
      await expect(
        sql`insert into structure_fts(structure_fts) values ('integrity-check')`.execute(s.db),
      ).resolves.toBeDefined();
    },
  );

  it('moves the directory revision on any change to a structure or a service, and on nothing else', async () => {
    const s = await open();
    await migrateToLatest(s);
    const revision = async () =>
      (await s.db.selectFrom('directoryState').select('revision').executeTakeFirstOrThrow())
        .revision;
    const changes: [string, () => Promise<unknown>][] = [];
    let structureId = 0;
    changes.push([
      'structure added',
      async () =>
        (structureId = await addStructure(s.db, '21640445900010', '64000', 'Commune de Pau')),
    ]);
    changes.push([
      'structure deactivated',
      () =>
        s.db.updateTable('structure').set({ active: 0 }).where('id', '=', structureId).execute(),
    ]);
    changes.push([
      'service added',
      () =>
        s.db
          .insertInto('service')
          .values({
            structureId,
            code: 'SERV',
            label: 'Service',
            active: 1,
            dateStart: null,
            dateEnd: null,
            createdAt: '2025-01-01T00:00:00.000Z',
            updatedAt: '2025-01-01T00:00:00.000Z',
          })
          .execute(),
    ]);
    changes.push([
      'service deactivated',
      () => s.db.updateTable('service').set({ active: 0 }).execute(),
    ]);
    changes.push(['service removed', () => s.db.deleteFrom('service').execute()]);
    changes.push(['structure removed', () => s.db.deleteFrom('structure').execute()]);
    for (const [what, change] of changes) {
      const before = await revision();
      await change();
      expect(await revision(), what).toBeGreaterThan(before);
    }
    const before = await revision();
    await s.db.updateTable('auditHead').set({ seq: 7 }).execute();
    expect(await revision()).toBe(before);
  });

  it('rolls back 0011, 0010, 0009, 0008, 0007, 0006, 0005, 0004, 0003, 0002 then 0001: each down undoes its up, and up works again', async () => {
    const s = await open();
    await migrateToLatest(s);
    await addStructure(s.db, '21640445900010', '64000', 'Commune de Pau');

    const storage = async () =>
      dialect === 'postgres'
        ? (
            await sql<{ storage: string }>`
              select attstorage as storage from pg_attribute
              where attrelid = 'sync_digest_snapshot'::regclass and attname = 'entries'`.execute(
              s.db,
            )
          ).rows[0]!.storage
        : null;
    // 0011: PostgreSQL keeps the snapshot's entries uncompressed (random digests)
    expect(await storage()).toBe(dialect === 'postgres' ? 'e' : null);
    const down11 = await migrator(s).migrateDown();
    expect(down11.error).toBeUndefined();
    expect(down11.results).toEqual([
      { migrationName: '0011-snapshot-entries-uncompressed', direction: 'Down', status: 'Success' },
    ]);
    expect(await storage()).toBe(dialect === 'postgres' ? 'x' : null);

    const down10 = await migrator(s).migrateDown();
    expect(down10.error).toBeUndefined();
    expect(down10.results).toEqual([
      { migrationName: '0010-run-change-no-target-index', direction: 'Down', status: 'Success' },
    ]);
    expect(await indexNames(s, 'run_change')).toContain('run_change_target');

    const down9 = await migrator(s).migrateDown();
    expect(down9.error).toBeUndefined();
    expect(down9.results).toEqual([
      { migrationName: '0009-sync-digest-snapshot', direction: 'Down', status: 'Success' },
    ]);
    expect(await tableNames(s.db)).not.toContain(SNAPSHOT_TABLE);
    expect(await indexNames(s, 'run_change')).toContain('run_change_target');

    const down8 = await migrator(s).migrateDown();
    expect(down8.error).toBeUndefined();
    expect(down8.results).toEqual([
      { migrationName: '0008-sync-merge-runs', direction: 'Down', status: 'Success' },
    ]);
    expect(await columnsOf(s.db, 'account')).not.toContain('madrhas_base');
    expect(await columnsOf(s.db, 'run')).not.toContain('plan_sha256');

    const down7 = await migrator(s).migrateDown();
    expect(down7.error).toBeUndefined();
    expect(down7.results).toEqual([
      { migrationName: '0007-audit-reason', direction: 'Down', status: 'Success' },
    ]);
    expect(await columnsOf(s.db, 'audit_log')).not.toContain('reason');

    const down6 = await migrator(s).migrateDown();
    expect(down6.error).toBeUndefined();
    expect(down6.results).toEqual([
      { migrationName: '0006-structure-departement', direction: 'Down', status: 'Success' },
    ]);

    const down5 = await migrator(s).migrateDown();
    expect(down5.error).toBeUndefined();
    expect(down5.results).toEqual([
      { migrationName: '0005-sync-own-digests', direction: 'Down', status: 'Success' },
    ]);
    expect(await triggerNames(s)).toEqual(
      [
        ...(dialect === 'sqlite' ? FTS_TRIGGERS : []),
        ...DIGEST_TRIGGERS(dialect),
        ...REVISION_TRIGGERS(dialect),
      ].sort(),
    );

    const down4 = await migrator(s).migrateDown();
    expect(down4.error).toBeUndefined();
    expect(down4.results).toEqual([
      { migrationName: '0004-directory-revision', direction: 'Down', status: 'Success' },
    ]);
    expect(await tableNames(s.db)).not.toContain(REVISION_TABLE);
    expect(await triggerNames(s)).toEqual(
      dialect === 'sqlite'
        ? [...FTS_TRIGGERS, ...DIGEST_TRIGGERS(dialect)].sort()
        : [...DIGEST_TRIGGERS(dialect)].sort(),
    );

    const down3 = await migrator(s).migrateDown();
    expect(down3.error).toBeUndefined();
    expect(down3.results).toEqual([
      { migrationName: '0003-sync-digest', direction: 'Down', status: 'Success' },
    ]);
    expect(await columnsOf(s.db, 'account')).not.toContain('sync_digest');
    expect(await triggerNames(s)).toEqual(dialect === 'sqlite' ? FTS_TRIGGERS : []);

    const down2 = await migrator(s).migrateDown();
    expect(down2.error).toBeUndefined();
    expect(down2.results).toEqual([
      { migrationName: '0002-structure-search', direction: 'Down', status: 'Success' },
    ]);
    expect(await tableNames(s.db)).toEqual([...ALL_TABLES].sort());
    expect(await columnsOf(s.db, 'structure')).not.toContain('name_key');
    expect(await columnsOf(s.db, 'structure')).not.toContain('city_key');
    expect(await indexNames(s)).not.toContain('structure_identifier_idx');
    expect(await triggerNames(s)).toEqual([]);
    expect(await appliedMigrations(s.db)).toEqual(['0001-initial']);
    expect((await schemaState(s.db)).pending).toEqual(LATEST.slice(1));
    // rolling 0002 back keeps the data 0001 holds
    expect(await count(s.db, 'structure')).toBe(1);
    await s.db.deleteFrom('structure').execute();

    const down1 = await migrator(s).migrateDown();
    expect(down1.error).toBeUndefined();
    expect(down1.results).toEqual([
      { migrationName: '0001-initial', direction: 'Down', status: 'Success' },
    ]);
    expect(await tableNames(s.db)).toEqual([]);
    expect(await appliedMigrations(s.db)).toEqual([]);
    expect((await schemaState(s.db)).pending).toEqual(LATEST);

    expect(await migrateToLatest(s)).toEqual(LATEST);
    expect(await tableNames(s.db)).toEqual(latestTables(dialect));
    expect(await columnsOf(s.db, 'structure')).toEqual(
      expect.arrayContaining(['name_key', 'city_key']),
    );
    expect(await count(s.db, 'auditHead')).toBe(1);
    await expect(assertSchemaCurrent(s)).resolves.toBeUndefined();
  });

  it('says a store without any migration is not initialised', async () => {
    const s = await open();
    await expectKey(assertSchemaCurrent(s), StoreUnavailableError, 'store.notInitialised');
    await migrateToLatest(s);
    await expect(assertSchemaCurrent(s)).resolves.toBeUndefined();
  });

  it('refuses a store migrated by a newer program, and changes nothing in it', async () => {
    const s = await open();
    await migrateToLatest(s);
    await sql`insert into kysely_migration (name, timestamp) values (${'9999-future'}, ${new Date().toISOString()})`.execute(
      s.db,
    );
    await s.close();
    store = undefined;
    const before = dialect === 'sqlite' ? sha256File(fresh.location) : null;

    const again = await open();
    await expectKey(assertSchemaCurrent(again), StoreUnavailableError, 'store.newer');
    await expectKey(migrateToLatest(again), StoreUnavailableError, 'store.newer');
    const err = await migrateToLatest(again).catch((e: StoreUnavailableError) => e);
    expect((err as StoreUnavailableError).params.unknown).toBe('9999-future');
    expect(await appliedMigrations(again.db)).toEqual([...LATEST, '9999-future']);
    expect(await tableNames(again.db)).toEqual(latestTables(dialect));
    await again.close();
    store = undefined;

    if (dialect === 'sqlite') {
      expect(sha256File(fresh.location)).toBe(before);
      expect(
        fs.existsSync(fresh.location + '-wal') ? fs.statSync(fresh.location + '-wal').size : 0,
      ).toBe(0);
    }
  });
});

describe('migrations (sqlite file)', () => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation('sqlite');
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('creates the file, and its folder, readable by its owner only', async () => {
    const location = path.join(fresh.dir, 'sub', 'store.sqlite');
    const store = await openStore(location, { create: true, clock: testClock });
    try {
      await migrateToLatest(store);
      expect(store.location).toBe(location);
      expect(fs.statSync(location).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(location)).mode & 0o777).toBe(0o700);
      // the WAL holds the same personal data
      expect(fs.existsSync(location + '-wal')).toBe(true);
      expect(fs.statSync(location + '-wal').mode & 0o777).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('refuses to open a missing file without create, and does not create it', async () => {
    await expectKey(
      openStore(fresh.location, { clock: testClock }),
      StoreUnavailableError,
      'store.missing',
    );
    await expectKey(
      openStore(fresh.location, { create: false, clock: testClock }),
      StoreUnavailableError,
      'store.missing',
    );
    expect(fs.existsSync(fresh.location)).toBe(false);
  });

  it('opens an existing store without create', async () => {
    const first = await openStore(fresh.location, { create: true, clock: testClock });
    await migrateToLatest(first);
    await first.close();
    const second = await openStore(fresh.location, { clock: testClock });
    try {
      await expect(assertSchemaCurrent(second)).resolves.toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
