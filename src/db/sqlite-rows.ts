import type { Database, Statement } from 'better-sqlite3';

// SQLite's side of the bulk loader (db/bulk-load.ts): rows inserted a few a statement, as
// better-sqlite3 runs them in-process.

/** Below this many rows a batch binds every value: a statement of its own would serve few rows. */
const LITERALS_FROM = 16;
/** Statements with literals kept per connection, the least recently used dropped first. */
const KEPT = 32;

const plain = new WeakMap<Database, Map<string, Statement>>();
const withLiterals = new WeakMap<Database, Map<string, Statement>>();

/** A prepared statement of this connection, made once per text (the bulk loader's fixed texts). */
export function prepared(sqlite: Database, text: string): Statement {
  let cache = plain.get(sqlite);
  if (!cache) plain.set(sqlite, (cache = new Map<string, Statement>()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = sqlite.prepare(text)));
  return stmt;
}

/** A statement whose text carries a batch's values: a few per run and table, so a bounded cache. */
function preparedWithLiterals(sqlite: Database, text: string): Statement {
  let cache = withLiterals.get(sqlite);
  if (!cache) withLiterals.set(sqlite, (cache = new Map<string, Statement>()));
  let stmt = cache.get(text);
  if (stmt) cache.delete(text);
  else {
    stmt = sqlite.prepare(text);
    if (cache.size >= KEPT) cache.delete(cache.keys().next().value!);
  }
  cache.set(text, stmt); // the most recently used last
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
 * gave), read once for the batch. The caller holds the write lock, so no other connection takes
 * one in between.
 */
export function insertEach(
  sqlite: Database,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  ids: boolean,
): number[] {
  if (rows.length === 0) return [];
  const texts = columns.map((_, c) => constantAt(rows, c));
  const bound = texts.flatMap((text, c) => (text === null ? [c] : []));
  const first = ids ? nextRowid(sqlite, table) : 0;
  const names = ids ? ['id', ...columns] : columns;
  const tuple = `(${[...(ids ? ['?'] : []), ...texts.map((t) => t ?? '?')].join(', ')})`;
  const statement = (n: number) => {
    const text = `insert or fail into ${table} (${names.join(', ')}) values ${Array<string>(n).fill(tuple).join(', ')}`;
    return bound.length === columns.length
      ? prepared(sqlite, text)
      : preparedWithLiterals(sqlite, text);
  };
  const per = bound.length + (ids ? 1 : 0);
  const run = (stmt: Statement, from: number, n: number, values: unknown[]) => {
    let v = 0;
    for (let i = from; i < from + n; i++) {
      const row = rows[i]!;
      if (ids) values[v++] = first + i;
      for (let j = 0; j < bound.length; j++) values[v++] = row[bound[j]!];
    }
    stmt.run(values); // better-sqlite3 binds synchronously: one array serves every run
  };
  let i = 0;
  if (rows.length >= ROWS_PER_STATEMENT) {
    const many = statement(ROWS_PER_STATEMENT);
    const values = new Array<unknown>(per * ROWS_PER_STATEMENT);
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT)
      run(many, i, ROWS_PER_STATEMENT, values);
  }
  if (i < rows.length) {
    const one = statement(1);
    const values = new Array<unknown>(per);
    for (; i < rows.length; i++) run(one, i, 1, values);
  }
  return ids ? Array.from(rows, (_, k) => first + k) : [];
}

/** The rowid SQLite would give the next row of `table` (its `id`, an INTEGER PRIMARY KEY). */
function nextRowid(sqlite: Database, table: string): number {
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
