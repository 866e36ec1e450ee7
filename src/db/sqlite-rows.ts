import type { Database, Statement } from 'better-sqlite3';

// SQLite's side of the bulk loader (db/bulk-load.ts): rows inserted one statement run each, as
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
 * Inserts the rows (values in `columns` order) one statement run each; returns their rowids when
 * `ids`, in order (an empty array otherwise).
 *
 * SQLite binds every parameter of every row, and binding is most of what an insert costs from
 * JavaScript: a column that holds the same plain text (or null) in every row of a large batch — a
 * run's timestamps, its actor, a source, a status — is written into the statement once as a
 * literal and not bound again (an account of a cold sync binds 9 values instead of 17: a fifth
 * less time per account in a micro-benchmark). The rows stored are the same: a literal is stored
 * as the same value bound would be.
 */
export function insertEach(
  sqlite: Database,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  ids: boolean,
): number[] {
  const out: number[] = ids ? new Array<number>(rows.length) : [];
  if (rows.length === 0) return out;
  const texts = columns.map((_, c) => constantAt(rows, c));
  const bound = texts.flatMap((text, c) => (text === null ? [c] : []));
  const text = `insert into ${table} (${columns.join(', ')}) values (${texts.map((t) => t ?? '?').join(', ')})`;
  if (bound.length === columns.length) {
    const stmt = prepared(sqlite, text);
    for (let i = 0; i < rows.length; i++) {
      const info = stmt.run(rows[i]);
      if (ids) out[i] = Number(info.lastInsertRowid);
    }
    return out;
  }
  const stmt = preparedWithLiterals(sqlite, text);
  // one array for every row: better-sqlite3 binds synchronously, before run() returns
  const values = new Array<unknown>(bound.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    for (let j = 0; j < bound.length; j++) values[j] = row[bound[j]!];
    const info = stmt.run(values);
    if (ids) out[i] = Number(info.lastInsertRowid);
  }
  return out;
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
