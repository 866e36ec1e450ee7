import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachPacked } from '../../src/db/bulk.js';
import type { Store } from '../../src/db/store.js';
import { DIALECTS, freshStore } from '../helpers/stores.js';
import { addStructure } from './support/seed.js';

// The batch paths' large reads (db/bulk.ts): a table a page at a time, as packed text.
describe.each(DIALECTS)('eachPacked (%s)', (dialect) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await freshStore(dialect)));
  afterEach(async () => cleanup());

  it('hands every row once, in pages, cells in column order, null as empty', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(await addStructure(store.db, `2164044590001${i}`, i % 2 ? '64000' : '40000'));
    // one structure without a département, one with an empty city
    await store.db
      .updateTable('structure')
      .set({ departement: null })
      .where('id', '=', ids[3]!)
      .execute();
    await store.db.updateTable('structure').set({ city: '' }).where('id', '=', ids[5]!).execute();
    const seen: string[][] = [];
    for (const page of [2, 3, 7, 100]) {
      seen.length = 0;
      await eachPacked(
        store.db,
        'structure',
        ['id', 'identifier', 'departement', 'city'],
        (cells) => seen.push([...cells]),
        page,
      );
      expect(
        seen.sort((a, b) => Number(a[0]) - Number(b[0])),
        `page ${page}`,
      ).toEqual(
        ids.map((id, i) => [
          String(id),
          `2164044590001${i}`,
          i === 3 ? '' : i % 2 ? '64' : '40',
          i === 5 ? '' : 'BAYONNE',
        ]),
      );
    }
  });

  it('hands nothing for an empty table', async () => {
    let n = 0;
    await eachPacked(store.db, 'service', ['id', 'code'], () => n++);
    expect(n).toBe(0);
  });
});
