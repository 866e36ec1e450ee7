import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyRows, insertRowsWithIds } from '../../src/db/bulk-load.js';
import { rawRows } from '../../src/db/bulk.js';
import { SqliteThread } from '../../src/db/sqlite-thread.js';
import { moveSqlite, openStore, rawSqlite, toStoreError, type Store } from '../../src/db/store.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { testClock } from '../helpers/clock.js';
import { freshLocation } from '../helpers/stores.js';
import { probeTable } from './support/seed.js';

// SQLite's connection in a worker thread (db/sqlite-thread.ts), as a first load moves it there:
// the same answers as in-process, the bulk loader's rows written behind, their failure reported
// in order.

describe('a store whose SQLite connection is in a thread', () => {
  let store: Store;
  let location: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const fresh = await freshLocation('sqlite', 'migrated');
    location = fresh.location;
    store = await openStore(location, { clock: testClock });
    expect(moveSqlite(store.db, true)).toBe(true);
    cleanup = async () => {
      await store.close();
      await fresh.cleanup();
    };
    await probeTable(store.db, 'sqlite', 'probe', 'label text unique, n integer, data blob');
  });
  afterEach(async () => cleanup());

  const labels = async () =>
    (
      await sql<{ id: number; label: string }>`select id, label from probe order by id`.execute(
        store.db,
      )
    ).rows;

  it('moves there and back, with the store’s settings', async () => {
    expect(moveSqlite(store.db, true)).toBe(false); // there already
    const pragmas = () =>
      ['journal_mode', 'synchronous', 'foreign_keys', 'cache_size'].map((p) =>
        rawSqlite(store.db)!.pragma(p, { simple: true }),
      );
    expect(pragmas()).toEqual(['wal', 1, 1, -4096]);
    await sql`insert into probe (label) values ('before')`.execute(store.db);
    expect(moveSqlite(store.db, false)).toBe(true);
    expect(rawSqlite(store.db)).toBeInstanceOf(SqliteDatabase);
    expect(pragmas()).toEqual(['wal', 1, 1, -16384]);
    expect((await labels()).map((r) => r.label)).toEqual(['before']);
    await expect(
      store.db.transaction().execute(async () => moveSqlite(store.db, true)),
    ).rejects.toThrow(/inside a transaction/);
  });

  it('is a thread, and answers as better-sqlite3 does: rows, raw rows, plucked values, pragmas', async () => {
    const sqlite = rawSqlite(store.db)!;
    expect(sqlite).toBeInstanceOf(SqliteThread);
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.inTransaction).toBe(false);
    sqlite.exec("insert into probe (label, n) values ('a', 1), ('b', 2)");
    expect(sqlite.prepare('select label, n from probe order by id').all()).toEqual([
      { label: 'a', n: 1 },
      { label: 'b', n: 2 },
    ]);
    expect(sqlite.prepare('select label, n from probe order by id').raw().all()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(sqlite.prepare('select n from probe where label = ?').pluck().get('b')).toBe(2);
    expect([...sqlite.prepare('select label from probe order by id').pluck().iterate()]).toEqual([
      'a',
      'b',
    ]);
    expect(sqlite.prepare("update probe set n = 3 where label = 'a'").run()).toMatchObject({
      changes: 1,
    });
    expect(await rawRows(store.db, 'select n from probe order by id', [])).toEqual([[3], [2]]);
  });

  it('gives blobs back as Buffers, as in-process', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    await sql`insert into probe (label, data) values ('blob', ${bytes})`.execute(store.db);
    const row = await sql<{
      data: Buffer;
    }>`select data from probe where label = 'blob'`.execute(store.db);
    expect(Buffer.isBuffer(row.rows[0]!.data)).toBe(true);
    expect(row.rows[0]!.data.equals(bytes)).toBe(true);
    const plucked = rawSqlite(store.db)!.prepare('select data from probe').pluck().get();
    expect(Buffer.isBuffer(plucked)).toBe(true);
  });

  it('writes the bulk rows behind: a read in the transaction sees them, with the ids it was given', async () => {
    const rows = Array.from({ length: 20_050 }, (_, i) => [`l${i}`, i]);
    const ids = await store.db.transaction().execute(async (trx) => {
      const given = await insertRowsWithIds(trx, 'probe', ['label', 'n'], rows);
      // a read waits for the rows posted before it
      const { n } = await trx
        .selectFrom('probe' as never)
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(n).toBe(rows.length);
      return given;
    });
    const back = await labels();
    expect(back.map((r) => r.id)).toEqual(ids);
    expect(back[0]).toEqual({ id: 1, label: 'l0' });
    expect(back.at(-1)).toEqual({ id: 20_050, label: 'l20049' });
  });

  it.runIf(fs.existsSync('/proc/self/fd'))(
    'syncs the file as it writes through a descriptor it closes with the connection',
    async () => {
      const file = fs.realpathSync(location);
      /** The process's descriptors of the store's file. */
      const held = () =>
        fs.readdirSync('/proc/self/fd').filter((fd) => {
          try {
            return fs.readlinkSync(`/proc/self/fd/${fd}`) === file;
          } catch {
            return false; // the directory's own descriptor, gone once read
          }
        }).length;
      expect(held()).toBe(2); // the connection's, and the one its syncs go through
      // past WRITE_BACK rows: a sync of the file under way while the thread writes the rest
      const rows = Array.from({ length: 120_000 }, (_, i) => [`l${i}`, i]);
      await store.db.transaction().execute((trx) => copyRows(trx, 'probe', ['label', 'n'], rows));
      expect(moveSqlite(store.db, false)).toBe(true);
      expect(held()).toBe(1); // the connection's alone
      const { n } = await sql<{ n: number }>`select count(*) as n from probe`
        .execute(store.db)
        .then((r) => r.rows[0]!);
      expect(n).toBe(rows.length);
    },
  );

  it('takes the ids again from the store after another write to the table', async () => {
    const ids = await store.db.transaction().execute(async (trx) => {
      const first = await insertRowsWithIds(trx, 'probe', ['label', 'n'], [['a', 1]]);
      // a write of another kind between two batches: it takes the next id itself
      await sql`insert into probe (label, n) values ('between', 0)`.execute(trx);
      const second = await insertRowsWithIds(trx, 'probe', ['label', 'n'], [['b', 2]]);
      return [...first, ...second];
    });
    expect(ids).toEqual([1, 3]);
    expect((await labels()).map((r) => `${r.id}:${r.label}`)).toEqual(['1:a', '2:between', '3:b']);
  });

  it('a failing batch fails the next call with its error, and the rollback leaves nothing', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => [`l${i}`, i]);
    rows[70] = ['l3', 70]; // a duplicate inside the batch
    const run = store.db.transaction().execute(async (trx) => {
      await copyRows(trx, 'probe', ['label', 'n'], rows);
      await copyRows(trx, 'probe', ['label', 'n'], [['after', 1]]);
      await sql`select 1`.execute(trx);
    });
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqliteDatabase.SqliteError);
    expect((err as { code: string }).code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(String((err as Error).message)).toMatch(/UNIQUE constraint failed: probe\.label/);
    expect(await labels()).toEqual([]);
    // the connection goes on
    await store.db
      .transaction()
      .execute((trx) => copyRows(trx, 'probe', ['label', 'n'], [['x', 1]]));
    expect((await labels()).map((r) => r.label)).toEqual(['x']);
  });

  it('refuses a call once closed, rather than wait for an answer that cannot come', async () => {
    const sqlite = rawSqlite(store.db)!;
    const kept = sqlite.prepare('select 1').pluck();
    sqlite.close();
    expect(() => kept.get()).toThrow(/closed/);
    expect(() => sqlite.close()).not.toThrow(); // once is enough
  });

  it('prepares again a statement its caller kept after the thread forgot it', async () => {
    const sqlite = rawSqlite(store.db)!;
    const kept = sqlite.prepare('select count(*) from probe').pluck();
    // more texts than the thread keeps prepared (256)
    for (let i = 0; i < 300; i++) sqlite.prepare(`select ${i} as n`).get();
    expect(kept.get()).toBe(0);
  });

  it('waits for another writer as in-process, and gives up past its lock timeout (exit 7)', async () => {
    await store.close();
    store = await openStore(location, { clock: testClock, lockTimeoutMs: 200 });
    moveSqlite(store.db, true);
    const other = new SqliteDatabase(location);
    other.exec('begin immediate');
    try {
      const err = await store.db
        .transaction()
        .execute((trx) => sql`insert into probe (label) values ('x')`.execute(trx))
        .catch((e: unknown) => e);
      expect(toStoreError(err)).toBeInstanceOf(StoreUnavailableError);
    } finally {
      other.exec('rollback');
      other.close();
    }
    await sql`insert into probe (label) values ('y')`.execute(store.db);
    expect((await labels()).map((r) => r.label)).toEqual(['y']);
  });
});
