import type { Kysely } from 'kysely';
import { types } from './dialect.js';

/**
 * Issue 16 point 9: the unchanged re-sync within a quarter of the floor's. A sync reads every
 * account's digest before it reads the file (800,000 rows, a third of such a run); each sync
 * leaves them here as the next one needs them (app/sync/digests.ts), a row per page of accounts,
 * with its run's id. The next sync takes them as they are while that run's audit entry is still
 * the chain's last change: any change since, by any command, appends an entry after it. A later
 * migration that changes accounts must empty this table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const t = types(db);
  await db.schema
    .createTable('sync_digest_snapshot')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('run.id'))
    .addColumn('stamp', 'text', (c) => c.notNull())
    .addColumn('max_id', 'integer', (c) => c.notNull())
    .addColumn('entries', t.blob, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sync_digest_snapshot').execute();
}
