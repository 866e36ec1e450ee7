import type { Db } from './schema.js';
import { moveSqlite, rawSqlite } from './store.js';
import { appendOnlyStarts, rangeChecks } from './foreign-keys.js';
import { rangeGuards } from './key-ranges.js';
import { SqliteThread } from './sqlite-thread.js';

/**
 * A first load on SQLite, set up around its transaction: what a connection may change only
 * outside one (the bulk loader's counterpart of `deferIndexes`, which works inside it).
 *
 * - **Its statements in a worker thread** (sqlite-thread.ts, through store.ts `moveSqlite`): the
 *   connection is closed and opened again in a thread for the load, and back in the program after
 *   it. The bulk loader's rows are posted to the thread and written there while the program reads,
 *   checks and plans the next accounts: a million-row cold sync on two cores, 35 s → 21–26 s.
 *   Only a first load: the thread answers a statement in some 50 µs where better-sqlite3 takes
 *   one or two in-process, which a run that updates accounts one by one (a re-sync) would pay.
 * - **A rollback journal for the load.** In WAL mode every page a transaction writes goes to the
 *   WAL, then again into the store when the commit's checkpoint copies it back: a million-row cold
 *   sync writes its gigabyte twice, and its commit took 5.7 s of a 62 s run. With a rollback
 *   journal the pages of a table that grows go straight into the file, and the journal keeps only
 *   the original content of the few pages the load changes (a rollback gives them back and cuts
 *   the file to its old size). The same million rows: 60.9 s → 51.7 s. The store goes back to WAL
 *   once the transaction has ended. The switch needs the store to itself: when another
 *   connection has it open, SQLite keeps WAL (the same result, slower). While the load runs,
 *   another command's opening cannot set WAL back (store.ts reads on in the rollback journal):
 *   it reads the store as it was until the load first writes into the file, then waits for the
 *   load's end (readers too, which WAL would have let read) and gives up past its lock timeout
 *   (exit 7), as writers always have; the load's own writes wait for such a reader's end.
 * - **Foreign keys checked whole.** SQLite checks a foreign key with a lookup per inserted row;
 *   with `foreign_keys` off for the load, `check` runs one anti-join per key of the tables the load
 *   writes (foreign-keys.ts, as on PostgreSQL) after the transaction's last write, before it
 *   commits: a row that references nothing fails the run (SQLITE_CONSTRAINT_FOREIGNKEY, the key
 *   named), nothing written. The load deletes no row another table references, so only the tables
 *   it writes can hold a broken reference, and nothing else can write meanwhile (it holds the
 *   store's one write lock). `foreign_keys` also drives ON DELETE actions: the load deletes
 *   nothing that has one.
 * - **As it goes.** The anti-joins run by ranges of rowids (key-ranges.ts, which says why a row
 *   checked stays good): `checkSoFar`, after each chunk of accounts, posts the check of the rows
 *   written since the last one to the thread, which runs it while the program plans the next
 *   chunk (a broken key is the next call's error, as a batch's failure); `check` runs over what
 *   is left. A million-row load's end: 1.35 s of checks → a few milliseconds.
 * Only for a file of FIRST_LOAD_ROWS rows at least and more than twice the rows `attachment`
 * holds (a first load, the rule of the deferred indexes); otherwise, and on PostgreSQL (whose
 * counterpart is `deferForeignKeys`, inside the transaction), nothing changes.
 */

/** Below this many rows a load takes a second or two: not worth holding readers off. */
export const FIRST_LOAD_ROWS = 10_000;

export interface FirstLoad {
  /** Whether the load writes through a rollback journal (false: WAL, or no first load). */
  readonly rollbackJournal: boolean;
  /** Inside the load's transaction, after a chunk's writes: a check of them posted, not waited for. */
  checkSoFar: () => void;
  /** Inside the load's transaction, after its last write: the rows no check has covered, checked. */
  check: () => Promise<void>;
  /** After the transaction, committed or not: the store's connection as it was. */
  restore: () => void;
}

const NOTHING: FirstLoad = {
  rollbackJournal: false,
  checkSoFar: () => {},
  check: async () => {},
  restore: () => {},
};

/** Prepares the store's connection for a load of `fileRows` rows; call it outside any transaction. */
export async function prepareFirstLoad(db: Db, fileRows: number): Promise<FirstLoad> {
  const sqlite = rawSqlite(db);
  if (!sqlite || sqlite.inTransaction || fileRows < FIRST_LOAD_ROWS) return NOTHING;
  const held = Number(sqlite.prepare('select coalesce(max(id), 0) from attachment').pluck().get());
  if (2 * held >= fileRows) return NOTHING;
  // read before the transaction: rows another command appends in between are checked too
  const starts = await appendOnlyStarts(db);
  moveSqlite(db, true);
  try {
    return await setUp(db, starts);
  } catch (err) {
    // the store keeps its connection as it was: in the program, its keys checked row by row
    moveSqlite(db, false);
    throw err;
  }
}

/** The load's connection, just moved into its thread, set up for the load. */
async function setUp(db: Db, starts: Map<string, number>): Promise<FirstLoad> {
  const thread = rawSqlite(db);
  if (!(thread instanceof SqliteThread))
    throw new Error('prepareFirstLoad: no thread for the load');
  let journal = 'wal';
  try {
    journal = String(thread.pragma('journal_mode = delete', { simple: true }));
  } catch {
    // another connection holds a lock: the load keeps WAL
  }
  const rollbackJournal = journal === 'delete';
  // a rollback journal is synced before the store's pages are overwritten, and at the commit
  if (rollbackJournal) thread.pragma('synchronous = full');
  thread.pragma('foreign_keys = off');
  const checks = await rangeChecks(db, starts);
  for (const text of rangeGuards(checks)) thread.exec(text);
  return {
    rollbackJournal,
    checkSoFar: () => thread.checkKeysSoFar(checks),
    check: async () => thread.checkKeys(checks),
    // the connection opened again in the program, as store.ts opens it: WAL (unless another
    // connection came in meanwhile: the store's next opening sets it), its keys checked row by row
    restore: () => void moveSqlite(db, false),
  };
}
