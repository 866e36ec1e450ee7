import type { Db, NewRun } from './schema.js';

/** Batch runs (MADRHAS sync, directory imports): their audit entries point at them. */

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
