import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  PostgresDriver,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type RawBuilder,
  type Driver,
  type PostgresDialectConfig,
  type Transaction,
  type TransactionBuilder,
  type TransactionSettings,
} from 'kysely';
import type { Clock } from '../domain/clock.js';
import { ConflictError, OrphanedError, StoreUnavailableError } from '../errors.js';
import { like } from './like.js';
import { SqliteThread, type SqliteConnection } from './sqlite-thread.js';
import { isPostgresUrl, redact, redactError } from './url.js';
import { MIGRATIONS } from './migrations/index.js';
import { TABLES_IN_ORDER, type Database } from './schema.js';

/**
 * The store factory: the only module that knows SQLite from PostgreSQL. Everything else
 * receives a `Kysely<Database>` (or a transaction) and writes queries both dialects run.
 */

export { isPostgresUrl, redact };

export type DialectName = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The file path, or the URL without its password. */
  location: string;
  /** The time the use cases on this store stamp their writes with (the program's io clock). */
  clock: Clock;
  /** Why the command opening it makes its changes (`--reason`): its use cases' audit entries say it. */
  reason?: string | undefined;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Where the use cases' time comes from; a store opened without one cannot stamp a write. */
  clock?: Clock;
  /** Create an empty store when there is none (init, db migrate). */
  create?: boolean;
  /** How long to wait for another process's lock, in ms. */
  lockTimeoutMs?: number;
  /**
   * Asked synchronously right before each COMMIT; false rolls the transaction back. The program
   * runs in one process (issue 16), so only the tests' commit gate sets it (src/cli.ts).
   */
  alive?: () => boolean;
}

const ALWAYS_ALIVE = () => true;

/** No COMMIT once `alive` says no: checked with nothing in between. */
function assertAlive(alive: () => boolean): void {
  if (!alive()) throw new OrphanedError();
}

/** SQLite's default BEGIN is deferred: a reader that later writes can fail at once with SQLITE_BUSY
 * instead of waiting. BEGIN IMMEDIATE takes the write lock up front, so the busy timeout applies:
 * writers run one after the other, which is what SPEC 5 asks of concurrent commands. */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    database: SqliteConnection,
    private readonly alive: () => boolean,
  ) {
    super({ database });
  }
  override async beginTransaction(
    connection: DatabaseConnection,
    settings?: TransactionSettings,
  ): Promise<void> {
    await connection.executeQuery(
      CompiledQuery.raw(settings?.accessMode === 'read only' ? 'begin' : 'begin immediate'),
    );
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // better-sqlite3 runs the COMMIT synchronously within this call: nothing runs in between
    assertAlive(this.alive);
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: SqliteConnection,
    private readonly alive: () => boolean,
  ) {
    super({ database });
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.database, this.alive);
  }
}

class CheckedPostgresDriver extends PostgresDriver {
  constructor(
    config: PostgresDialectConfig,
    private readonly alive: () => boolean,
  ) {
    super(config);
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    assertAlive(this.alive);
    await super.commitTransaction(connection);
  }
}

class CheckedPostgresDialect extends PostgresDialect {
  constructor(
    private readonly config: PostgresDialectConfig,
    private readonly alive: () => boolean,
  ) {
    super(config);
  }
  override createDriver(): Driver {
    return new CheckedPostgresDriver(this.config, this.alive);
  }
}

// ---- transactions: isolation, locks, retries (SPEC 5) --------------------------------------

/**
 * What a use case's transaction is: `read` (one snapshot, writes nothing), `write` (decides from
 * what it read), `exclusive` (a long run, a sync or an import, that takes every table up front).
 */
export type TransactionMode = 'read' | 'write' | 'exclusive';

/**
 * The transaction a use case runs in. SQLite: BEGIN (readers) or BEGIN IMMEDIATE (writers, one at
 * a time). PostgreSQL: writers run SERIALIZABLE, so two commands that read what the other writes
 * cannot both commit (one gets a serialization failure and is run again, see `isRetryable`);
 * readers run on one REPEATABLE READ snapshot, which a read-only transaction never has to retry.
 */
export function transactionOf(store: Store, mode: TransactionMode): TransactionBuilder<Database> {
  const builder = store.db
    .transaction()
    .setAccessMode(mode === 'read' ? 'read only' : 'read write');
  if (store.dialect === 'sqlite') return builder;
  return builder.setIsolationLevel(mode === 'read' ? 'repeatable read' : 'serializable');
}

/**
 * A long run's first statement (mode `exclusive`), before it reads anything: every table, in the
 * one order of TABLES_IN_ORDER, in EXCLUSIVE mode (others may still read). Commands that write
 * wait for the run to end, so that no change of theirs can make it fail at its commit. On SQLite
 * BEGIN IMMEDIATE already holds every writer off.
 */
export async function lockForLongRun(
  trx: Transaction<Database>,
  dialect: DialectName,
): Promise<void> {
  if (dialect !== 'postgres') return;
  const tables = TABLES_IN_ORDER.map((t) => sql.table(snakeCase(t)));
  await sql`lock table ${sql.join(tables)} in exclusive mode`.execute(trx);
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

/**
 * Failures that say another transaction got there first, so that the same work run again sees
 * what it did: serialization failures and deadlocks, and on PostgreSQL a unique key a concurrent
 * transaction has just taken (on SQLite writers do not overlap: a duplicate is not a race).
 */
export function isRetryable(err: unknown, dialect: DialectName): boolean {
  const c = code(err);
  return c === '40001' || c === '40P01' || (dialect === 'postgres' && c === '23505');
}

export async function openStore(location: string, options: OpenOptions = {}): Promise<Store> {
  const timeout = options.lockTimeoutMs ?? 5000;
  const clock = options.clock ?? NO_CLOCK;
  const alive = options.alive ?? ALWAYS_ALIVE;
  try {
    return isPostgresUrl(location)
      ? await openPostgres(location, timeout, clock, alive)
      : openSqlite(location, options.create ?? false, timeout, clock, alive);
  } catch (err) {
    throw redactError(toStoreError(err, location), location);
  }
}

const NO_CLOCK: Clock = {
  now() {
    throw new Error('this store was opened without a clock: it can read, not write');
  },
};

/** The SQLite connection behind a Kysely instance or any of its transactions (they share the adapter). */
const RAW_SQLITE = new WeakMap<object, MovableSqlite>();

/**
 * For the batch paths only (bulk.ts): the SQLite connection itself, to reuse prepared statements
 * inside the current transaction (one connection: kysely's SQLite driver has no pool). Null on
 * PostgreSQL. In-process, or in a worker thread during a first load (`moveSqlite`).
 */
export function rawSqlite(db: { getExecutor(): { adapter: object } }): SqliteConnection | null {
  return RAW_SQLITE.get(db.getExecutor().adapter)?.current ?? null;
}

/**
 * Moves the store's SQLite connection into a worker thread (db/sqlite-thread.ts), or back into
 * the program's: the connection is closed and opened again, with the same settings. Outside any
 * transaction only. For a first load (first-load.ts): its rows are written in the thread while
 * the program plans the next ones. Returns false on PostgreSQL, or when it is there already.
 */
export function moveSqlite(db: { getExecutor(): { adapter: object } }, threaded: boolean): boolean {
  const movable = RAW_SQLITE.get(db.getExecutor().adapter);
  if (!movable || movable.current instanceof SqliteThread === threaded) return false;
  if (movable.current.inTransaction) throw new Error('moveSqlite: inside a transaction');
  movable.move(threaded);
  return true;
}

/**
 * The store's SQLite connection as kysely holds it: each call goes to the connection of the
 * moment, in-process or in a thread (`moveSqlite`).
 */
class MovableSqlite implements SqliteConnection {
  current: SqliteConnection;
  constructor(
    private readonly file: string,
    private readonly timeout: number,
  ) {
    this.current = connectSqlite(file, timeout, false);
  }
  move(threaded: boolean): void {
    // closed first: a first load's journal switch needs the store to itself (first-load.ts)
    this.current.close();
    try {
      this.current = connectSqlite(this.file, this.timeout, threaded);
    } catch (err) {
      // the store keeps a connection in the program, and the caller hears why the move failed
      this.current = connectSqlite(this.file, this.timeout, false);
      throw err;
    }
  }
  prepare(text: string) {
    return this.current.prepare(text);
  }
  exec(text: string) {
    return this.current.exec(text);
  }
  pragma(text: string, options?: { simple?: boolean }) {
    return this.current.pragma(text, options);
  }
  get inTransaction() {
    return this.current.inTransaction;
  }
  close() {
    return this.current.close();
  }
}

/** A connection to the store `file` (which exists), with the store's settings. */
function connectSqlite(file: string, timeout: number, threaded: boolean): SqliteConnection {
  const database: SqliteConnection = threaded
    ? new SqliteThread(file, timeout)
    : new SqliteDatabase(file, { fileMustExist: true, timeout });
  try {
    database.pragma('journal_mode = WAL');
  } catch (err) {
    // a first load holds the store in a rollback journal (db/first-load.ts): this connection reads
    // the store as it is, waiting for the load's locks as for a writer's; the next opening sets WAL
    if (code(err) !== 'SQLITE_BUSY') {
      database.close();
      throw err;
    }
  }
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // 16 MB of page cache (SQLite's default is 2 MB): the batch paths insert into indexes in random
  // key order. 4 MB in a thread (a first load, whose deferred indexes are built at the end): the
  // thread's own heap takes some 15 MB, and a million-row first load ran no slower in two pairs of
  // runs (4 MB: 20.9, 21.8 s, peaks 194, 199 MB; 8 MB: 22.4, 24.5 s, peaks 201, 199 MB)
  database.pragma(`cache_size = ${threaded ? -4096 : -16384}`);
  return database;
}

function openSqlite(
  file: string,
  create: boolean,
  timeout: number,
  clock: Clock,
  alive: () => boolean,
): Store {
  const resolved = path.resolve(file);
  if (!fs.existsSync(resolved)) {
    if (!create) throw new StoreUnavailableError('store.missing', { location: resolved });
    fs.mkdirSync(path.dirname(resolved), { recursive: true, mode: 0o700 });
    // The store holds personal data: readable by its owner only. SQLite gives the WAL the same mode.
    fs.closeSync(fs.openSync(resolved, 'wx', 0o600));
  }
  const database = new MovableSqlite(resolved, timeout);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect(database, alive),
    plugins: [new CamelCasePlugin()],
  });
  RAW_SQLITE.set(db.getExecutor().adapter, database);
  return { db, dialect: 'sqlite', location: resolved, clock, close: () => db.destroy() };
}

async function openPostgres(
  url: string,
  timeout: number,
  clock: Clock,
  alive: () => boolean,
): Promise<Store> {
  // loaded only when used: SQLite users do not pay for it at start-up
  const { default: pg } = await import('pg');
  // COUNT(*) and other int8 values come back from pg as strings; our counts fit in a double.
  pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    connectionTimeoutMillis: timeout,
    lock_timeout: timeout,
  });
  // An idle connection the server ends (restart, terminate, drop database) is dropped by the pool and
  // re-emitted here; unheard, it would crash the process. The next query reports its own error.
  pool.on('error', () => {});
  const db = new Kysely<Database>({
    dialect: new CheckedPostgresDialect({ pool }, alive),
    plugins: [new CamelCasePlugin()],
  });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return { db, dialect: 'postgres', location: redact(url), clock, close: () => db.destroy() };
}

// ---- dialect-specific SQL ------------------------------------------------------------------

/**
 * Structures whose search key has a word starting with each of `words` (already folded to
 * letters and digits): FTS5 on SQLite, LIKE on PostgreSQL. Same words, same matches. Each word is
 * a bound parameter, or an FTS phrase in double quotes (it can hold no quote: fold() keeps only
 * letters, digits and spaces).
 */
export function structureTextMatch(
  dialect: DialectName,
  words: readonly string[],
): RawBuilder<boolean> {
  if (words.length === 0) return sql<boolean>`1 = 1`;
  if (dialect === 'sqlite') {
    const query = words.map((w) => `"${w.replace(/"/g, '')}"*`).join(' ');
    return sql<boolean>`structure.id in (select rowid from structure_fts where structure_fts match ${query})`;
  }
  const each = words.map((w) => like(sql`(' ' || structure.search_key)`, '%', ' ' + w, '%'));
  return sql<boolean>`(${sql.join(each, sql` and `)})`;
}

/** Orders by code point on both dialects (PostgreSQL's default collation would not). */
export function binaryOrder(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`${sql.ref(column)} collate "C"`
    : sql<string>`${sql.ref(column)}`;
}

// ---- schema version ---------------------------------------------------------------------

export interface SchemaState {
  applied: string[];
  pending: string[];
  /** Migrations this program does not know: the store was migrated by a newer version. */
  unknown: string[];
}

export async function schemaState(db: Kysely<Database>): Promise<SchemaState> {
  let applied: string[] = [];
  try {
    const rows = await sql<{
      name: string;
    }>`select name from kysely_migration order by name`.execute(db);
    applied = rows.rows.map((r) => r.name);
  } catch (err) {
    if (!isMissingTable(err)) throw err;
  }
  const known = Object.keys(MIGRATIONS);
  return {
    applied,
    pending: known.filter((n) => !applied.includes(n)),
    unknown: applied.filter((n) => !known.includes(n)),
  };
}

/** How many rows a table holds, for `db status`. */
export async function countRows(
  db: Kysely<Database>,
  table: 'account' | 'structure' | 'attachment' | 'auditLog' | 'notification' | 'file',
): Promise<number> {
  const { n } = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Refuses a store whose schema is newer than this program (left untouched), or not yet migrated. */
export async function assertSchemaCurrent(store: Store): Promise<void> {
  const state = await schemaState(store.db);
  assertNotNewer(state);
  if (state.pending.length > 0)
    throw new StoreUnavailableError(
      state.applied.length === 0 ? 'store.notInitialised' : 'store.outdated',
      {
        location: store.location,
        pending: state.pending.join(', '),
      },
    );
}

export function assertNotNewer(state: SchemaState): void {
  if (state.unknown.length > 0)
    throw new StoreUnavailableError('store.newer', { unknown: state.unknown.join(', ') });
}

/** Applies every pending migration; a failed one throws (kysely's Migrator only reports). */
export async function migrateToLatest(store: Store): Promise<string[]> {
  assertNotNewer(await schemaState(store.db));
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => MIGRATIONS },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error)
    throw new StoreUnavailableError(
      'store.migrationFailed',
      { detail: String((error as Error).message ?? error) },
      { cause: error },
    );
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

// ---- driver errors ------------------------------------------------------------------------

function code(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

function isMissingTable(err: unknown): boolean {
  return code(err) === '42P01' || /no such table/i.test(String((err as Error)?.message));
}

export function isUniqueViolation(err: unknown): boolean {
  const c = code(err);
  return c === '23505' || c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const LOCKED = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', '55P03']);
/** Serialization failure, deadlock: another transaction won (retried first: see isRetryable). */
const LOST_RACE = new Set(['40001', '40P01']);

/** The one-GP-per-structure index (migration 0001), as each dialect names it in its message. */
function isOneGpViolation(err: unknown): boolean {
  const constraint = (err as { constraint?: unknown }).constraint;
  return (
    constraint === 'attachment_one_gp_uq' ||
    /UNIQUE constraint failed: attachment\.structure_id$/.test(String((err as Error).message))
  );
}
const UNREACHABLE = new Set([
  'SQLITE_CANTOPEN',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_READONLY',
  'SQLITE_IOERR',
  // a --db URL the driver cannot parse: the store cannot be opened, not a bug
  'ERR_INVALID_URL',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EACCES',
  'ENOENT',
  'EISDIR',
  '3D000',
  '28000',
  '28P01',
  '57P01',
  '57P03',
  '08001',
  '08006',
]);

/**
 * Turns a driver's failure to open or lock the store into exit 7, and a race lost to another
 * command (a serialization failure, a deadlock, a unique key taken meanwhile) into a conflict,
 * exit 6; anything else passes through.
 */
export function toStoreError(err: unknown, location?: string): unknown {
  if (err instanceof StoreUnavailableError) return err;
  const c = code(err);
  const detail = String((err as Error)?.message ?? err);
  if (isUniqueViolation(err))
    return new ConflictError(
      isOneGpViolation(err) ? 'attachment.gpChanged' : 'store.concurrentChange',
      { detail },
      { cause: err },
    );
  if (c && LOST_RACE.has(c))
    return new ConflictError('store.concurrentChange', { detail }, { cause: err });
  if (c && LOCKED.has(c))
    return new StoreUnavailableError('store.locked', { detail }, { cause: err });
  if (
    (c && (UNREACHABLE.has(c) || /^SQLITE_(IOERR|CANTOPEN|CORRUPT|NOTADB)_/.test(c))) ||
    /timeout exceeded when trying to connect|Connection terminated/i.test(detail)
  )
    return new StoreUnavailableError(
      'store.cannotOpen',
      { location: location ?? '', detail },
      { cause: err },
    );
  return err;
}
