import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Statement } from 'better-sqlite3';
import type { Db } from './schema.js';
import { rawSqlite } from './store.js';

/**
 * Multi-row INSERTs for the batch paths (MADRHAS sync, audit of a run): the SQL text is built
 * once per table, columns and row count, and executed with its parameters as they are, so a
 * million rows do not pay a million query compilations. Placeholders follow the dialect
 * (`?` for SQLite, `$n` for PostgreSQL); the SQL itself is the same on both.
 */

const texts = new Map<string, string>();
/** Rows per statement: 13 columns × 500 stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const MAX_PARAMS = 30_000;

function insertText(
  pg: boolean,
  table: string,
  columns: readonly string[],
  rows: number,
  returning: string,
): string {
  const key = `${pg}|${table}|${columns.join(',')}|${rows}|${returning}`;
  let text = texts.get(key);
  if (text === undefined) {
    let n = 0;
    const tuple = () => `(${columns.map(() => (pg ? `$${++n}` : '?')).join(', ')})`;
    const values = Array.from({ length: rows }, tuple).join(', ');
    text = `insert into ${table} (${columns.join(', ')}) values ${values}${returning ? ` returning ${returning}` : ''}`;
    texts.set(key, text);
  }
  return text;
}

const isPg = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * Inserts `rows` (arrays of values in `columns` order; snake_case table and column names) and
 * returns the `returning` columns of each inserted row, in order.
 */
export async function bulkInsert(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  returning = '',
): Promise<Record<string, unknown>[]> {
  const sqlite = rawSqlite(db);
  if (sqlite) {
    // one prepared single-row statement, run per row: no SQL text to parse per batch
    const stmt = prepared(sqlite, insertText(false, table, columns, 1, ''));
    const out: Record<string, unknown>[] = [];
    for (const row of rows) {
      const r = stmt.run(row);
      if (returning) out.push({ [returning]: Number(r.lastInsertRowid) });
    }
    return out;
  }
  const pg = isPg(db);
  const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params = chunk.flat();
    const result = await db.executeQuery(
      CompiledQuery.raw(insertText(pg, table, columns, chunk.length, returning), params),
    );
    if (returning) out.push(...(result.rows as Record<string, unknown>[]));
  }
  return out;
}

const statements = new WeakMap<object, Map<string, Statement>>();

function prepared(sqlite: NonNullable<ReturnType<typeof rawSqlite>>, text: string): Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map<string, Statement>()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = sqlite.prepare(text)));
  return stmt;
}

/**
 * Rows as arrays, columns in SELECT order: on SQLite straight from a cached prepared statement
 * (no per-row objects), on PostgreSQL through kysely. For the sync's large reads.
 */
export async function rawRows(
  db: Db,
  text: string,
  params: readonly unknown[],
): Promise<unknown[][]> {
  const sqlite = rawSqlite(db);
  if (sqlite)
    return prepared(sqlite, text)
      .raw(true)
      .all(...params) as unknown[][];
  return (await rawQuery(db, text, params)).rows.map((r) => Object.values(r));
}

/** `?`-placeholder SQL for either dialect: each `?` becomes `$n` on PostgreSQL. */
export function rawQuery(db: Db, text: string, params: readonly unknown[]) {
  const sql = isPg(db) ? numbered(text) : text;
  return db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql, [...params]));
}

function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * A large read as one text (SQL `group_concat` / `string_agg`): each row's columns joined by
 * U+001F, rows by U+001E. Hundreds of thousands of small rows cost a native row object each
 * through the driver; one text costs a split. Values must not hold those two control characters
 * (identifiers, codes and digests are checked text); null reads as ''. Rows come in no order.
 */
export async function packedText(
  db: Db,
  columns: readonly string[],
  from: string,
  params: readonly unknown[] = [],
): Promise<string> {
  const pg = isPg(db);
  const row = columns
    .map((c) => (pg ? `coalesce((${c})::text, '')` : `coalesce(${c}, '')`))
    .join(pg ? ' || chr(31) || ' : ' || char(31) || ');
  const text = `select ${pg ? 'string_agg' : 'group_concat'}(${row}, ${pg ? 'chr(30)' : 'char(30)'}) from ${from}`;
  const packed = (await rawRows(db, text, params))[0]?.[0];
  return typeof packed === 'string' ? packed : '';
}

/**
 * Every row of `table`, `page` rows at a time in id order, as `packedText`: each row's cells are
 * handed to `each` in one array that is used again for the next row (copy what you keep), so a
 * table of 260,000 rows never stands in memory as arrays of strings. `columns[0]` must be `id`.
 */
export async function eachPacked(
  db: Db,
  table: string,
  columns: readonly string[],
  each: (cells: string[]) => void,
  page = 50_000,
): Promise<void> {
  const cells = new Array<string>(columns.length).fill('');
  for (let after = 0; ;) {
    const text = await packedText(
      db,
      columns,
      `(select ${columns.join(', ')} from ${table} where id > ? order by id limit ?) t`,
      [after, page],
    );
    if (text === '') return;
    for (let at = 0; at < text.length;) {
      let end = text.indexOf('\u001e', at);
      if (end < 0) end = text.length;
      for (let c = 0; c < columns.length; c++) {
        let stop = c === columns.length - 1 ? end : text.indexOf('\u001f', at);
        if (stop < 0 || stop > end) stop = end;
        cells[c] = text.slice(at, stop);
        at = stop + 1;
      }
      after = Math.max(after, Number(cells[0]));
      each(cells);
      at = end + 1;
    }
  }
}
