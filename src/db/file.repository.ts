import type { FileType } from '../domain/enums.js';
import type { Db, FileRow, NewFile } from './schema.js';
import { rawSqlite } from './store.js';

/** Files (pièces jointes): metadata in `file`, bytes in `file_chunk` rows read back in `seq` order. */

export type FileRecord = FileRow & { login: string };

export async function insertFile(db: Db, file: NewFile): Promise<number> {
  const row = await db.insertInto('file').values(file).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertChunk(
  db: Db,
  fileId: number,
  seq: number,
  data: Buffer,
): Promise<void> {
  await db.insertInto('fileChunk').values({ fileId, seq, data }).execute();
}

/** Size and hash are known once every chunk is written. */
export async function completeFile(
  db: Db,
  id: number,
  done: { size: number; sha256: string },
): Promise<void> {
  await db.updateTable('file').set(done).where('id', '=', id).execute();
}

const withOwner = (db: Db) =>
  db
    .selectFrom('file')
    .innerJoin('account', 'account.id', 'file.accountId')
    .selectAll('file')
    .select('account.login');

/** A file with its owner's login, whoever the owner is: the caller asks the rights module. */
export async function findFile(db: Db, id: number): Promise<FileRecord | undefined> {
  return withOwner(db).where('file.id', '=', id).executeTakeFirst();
}

/** An account's files, oldest first, of one type if given. */
export async function filesOf(db: Db, accountId: number, type?: FileType): Promise<FileRecord[]> {
  return withOwner(db)
    .where('file.accountId', '=', accountId)
    .$if(type !== undefined, (q) => q.where('file.type', '=', type!))
    .orderBy('file.id')
    .execute();
}

export async function deleteFile(db: Db, id: number): Promise<void> {
  await db.deleteFrom('fileChunk').where('fileId', '=', id).execute();
  await db.deleteFrom('file').where('id', '=', id).execute();
}

/**
 * A file's bytes, chunk by chunk in `seq` order, never more than one chunk in memory: a
 * statement iterated row by row on SQLite, one query per chunk on PostgreSQL (pg would
 * otherwise read every row of the result before returning any).
 */
export async function* fileChunks(db: Db, fileId: number): AsyncGenerator<Buffer> {
  const sqlite = rawSqlite(db);
  if (sqlite) {
    const rows = sqlite
      .prepare('select data from file_chunk where file_id = ? order by seq')
      .pluck()
      .iterate(fileId) as IterableIterator<Buffer>;
    for (const data of rows) yield data;
    return;
  }
  for (let after = -1; ;) {
    const row = await db
      .selectFrom('fileChunk')
      .select(['seq', 'data'])
      .where('fileId', '=', fileId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (!row) return;
    yield row.data;
    after = row.seq;
  }
}

/** Every stored file's id, name and what its bytes must add up to, a page at a time (`db check`). */
export async function* allFiles(
  db: Db,
): AsyncGenerator<Pick<FileRow, 'id' | 'name' | 'size' | 'sha256'>> {
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('file')
      .select(['id', 'name', 'size', 'sha256'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    if (rows.length === 0) return;
    yield* rows;
    after = rows[rows.length - 1]!.id;
  }
}
