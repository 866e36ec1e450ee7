import type { Db } from './schema.js';

/** Saved sync plans (app/sync/plan.ts): the store's revision they are bound to, the run that applied one. */

/**
 * The store's revision: the last change in the audit chain (its seq and hash). Refusals are
 * entries too but change nothing: a refused `sync apply` does not make the plan stale.
 */
export async function storeRevision(db: Db): Promise<{ seq: number; hash: string }> {
  const row = await db
    .selectFrom('auditLog')
    .select(['seq', 'hash'])
    .where('outcome', '=', 'OK')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? { seq: 0, hash: '' };
}

/** The run that applied the plan of this SHA-256, if any. */
export async function runOfPlan(db: Db, planSha256: string): Promise<number | null> {
  const row = await db
    .selectFrom('run')
    .select('id')
    .where('planSha256', '=', planSha256)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Records the plan a run applies (unique: a plan applies once). */
export async function setRunPlan(db: Db, runId: number, planSha256: string): Promise<void> {
  await db.updateTable('run').set({ planSha256 }).where('id', '=', runId).execute();
}

/** The key that seals saved plans (migration 0008). */
export async function planSealKey(db: Db): Promise<string> {
  const row = await db
    .selectFrom('storeKey')
    .select('value')
    .where('name', '=', 'plan-seal')
    .executeTakeFirstOrThrow();
  return row.value;
}
