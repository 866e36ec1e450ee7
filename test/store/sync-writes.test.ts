import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/schema.js';
import { deferIndexes, suspendDigestTriggers } from '../../src/db/bulk-load.js';
import { rawSqlite, type Store } from '../../src/db/store.js';
import { eachAccount, principalManagers } from '../../src/db/sync.repository.js';
import { DIALECTS, freshStore } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure } from './support/seed.js';

// How the MADRHAS sync writes (db/sync.repository.ts): the digest triggers stand aside inside its
// transaction only, and a first load builds its random-order indexes again at the end (SQLite).

const DEFERRED = ['attachment_one_gp_uq', 'attachment_structure_idx', 'audit_log_target_idx'];

async function indexes(db: Db, dialect: string): Promise<string[]> {
  const rows =
    dialect === 'sqlite'
      ? await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' and name in (${sql.join(DEFERRED)}) order by name`.execute(
          db,
        )
      : await sql<{
          name: string;
        }>`select indexname as name from pg_indexes where indexname in (${sql.join(DEFERRED)}) order by indexname`.execute(
          db,
        );
  return rows.rows.map((r) => r.name);
}

const digestOf = async (db: Db, id: number) =>
  (
    await db
      .selectFrom('account')
      .select('syncDigest')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).syncDigest;

describe.each(DIALECTS)('the sync’s way of writing (%s)', (dialect) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let account: number;
  let structure: number;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(dialect));
    account = await addAccount(store.db, 'jean.dupont@mairie-pau.fr');
    structure = await addStructure(store.db, '21640445900010', '64000');
    await store.db
      .updateTable('account')
      .set({ syncDigest: 'abcdef0123456789' })
      .where('id', '=', account)
      .execute();
  });
  afterEach(async () => cleanup());

  /** Rolls the transaction back once `body` is done. */
  const rolledBack = async (body: (trx: Db) => Promise<void>) => {
    await expect(
      store.db.transaction().execute(async (trx) => {
        await body(trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
  };

  it('inside the transaction, a write leaves a digest alone; after it, or once put back, a write clears it', async () => {
    await store.db.transaction().execute(async (trx) => {
      const restore = await suspendDigestTriggers(trx);
      await addAttachment(trx, account, structure, 'UTILISATEUR', 'VALIDEE');
      await trx
        .updateTable('account')
        .set({ lastName: 'DUPOND' })
        .where('id', '=', account)
        .execute();
      expect(await digestOf(trx, account)).toBe('abcdef0123456789');
      await restore();
      await trx
        .updateTable('account')
        .set({ firstName: 'Jeanne' })
        .where('id', '=', account)
        .execute();
      expect(await digestOf(trx, account)).toBeNull();
    });
    await store.db
      .updateTable('account')
      .set({ syncDigest: 'abcdef0123456789' })
      .where('id', '=', account)
      .execute();
    await store.db
      .updateTable('account')
      .set({ lastName: 'DURAND' })
      .where('id', '=', account)
      .execute();
    expect(await digestOf(store.db, account)).toBeNull();
  });

  it('a rolled-back transaction gives the triggers back, put back or not', async () => {
    await rolledBack(async (trx) => void (await suspendDigestTriggers(trx)));
    await store.db
      .updateTable('account')
      .set({ lastName: 'DUPOND' })
      .where('id', '=', account)
      .execute();
    expect(await digestOf(store.db, account)).toBeNull();
  });

  it('a file with more than twice the rows the tables hold defers their random-order indexes (SQLite), built again on restore', async () => {
    expect(await indexes(store.db, dialect)).toEqual(DEFERRED);
    await store.db.transaction().execute(async (trx) => {
      const restore = await deferIndexes(trx, 3);
      expect(await indexes(trx, dialect)).toEqual(dialect === 'sqlite' ? [] : DEFERRED);
      await addAttachment(trx, account, structure, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
      await restore();
      expect(await indexes(trx, dialect)).toEqual(DEFERRED);
      // the builds sort in a smaller page cache; the store's comes back after them
      if (dialect === 'sqlite')
        expect(rawSqlite(trx)!.pragma('cache_size', { simple: true })).toBe(-16384);
    });
    // the unique index built again still holds: a second GP of the structure is refused
    const other = await addAccount(store.db, 'marie.durand@mairie-pau.fr');
    await expect(
      addAttachment(store.db, other, structure, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE'),
    ).rejects.toThrow();
    expect(await indexes(store.db, dialect)).toEqual(DEFERRED);
  });

  it('a table holding half the file’s rows or more keeps its indexes; a rolled-back run gives the deferred ones back', async () => {
    await addAttachment(store.db, account, structure, 'UTILISATEUR', 'VALIDEE');
    // one attachment against a file of two rows: kept; the audit log, empty, has its index deferred
    await rolledBack(async (trx) => {
      await deferIndexes(trx, 2);
      expect(await indexes(trx, dialect)).toEqual(
        dialect === 'sqlite' ? ['attachment_one_gp_uq', 'attachment_structure_idx'] : DEFERRED,
      );
    });
    expect(await indexes(store.db, dialect)).toEqual(DEFERRED);
  });
  it('the streamed sync reads every account, page by page, with its digest in place and whether full mode may deactivate it', async () => {
    const madrhas = await addAccount(store.db, 'paul.martin@mairie-pau.fr');
    const plain = await addAccount(store.db, 'anne.petit@mairie-pau.fr');
    await store.db
      .updateTable('account')
      .set({ source: 'MADRHAS', syncDigest: '0123456789abcdefstamp' })
      .where('id', '=', madrhas)
      .execute();
    const seen: [number, boolean, string][] = [];
    // a page of two: the accounts span two pages, and a third comes back empty
    await eachAccount(
      store.db,
      (id, active, text, at, end) => seen.push([id, active, text.slice(at, end)]),
      2,
    );
    expect(seen.filter(([id]) => [account, madrhas, plain].includes(id))).toEqual([
      [account, false, 'abcdef0123456789'],
      [madrhas, true, '0123456789abcdefstamp'],
      [plain, false, ''],
    ]);
    const total = await store.db
      .selectFrom('account')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(seen).toHaveLength(Number(total.n));
  });
  it('the store’s GPs as the sync reads them: structure → account, validated GPs only', async () => {
    const other = await addAccount(store.db, 'paul.martin@mairie-pau.fr');
    const second = await addStructure(store.db, '21640102400014', '64000');
    const third = await addStructure(store.db, '21640024200012', '64000');
    await addAttachment(store.db, account, structure, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    await addAttachment(store.db, other, second, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
    await addAttachment(store.db, account, third, 'UTILISATEUR', 'VALIDEE');
    expect(await principalManagers(store.db)).toEqual(
      new Map([
        [structure, account],
        [second, other],
      ]),
    );
  });
});
