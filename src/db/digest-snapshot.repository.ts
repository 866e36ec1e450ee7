import { sql } from 'kysely';
import type { Db } from './schema.js';

/**
 * The accounts' digests as the last sync left them (migration 0009): rows of entries
 * app/sync/digests.ts writes and reads, a page of accounts each.
 */

/**
 * The snapshot, when it is still the store's: the run that left it wrote the audit chain's last
 * change (its `sync.madrhas` entry is the last OK entry; a refusal changes nothing), and its
 * digests' freshness was judged against `stamp`. Its highest account id and its number of rows;
 * null otherwise (or when it has no row).
 */
export async function currentSnapshot(
  db: Db,
  stamp: string,
): Promise<{ maxId: number; rows: number } | null> {
  const row = await db
    .selectFrom('syncDigestSnapshot')
    .select([sql<number>`max(max_id)`.as('maxId'), sql<number>`count(*)`.as('rows')])
    .where('stamp', '=', stamp)
    .where((eb) =>
      eb(
        'runId',
        '=',
        eb
          .selectFrom('auditLog')
          .select('runId')
          .where('outcome', '=', 'OK')
          .where('action', '=', 'sync.madrhas')
          .where(
            'seq',
            '=',
            eb
              .selectFrom('auditLog')
              .select(sql<number>`max(seq)`.as('seq'))
              .where('outcome', '=', 'OK'),
          ),
      ),
    )
    .executeTakeFirst();
  const rows = Number(row?.rows ?? 0);
  return rows === 0 ? null : { maxId: Number(row!.maxId), rows };
}

/** The entries of the snapshot's row `seq` (from 0). */
export async function snapshotRow(db: Db, seq: number): Promise<Uint8Array> {
  const row = await db
    .selectFrom('syncDigestSnapshot')
    .select('entries')
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
  return row.entries;
}

/** Adds row `seq` to the snapshot `runId` leaves. */
export async function addSnapshotRow(
  db: Db,
  row: { seq: number; runId: number; stamp: string; maxId: number; entries: Uint8Array },
): Promise<void> {
  const { entries } = row;
  await db
    .insertInto('syncDigestSnapshot')
    .values({
      ...row,
      entries: Buffer.from(entries.buffer, entries.byteOffset, entries.byteLength),
    })
    .execute();
}

/** The snapshot stays as it is, now the state `runId` leaves (a run that changed no account). */
export async function renewSnapshot(db: Db, runId: number): Promise<void> {
  await db.updateTable('syncDigestSnapshot').set({ runId }).execute();
}

/** No snapshot: the next sync reads the accounts. */
export async function dropSnapshot(db: Db): Promise<void> {
  await db.deleteFrom('syncDigestSnapshot').execute();
}
