import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it, vi } from 'vitest';
import { syncMadrhas } from '../../src/app/sync/madrhas.js';
import { FIRST_LOAD_ROWS, prepareFirstLoad } from '../../src/db/first-load.js';
import * as foreignKeys from '../../src/db/foreign-keys.js';
import type { Db } from '../../src/db/schema.js';
import { SqliteThread } from '../../src/db/sqlite-thread.js';
import { openStore, rawSqlite, type Store } from '../../src/db/store.js';
import { DIALECTS } from '../helpers/stores.js';
import type { FreshLocation } from '../helpers/stores.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';
import { addAttachment, count } from './support/seed.js';

// A first load on SQLite (db/first-load.ts): a rollback journal instead of WAL while it writes,
// its foreign keys checked whole before it commits; the store as it was once it has ended.

// the key checks as the real module makes them, unless a test makes them fail once
vi.mock('../../src/db/foreign-keys.js', async (original) => {
  const actual = await original<typeof import('../../src/db/foreign-keys.js')>();
  return { ...actual, rangeChecks: vi.fn(actual.rangeChecks) };
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HEADER = fs.readFileSync(path.join(ROOT, 'fixtures/madrhas.csv'), 'utf8').split('\r\n')[0]!;
const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PAU = '21640445900010';

/** A file of `n` plain users of Pau, one row each. */
function usersFile(dir: string, n: number): string {
  const file = path.join(dir, `users-${n}.csv`);
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `agent.${i}@mairie-pau.fr;M.;AGENT;Paul;agent.${i}@mairie-pau.fr;;SIRET;${PAU};;UTILISATEUR;01/01/2024;;ACTIF`,
  );
  fs.writeFileSync(file, [HEADER, ...rows, ''].join('\r\n'));
  return file;
}

/** A pragma's value as the connection behind `db` has it. */
const pragma = async (db: Db, name: string) =>
  Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0] as unknown;

/** What the connection of the run's transaction had, read when the run began. */
interface Seen {
  journal?: unknown;
  keys?: unknown;
  /** Whether the run's connection is in a worker thread (sqlite-thread.ts). */
  thread?: boolean;
}

describe.each(DIALECTS)('a first load (%s)', (dialect) => {
  let store: Store;
  let fresh: FreshLocation;
  eachDirectoryStore(dialect, CORR, '2025-03-10T09:30:00.000Z', (s, f) => {
    store = s;
    fresh = f;
  });

  /** Syncs `file`, noting the connection's journal and foreign keys as the run begins. */
  const sync = async (file: string, seen: Seen, over: Parameters<typeof syncOptions>[1] = {}) =>
    syncMadrhas(
      store,
      CORR,
      syncOptions(file, {
        hooks: {
          begin: async (uc) => {
            if (dialect === 'postgres') return;
            seen.journal = await pragma(uc.trx, 'journal_mode');
            seen.keys = await pragma(uc.trx, 'foreign_keys');
            seen.thread = rawSqlite(uc.trx) instanceof SqliteThread;
          },
        },
        ...over,
      }),
    );

  /** An attachment of Pau for an account that is not there: a row that references nothing. */
  const addBroken = async (uc: { trx: Db }) => {
    const { id } = await uc.trx
      .selectFrom('structure')
      .select('id')
      .where('identifier', '=', PAU)
      .executeTakeFirstOrThrow();
    await addAttachment(uc.trx, 999_999, id, 'UTILISATEUR', 'VALIDEE');
  };

  if (dialect === 'sqlite') {
    it('writes through a rollback journal, its keys unchecked row by row, then goes back to WAL', async () => {
      const seen: Seen = {};
      const summary = await sync(usersFile(fresh.dir, FIRST_LOAD_ROWS), seen);
      expect(seen).toEqual({ journal: 'delete', keys: 0, thread: true });
      expect(summary.created).toBe(FIRST_LOAD_ROWS);
      expect(await count(store.db, 'attachment')).toBeGreaterThanOrEqual(FIRST_LOAD_ROWS);
      expect(await pragma(store.db, 'journal_mode')).toBe('wal');
      expect(await pragma(store.db, 'foreign_keys')).toBe(1);
      expect(await pragma(store.db, 'synchronous')).toBe(1); // NORMAL, as store.ts opens it
      expect(fs.existsSync(`${fresh.location}-journal`)).toBe(false);
      expect(rawSqlite(store.db)).toBeInstanceOf(Database); // back in the program
      // the next run of the same file is no first load: the store holds its rows
      const again: Seen = {};
      expect((await sync(usersFile(fresh.dir, FIRST_LOAD_ROWS), again)).unchanged).toBe(
        FIRST_LOAD_ROWS,
      );
      expect(again).toEqual({ journal: 'wal', keys: 1, thread: false });
    });

    it('another command reads the store as it was while the load writes', async () => {
      const before = await count(store.db, 'account');
      const seen: Seen = {};
      let read: number | null = null;
      await sync(usersFile(fresh.dir, FIRST_LOAD_ROWS), seen, {
        hooks: {
          begin: async (uc) => {
            seen.journal = await pragma(uc.trx, 'journal_mode');
            // a second opening of the store, as another command's: it cannot set WAL back
            // while the load holds the write lock, and reads what was committed
            const other = await openStore(fresh.location, { lockTimeoutMs: 100 });
            try {
              read = await count(other.db, 'account');
            } finally {
              await other.close();
            }
          },
        },
      });
      expect(seen.journal).toBe('delete');
      expect(read).toBe(before);
      expect(await count(store.db, 'account')).toBe(before + FIRST_LOAD_ROWS);
      expect(await pragma(store.db, 'journal_mode')).toBe('wal');
    });

    it('keeps WAL when another connection has the store open (its keys still checked whole)', async () => {
      const other = new Database(fresh.location, { readonly: true });
      try {
        other.prepare('select count(*) from account').get();
        const seen: Seen = {};
        await sync(usersFile(fresh.dir, FIRST_LOAD_ROWS), seen);
        expect(seen).toEqual({ journal: 'wal', keys: 0, thread: true });
        const seenByOther = other.prepare('select count(*) as n from account').get();
        expect(seenByOther).toEqual({ n: await count(store.db, 'account') });
      } finally {
        other.close();
      }
      expect(await pragma(store.db, 'foreign_keys')).toBe(1);
    });

    it('a row that references nothing fails the run by the key’s name, nothing written', async () => {
      const accounts = await count(store.db, 'account');
      const attachments = await count(store.db, 'attachment');
      for (const dryRun of [false, true])
        await expect(
          syncMadrhas(
            store,
            CORR,
            syncOptions(usersFile(fresh.dir, FIRST_LOAD_ROWS), {
              dryRun,
              hooks: { begin: addBroken },
            }),
          ),
        ).rejects.toMatchObject({
          code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
          message: expect.stringContaining('attachment_account_id_fkey'),
        });
      expect(await count(store.db, 'account')).toBe(accounts);
      expect(await count(store.db, 'attachment')).toBe(attachments);
      expect(await pragma(store.db, 'journal_mode')).toBe('wal');
      // the connection checks row by row again
      await expect(addBroken({ trx: store.db })).rejects.toThrow(/FOREIGN KEY/);
    });

    it('finds a broken row as the load goes, before its end, and one written after its last chunk', async () => {
      const accounts = await count(store.db, 'account');
      // written before the first chunk: a check posted after a chunk finds it, the run stops there
      let ended = false;
      await expect(
        sync(
          usersFile(fresh.dir, FIRST_LOAD_ROWS),
          {},
          {
            hooks: {
              begin: addBroken,
              end: async () => void (ended = true),
            },
          },
        ),
      ).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
        message: expect.stringContaining('attachment_account_id_fkey'),
      });
      expect(ended).toBe(false);
      // written after the last chunk's check: the last check finds it
      await expect(
        sync(
          usersFile(fresh.dir, FIRST_LOAD_ROWS),
          {},
          {
            hooks: {
              end: addBroken,
            },
          },
        ),
      ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
      expect(await count(store.db, 'account')).toBe(accounts);
    });

    it('a row checked keeps its keys, and a rowid given again is checked again', async () => {
      const accounts = await count(store.db, 'account');
      // the load's connection refuses to change a key of a row it may have checked
      await expect(
        sync(
          usersFile(fresh.dir, FIRST_LOAD_ROWS),
          {},
          {
            hooks: {
              end: async (uc) => {
                await uc.trx
                  .updateTable('attachment')
                  .set({ accountId: 1 })
                  .where('id', '=', 1)
                  .execute();
              },
            },
          },
        ),
      ).rejects.toThrow(/a first load changes no key of attachment/);
      // the last attachment, checked after the last chunk, deleted: its rowid goes to a broken row
      await expect(
        sync(
          usersFile(fresh.dir, FIRST_LOAD_ROWS),
          {},
          {
            hooks: {
              end: async (uc) => {
                const { id, structureId } = await uc.trx
                  .selectFrom('attachment')
                  .select(['id', 'structureId'])
                  .orderBy('id', 'desc')
                  .executeTakeFirstOrThrow();
                await uc.trx.deleteFrom('attachment').where('id', '=', id).execute();
                const again = await addAttachment(
                  uc.trx,
                  999_999,
                  structureId,
                  'UTILISATEUR',
                  'VALIDEE',
                );
                expect(again).toBe(id);
              },
            },
          },
        ),
      ).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
        message: expect.stringContaining('attachment_account_id_fkey'),
      });
      expect(await count(store.db, 'account')).toBe(accounts);
    });

    it('a load whose set-up fails leaves the connection in the program, its keys checked row by row', async () => {
      vi.mocked(foreignKeys.rangeChecks).mockRejectedValueOnce(new Error('set-up failed'));
      await expect(prepareFirstLoad(store.db, 1_000_000)).rejects.toThrow('set-up failed');
      expect(rawSqlite(store.db)).toBeInstanceOf(Database);
      expect(await pragma(store.db, 'foreign_keys')).toBe(1);
      expect(await pragma(store.db, 'journal_mode')).toBe('wal');
      // and the next load sets up as usual
      const load = await prepareFirstLoad(store.db, 1_000_000);
      expect(rawSqlite(store.db)).toBeInstanceOf(SqliteThread);
      load.restore();
    });

    it('a file under FIRST_LOAD_ROWS rows changes nothing', async () => {
      const seen: Seen = {};
      await sync(usersFile(fresh.dir, FIRST_LOAD_ROWS / 2), seen);
      expect(seen).toEqual({ journal: 'wal', keys: 1, thread: false });
    });
  }

  it('a store holding half the file’s rows or more, or PostgreSQL, is no first load', async () => {
    const load = await prepareFirstLoad(store.db, 2 * (await count(store.db, 'attachment')));
    expect(load.rollbackJournal).toBe(false);
    if (dialect === 'sqlite') expect(await pragma(store.db, 'foreign_keys')).toBe(1);
    load.restore();
    const big = await prepareFirstLoad(store.db, 1_000_000);
    expect(big.rollbackJournal).toBe(dialect === 'sqlite');
    big.restore();
    if (dialect === 'sqlite') {
      expect(await pragma(store.db, 'journal_mode')).toBe('wal');
      expect(await pragma(store.db, 'foreign_keys')).toBe(1);
    }
  });
});
