import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Db } from './schema.js';
import { rawSqlite } from './store.js';
import { runQuery } from './copy-batch.js';
import { copyChunks } from './copy-text.js';
import { writingBehind } from './write-behind.js';
import { insertEach, prepared } from './sqlite-rows.js';

export { deferForeignKeys } from './foreign-keys.js';
export { prepared } from './sqlite-rows.js';
export { prepareFirstLoad, type FirstLoad } from './first-load.js';
export { WriteBehind, withWriteBehind, writeBehind } from './write-behind.js';

/**
 * The bulk loader: every device the batch paths (MADRHAS sync, directory import, a run's audit)
 * use to write many rows fast, in one place.
 *  - `copyRows` / `insertRows`: many rows into one table. PostgreSQL: `COPY … FROM STDIN` in text
 *    format (pg-copy-streams) on the transaction's own connection, ids reserved from the table's
 *    sequence beforehand when the caller needs them (COPY returns nothing); a multi-row INSERT for
 *    a handful of rows. SQLite: one prepared single-row statement run per row (better-sqlite3
 *    runs it in-process), a column that is the same in a whole batch written into it as a literal
 *    rather than bound at every row (db/sqlite-rows.ts). The text COPY takes: db/copy-text.ts.
 *  - `withWriteBehind` (db/write-behind.ts): PostgreSQL's streamed sync and directory imports queue
 *    their writes on the connection and plan the next chunk meanwhile.
 *  - `suspendDigestTriggers`: the triggers that clear an account's sync digest stand aside while
 *    the sync writes the digests itself.
 *  - `deferIndexes`: a first load builds the random-order indexes once at the end (SQLite).
 *  - `deferForeignKeys` (db/foreign-keys.ts): a first load's foreign keys are checked once at the
 *    end, whole, rather than by a trigger per row (PostgreSQL).
 *  - `prepareFirstLoad` (db/first-load.ts): around a first load's transaction on SQLite, a
 *    rollback journal instead of WAL, and its foreign keys checked whole before it commits.
 *  - `lookUpByIndexes`: a batch run's lookups by key take their index on PostgreSQL, whatever
 *    the planner's statistics say of tables the run, or a run moments before it, filled.
 * Placeholders follow the dialect (`?` for SQLite, `$n` for PostgreSQL). Table and column names
 * are the callers' constants (snake_case), never input.
 */

const isPg = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

// ---- multi-row INSERTs -----------------------------------------------------------------------

const texts = new Map<string, string>();
/** Rows per statement: 13 columns × 500 stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const MAX_PARAMS = 30_000;
/** Below this many rows, PostgreSQL takes one multi-row INSERT: a COPY costs a round trip more. */
const COPY_FROM = 8;

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

/** Multi-row INSERTs as many as the parameters allow; the `returning` column of each row, in order. */
async function insertStatements(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  returning: string,
): Promise<Record<string, unknown>[]> {
  const pg = isPg(db);
  const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const out: Record<string, unknown>[] = [];
  const behind = pg && !returning ? writingBehind(db) : null;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const query = () =>
      db.executeQuery(
        CompiledQuery.raw(insertText(pg, table, columns, chunk.length, returning), chunk.flat()),
      );
    // written behind: queued after the writes before it, awaited with the rest of the chunk's
    if (behind) behind.add(query);
    else {
      const result = await query();
      if (returning) out.push(...(result.rows as Record<string, unknown>[]));
    }
  }
  return out;
}

/**
 * Inserts `rows` (arrays of values in `columns` order; snake_case table and column names) and
 * returns the `returning` columns of each inserted row, in order. With `returning = 'id'` on
 * PostgreSQL the rows go through COPY with ids taken from the table's sequence (`insertRowsWithIds`).
 */
export async function bulkInsert(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  returning = '',
): Promise<Record<string, unknown>[]> {
  if (returning === 'id') return (await insertRowsWithIds(db, table, columns, rows)).map(idRow);
  if (returning === '') {
    await copyRows(db, table, columns, rows);
    return [];
  }
  const sqlite = rawSqlite(db);
  if (sqlite) {
    const stmt = prepared(sqlite, insertText(false, table, columns, 1, returning));
    return rows.map((row) => stmt.get(row) as Record<string, unknown>);
  }
  return insertStatements(db, table, columns, rows, returning);
}

const idRow = (id: number) => ({ id });

/**
 * Inserts `rows` into `table`, whose `id` is its serial key, and returns their ids in order.
 * SQLite: each row's rowid. PostgreSQL: the ids are taken from the table's sequence first (one
 * query), then the rows are copied with them.
 */
export async function insertRowsWithIds(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const sqlite = rawSqlite(db);
  if (sqlite) {
    return insertEach(sqlite, table, columns, rows, true);
  }
  // written behind, a handful of rows too take their ids from the reserve: no query to await
  const behind = writingBehind(db);
  if (rows.length < COPY_FROM && !behind)
    return (await insertStatements(db, table, columns, rows, 'id')).map((r) => Number(r.id));
  const ids = await takeIds(db, table, rows.length);
  await copyRows(
    db,
    table,
    ['id', ...columns],
    rows.map((row, i) => [ids[i], ...row]),
  );
  return ids;
}

/** `n` fresh ids of `table`'s serial `id` (PostgreSQL), in increasing order; a bulk load's from its reserve. */
async function takeIds(db: Db, table: string, n: number): Promise<number[]> {
  const session = reserves.get(db);
  if (!session) return reserveIds(db, table, n);
  let reserve = session.get(table);
  if (!reserve) session.set(table, (reserve = { ids: [], at: 0, taken: 0, next: null }));
  while (reserve.ids.length - reserve.at < n) {
    const next = reserve.next;
    reserve.next = null;
    // a sequence's ids increase: a later reserve's come after an earlier one's
    const block = await (next ?? reserveBlock(db, table, reserveSize(reserve, n)));
    reserve.ids = reserve.ids.slice(reserve.at).concat(block);
    reserve.at = 0;
  }
  // the reserve is not copied at each take (up to 80,000 ids, for every chunk and table: a
  // gigabyte of arrays over a cold load, promoted and collected in the old generation)
  const ids = reserve.ids.slice(reserve.at, reserve.at + n);
  reserve.at += n;
  reserve.taken += n;
  // written behind, the next reserve is asked for once half of this one is used, as a read queued
  // after the writes: it has come back when the client needs it, instead of holding the client
  // (and the connection) while the server counts out tens of thousands of ids
  const behind = writingBehind(db);
  if (behind && !reserve.next && reserve.ids.length - reserve.at < reserveSize(reserve, 0) / 2) {
    const size = reserveSize(reserve, 0);
    reserve.next = behind.read(() => reserveBlock(db, table, size));
    reserve.next.catch(() => {}); // awaited when the ids are needed (a run that fails never needs them)
  }
  return ids;
}

/**
 * Each reserve as large as the ids taken so far (RESERVE at least, MAX_RESERVE at most), and `n`
 * at least: a cold load of N rows asks the sequence some log2(N / RESERVE) times, not N / RESERVE times.
 */
const reserveSize = (reserve: Reserve, n: number) =>
  Math.max(n, Math.min(MAX_RESERVE, Math.max(RESERVE, reserve.taken)));

/** `n` fresh ids of `table`'s serial `id` (PostgreSQL), in increasing order. */
async function reserveIds(db: Db, table: string, n: number): Promise<number[]> {
  const r = await db.executeQuery<{ id: number }>(
    CompiledQuery.raw(
      `select nextval(pg_get_serial_sequence('${table}', 'id'))::integer as id from generate_series(1, $1)`,
      [n],
    ),
  );
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
}

/**
 * `n` fresh ids of `table`'s serial `id` (PostgreSQL), taken at once: the sequence is moved on
 * past them in one statement, not called `n` times (a cold load's hundreds of thousands of
 * `nextval` took seconds of the server's time). Only in a bulk-load session, which runs in a long
 * run's transaction (lockForLongRun): holding `table` in EXCLUSIVE mode, it is the only one that
 * can insert into it, so no other `nextval` of its sequence can come between the two calls.
 */
async function reserveBlock(db: Db, table: string, n: number): Promise<number[]> {
  const r = await db.executeQuery<{ last: number }>(
    CompiledQuery.raw(
      `select setval(s, nextval(s) + $1 - 1)::integer as last from (select pg_get_serial_sequence('${table}', 'id')::regclass as s) as q`,
      [n],
    ),
  );
  const last = Number(r.rows[0]!.last);
  return Array.from({ length: n }, (_, i) => last - n + 1 + i);
}

// ---- COPY ------------------------------------------------------------------------------------

/**
 * Inserts `rows` (values in `columns` order) into `table`. PostgreSQL: `COPY table (columns) FROM
 * STDIN` in text format, streamed in chunks of a few hundred kB, on the caller's transaction
 * (a handful of rows: one multi-row INSERT). SQLite: a single-row INSERT run per row
 * (`insertEach`). Values: null/undefined (NULL), strings, numbers, booleans, bigints, Dates,
 * Buffers (bytea), other objects as JSON text.
 */
export async function copyRows(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const sqlite = rawSqlite(db);
  if (sqlite) {
    insertEach(sqlite, table, columns, rows, false);
    return;
  }
  if (rows.length < COPY_FROM) {
    await insertStatements(db, table, columns, rows as unknown[][], '');
    return;
  }
  const statement = `copy ${table} (${columns.join(', ')}) from stdin`;
  const behind = writingBehind(db);
  if (behind) {
    // written behind, the rows as COPY text at once, in buffers outside the JavaScript heap: the
    // rows would otherwise live until the server takes them, long enough to be moved to the old
    // generation and collected there
    behind.copy({ sql: statement, data: [...copyChunks(rows)] });
    return;
  }
  // awaited, the text is made as the server asks for it (the program makes the next piece while
  // the server stores the last)
  const from = copyFrom ?? (await loadCopyFrom());
  const data = copyChunks(rows);
  const stream = from(statement);
  const written = pipeline(Readable.from(data), stream);
  written.catch(() => {}); // awaited through the query, below
  // the stream buffers what is written until the server asks for the data; the COPY has ended
  // (ReadyForQuery) when it finishes
  await runQuery(
    db,
    stream,
    written.then(() => stream.rowCount ?? rows.length),
  );
}

type CopyFrom = (typeof import('pg-copy-streams'))['from'];
let copyFrom: CopyFrom | null = null;

async function loadCopyFrom(): Promise<CopyFrom> {
  const copyStreams = await import('pg-copy-streams');
  // a CommonJS module: its exports are the namespace's or its default's, as the bundler gives them
  copyFrom =
    copyStreams.from ?? (copyStreams as unknown as { default: typeof copyStreams }).default.from;
  return copyFrom;
}

/**
 * A sync's bulk load (PostgreSQL): per table, the ids taken from its sequence and not used yet, in
 * order, how many the load has used, and the next reserve when it was asked for ahead.
 */
const reserves = new WeakMap<object, Map<string, Reserve>>();
interface Reserve {
  /** The ids reserved; those from `at` on are not used yet. */
  ids: number[];
  at: number;
  taken: number;
  /** The next reserve, asked for ahead (written behind). */
  next: Promise<number[]> | null;
}
/** Ids a bulk load takes from a sequence at a time: at least, and at most (the reserve doubles between). */
const RESERVE = 5000;
const MAX_RESERVE = 80_000;

// ---- the sync's devices ----------------------------------------------------------------------

/** Migration 0003's triggers on SQLite, which clear an account's digest when anything else changes it. */
const DIGEST_TRIGGERS = [
  'account_digest_self',
  'attachment_digest_insert',
  'attachment_digest_delete',
  'attachment_digest_update',
  'attachment_service_digest_insert',
  'attachment_service_digest_delete',
  'attachment_service_digest_update',
];

/**
 * The sync keeps the digests of the accounts it writes itself (app/sync/writer.ts): while it writes,
 * the triggers that clear a digest on any other change stand aside, so that a cold run's
 * million inserts do not each run one. Returns what puts them back, to be called before the run
 * commits. SQLite: they are dropped inside the run's transaction and created again from their
 * own text; the run holds the store's one write lock, so no other writer can come in between,
 * and readers see the schema as last committed. PostgreSQL: a setting local to the transaction,
 * which the triggers' WHEN clause reads (migration 0005). A rolled-back run undoes either.
 * PostgreSQL too: until then, the ids of the rows the bulk loader copies on this transaction come
 * from a reserve taken from each sequence a few thousand at a time (one query per table and
 * reserve, not per chunk; the ids left over are a gap in the sequence, as a rolled-back insert leaves).
 */
export async function suspendDigestTriggers(db: Db): Promise<() => Promise<void>> {
  const sqlite = rawSqlite(db);
  if (!sqlite) {
    await db.executeQuery(CompiledQuery.raw("select set_config('chorus.sync_writes', 'on', true)"));
    reserves.set(db, new Map());
    return async () => {
      reserves.delete(db);
      await db.executeQuery(
        CompiledQuery.raw("select set_config('chorus.sync_writes', 'off', true)"),
      );
    };
  }
  const texts = sqlite
    .prepare(
      `select sql from sqlite_schema where type = 'trigger' and name in (${DIGEST_TRIGGERS.map(() => '?').join(', ')})`,
    )
    .pluck()
    .all(...DIGEST_TRIGGERS) as string[];
  if (texts.length !== DIGEST_TRIGGERS.length)
    throw new Error(`digest triggers: found ${texts.length} of ${DIGEST_TRIGGERS.length}`);
  for (const name of DIGEST_TRIGGERS) sqlite.exec(`drop trigger ${name}`);
  return async () => {
    for (const text of texts) sqlite.exec(text);
  };
}

/**
 * Indexes a large load fills in random key order (a structure's attachments, the one-GP rule, an
 * account's audit entries), with how to count the rows of the table they index.
 */
const DEFERRABLE = [
  {
    rows: 'select coalesce(max(id), 0) from attachment',
    indexes: ['attachment_structure_idx', 'attachment_one_gp_uq'],
  },
  { rows: 'select seq from audit_head where id = 1', indexes: ['audit_log_target_idx'] },
];

/**
 * A run whose file has more than twice the rows a table holds (the first load of a département)
 * does not keep that table's random-order indexes up to date row by row: SQLite drops them inside
 * the run's transaction and builds them again before it commits (a sort, then pages written in
 * order), which costs less than a million inserts at random places, and checks the unique ones
 * again whole. A re-run, whose rows the table mostly holds already, keeps them. Call it once the
 * run's reads that need them are done (the GPs of the store, the rules across staged rows);
 * returns what builds them back. Nothing on PostgreSQL, where dropping an index would lock the
 * table against every reader of the region until the run commits.
 */
/** The page cache, negative in KiB, while the deferred indexes are built again. */
const BUILD_CACHE = -4096;

export async function deferIndexes(db: Db, fileRows: number): Promise<() => Promise<void>> {
  const sqlite = rawSqlite(db);
  if (!sqlite) return async () => {};
  const names = DEFERRABLE.filter(
    (d) => 2 * Number(sqlite.prepare(d.rows).pluck().get() ?? 0) < fileRows,
  ).flatMap((d) => d.indexes);
  const texts = names.map(
    (name) =>
      sqlite
        .prepare("select sql from sqlite_schema where type = 'index' and name = ?")
        .pluck()
        .get(name) as string | undefined,
  );
  names.forEach((name, i) => texts[i] !== undefined && sqlite.exec(`drop index ${name}`));
  return async () => {
    // a build sorts in as much memory as the page cache may take: 4 MB rather than the store's
    // 16 MB keeps a million-row first load's peak 5 MB lower (189 MB against 194), for no more CPU
    const cache = sqlite.pragma('cache_size', { simple: true }) as number;
    sqlite.pragma(`cache_size = ${BUILD_CACHE}`);
    try {
      for (const text of texts) if (text !== undefined) sqlite.exec(text);
    } finally {
      sqlite.pragma(`cache_size = ${cache}`);
    }
  };
}

// ---- lookups ---------------------------------------------------------------------------------

/**
 * For the rest of the transaction (PostgreSQL), the planner takes an index wherever one serves.
 * A batch run looks rows up by key a batch at a time (`identifier in (1,000 values)`), in tables
 * it fills itself or that an import filled moments before: PostgreSQL has no statistics of those
 * rows until it analyses the table, after the commit; it then takes each list of keys for a third
 * or more of the table and scans it whole, 54 ms a batch on 130,000 structures (the services
 * import of a directory just imported: 260 batches). Seq scans are only priced out, not forbidden:
 * a statement that no index serves still runs, as before. Nothing on SQLite, whose planner
 * takes the index of an `in` list.
 */
export async function lookUpByIndexes(db: Db): Promise<void> {
  if (isPg(db)) await db.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
}

// ---- rows as objects -------------------------------------------------------------------------

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Inserts rows given as objects with camelCase keys (kysely's `Insertable`s) through `copyRows`:
 * the rows that set the same columns go together (a key whose value is undefined is left to the
 * column's default, as kysely leaves it).
 */
export async function copyObjects(
  db: Db,
  table: string,
  rows: readonly Readonly<Record<string, unknown>>[],
): Promise<void> {
  const groups = new Map<string, { columns: string[]; keys: string[]; rows: unknown[][] }>();
  for (const row of rows) {
    const keys = Object.keys(row).filter((k) => row[k] !== undefined);
    const signature = keys.join(',');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { columns: keys.map(snake), keys, rows: [] }));
    group.rows.push(keys.map((k) => row[k]));
  }
  for (const group of groups.values()) await copyRows(db, table, group.columns, group.rows);
}
