import type { Kysely } from 'kysely';

/**
 * Issue 16 points 9 and 10: a cold sync writes a before-image per account it creates, and
 * `run_change_target` (0008) indexed each by its target at a random place — 1.1 s of a
 * million-row first load on SQLite (built again before its commit), half of the server's work in
 * the before-images' COPY on PostgreSQL. No query reads it: the one filter on a target,
 * `audit list --target` (run-change.repository.ts `auditedChanges`), is `target = X or target
 * like '%:X'`, which neither store can answer from it (SQLite goes by `run_change_run`, PostgreSQL
 * scans the table). An index that nothing reads costs every write and gives nothing back.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('run_change_target').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('run_change_target').on('run_change').column('target').execute();
}
