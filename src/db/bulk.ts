import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Db } from './schema.js';
import { rawSqlite } from './store.js';
import { prepared } from './bulk-load.js';

/**
 * The batch paths' large reads (MADRHAS sync, directory import): rows as arrays, packed text.
 * Their writes go through the bulk loader (bulk-load.ts).
 */

/** The bulk loader's, for the callers that still import it from here (audit.repository.ts). */
export { bulkInsert } from './bulk-load.js';

const isPg = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

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
 * The rows of ids 1 to `maxId` as `packedText`s, a range of `page` ids each (`from` takes the
 * range's bounds as its two parameters: `id > ? and id <= ?`), in order. PostgreSQL: the next
 * range is asked for before this one is handed over, so that the server reads it while the
 * program goes through this one (the directory's nine pages at a cold sync's start kept the
 * program waiting 0.5 s). SQLite reads in the program: a page at a time, the least memory.
 */
export async function* packedPages(
  db: Db,
  columns: readonly string[],
  from: string,
  maxId: number,
  page: number,
): AsyncGenerator<string> {
  const read = (after: number) => packedText(db, columns, from, [after, after + page]);
  const ahead = isPg(db);
  let next: Promise<string> | null = null;
  for (let after = 0; after < maxId; after += page) {
    const text = await (next ?? read(after));
    next = ahead && after + page < maxId ? read(after + page) : null;
    next?.catch(() => {}); // awaited at the next page, unless this one's work throws first
    yield text;
  }
}

/**
 * Every row of `table`, `page` ids at a time, as `packedText`: each row's cells are handed to
 * `each` in one array that is used again for the next row (copy what you keep), so a table of
 * 260,000 rows never stands in memory as arrays of strings. `columns[0]` must be `id`.
 * A page is a range of ids, which PostgreSQL reads from the key's index even when its
 * statistics do not know the table's rows yet (sync.repository.ts `eachAccount`).
 */
export async function eachPacked(
  db: Db,
  table: string,
  columns: readonly string[],
  each: (cells: string[]) => void,
  page = 50_000,
): Promise<void> {
  const cells = new Array<string>(columns.length).fill('');
  const maxId = Number((await rawRows(db, `select coalesce(max(id), 0) from ${table}`, []))[0]![0]);
  const from = `(select ${columns.join(', ')} from ${table} where id > ? and id <= ?) t`;
  for await (const text of packedPages(db, columns, from, maxId, page)) {
    for (let at = 0; at < text.length;) {
      let end = text.indexOf('\u001e', at);
      if (end < 0) end = text.length;
      for (let c = 0; c < columns.length; c++) {
        let stop = c === columns.length - 1 ? end : text.indexOf('\u001f', at);
        if (stop < 0 || stop > end) stop = end;
        cells[c] = text.slice(at, stop);
        at = stop + 1;
      }
      each(cells);
      at = end + 1;
    }
  }
}
