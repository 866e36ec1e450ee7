import { Migrator, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MIGRATIONS } from '../../src/db/migrations/index.js';
import {
  assertSchemaCurrent,
  migrateToLatest,
  openStore,
  schemaState,
  type Store,
} from '../../src/db/store.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { appliedMigrations, expectKey, tableNames } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

// A program one migration ahead of the shipped ones: the store it finds is then outdated.
// The probe sorts after them, as kysely requires of a new migration.
vi.mock('../../src/db/migrations/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/db/migrations/index.js')>();
  return {
    MIGRATIONS: {
      ...actual.MIGRATIONS,
      '9000-probe': {
        up: async (db: Kysely<any>) => {
          await db.schema
            .createTable('probe')
            .addColumn('id', 'integer', (c) => c.primaryKey())
            .execute();
        },
        down: async (db: Kysely<any>) => {
          await db.schema.dropTable('probe').execute();
        },
      },
    },
  };
});

/** The migrations the program really ships (the probe aside). */
const SHIPPED = Object.keys(MIGRATIONS).filter((m) => m !== '9000-probe');

describe.each(DIALECTS)('pending migrations (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    store = await openStore(fresh.location, { create: true, clock: testClock });
  });
  afterEach(async () => {
    await store.close();
    await fresh.cleanup();
  });

  it('calls a store with some migrations applied and others pending outdated, then brings it up to date', async () => {
    expect(Object.keys(MIGRATIONS)).toEqual([...SHIPPED, '9000-probe']);
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => MIGRATIONS },
    });
    const first = await migrator.migrateTo(SHIPPED.at(-1)!);
    expect(first.error).toBeUndefined();

    await expectKey(assertSchemaCurrent(store), StoreUnavailableError, 'store.outdated');
    const err = (await assertSchemaCurrent(store).catch(
      (e: unknown) => e,
    )) as StoreUnavailableError;
    expect(err.params.pending).toBe('9000-probe');
    expect(await schemaState(store.db)).toEqual({
      applied: SHIPPED,
      pending: ['9000-probe'],
      unknown: [],
    });

    expect(await migrateToLatest(store)).toEqual(['9000-probe']);
    expect(await tableNames(store.db)).toContain('probe');
    await expect(assertSchemaCurrent(store)).resolves.toBeUndefined();
    expect(await migrateToLatest(store)).toEqual([]);
    expect(await appliedMigrations(store.db)).toEqual([...SHIPPED, '9000-probe']);
  });

  it('lists every pending migration of a store left at 0001, and applies them in order', async () => {
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: async () => MIGRATIONS },
    });
    expect((await migrator.migrateTo('0001-initial')).error).toBeUndefined();

    const err = (await assertSchemaCurrent(store).catch(
      (e: unknown) => e,
    )) as StoreUnavailableError;
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err.key).toBe('store.outdated');
    expect(err.params.pending).toBe([...SHIPPED.slice(1), '9000-probe'].join(', '));

    expect(await migrateToLatest(store)).toEqual([...SHIPPED.slice(1), '9000-probe']);
    await expect(assertSchemaCurrent(store)).resolves.toBeUndefined();
  });

  it('calls an empty store not initialised and applies every migration in order', async () => {
    await expectKey(assertSchemaCurrent(store), StoreUnavailableError, 'store.notInitialised');
    expect(await migrateToLatest(store)).toEqual([...SHIPPED, '9000-probe']);
    expect(await appliedMigrations(store.db)).toEqual([...SHIPPED, '9000-probe']);
  });
});
