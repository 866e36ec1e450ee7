import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/store.js';
import { DIALECTS, freshStore, PG_URL } from '../helpers/stores.js';
import { count } from './support/seed.js';

describe.runIf(DIALECTS.includes('postgres'))('PostgreSQL connections', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => {
    await cleanup();
  });

  it('survives the server ending an idle connection, and carries on with a new one', async () => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
    const pid = rows[0]!.pid;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const r = await admin.query('select pg_terminate_backend($1) as done', [pid]);
      expect(r.rows[0].done).toBe(true);
    } finally {
      await admin.end();
    }
    // let the server's FATAL reach the idle client: unheard, the pool's 'error' event would crash the process
    await sleep(300);
    const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
    expect(after.rows[0]!.pid).not.toBe(pid);
    expect(await count(store.db, 'auditHead')).toBe(1);
  });
});
