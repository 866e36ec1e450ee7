import type { Kysely } from 'kysely';

/**
 * Issue 17 point 8: every change may say why it was made (`--reason`, SPEC 11). The reason is a
 * column of its own, null for the entries written before (and for those given none); the hash
 * chain covers it only when it is there, so the chains already written verify as they did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('reason').execute();
}
