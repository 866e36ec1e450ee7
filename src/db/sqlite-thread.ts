import { createRequire } from 'node:module';
import {
  MessageChannel,
  Worker,
  receiveMessageOnPort,
  type MessagePort,
} from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { checkRanges, type RangeCheck } from './key-ranges.js';
import { WRITE_BACK, writeBack } from './write-back.js';

/**
 * SQLite's connection in a worker thread, for a first load (first-load.ts moves it there through
 * store.ts `moveSqlite`): the thread runs the statements, the program plans the next rows meanwhile.
 *
 * The program's thread sees the same connection it would see in-process (`SqliteConnection`, the
 * part of better-sqlite3's API the store uses), and every call but one is synchronous as
 * better-sqlite3's are: the thread is sent the call and the program waits (`Atomics.wait`) until it
 * has the answer (`receiveMessageOnPort`). Messages are taken in the order they were sent, so a
 * read sees every write sent before it, and a transaction is the thread's as it would be the
 * program's. The one exception is the bulk loader's rows (`post`, from `insertEach`): sent and
 * not waited for. The thread runs them while the program goes on; the program waits only when
 * more than MAX_QUEUED rows are still unwritten (memory stays bounded), or at its next
 * synchronous call, which the thread answers once the rows before it are written. A batch that
 * fails is reported by that next call, as the error of the insert that failed; the thread writes
 * nothing more until then (every caller of the bulk loader rolls back when it fails).
 *
 * One thread and one connection per store opened so: the run's transaction is the thread's only
 * one, and no other connection of the program writes meanwhile (SQLite's lock would not let it).
 * A killed program is its thread too: nothing commits that the program did not commit.
 */

/** The part of a better-sqlite3 statement the store uses. */
export interface SqliteStatement {
  readonly reader: boolean;
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  raw(on?: boolean): this;
  pluck(on?: boolean): this;
}

/** The part of a better-sqlite3 connection the store uses: in-process, or in a thread. */
export interface SqliteConnection {
  prepare(text: string): SqliteStatement;
  exec(text: string): unknown;
  pragma(text: string, options?: { simple?: boolean }): unknown;
  readonly inTransaction: boolean;
  close(): unknown;
}

/** What a statement run returns, as `InsertBatch` runs it. */
type Runnable = { run(values: unknown[]): unknown };

/**
 * A bulk insert as `insertEach` (sqlite-rows.ts) prepared it: the statement texts, and the values
 * they bind, row after row. `runBatch` runs it, in-process or in the thread.
 */
export interface InsertBatch {
  /** The statement of `size` rows, and the statement of one. */
  many: string;
  one: string;
  size: number;
  /** Whether the texts carry literals (a bounded cache of statements) or bind every value. */
  literals: boolean;
  rows: number;
  /** The values each row binds (the same number each), row after row. */
  values: unknown[];
}

/**
 * Runs `batch`: `size` rows a statement, then the rest one at a time. Self-contained (its text is
 * the thread's too): it uses nothing but its arguments.
 */
export function runBatch(
  batch: InsertBatch,
  statement: (text: string, literals: boolean) => Runnable,
): void {
  const { rows, size, values } = batch;
  const per = values.length / rows;
  const run = (stmt: Runnable, from: number, n: number, bound: unknown[]) => {
    for (let k = 0, v = from * per; k < n * per; k++) bound[k] = values[v++];
    stmt.run(bound); // better-sqlite3 binds synchronously: one array serves every run
  };
  let i = 0;
  if (rows >= size) {
    const many = statement(batch.many, batch.literals);
    const bound = new Array<unknown>(per * size);
    for (; i + size <= rows; i += size) run(many, i, size, bound);
  }
  if (i < rows) {
    const one = statement(batch.one, batch.literals);
    const bound = new Array<unknown>(per);
    for (; i < rows; i++) run(one, i, 1, bound);
  }
}

/**
 * The bulk loader's statements of one connection, by text: those that bind every value all kept,
 * those whose text carries a batch's literals (a few per run and table) the `kept` most recently
 * used. Self-contained (its text is the thread's too): `runBatch`'s `statement`, either side.
 */
export function batchStatements<S>(
  prepare: (text: string) => S,
  kept = 32,
): (text: string, literals: boolean) => S {
  const plain = new Map<string, S>();
  const literal = new Map<string, S>();
  return (text, literals) => {
    const cache = literals ? literal : plain;
    let stmt = cache.get(text);
    if (stmt !== undefined) cache.delete(text);
    else {
      stmt = prepare(text);
      if (literals && cache.size >= kept) cache.delete(cache.keys().next().value!);
    }
    cache.set(text, stmt); // the most recently used last
    return stmt;
  };
}

/** Rows posted and not yet written past which the program waits for the thread: a few chunks'. */
const MAX_QUEUED = 8_000;

type Call =
  | { op: 'open'; file: string; timeout: number }
  | { op: 'prepare'; text: string }
  | { op: 'statement'; id: number; method: Method; mode: Mode; params: unknown[] }
  | { op: 'exec'; text: string }
  | { op: 'pragma'; text: string; simple: boolean }
  | { op: 'inTransaction' }
  | { op: 'keys'; checks: readonly RangeCheck[] }
  | { op: 'close' };
type Method = 'run' | 'get' | 'all' | 'iterate';
/** A statement's reading mode: rows as objects, as arrays (`raw`), or their first column (`pluck`). */
type Mode = 0 | 1 | 2;
type Reply = { value: unknown } | { error: { message: string; code: string | undefined } };
/** One-way messages: a batch of rows; a statement the program no longer keeps; keys to check. */
type Post =
  | { op: 'batch'; batch: InsertBatch }
  | { op: 'forget'; id: number }
  | { op: 'keysSoFar'; checks: readonly RangeCheck[] };

/**
 * The thread's side. Self-contained (its text is the thread's code): `load` is the thread's
 * `require`, `batch` is `runBatch`, `statementsOf` is `batchStatements`, `keys` is
 * `checkRanges`, `syncer` is `writeBack`. `signal[0]` says an answer is posted; `signal[1]`
 * counts the rows of the batches the thread has taken.
 */
function threadMain(
  load: (id: string) => unknown,
  batch: typeof runBatch,
  statementsOf: typeof batchStatements,
  keys: typeof checkRanges,
  syncer: typeof writeBack,
  driver: string,
  port: MessagePort,
  signal: Int32Array,
  writeBackRows: number,
): void {
  // nothing may throw outside a call's answer: a thread that died would leave the program waiting
  let Database: typeof SqliteDatabase | null = null;
  let unloaded: unknown = null;
  try {
    Database = load(driver) as typeof SqliteDatabase;
  } catch (err) {
    unloaded = err;
  }
  let db: SqliteDatabase.Database | null = null;
  const statements = new Map<number, SqliteDatabase.Statement>();
  let nextId = 1;
  const forBatch = statementsOf((text) => db!.prepare(text));
  const checkKeys = (checks: readonly RangeCheck[]) =>
    keys(checks, (text) => forBatch(text, false));
  /** A batch's failure, kept for the next call. */
  let failed: unknown = null;
  const flusher = syncer(load('node:fs') as typeof import('node:fs'), writeBackRows);
  const answer = (reply: Reply) => {
    try {
      port.postMessage(reply);
    } catch (err) {
      port.postMessage({ error: errorOf(err) }); // a value a message cannot carry
    }
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  };
  const run = (call: Call): unknown => {
    switch (call.op) {
      case 'open':
        if (!Database) throw unloaded;
        db = new Database(call.file, { fileMustExist: true, timeout: call.timeout });
        flusher.open(call.file);
        return null;
      case 'prepare': {
        const stmt = db!.prepare(call.text);
        statements.set(nextId, stmt);
        return { id: nextId++, reader: stmt.reader };
      }
      case 'statement': {
        const stmt = statements.get(call.id)!;
        if (stmt.reader) {
          stmt.raw(call.mode === 1);
          stmt.pluck(call.mode === 2);
        }
        // an iteration is read whole: the program's thread cannot pull rows one by one
        return call.method === 'iterate'
          ? [...stmt.iterate(...call.params)]
          : stmt[call.method](...call.params);
      }
      case 'exec':
        db!.exec(call.text);
        return null;
      case 'pragma':
        return db!.pragma(call.text, { simple: call.simple });
      case 'inTransaction':
        return db!.inTransaction;
      case 'keys':
        checkKeys(call.checks);
        return null;
      case 'close':
        db?.close();
        flusher.close();
        return null;
    }
  };
  port.on('message', (message: Call | Post) => {
    if (message.op === 'batch') {
      if (failed === null)
        try {
          batch(message.batch, forBatch);
          flusher.wrote(message.batch.rows);
        } catch (err) {
          failed = err;
        }
      Atomics.add(signal, 1, message.batch.rows);
      Atomics.notify(signal, 1);
      return;
    }
    if (message.op === 'forget') {
      statements.delete(message.id);
      return;
    }
    if (message.op === 'keysSoFar') {
      if (failed === null)
        try {
          checkKeys(message.checks);
        } catch (err) {
          failed = err;
        }
      return;
    }
    let reply: Reply;
    try {
      // a batch's failure goes to the next call that runs something, except a rollback (which
      // ends what the failure spoilt) and the connection's close (which rolls it back)
      if (failed !== null && reportsFailure(message)) {
        reply = { error: errorOf(failed) };
        failed = null;
      } else {
        if (message.op === 'statement' || message.op === 'close') failed = null;
        reply = { value: run(message) };
      }
    } catch (err) {
      reply = { error: errorOf(err) };
    }
    answer(reply);
    if (message.op === 'close') port.close();
  });
  function reportsFailure(call: Call): boolean {
    if (call.op === 'prepare' || call.op === 'close') return false;
    return !(
      call.op === 'statement' && /^\s*rollback\b/i.test(statements.get(call.id)?.source ?? '')
    );
  }
  function errorOf(err: unknown) {
    const e = err as { message?: unknown; code?: unknown };
    return {
      message: String(e?.message ?? err),
      code: typeof e?.code === 'string' ? e.code : undefined,
    };
  }
}

const SOURCE = `(${threadMain.toString()})(require, ${runBatch.toString()}, ${batchStatements.toString()}, ${checkRanges.toString()}, ${writeBack.toString()}, ...require('node:worker_threads').workerData.args)`;

/** Statements the program keeps prepared in the thread, by text (kysely prepares each query anew). */
const KEPT = 256;

/** A connection whose statements run in a worker thread (see above). */
export class SqliteThread implements SqliteConnection {
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  /** Rows posted (modulo 2^32, as the thread's count). */
  private posted = 0;
  private readonly prepared = new Map<string, { id: number; reader: boolean }>();
  /** Per table, the id the next batch's first row takes, while only batches have written since. */
  private readonly nextIds = new Map<string, number>();
  private open = true;

  /** `writeBack`: the rows written between two syncs of the file under way (write-back.ts). */
  constructor(file: string, timeout: number, writeBack = WRITE_BACK) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(SOURCE, {
      eval: true,
      // the thread keeps nothing but a batch at a time: a young generation of 1 MB holds it, and
      // a million-row first load's peak is some 20 MB lower than with the default
      resourceLimits: { maxYoungGenerationSizeMb: 1 },
      workerData: { args: [driver, port2, this.signal, writeBack] },
      transferList: [port2],
    });
    // the program never ends with the thread still running: its last call waits for it
    this.worker.unref();
    try {
      this.call({ op: 'open', file, timeout });
    } catch (err) {
      this.open = false;
      this.port.close();
      throw err;
    }
  }

  /** Sends `call` and waits for its answer: what the thread's better-sqlite3 returned or threw. */
  call(call: Call): unknown {
    // a closed port drops what it is sent: the answer would be waited for forever
    if (!this.open)
      throw new SqliteDatabase.SqliteError('the connection is closed', 'SQLITE_MISUSE');
    if (!(call.op === 'prepare' || call.op === 'inTransaction' || this.readOnly(call)))
      this.nextIds.clear(); // a write of any other kind may have taken ids
    this.port.postMessage(call);
    while (Atomics.load(this.signal, 0) === 0) Atomics.wait(this.signal, 0, 0);
    Atomics.store(this.signal, 0, 0);
    const reply = receiveMessageOnPort(this.port)!.message as Reply;
    if ('error' in reply) {
      const { message, code } = reply.error;
      throw new SqliteDatabase.SqliteError(message, code ?? 'SQLITE_ERROR');
    }
    return reply.value;
  }

  /** Sends a bulk insert without waiting for it (waits only while MAX_QUEUED rows are unwritten). */
  post(batch: InsertBatch): void {
    for (;;) {
      const done = Atomics.load(this.signal, 1);
      if (((this.posted - done) | 0) <= MAX_QUEUED) break;
      Atomics.wait(this.signal, 1, done);
    }
    this.port.postMessage({ op: 'batch', batch } satisfies Post);
    this.posted = (this.posted + batch.rows) | 0;
  }

  /**
   * Posts the check of the keys of the rows written since the last (key-ranges.ts), not waited
   * for: a broken one is the next call's error, as a batch's failure.
   */
  checkKeysSoFar(checks: readonly RangeCheck[]): void {
    this.port.postMessage({ op: 'keysSoFar', checks } satisfies Post);
  }

  /** Checks the keys of the rows written since the last check; throws a broken one's error. */
  checkKeys(checks: readonly RangeCheck[]): void {
    this.call({ op: 'keys', checks });
  }

  /**
   * The id `n` rows of `table` start at: after the last batch's, while nothing but batches wrote
   * since (no wait for the thread), else as `read` says.
   */
  takeIds(table: string, n: number, read: () => number): number {
    const first = this.nextIds.get(table) ?? read();
    this.nextIds.set(table, first + n);
    return first;
  }

  /** The text of a statement prepared here, by its thread id. */
  private readonly texts = new Map<number, string>();

  /** Whether a call only reads: a SELECT (SQLite has no writes inside a SELECT). */
  private readOnly(call: Call): boolean {
    return call.op === 'statement' && /^\s*select\b/i.test(this.texts.get(call.id) ?? 'write');
  }

  prepare(text: string): SqliteStatement {
    let known = this.prepared.get(text);
    if (known) this.prepared.delete(text);
    else {
      known = this.call({ op: 'prepare', text }) as { id: number; reader: boolean };
      this.texts.set(known.id, text);
      if (this.prepared.size >= KEPT) {
        const [oldest, { id }] = this.prepared.entries().next().value!;
        this.prepared.delete(oldest);
        this.texts.delete(id);
        this.port.postMessage({ op: 'forget', id } satisfies Post);
      }
    }
    this.prepared.set(text, known); // the most recently used last
    return new ThreadStatement(this, text, known.id, known.reader);
  }

  /** The thread's id of a statement prepared here, prepared again when it was forgotten since. */
  idOf(text: string, id: number): number {
    return this.texts.get(id) === text ? id : (this.prepare(text) as ThreadStatement).id;
  }

  exec(text: string): this {
    this.call({ op: 'exec', text });
    return this;
  }

  pragma(text: string, options: { simple?: boolean } = {}): unknown {
    return this.call({ op: 'pragma', text, simple: options.simple ?? false });
  }

  get inTransaction(): boolean {
    return this.call({ op: 'inTransaction' }) as boolean;
  }

  close(): this {
    if (!this.open) return this;
    try {
      this.call({ op: 'close' });
    } finally {
      this.open = false;
      this.port.close();
    }
    return this;
  }
}

/** A statement of the thread's connection: each run is a call (see SqliteThread). */
class ThreadStatement implements SqliteStatement {
  private mode: Mode = 0;
  constructor(
    private readonly thread: SqliteThread,
    private readonly text: string,
    public id: number,
    readonly reader: boolean,
  ) {}
  raw(on = true): this {
    this.mode = on ? 1 : 0;
    return this;
  }
  pluck(on = true): this {
    this.mode = on ? 2 : 0;
    return this;
  }
  private call(method: Method, params: unknown[]): unknown {
    // a statement kept by its caller (sqlite-rows.ts) may outlive the thread's copy (KEPT)
    this.id = this.thread.idOf(this.text, this.id);
    const value = this.thread.call({
      op: 'statement',
      id: this.id,
      method,
      mode: this.mode,
      params,
    });
    return method === 'run' ? value : withBuffers(value, method === 'get' ? 0 : 1);
  }
  run(...params: unknown[]) {
    return this.call('run', params) as { changes: number; lastInsertRowid: number };
  }
  get(...params: unknown[]): unknown {
    return this.call('get', params);
  }
  all(...params: unknown[]): unknown[] {
    return this.call('all', params) as unknown[];
  }
  iterate(...params: unknown[]): IterableIterator<unknown> {
    return (this.call('iterate', params) as unknown[])[Symbol.iterator]();
  }
}

/**
 * Blobs as better-sqlite3 gives them, Buffers: a message brings them as plain Uint8Arrays. `depth`
 * 1: a list of rows; each row an object, an array (`raw`) or a value (`pluck`).
 */
function withBuffers(value: unknown, depth: 0 | 1): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value === null || typeof value !== 'object') return value;
  if (depth === 1) {
    const rows = value as unknown[];
    for (let i = 0; i < rows.length; i++) rows[i] = withBuffers(rows[i], 0);
    return rows;
  }
  const row = value as Record<string, unknown>;
  for (const key in row) if (row[key] instanceof Uint8Array) row[key] = withBuffers(row[key], 0);
  return row;
}
