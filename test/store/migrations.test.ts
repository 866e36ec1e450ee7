import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import type { Database } from '../../src/db/schema.js';
import { assertSchemaCurrent, migrateToLatest, openStore, schemaState, TABLES_IN_ORDER, type Store } from '../../src/db/store.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { ALL_TABLES, appliedMigrations, count, expectKey, sha256File, tableNames } from './support/seed.js';

// Every table of schema.ts is in the list the tests (and the backup) walk through.
type Missing = Exclude<keyof Database, (typeof TABLES_IN_ORDER)[number]>;
const everyTableListed: [Missing] extends [never] ? true : Missing = true;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

const migrator = (store: Store) => new Migrator({ db: store.db, provider: { getMigrations: async () => MIGRATIONS } });

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

  const open = async () => (store = await openStore(fresh.location, { create: true }));

  it('creates every table of the schema on an empty store, and nothing else', async () => {
    expect(everyTableListed).toBe(true);
    const s = await open();
    expect(await tableNames(s.db)).toEqual([]);

    expect(await migrateToLatest(s)).toEqual(['0001-initial']);

    expect(await tableNames(s.db)).toEqual([...ALL_TABLES].sort());
    expect(TABLES_IN_ORDER.map(snake).sort()).toEqual([...ALL_TABLES].sort());
    expect(await appliedMigrations(s.db)).toEqual(['0001-initial']);
    // the chain's head starts at the genesis
    expect(await s.db.selectFrom('auditHead').selectAll().execute()).toEqual([{ id: 1, seq: 0, hash: '0'.repeat(64) }]);
    await expect(assertSchemaCurrent(s)).resolves.toBeUndefined();
  });

  it('applies nothing the second time, and leaves the data alone', async () => {
    const s = await open();
    await migrateToLatest(s);
    await s.db.updateTable('auditHead').set({ seq: 7 }).where('id', '=', 1).execute();

    expect(await migrateToLatest(s)).toEqual([]);
    expect(await appliedMigrations(s.db)).toEqual(['0001-initial']);
    expect(await count(s.db, 'auditHead')).toBe(1);
    expect((await s.db.selectFrom('auditHead').select('seq').executeTakeFirstOrThrow()).seq).toBe(7);
  });

  it('rolls 0001 back: its down drops every table, and up works again', async () => {
    const s = await open();
    await migrateToLatest(s);

    const down = await migrator(s).migrateDown();
    expect(down.error).toBeUndefined();
    expect(down.results).toEqual([{ migrationName: '0001-initial', direction: 'Down', status: 'Success' }]);
    expect(await tableNames(s.db)).toEqual([]);
    expect(await appliedMigrations(s.db)).toEqual([]);
    expect((await schemaState(s.db)).pending).toEqual(['0001-initial']);

    expect(await migrateToLatest(s)).toEqual(['0001-initial']);
    expect(await tableNames(s.db)).toEqual([...ALL_TABLES].sort());
    expect(await count(s.db, 'auditHead')).toBe(1);
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
    await sql`insert into kysely_migration (name, timestamp) values (${'9999-future'}, ${new Date().toISOString()})`.execute(s.db);
    await s.close();
    store = undefined;
    const before = dialect === 'sqlite' ? sha256File(fresh.location) : null;

    const again = await open();
    await expectKey(assertSchemaCurrent(again), StoreUnavailableError, 'store.newer');
    await expectKey(migrateToLatest(again), StoreUnavailableError, 'store.newer');
    const err = await migrateToLatest(again).catch((e: StoreUnavailableError) => e);
    expect((err as StoreUnavailableError).params.unknown).toBe('9999-future');
    expect(await appliedMigrations(again.db)).toEqual(['0001-initial', '9999-future']);
    expect(await tableNames(again.db)).toEqual([...ALL_TABLES].sort());
    await again.close();
    store = undefined;

    if (dialect === 'sqlite') {
      expect(sha256File(fresh.location)).toBe(before);
      expect(fs.existsSync(fresh.location + '-wal') ? fs.statSync(fresh.location + '-wal').size : 0).toBe(0);
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
    const store = await openStore(location, { create: true });
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
    await expectKey(openStore(fresh.location), StoreUnavailableError, 'store.missing');
    await expectKey(openStore(fresh.location, { create: false }), StoreUnavailableError, 'store.missing');
    expect(fs.existsSync(fresh.location)).toBe(false);
  });

  it('opens an existing store without create', async () => {
    const first = await openStore(fresh.location, { create: true });
    await migrateToLatest(first);
    await first.close();
    const second = await openStore(fresh.location);
    try {
      await expect(assertSchemaCurrent(second)).resolves.toBeUndefined();
    } finally {
      await second.close();
    }
  });
});
