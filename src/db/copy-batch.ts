import { CompiledQuery } from 'kysely';
import type { Db } from './schema.js';

// Several COPYs in one round trip (PostgreSQL), as the bulk loader's write-behind sends a chunk's
// rows (db/write-behind.ts WriteBehind.copy).

/** One `COPY … FROM STDIN` of a batch: its statement and its data, COPY text in buffers. */
export interface CopyStep {
  sql: string;
  data: readonly Buffer[];
}

/** What pg's connection offers a query that drives it: its own calls for COPY's messages. */
interface Connection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  stream: { cork(): void; uncork(): void };
}

/**
 * Runs `steps` in order as one simple query: their statements joined by `;`, and right behind it
 * each COPY's data and its end, sent at once rather than when the server asks for them.
 *
 * A COPY sent alone costs two turns of the program's event loop (its data when the server asks,
 * then the next query when it is done), and the server waits for each while the program plans
 * the next chunk: in a cold sync of 200,000 rows the server spent 3–4.5 s waiting so, and the
 * program 1.2–1.8 s waiting for a server that could not go on. Here the server goes from one COPY
 * to the next by itself, reading each one's data from what waits on the connection.
 *
 * The protocol allows it ("COPY Operations"): after an error the server discards the rest of the
 * query, answers ReadyForQuery, and ignores the data messages that follow. The error is the
 * first failing COPY's, as one COPY after the other would give (the transaction is then good for
 * its rollback only).
 */
export async function copyBatch(db: Db, steps: readonly CopyStep[]): Promise<void> {
  let rows = 0;
  let settle: { resolve: (n: number) => void; reject: (error: unknown) => void } | null = null;
  const done = new Promise<number>((resolve, reject) => (settle = { resolve, reject }));
  const query = {
    submit(connection: Connection) {
      connection.stream.cork(); // one write of the whole batch
      try {
        connection.query(steps.map((s) => s.sql).join('; '));
        for (const step of steps) {
          for (const chunk of step.data) connection.sendCopyFromChunk(chunk);
          connection.endCopyFrom();
        }
      } finally {
        connection.stream.uncork();
      }
    },
    handleCopyInResponse() {}, // the data is on its way already
    handleCommandComplete(message: { text: string }) {
      rows += Number(/\d+$/.exec(message.text)?.[0] ?? 0);
    },
    handleReadyForQuery() {
      settle!.resolve(rows);
    },
    // pg drops the query at its error (ReadyForQuery then goes to no query): settled now
    handleError(error: unknown) {
      settle!.reject(error);
    },
    handleEmptyQuery() {},
    handleRowDescription() {},
    handleDataRow() {},
    handlePortalSuspended() {},
    handleCopyData() {},
  };
  await runQuery(db, query, done);
}

/**
 * Runs `query`, an object pg runs as a query (its `submit` and its handlers: a COPY), on the
 * transaction's connection, in turn with its other queries, until `done` gives its rows. kysely
 * hands a query's text to pg's `client.query` as it is; pg runs an object with `submit` as the
 * query and returns it; made a thenable of `done`, it is what kysely awaits as the query's
 * result, so that kysely sends the transaction's next query only then (not into pg's queue).
 */
export async function runQuery(db: Db, query: object, done: Promise<number>): Promise<void> {
  done.catch(() => {}); // its failure is the query's, thrown below
  const thenable = Object.assign(query, {
    then: (
      resolve: (result: { command: string; rowCount: number; rows: [] }) => void,
      reject: (error: unknown) => void,
    ) => done.then((rowCount) => resolve({ command: 'COPY', rowCount, rows: [] }), reject),
  });
  await db.executeQuery({ ...CompiledQuery.raw(''), sql: thenable as unknown as string });
}
