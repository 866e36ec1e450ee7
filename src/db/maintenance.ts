import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { TABLES_IN_ORDER } from './schema.js';
import { migrateToLatest, openStore, type Store } from './store.js';

// The store's upkeep (`db check`, `db backup`): its own checks run, and a consistent copy of it
// written to a new SQLite file, from either dialect.

/** Problems the store's own checks find; empty when sound. */
export async function integrityProblems(store: Store): Promise<string[]> {
  if (store.dialect === 'postgres') return []; // the server enforces its constraints; nothing to scan
  const integrity = await sql<{ integrityCheck: string }>`pragma integrity_check`.execute(store.db);
  const problems = integrity.rows
    .map((r) => Object.values(r)[0] as string)
    .filter((v) => v !== 'ok');
  const fks = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(store.db);
  for (const r of fks.rows) problems.push(`foreign key: ${JSON.stringify(r)}`);
  return problems;
}

/** Each table's key, the order a copy reads its rows in. */
export const TABLE_KEYS: Record<(typeof TABLES_IN_ORDER)[number], string[]> = {
  account: ['id'],
  correspondentScope: ['accountId', 'departement'],
  structure: ['id'],
  service: ['id'],
  attachment: ['id'],
  attachmentService: ['attachmentId', 'serviceId'],
  habilitation: ['id'],
  subscription: ['id'],
  file: ['id'],
  fileChunk: ['fileId', 'seq'],
  notification: ['id'],
  run: ['id'],
  runChange: ['id'],
  syncDigestSnapshot: ['seq'],
  storeKey: ['name'],
  auditLog: ['seq'],
  auditHead: ['id'],
  directoryState: ['id'],
};

/** Rows copied at a time; a file chunk holds up to a mebibyte, so a thousand of them would be a gigabyte. */
const BATCH_ROWS: Partial<Record<(typeof TABLES_IN_ORDER)[number], number>> = { fileChunk: 8 };

/**
 * Writes a consistent copy of the store to a new SQLite file. From SQLite, the online backup
 * API; from PostgreSQL, every table copied in one repeatable-read transaction, so a regional
 * store can be saved, or taken to one machine, as a plain file (`--db FILE` opens it).
 */
export async function backupTo(store: Store, file: string): Promise<void> {
  const dest = path.resolve(file);
  // Claim the file first, on both paths: a backup never writes into an existing file.
  fs.closeSync(fs.openSync(dest, 'wx', 0o600));
  // Written under a name of our own beside it, then moved onto the file we claimed: better-sqlite3
  // trims a file name, so `db backup 'x '` would otherwise write into `x`, whatever `x` holds.
  const aside = path.join(
    path.dirname(dest),
    `.chorus-admin-backup-${randomBytes(6).toString('hex')}`,
  );
  try {
    fs.closeSync(fs.openSync(aside, 'wx', 0o600)); // never readable by others, not for a moment
    if (store.dialect === 'sqlite') await sqliteOnlineBackup(store.location, aside);
    else await copyPostgresToSqlite(store, aside);
    fs.renameSync(aside, dest);
  } catch (err) {
    // a half-written backup must not pass for a backup
    for (const f of [aside, `${aside}-journal`, dest]) fs.rmSync(f, { force: true });
    throw err;
  }
}

async function sqliteOnlineBackup(source: string, dest: string): Promise<void> {
  const database = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
  try {
    await database.backup(dest);
  } finally {
    database.close();
  }
}

async function copyPostgresToSqlite(store: Store, dest: string): Promise<void> {
  const copy = await openStore(dest);
  try {
    await migrateToLatest(copy);
    // the singletons come from the source, as they are there
    await copy.db.deleteFrom('auditHead').execute();
    await copy.db.deleteFrom('directoryState').execute();
    await copy.db.deleteFrom('storeKey').execute();
    await store.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (from) => {
        await copy.db.transaction().execute(async (to) => {
          for (const table of TABLES_IN_ORDER) {
            const keys = TABLE_KEYS[table];
            const batch = BATCH_ROWS[table] ?? 1000;
            for (let offset = 0; ; offset += batch) {
              let q = from.selectFrom(table).selectAll();
              for (const k of keys) q = q.orderBy(k as never);
              const rows = await q.limit(batch).offset(offset).execute();
              if (rows.length === 0) break;
              await to.insertInto(table).values(rows).execute();
            }
          }
        });
      });
  } finally {
    await copy.close();
  }
}
