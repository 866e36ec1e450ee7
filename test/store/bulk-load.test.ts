import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyRows,
  insertRowsWithIds,
  lookUpByIndexes,
  suspendDigestTriggers,
} from '../../src/db/bulk-load.js';
import { copyField, copyLine } from '../../src/db/copy-text.js';
import { lockForLongRun, type Store } from '../../src/db/store.js';
import { probeTable } from './support/seed.js';
import { DIALECTS, freshStore } from '../helpers/stores.js';

// The bulk loader (db/bulk-load.ts): COPY FROM STDIN on PostgreSQL, prepared inserts on SQLite.
// Whatever the path, what is read back is what was given, byte for byte.

/** Values COPY's text format must escape, or tell apart. */
const NASTY = [
  'tab\there',
  'new\nline',
  'carriage\r\nreturn',
  'back\\slash \\N \\t \\\\',
  '\\N',
  '',
  ' ',
  'É lève à Noël — 漢字 😀',
  'form\ffeed \b \v',
  'quote \' " ; |',
  null,
];

describe('copyField (COPY text format)', () => {
  it('escapes backslash, tab, newline, carriage return and NULL', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField('')).toBe('');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('É 😀')).toBe('É 😀');
    expect(copyField(12)).toBe('12');
    expect(copyField(true)).toBe('t');
    expect(copyField({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
    expect(copyLine(['a', null, 3])).toBe('a\t\\N\t3\n');
  });
});

describe.each(DIALECTS)('copyRows, insertRowsWithIds (%s)', (dialect) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(dialect));
    await probeTable(store.db, dialect, 'copy_probe', 'label text, other text unique, n integer');
  });
  afterEach(async () => cleanup());

  const read = async () =>
    (
      await sql<{
        id: number;
        label: string | null;
        other: string | null;
        n: number | null;
      }>`select id, label, other, n from copy_probe order by id`.execute(store.db)
    ).rows;

  // many rows take COPY on PostgreSQL, a few the multi-row INSERT: both must give the values back
  for (const copies of [40, 2])
    it(`gives back tabs, newlines, backslashes, NULL apart from '' and non-ASCII (${copies} rows)`, async () => {
      const rows = Array.from({ length: copies }, (_, i) => [
        NASTY[i % NASTY.length],
        `${i}:${NASTY[(i + 3) % NASTY.length] ?? 'null'}`,
        i % 5 === 0 ? null : i,
      ]);
      await store.db
        .transaction()
        .execute((trx) => copyRows(trx, 'copy_probe', ['label', 'other', 'n'], rows));
      const back = await read();
      expect(back.map((r) => [r.label, r.other, r.n])).toEqual(rows);
      expect(back.filter((r) => r.label === null)).toHaveLength(
        rows.filter((r) => r[0] === null).length,
      );
      expect(back.filter((r) => r.label === '')).toHaveLength(
        rows.filter((r) => r[0] === '').length,
      );
    });

  // a column with one value in every row of a batch is written once (a literal on SQLite, one
  // encoding in the COPY text): whatever the value, each row stores it as given
  it('stores a value that fills a whole column of the batch as it stores it row by row', async () => {
    const all = await store.db.transaction().execute(async (trx) => {
      const stored: unknown[][] = [];
      const plain = ['2026-12-06T11:02:04.204Z', 'bench@dgfip.finances.gouv.fr', 'VALIDEE'];
      for (const [k, value] of [...NASTY, ...plain, "it's", "x' || 'y", 7].entries()) {
        const rows = Array.from({ length: 20 }, (_, i) => [value, `${k}.${i}`, 5]);
        const ids = await insertRowsWithIds(trx, 'copy_probe', ['label', 'other', 'n'], rows);
        await copyRows(
          trx,
          'copy_probe',
          ['label', 'other', 'n'],
          rows.map((r, i) => [r[0], `c${k}.${i}`, r[2]]),
        );
        stored.push([value, ids.length]);
      }
      return stored;
    });
    const back = await read();
    expect(back).toHaveLength(all.length * 40);
    for (const [k, [value]] of all.entries()) {
      const mine = back.filter(
        (r) => r.other!.startsWith(`${k}.`) || r.other!.startsWith(`c${k}.`),
      );
      expect(mine).toHaveLength(40);
      // a number given for a text column is stored as binding stores it, row by row or not
      const label = typeof value === 'number' ? mine[0]!.label : value;
      for (const r of mine) expect([r.label, r.n]).toEqual([label, 5]);
    }
    if (dialect === 'sqlite') {
      // text stays text and null null: nothing turned into a number or a string on the way
      const types = await sql<{ t: string; n: number }>`select typeof(label) as t, count(*) as n
        from copy_probe group by 1 order by 1`.execute(store.db);
      expect(types.rows).toEqual([
        { t: 'null', n: 40 },
        { t: 'text', n: all.length * 40 - 40 },
      ]);
    }
  });

  it('returns the ids of the rows it inserts, in their order, after the rows already there', async () => {
    await store.db
      .transaction()
      .execute((trx) => copyRows(trx, 'copy_probe', ['label'], [['before']]));
    const labels = Array.from({ length: 30 }, (_, i) => `row ${i}\t${NASTY[i % NASTY.length]}`);
    const ids = await store.db.transaction().execute((trx) =>
      insertRowsWithIds(
        trx,
        'copy_probe',
        ['label', 'n'],
        labels.map((l, i) => [l, i]),
      ),
    );
    expect(new Set(ids).size).toBe(30);
    const back = await read();
    expect(back).toHaveLength(31);
    for (const [i, id] of ids.entries()) {
      const row = back.find((r) => r.id === id)!;
      expect([row.label, row.n]).toEqual([labels[i], i]);
      expect(id).toBeGreaterThan(back[0]!.id);
    }
    // the table's own ids go on after them
    await store.db
      .transaction()
      .execute((trx) => copyRows(trx, 'copy_probe', ['label'], [['after']]));
    expect((await read()).at(-1)!.id).toBeGreaterThan(Math.max(...ids));
  });

  it('in a long run, takes its ids from a reserve: after the rows there, and the table goes on after them', async () => {
    await store.db
      .transaction()
      .execute((trx) => copyRows(trx, 'copy_probe', ['label'], [['before']]));
    const rows = (k: number) => Array.from({ length: 20 }, (_, i) => [`run ${k}.${i}`]);
    const ids = await store.db.transaction().execute(async (trx) => {
      await lockForLongRun(trx, dialect);
      const restore = await suspendDigestTriggers(trx); // the bulk-load session of a sync
      const first = await insertRowsWithIds(trx, 'copy_probe', ['label'], rows(1));
      const second = await insertRowsWithIds(trx, 'copy_probe', ['label'], rows(2));
      await restore();
      return [...first, ...second];
    });
    const back = await read();
    expect(back.map((r) => r.label)).toEqual(['before', ...rows(1).flat(), ...rows(2).flat()]);
    expect(back.slice(1).map((r) => r.id)).toEqual(ids);
    expect(ids[0]).toBeGreaterThan(back[0]!.id);
    // a plain insert after the run takes an id the reserve did not hand out
    await store.db
      .transaction()
      .execute((trx) => copyRows(trx, 'copy_probe', ['label'], [['after']]));
    expect((await read()).at(-1)!.id).toBeGreaterThan(Math.max(...ids));
  });

  // SQLite inserts 32 rows a statement and gives them their ids itself: those it would have given
  it('gives 70 rows, a statement of many and some of one, the ids the table would have, never one it gave before', async () => {
    const rows = (k: number, n: number) => Array.from({ length: n }, (_, i) => [`r${k}.${i}`, i]);
    const first = await store.db
      .transaction()
      .execute((trx) => insertRowsWithIds(trx, 'copy_probe', ['label', 'n'], rows(1, 40)));
    // the last ten deleted: an AUTOINCREMENT table (a sequence) does not give their ids again
    await sql`delete from copy_probe where id > ${first[29]!}`.execute(store.db);
    const second = await store.db
      .transaction()
      .execute((trx) => insertRowsWithIds(trx, 'copy_probe', ['label', 'n'], rows(2, 70)));
    expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
    expect(new Set(second).size).toBe(70);
    const back = await read();
    expect(back.map((r) => [r.id, r.label, r.n])).toEqual([
      ...first.slice(0, 30).map((id, i) => [id, `r1.${i}`, i]),
      ...second.map((id, i) => [id, `r2.${i}`, i]),
    ]);
    if (dialect === 'sqlite') expect(second).toEqual(second.map((_, i) => first[39]! + 1 + i));
  });

  it('a row refused in a statement of many fails the whole load, and its transaction writes nothing', async () => {
    const rows = Array.from({ length: 70 }, (_, i) => [`x${i}`, i === 50 ? 'o3' : `o${i}`]);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await copyRows(trx, 'copy_probe', ['label'], [['first']]);
        await insertRowsWithIds(trx, 'copy_probe', ['label', 'other'], rows);
      }),
    ).rejects.toThrow(/unique|UNIQUE/);
    expect(await read()).toEqual([]);
  });

  it('a row the table refuses fails the whole load, and its transaction writes nothing', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => [`x${i}`, i === 17 ? 'dup' : `o${i}`]);
    rows.push(['y', 'dup']);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await copyRows(trx, 'copy_probe', ['label'], [['first']]);
        await copyRows(trx, 'copy_probe', ['label', 'other'], rows);
      }),
    ).rejects.toThrow(/unique|UNIQUE/);
    expect(await read()).toEqual([]);
  });
});

describe.runIf(DIALECTS.includes('postgres'))('lookUpByIndexes (postgres)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
    // 20,000 rows never analysed, as a table an import has just filled
    await sql`create table lookup_probe (id serial primary key, key text not null)`.execute(
      store.db,
    );
    await sql`alter table lookup_probe set (autovacuum_enabled = false)`.execute(store.db);
    await sql`create index lookup_probe_key on lookup_probe (key)`.execute(store.db);
    await sql`insert into lookup_probe (key) select 'k' || n from generate_series(1, 20000) as n`.execute(
      store.db,
    );
  });
  afterEach(async () => cleanup());

  const keys = Array.from({ length: 1000 }, (_, i) => `k${i * 7 + 1}`);
  /** The plan's top node for a batch's lookup of 1,000 keys. */
  const plan = async (db: typeof store.db) => {
    const r = await sql<{
      'QUERY PLAN': string;
    }>`explain select * from lookup_probe where key in (${sql.join(keys)})`.execute(db);
    return r.rows[0]!['QUERY PLAN'];
  };

  it('a batch of keys takes the index for the rest of the transaction, and only there', async () => {
    await store.db.transaction().execute(async (trx) => {
      expect(await plan(trx)).toMatch(/^Seq Scan/);
      await lookUpByIndexes(trx);
      expect(await plan(trx)).toMatch(/^(Bitmap Heap Scan|Index Scan)/);
    });
    expect(await plan(store.db)).toMatch(/^Seq Scan/);
  });
});
