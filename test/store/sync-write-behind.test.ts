import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncMadrhas } from '../../src/app/sync/madrhas.js';
import { GROUPS } from '../../src/app/sync/stream.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';
import { copyRows, writeBehind, type WriteBehind } from '../../src/db/bulk-load.js';
import type { Db } from '../../src/db/schema.js';
import type { Store } from '../../src/db/store.js';
import { probeTable, refuseInsert } from './support/seed.js';
import { DIALECTS, freshStore, type FreshLocation } from '../helpers/stores.js';

// PostgreSQL's streamed sync writes behind (db/write-behind.ts WriteBehind, app/sync/stream.ts): a
// chunk's COPYs are queued on the connection while the next chunk is read and planned. A write
// that fails there must be the run's error (not the "transaction is aborted" of what was queued
// after it), and nothing may be committed. SQLite writes as it goes: the same outcome.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const HEADER = fs.readFileSync(path.join(FIXTURES, 'madrhas.csv'), 'utf8').split('\r\n')[0]!;
const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PAU = '21640445900010';
const agent = (i: number) => `agent.${i}@mairie-pau.fr`;
/** Plain users of one structure: three chunks of the streamed path (GROUPS accounts each, the last 200). */
const ROWS = Array.from(
  { length: 2 * GROUPS + 200 },
  (_, i) => `${agent(i)};M.;AGENT;Paul;${agent(i)};;SIRET;${PAU};;UTILISATEUR;01/01/2024;;ACTIF`,
);

describe.each(DIALECTS)('sync madrhas: a write that fails behind (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let file: string;
  eachDirectoryStore(
    dialect,
    CORR,
    '2025-03-10T09:30:00.000Z',
    (s, f) => ((store = s), (fresh = f)),
  );
  beforeEach(() => {
    file = path.join(fresh.dir, 'madrhas.csv');
    fs.writeFileSync(file, [HEADER, ...ROWS, ''].join('\r\n'));
  });

  /** A trigger refusing the insert of one row of `table` (the account `login`'s, or its attachment's). */
  async function refuse(table: 'account' | 'attachment', login: string): Promise<void> {
    const match =
      table === 'account'
        ? `new.login = '${login}'`
        : `new.account_id = (select id from account where login = '${login}')`;
    await refuseInsert(store.db, dialect, table, match, `probe: ${table} of ${login} refused`);
  }

  const counts = async () =>
    (
      await sql<{ accounts: number; attachments: number; notifications: number; runs: number }>`
        select (select count(*) from account) as accounts,
               (select count(*) from attachment) as attachments,
               (select count(*) from notification) as notifications,
               (select count(*) from run) as runs`.execute(store.db)
    ).rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])))[0];

  it.each([
    // the first chunk's accounts: the second chunk is read and planned behind them
    ['account', agent(10)],
    // the first chunk's attachments, a COPY after others of the same chunk
    ['attachment', agent(20)],
    // the middle chunk, whose writes are queued after the first's and before the last's
    ['attachment', agent(GROUPS + 200)],
    // the last chunk, written after the file is read
    ['account', agent(2 * GROUPS + 150)],
  ] as const)(
    'a refused %s (%s): the run fails with its error, and writes nothing',
    async (table, login) => {
      const before = await counts();
      await refuse(table, login);
      const error = await syncMadrhas(store, CORR, syncOptions(file, { strategy: 'auto' })).then(
        () => null,
        (err: unknown) => err,
      );
      expect(String(error)).toContain(`probe: ${table} of ${login} refused`);
      expect(await counts()).toEqual(before);
    },
  );

  it('the same file without the trigger is written whole, streamed', async () => {
    const summary = await syncMadrhas(store, CORR, syncOptions(file, { strategy: 'auto' }));
    expect(summary.strategy).toBe('streamed');
    expect(summary.created).toBe(ROWS.length);
    const after = await counts();
    expect([after!.attachments, after!.notifications]).toEqual([ROWS.length, ROWS.length]);
  });
});

describe.each(DIALECTS)('WriteBehind (%s)', (dialect) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore(dialect));
    await probeTable(store.db, dialect, 'behind_probe', 'label text, other text unique');
  });
  afterEach(async () => cleanup());

  const labels = async () =>
    (
      await sql<{ label: string }>`select label from behind_probe order by id`.execute(store.db)
    ).rows.map((r) => r.label);
  const many = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `${prefix}-other-${i}`]);

  if (dialect === 'sqlite')
    it('is off on SQLite, which writes as it is told', async () => {
      await store.db.transaction().execute(async (trx) => {
        expect(writeBehind(trx)).toBeNull();
        await copyRows(trx, 'behind_probe', ['label', 'other'], many('a', 20));
        expect(
          (await sql<{ n: number }>`select count(*) as n from behind_probe`.execute(trx)).rows[0]!
            .n,
        ).toBe(20);
      });
    });
  else {
    it('sends the writes in the order given, and a read queued after them sees them', async () => {
      await store.db.transaction().execute(async (trx) => {
        const behind = writeBehind(trx)!;
        try {
          for (let k = 0; k < 5; k++) {
            behind.nextChunk();
            await copyRows(trx, 'behind_probe', ['label', 'other'], many(`c${k}-`, 300));
            await copyRows(trx, 'behind_probe', ['label'], [[`small${k}`]]);
          }
          const seen = await behind.read(() =>
            sql<{ n: string }>`select count(*) as n from behind_probe`.execute(trx),
          );
          expect(Number(seen.rows[0]!.n)).toBe(5 * 301);
          await behind.drain();
        } finally {
          behind.end();
        }
      });
      const rows = await labels();
      expect(rows).toEqual(
        Array.from({ length: 5 }, (_, k) => [
          ...many(`c${k}-`, 300).map((r) => r[0]),
          `small${k}`,
        ]).flat(),
      );
    });

    /**
     * While the session's queue is held by a read that waits on a gate, the COPYs queued behind it
     * wait for it; each row of a probe table records `statement_timestamp()`, the time its
     * query message came, so rows written by one query share it.
     */
    async function held(trx: Db, queue: (behind: WriteBehind) => Promise<void>): Promise<void> {
      const behind = writeBehind(trx)!;
      try {
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        const reading = behind.read(() => gate);
        await queue(behind);
        open();
        await reading;
        await behind.drain();
      } catch (err) {
        throw (await behind.firstError()) ?? err;
      } finally {
        behind.end();
      }
    }

    it('COPYs queued while the connection is busy go as one query, in order; the next chunk or a read starts another', async () => {
      await sql`alter table behind_probe add column at timestamptz default statement_timestamp()`.execute(
        store.db,
      );
      await store.db.transaction().execute((trx) =>
        held(trx, async (behind) => {
          await copyRows(trx, 'behind_probe', ['label', 'other'], many('a', 20));
          await copyRows(trx, 'behind_probe', ['label', 'other'], many('b', 30));
          behind.nextChunk();
          await copyRows(trx, 'behind_probe', ['label', 'other'], many('c', 10));
          void behind.read(() => sql`select 1`.execute(trx));
          await copyRows(trx, 'behind_probe', ['label', 'other'], many('d', 10));
        }),
      );
      const rows = (
        await sql<{ label: string; at: string }>`
          select label, at::text as at from behind_probe order by id`.execute(store.db)
      ).rows;
      expect(rows.map((r) => r.label)).toEqual(
        ['a', 'b', 'c', 'd']
          .flatMap((p) => many(p, { a: 20, b: 30, c: 10, d: 10 }[p]!))
          .map((r) => r[0]),
      );
      const queryOf = (label: string) => rows.find((r) => r.label === label)!.at;
      // a and b: one query; c: the next chunk's; d: after the read
      expect(new Set(rows.filter((r) => /^[ab]/.test(r.label)).map((r) => r.at)).size).toBe(1);
      expect(new Set([queryOf('a0'), queryOf('c0'), queryOf('d0')]).size).toBe(3);
    });

    it('a COPY failing inside a batch is the error; what the batch held after it is not written', async () => {
      const failed = await store.db
        .transaction()
        .execute((trx) =>
          held(trx, async () => {
            await copyRows(trx, 'behind_probe', ['label', 'other'], many('ok', 50));
            const rows = many('bad', 50);
            rows[40]![1] = 'ok-other-3'; // a duplicate of the first COPY's, in the same batch
            await copyRows(trx, 'behind_probe', ['label', 'other'], rows);
            await copyRows(trx, 'behind_probe', ['label', 'other'], many('after', 50));
          }),
        )
        .then(
          () => null,
          (err: unknown) => err as { code?: string },
        );
      expect(failed?.code).toBe('23505'); // unique_violation, not 25P02 (aborted)
      expect(await labels()).toEqual([]);
    });

    it('refuses to end with queries still queued (COMMIT would not wait for them)', async () => {
      await store.db.transaction().execute(async (trx) => {
        const behind = writeBehind(trx)!;
        await copyRows(trx, 'behind_probe', ['label', 'other'], many('q', 50));
        expect(() => behind.end()).toThrow(/queued/);
        await behind.drain();
        behind.end();
      });
      expect(await labels()).toHaveLength(50);
    });

    it('the first failed write is the error, the writes after it are not sent, nothing is committed', async () => {
      const failed = await store.db
        .transaction()
        .execute(async (trx) => {
          const behind = writeBehind(trx)!;
          try {
            await copyRows(trx, 'behind_probe', ['label', 'other'], many('ok', 50));
            const rows = many('bad', 50);
            rows[40]![1] = 'ok-other-3'; // a duplicate of the first load's
            await copyRows(trx, 'behind_probe', ['label', 'other'], rows);
            await copyRows(trx, 'behind_probe', ['label', 'other'], many('after', 50));
            behind.nextChunk();
            await copyRows(trx, 'behind_probe', ['label', 'other'], many('next', 50));
            // the chunk before awaited: the duplicate's error
            await behind.ready();
            expect.unreachable('ready() throws the failed write');
          } catch (err) {
            throw (await behind.firstError()) ?? err;
          } finally {
            behind.end();
          }
        })
        .then(
          () => null,
          (err: unknown) => err as { code?: string; message: string },
        );
      expect(failed?.code).toBe('23505'); // unique_violation, not 25P02 (aborted)
      expect(await labels()).toEqual([]);
    });
  }
});
