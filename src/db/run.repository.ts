import { bulkInsert } from './bulk.js';
import type { Db, NewRun, RunRow } from './schema.js';

/** Batch runs (MADRHAS sync, directory imports, reverts): their audit entries point at them. */

export async function insertRun(db: Db, run: NewRun): Promise<number> {
  const { id } = await db.insertInto('run').values(run).returning('id').executeTakeFirstOrThrow();
  return id;
}

/** When the run ended, and what it counted (JSON). */
export async function finishRun(
  db: Db,
  id: number,
  end: { finishedAt: string; counts: string },
): Promise<void> {
  await db.updateTable('run').set(end).where('id', '=', id).execute();
}

export async function findRun(db: Db, id: number): Promise<RunRow | undefined> {
  return db.selectFrom('run').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The finished runs, newest first, with the id of their actor's account (null: none). */
export async function listRuns(
  db: Db,
  limit: number,
): Promise<(RunRow & { actorId: number | null })[]> {
  return db
    .selectFrom('run')
    .leftJoin('account', 'account.login', 'run.actor')
    .selectAll('run')
    .select('account.id as actorId')
    .where('run.finishedAt', 'is not', null)
    .orderBy('run.id', 'desc')
    .limit(limit)
    .execute();
}

/** Marks a run reverted by another. */
export async function setRevertedBy(db: Db, id: number, by: number): Promise<void> {
  await db.updateTable('run').set({ revertedBy: by }).where('id', '=', id).execute();
}

// ---- what a run changed (migration 0008) ---------------------------------------------------

/** One account or structure a run changed: [run_id, target, kind, before JSON, after JSON]. */
export type RunChangeValues = [number, string, string, string | null, string];

const CHANGE_COLUMNS = ['run_id', 'target', 'kind', 'before', 'after'] as const;

export async function insertRunChanges(db: Db, rows: readonly RunChangeValues[]): Promise<void> {
  if (rows.length > 0) await bulkInsert(db, 'run_change', CHANGE_COLUMNS, rows);
}

export interface RunChangeRow {
  id: number;
  target: string;
  kind: string;
  before: string | null;
  after: string;
}

/**
 * A page of a run's changes in the order the run wrote them (`after`: the last id seen, 0 first),
 * or the reverse (`newestFirst`, `after`: the last id seen, Infinity first).
 */
export async function runChanges(
  db: Db,
  runId: number,
  after: number,
  limit: number,
  newestFirst = false,
): Promise<RunChangeRow[]> {
  let q = db
    .selectFrom('runChange')
    .select(['id', 'target', 'kind', 'before', 'after'])
    .where('runId', '=', runId);
  if (newestFirst) {
    if (Number.isFinite(after)) q = q.where('id', '<', after);
    q = q.orderBy('id', 'desc');
  } else q = q.where('id', '>', after).orderBy('id', 'asc');
  return q.limit(limit).execute();
}

export async function countRunChanges(db: Db, runId: number): Promise<number> {
  const { n } = await db
    .selectFrom('runChange')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('runId', '=', runId)
    .executeTakeFirstOrThrow();
  return Number(n);
}
