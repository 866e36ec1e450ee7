import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, migrateToLatest, type Store } from '../../src/db/store.js';
import { testClock } from './clock.js';
import type { StoreAccess } from '../../src/app/session.js';
import { copySqliteTemplate, postgresTemplate, type TemplateName } from './templates.js';

/** The server the PostgreSQL half of the suite runs against; unset: SQLite only. */
export const PG_URL = process.env.CHORUS_ADMIN_TEST_PG || undefined;

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: DialectName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface FreshLocation {
  /** A SQLite file path (not yet created) or a postgres:// URL of an empty database. */
  location: string;
  dir: string;
  cleanup: () => Promise<void>;
}

/**
 * A store location nobody else uses: a file in a new temp folder, or a new PostgreSQL database;
 * empty, or a copy of the template store `from` (test/helpers/templates.ts).
 */
export async function freshLocation(
  dialect: DialectName,
  from?: TemplateName,
): Promise<FreshLocation> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-test-'));
  const removeDir = () => fs.rmSync(dir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    const location = path.join(dir, 'store.sqlite');
    if (from) await copySqliteTemplate(from, location);
    return { location, dir, cleanup: async () => removeDir() };
  }
  const name = `ca_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = from ? ` template ${await postgresTemplate(from)}` : '';
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}${template}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_URL!);
  url.pathname = '/' + name;
  return {
    location: url.toString(),
    dir,
    cleanup: async () => {
      removeDir();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** An opened, migrated, empty store on a fresh location (a copy of the migrated template). */
export async function freshStore(
  dialect: DialectName,
): Promise<{ store: Store; location: string; dir: string; cleanup: () => Promise<void> }> {
  const fresh = await freshLocation(dialect, 'migrated');
  const store = await openStore(fresh.location, { create: true, clock: testClock });
  await migrateToLatest(store);
  return {
    store,
    location: fresh.location,
    dir: fresh.dir,
    cleanup: async () => {
      await store.close();
      await fresh.cleanup();
    },
  };
}

/** How the app's `withStore` and `initStore` reach a store in tests: the test clock, 5 s locks. */
export const accessTo = (location: string): StoreAccess => ({
  location,
  clock: testClock,
  lockTimeoutMs: 5000,
});
