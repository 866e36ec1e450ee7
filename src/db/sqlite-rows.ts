import {
  SqliteThread,
  batchStatements,
  runBatch,
  type InsertBatch,
  type SqliteConnection,
  type SqliteStatement,
} from './sqlite-thread.js';

// SQLite's side of the bulk loader (db/bulk-load.ts): rows inserted a few a statement, as
// better-sqlite3 runs them in-process, or posted to the connection's thread (sqlite-thread.ts).

/** Below this many rows a batch binds every value: a statement of its own would serve few rows. */
const LITERALS_FROM = 16;
const plain = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();
/** Each connection's statements of `insertEach` (`batchStatements`, as the thread keeps its own). */
const batches = new WeakMap<
  SqliteConnection,
  (text: string, literals: boolean) => SqliteStatement
>();

/** A prepared statement of this connection, made once per text (the bulk loader's fixed texts). */
export function prepared(sqlite: SqliteConnection, text: string): SqliteStatement {
  let cache = plain.get(sqlite);
  if (!cache) plain.set(sqlite, (cache = new Map<string, SqliteStatement>()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = sqlite.prepare(text)));
  return stmt;
}

/**
 * Text that may stand in a statement as a literal: letters, digits and `_ .:@+-` (the run's
 * timestamps, its actor's login, a source or a status), so that no quote of the input ever reaches
 * SQL text; other text is bound as everywhere else.
 */
const PLAIN = /^[\w .:@+-]*$/;

/**
 * A value that may stand in the statement's text as it would be bound: null, and text `PLAIN`
 * says is plain. Not numbers: better-sqlite3 binds them as REAL (1 into a text column is '1.0'),
 * which no literal of an integer reproduces in every column.
 */
const literal = (value: unknown): string | null =>
  value === null ? 'null' : typeof value === 'string' && PLAIN.test(value) ? `'${value}'` : null;

/**
 * Rows one statement inserts: each run of a statement costs about a microsecond besides its rows
 * (and an AUTOINCREMENT table's counter is read and written once a statement), so a batch goes in
 * ROWS_PER_STATEMENT at a time. A million-row first load's before-images: 2.4 s one at a time,
 * 1.2 s 32 at a time; attachment services 0.79 → 0.29 s (micro-benchmarks on the store's schema).
 */
const ROWS_PER_STATEMENT = 32;

/**
 * Inserts the rows (values in `columns` order), ROWS_PER_STATEMENT a statement run; returns their
 * rowids when `ids`, in order (an empty array otherwise).
 *
 * SQLite binds every parameter of every row, and binding is most of what an insert costs from
 * JavaScript: a column that holds the same plain text (or null) in every row of a large batch — a
 * run's timestamps, its actor, a source, a status — is written into the statement once as a
 * literal and not bound again (an account of a cold sync binds 9 values instead of 17: a fifth
 * less time per account in a micro-benchmark). The rows stored are the same: a literal is stored
 * as the same value bound would be.
 *
 * `or fail`: a statement that fails keeps the rows it inserted before the failing one (the default,
 * `abort`, takes them back, for which SQLite copies every page the statement changes into a
 * statement journal: 3 s of writes in a million-row first load). Every caller's transaction ends
 * in a rollback when a bulk insert fails, so nothing of it stays either way.
 *
 * With `ids`, the rows are given the rowids SQLite would have given them one by one, explicitly:
 * one more than the table's largest (or, for an AUTOINCREMENT table, than the largest it ever
 * gave), read once for the batch; in the connection's thread, the ids after the last batch's, as
 * long as nothing but batches wrote since (reading them would wait for the thread). The caller
 * holds the write lock, so no other connection takes one in between.
 */
export function insertEach(
  sqlite: SqliteConnection,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  ids: boolean,
): number[] {
  if (rows.length === 0) return [];
  const texts = columns.map((_, c) => constantAt(rows, c));
  const bound = texts.flatMap((text, c) => (text === null ? [c] : []));
  const thread = sqlite instanceof SqliteThread ? sqlite : null;
  const read = () => nextRowid(sqlite, table);
  // in the thread, the ids follow the last batch's without asking (which would wait for it)
  const first = !ids ? 0 : thread ? thread.takeIds(table, rows.length, read) : read();
  const names = ids ? ['id', ...columns] : columns;
  const tuple = `(${[...(ids ? ['?'] : []), ...texts.map((t) => t ?? '?')].join(', ')})`;
  const text = (n: number) =>
    `insert or fail into ${table} (${names.join(', ')}) values ${Array<string>(n).fill(tuple).join(', ')}`;
  // the values the statements bind, row after row: the id, then the columns not written as literals
  const values = new Array<unknown>(rows.length * (bound.length + (ids ? 1 : 0)));
  for (let i = 0, v = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (ids) values[v++] = first + i;
    for (let j = 0; j < bound.length; j++) values[v++] = row[bound[j]!];
  }
  const batch: InsertBatch = {
    many: rows.length >= ROWS_PER_STATEMENT ? text(ROWS_PER_STATEMENT) : '',
    one: rows.length % ROWS_PER_STATEMENT > 0 ? text(1) : '',
    size: ROWS_PER_STATEMENT,
    literals: bound.length < columns.length,
    rows: rows.length,
    values,
  };
  if (thread) thread.post(batch);
  else {
    let statements = batches.get(sqlite);
    if (!statements) batches.set(sqlite, (statements = batchStatements((t) => sqlite.prepare(t))));
    runBatch(batch, statements);
  }
  return ids ? Array.from(rows, (_, k) => first + k) : [];
}

/** The rowid SQLite would give the next row of `table` (its `id`, an INTEGER PRIMARY KEY). */
function nextRowid(sqlite: SqliteConnection, table: string): number {
  const text = `select max(coalesce((select max(rowid) from ${table}), 0), coalesce((select seq from sqlite_sequence where name = '${table}'), 0)) + 1`;
  return Number(prepared(sqlite, text).pluck().get());
}

/** Column `c`'s literal when every row of a large batch holds the same text or null in it. */
function constantAt(rows: readonly (readonly unknown[])[], c: number): string | null {
  if (rows.length < LITERALS_FROM) return null;
  const value = rows[0]![c];
  const text = literal(value);
  if (text === null) return null;
  for (let i = 1; i < rows.length; i++) if (rows[i]![c] !== value) return null;
  return text;
}
