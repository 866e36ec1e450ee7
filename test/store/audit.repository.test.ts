import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ChainVerifier,
  entryHash,
  GENESIS_HASH,
  type Break,
} from '../../src/domain/audit-chain.js';
import {
  allAuditEntries,
  appendAudit,
  listAudit,
  readHead,
  type AuditFilter,
} from '../../src/db/audit.repository.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import { DIALECTS, freshStore } from '../helpers/stores.js';
import { appendFromProcesses } from './support/concurrent.js';
import { count, entry } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

/** Walks the stored chain as `audit verify` does. */
async function verify(db: Db): Promise<{ broken: Break | null; count: number }> {
  const verifier = new ChainVerifier();
  for await (const e of allAuditEntries(db)) verifier.next(e);
  return { broken: verifier.end(await readHead(db)), count: verifier.count };
}

describe.each(DIALECTS)('audit repository (%s)', (dialect) => {
  let store: Store;
  let location: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, location, cleanup } = await freshStore(dialect));
  });
  afterEach(async () => {
    await cleanup();
  });

  const append = (entries: ReturnType<typeof entry>[]) =>
    store.db.transaction().execute((trx) => appendAudit(trx, entries));

  describe('appendAudit', () => {
    it('chains the entries from the genesis and moves the head to the last one', async () => {
      const chained = await append([
        entry({ actor: 'a' }),
        entry({ actor: 'b', changes: '{"x":1}' }),
        entry({ actor: 'c', outcome: 'REFUSED' }),
      ]);

      expect(chained.map((e) => e.seq)).toEqual([1, 2, 3]);
      expect(chained[0]!.prevHash).toBe(GENESIS_HASH);
      expect(chained[1]!.prevHash).toBe(chained[0]!.hash);
      expect(chained[2]!.prevHash).toBe(chained[1]!.hash);
      for (const e of chained) expect(e.hash).toBe(entryHash(e, e.prevHash));
      expect(new Set(chained.map((e) => e.hash)).size).toBe(3);

      const stored = await store.db.selectFrom('auditLog').selectAll().orderBy('seq').execute();
      expect(stored).toEqual(chained);
      expect(await readHead(store.db)).toEqual({ seq: 3, hash: chained[2]!.hash });
      expect(await verify(store.db)).toEqual({ broken: null, count: 3 });
    });

    it('continues the chain across transactions', async () => {
      const first = await append([entry({ actor: 'a' }), entry({ actor: 'b' })]);
      const second = await append([entry({ actor: 'c' })]);
      const third = await append([entry({ actor: 'd' }), entry({ actor: 'e' })]);

      expect([...first, ...second, ...third].map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(second[0]!.prevHash).toBe(first[1]!.hash);
      expect(third[0]!.prevHash).toBe(second[0]!.hash);
      expect(await readHead(store.db)).toEqual({ seq: 5, hash: third[1]!.hash });
      expect(await verify(store.db)).toEqual({ broken: null, count: 5 });
    });

    it('writes nothing, and leaves the head alone, for no entries', async () => {
      expect(await append([])).toEqual([]);
      expect(await readHead(store.db)).toEqual({ seq: 0, hash: GENESIS_HASH });
      expect(await count(store.db, 'auditLog')).toBe(0);
    });

    it('leaves no entry and the head unchanged when the transaction rolls back', async () => {
      const kept = await append([entry({ actor: 'a' }), entry({ actor: 'b' })]);
      const head = await readHead(store.db);

      await expect(
        store.db.transaction().execute(async (trx) => {
          const appended = await appendAudit(trx, [
            entry({ actor: 'lost1' }),
            entry({ actor: 'lost2' }),
          ]);
          expect(appended.map((e) => e.seq)).toEqual([3, 4]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');

      expect(await readHead(store.db)).toEqual(head);
      expect(
        await store.db.selectFrom('auditLog').select('actor').orderBy('seq').execute(),
      ).toEqual([{ actor: 'a' }, { actor: 'b' }]);
      // the next entry takes the sequence number the rolled-back one had
      const next = await append([entry({ actor: 'c' })]);
      expect(next[0]).toMatchObject({ seq: 3, prevHash: kept[1]!.hash });
      expect(await verify(store.db)).toEqual({ broken: null, count: 3 });
    });

    it('chains a batch larger than one insert (500 rows) in order', async () => {
      const chained = await append(
        Array.from({ length: 1203 }, (_, i) => entry({ target: `item:${i}` })),
      );
      expect(chained.at(-1)!.seq).toBe(1203);
      expect(await count(store.db, 'auditLog')).toBe(1203);
      expect(await verify(store.db)).toEqual({ broken: null, count: 1203 });
    });

    it('is seen broken by the verifier once a stored entry is altered', async () => {
      await append([entry({ actor: 'a' }), entry({ actor: 'b' }), entry({ actor: 'c' })]);
      await store.db
        .updateTable('auditLog')
        .set({ actor: 'mallory' })
        .where('seq', '=', 2)
        .execute();
      expect((await verify(store.db)).broken).toEqual({ kind: 'altered', seq: 2 });
    });
  });

  describe('listAudit', () => {
    const JAN = '2025-01-15T10:00:00.000Z';
    const FEB = '2025-02-15T10:00:00.000Z';
    const MAR = '2025-03-15T10:00:00.000Z';
    beforeEach(async () => {
      await append([
        entry({ at: JAN, actor: 'alice', action: 'account.create', target: 'account:jean@x.fr' }), // 1
        entry({ at: JAN, actor: 'bob', action: 'account.edit', target: 'account:jean@x.fr' }), // 2
        entry({ at: FEB, actor: 'alice', action: 'account.delete', target: 'account:marie@x.fr' }), // 3
        entry({ at: FEB, actor: 'alice', action: 'account.create', target: 'account:a_b@x.fr' }), // 4
        entry({ at: FEB, actor: 'alice', action: 'account.create', target: 'account:aXb@x.fr' }), // 5
        entry({ at: MAR, actor: 'bob', action: 'structure.import', target: 'structure:100%' }), // 6
        entry({ at: MAR, actor: 'bob', action: 'structure.import', target: 'structure:1000' }), // 7
        entry({ at: MAR, actor: 'bob', action: 'account.create', target: 'account:xjean@x.fr' }), // 8
        entry({ at: MAR, actor: 'al%', action: 'account.create', target: 'jean@x.fr' }), // 9
        entry({ at: MAR, actor: 'bob', action: 'account.create', target: 'account:back\\slash' }), // 10
        entry({ at: MAR, actor: 'bob', action: 'account.create', target: 'account:backxslash' }), // 11
      ]);
    });

    const seqs = async (filter: AuditFilter) =>
      (await listAudit(store.db, filter)).rows.map((e) => e.seq);

    it('lists everything, newest first, without a filter', async () => {
      expect(await seqs({})).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    });

    it('filters by actor, exactly', async () => {
      expect(await seqs({ actor: 'alice' })).toEqual([5, 4, 3, 1]);
      expect(await seqs({ actor: 'al%' })).toEqual([9]);
      expect(await seqs({ actor: 'ALICE' })).toEqual([]);
    });

    it('filters by target, whole or by the part after the colon', async () => {
      expect(await seqs({ target: 'account:jean@x.fr' })).toEqual([2, 1]);
      expect(await seqs({ target: 'jean@x.fr' })).toEqual([9, 2, 1]);
      expect(await seqs({ target: 'jean' })).toEqual([]);
      expect(await seqs({ target: 'x.fr' })).toEqual([]);
    });

    it('matches LIKE wildcards in the target literally', async () => {
      expect(await seqs({ target: 'a_b@x.fr' })).toEqual([4]);
      expect(await seqs({ target: '100%' })).toEqual([6]);
      expect(await seqs({ target: '%' })).toEqual([]);
      expect(await seqs({ target: '_' })).toEqual([]);
      expect(await seqs({ target: 'back\\slash' })).toEqual([10]);
    });

    it('filters by date, action and count, together', async () => {
      expect(await seqs({ since: FEB })).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3]);
      expect(await seqs({ since: '2025-03-01' })).toEqual([11, 10, 9, 8, 7, 6]);
      expect(await seqs({ action: 'account.create' })).toEqual([11, 10, 9, 8, 5, 4, 1]);
      expect(await seqs({ action: 'account.create', actor: 'alice', since: FEB })).toEqual([5, 4]);
      expect(await seqs({ limit: 3 })).toEqual([11, 10, 9]);
      expect(await seqs({ actor: 'bob', limit: 2 })).toEqual([11, 10]);
      expect(await seqs({ limit: 0 })).toHaveLength(11);
    });
  });

  describe('allAuditEntries', () => {
    it('pages through more than 5000 entries in chain order', async () => {
      const total = 10_001;
      await store.db.transaction().execute((trx) =>
        appendAudit(
          trx,
          Array.from({ length: total }, (_, i) => entry({ target: `item:${i}` })),
        ),
      );
      let expected = 1;
      for await (const e of allAuditEntries(store.db)) {
        if (e.seq !== expected || e.target !== `item:${expected - 1}`)
          throw new Error(`entry ${e.seq} (${e.target}) where ${expected} was expected`);
        expected += 1;
      }
      expect(expected - 1).toBe(total);
      expect(await verify(store.db)).toEqual({ broken: null, count: total });
    });
  });

  describe('concurrent writers', () => {
    it('keeps one intact chain when separate processes append at the same time', async () => {
      const tags = ['writer-a', 'writer-b', 'writer-c'];
      const transactions = 30;
      const per = 2;
      const results = await appendFromProcesses(location, tags, transactions, per);
      for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });

      const total = tags.length * transactions * per;
      expect(await readHead(store.db)).toMatchObject({ seq: total });
      expect(await verify(store.db)).toEqual({ broken: null, count: total });
      const rows = await store.db
        .selectFrom('auditLog')
        .select(['seq', 'actor', 'target'])
        .orderBy('seq')
        .execute();
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      // the writers really took turns: each waits after its first transaction for the others'
      // first, so the log opens with one transaction of each and at least one run is cut
      const switches = rows.filter((r, i) => i > 0 && r.actor !== rows[i - 1]!.actor).length;
      expect(switches).toBeGreaterThan(tags.length - 1);
      for (const tag of tags) {
        const mine = rows.filter((r) => r.actor === tag);
        expect(mine).toHaveLength(transactions * per);
        // each writer's entries keep their order, and a transaction's entries (appended one call at a time) stay together
        expect(mine.map((r) => r.target)).toEqual(
          Array.from(
            { length: transactions * per },
            (_, k) => `item:${tag}-${Math.floor(k / per)}-${k % per}`,
          ),
        );
        for (let k = 0; k < mine.length; k += per) expect(mine[k + 1]!.seq).toBe(mine[k]!.seq + 1);
      }
    });

    it.runIf(dialect === 'postgres')(
      'keeps one intact chain with two pools appending from one process',
      async () => {
        const other = await openStore(location, { clock: testClock });
        try {
          const writes = (s: Store, actor: string) =>
            Array.from({ length: 20 }, (_, i) =>
              s.db
                .transaction()
                .execute((trx) =>
                  appendAudit(trx, [
                    entry({ actor, target: `item:${i}` }),
                    entry({ actor, target: `item:${i}b` }),
                  ]),
                ),
            );
          await Promise.all([...writes(store, 'one'), ...writes(other, 'two')]);
        } finally {
          await other.close();
        }
        expect(await verify(store.db)).toEqual({ broken: null, count: 80 });
        expect(await count(store.db, 'auditLog')).toBe(80);
      },
    );
  });
});
