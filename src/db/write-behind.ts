import { copyBatch, type CopyStep } from './copy-batch.js';
import type { Db } from './schema.js';
import { rawSqlite } from './store.js';

// The bulk loader's write-behind (db/bulk-load.ts, which issues the writes and is the seam the
// sync imports it from): a transaction's session of queued writes.

const behinds = new WeakMap<object, WriteBehind>();

/** The transaction's write-behind session; null when off (SQLite, or no session started). */
export function writingBehind(db: Db): WriteBehind | null {
  return behinds.get(db) ?? null;
}

/**
 * Write-behind (PostgreSQL; the streamed sync, app/sync/stream.ts, and the directory imports,
 * app/structure-import.ts): while a session is on, the COPYs and the INSERTs without `returning`
 * that the bulk loader issues on its transaction are queued, not awaited, so that the client
 * computes the next chunk (of accounts, of structures or services) while the server writes this one.
 *  - The session sends what is queued one query after the other, in the order it was queued
 *    (`queue`); a read queued with `read` runs after the writes queued before it. COPYs queued
 *    one after the other while the connection is busy go as one query (`copy`).
 *  - The caller marks where a chunk's writes begin (`nextChunk`) and awaits the chunk before's
 *    once it has queued its own (`ready`): the server always has the next chunk's writes at hand,
 *    and at most two chunks of rows wait in memory (one being written, one queued).
 *  - `drain` awaits every write: before a read that must see them, and before the run commits
 *    (COMMIT on a transaction a failed COPY aborted is a silent ROLLBACK).
 *  - The first failed write's error is the one thrown (`ready`, `drain`, `firstError`), and the
 *    writes queued after it are not sent (the server drops the rest of its batch): they could
 *    only fail with "current transaction is aborted". The transaction is then good for its
 *    rollback only; nothing is committed.
 * SQLite writes as it is told (better-sqlite3 is synchronous): no session there.
 */
export class WriteBehind {
  /** The writes of the chunks before this one not awaited yet. */
  private previous: Promise<unknown>[] = [];
  /** This chunk's writes. */
  private current: Promise<unknown>[] = [];
  private failure: { error: unknown } | null = null;
  /** The last query queued: the next starts once it has ended. */
  private tail: Promise<unknown> = Promise.resolve();
  /** The COPYs queued last and not sent yet, which a COPY queued next joins (`copy`). */
  private open: { steps: CopyStep[]; run: Promise<unknown> } | null = null;

  constructor(private readonly db: Db) {}

  /**
   * Queues a query after those queued before it, and returns its result. kysely lets a query
   * issued later take the connection before one still waiting for it, so the session sends its
   * queries one after the other itself. A query issued outside the session (not through the bulk
   * loader, not `read`) may run between two of them: the caller drains before one that must see them.
   */
  private queue<T>(start: () => Promise<T>): Promise<T> {
    this.open = null; // what is queued from here on goes after it
    this.queued++;
    const run = this.tail.then(start);
    this.tail = run.then(
      () => void this.queued--,
      () => void this.queued--,
    );
    return run;
  }

  /** Queries queued and not ended. */
  private queued = 0;

  /** A write queued on the connection. After a failed one, the writes queued after it are not sent. */
  add(write: () => Promise<unknown>): void {
    void this.write(write); // its failure is recorded, and thrown by ready() or drain()
  }

  /** `add`, returning the write's run (awaited with its chunk; its failure is recorded). */
  private write(write: () => Promise<unknown>): Promise<unknown> {
    const run = this.queue(async () => {
      if (this.failure) throw this.failure.error;
      return write();
    });
    run.catch((error: unknown) => void (this.failure ??= { error })); // the first failure, in order
    this.current.push(run);
    return run;
  }

  /**
   * A COPY queued on the connection. The COPYs of a chunk queued one after the other while the
   * connection is busy go together, in one round trip, once it is free (db/copy-batch.ts): the
   * server then goes from one to the next without waiting for the program's turns. A read or
   * another write queued after them, or the next chunk, closes the batch: the order on the
   * connection stays the order given, and a chunk's writes stay its own.
   */
  copy(step: CopyStep): void {
    if (this.open) {
      this.open.steps.push(step);
      this.current.push(this.open.run);
      return;
    }
    const batch: { steps: CopyStep[]; run: Promise<unknown> } = {
      steps: [step],
      run: Promise.resolve(),
    };
    batch.run = this.write(() => {
      if (this.open === batch) this.open = null; // sent: the next COPY starts another batch
      return copyBatch(this.db, batch.steps);
    });
    this.open = batch;
  }

  /** A read queued after the writes queued so far: it sees them, and the next writes wait for it. */
  read<T>(query: () => Promise<T>): Promise<T> {
    return this.queue(query);
  }

  /** A new chunk begins: the writes queued so far are the chunk before's. */
  nextChunk(): void {
    this.open = null;
    this.previous.push(...this.current);
    this.current = [];
  }

  /** Awaits the writes queued before this chunk's, in order; throws the first failure (again on every call). */
  async ready(): Promise<void> {
    const list = this.previous;
    this.previous = [];
    for (const write of list)
      try {
        await write;
      } catch {
        // recorded in order by add()
      }
    if (this.failure) throw this.failure.error;
  }

  /** Awaits everything queued (the reads too); throws the first failed write's error. */
  async drain(): Promise<void> {
    this.nextChunk();
    await this.tail;
    await this.ready();
  }

  /**
   * After an error: everything queued awaited (a read queued too: nothing may run on the
   * connection once the transaction has rolled back), and the first failed write's error (undefined if none).
   */
  async firstError(): Promise<unknown> {
    try {
      await this.drain();
      return undefined;
    } catch (error) {
      return error;
    }
  }

  /**
   * The session ends: the bulk loader awaits its writes again. After `drain` or `firstError`:
   * a query still queued would run after the transaction has ended (COMMIT does not wait for it).
   */
  end(): void {
    if (behinds.get(this.db) === this) behinds.delete(this.db);
    if (this.queued > 0) throw new Error(`write-behind ended with ${this.queued} queries queued`);
  }
}

/** Starts a write-behind session on this transaction (PostgreSQL); null on SQLite. */
export function writeBehind(db: Db): WriteBehind | null {
  if (rawSqlite(db)) return null;
  const behind = new WriteBehind(db);
  behinds.set(db, behind);
  return behind;
}

/**
 * Runs `body` in a write-behind session on this transaction (null on SQLite), then awaits every
 * write it queued and ends the session: what follows writes as it goes. When anything fails, a
 * write that failed behind first is the error thrown (what came after it failed only because the
 * transaction was aborted, or never saw the rows it wrote); nothing is committed.
 */
export async function withWriteBehind<T>(
  db: Db,
  body: (behind: WriteBehind | null) => Promise<T>,
): Promise<T> {
  const behind = writeBehind(db);
  try {
    const result = await body(behind);
    await behind?.drain();
    return result;
  } catch (err) {
    throw (await behind?.firstError()) ?? err;
  } finally {
    behind?.end();
  }
}
