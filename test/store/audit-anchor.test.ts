import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { auditHead, listAudit, verifyAudit } from '../../src/app/audit.js';
import { initStore } from '../../src/app/init.js';
import { runUseCase } from '../../src/app/use-case.js';
import { appendAudit, readHead } from '../../src/db/audit.repository.js';
import type { Db } from '../../src/db/schema.js';
import { openStore, type Store } from '../../src/db/store.js';
import { entryHash, GENESIS_HASH } from '../../src/domain/audit-chain.js';
import { ForbiddenError, InvalidInputError, StoreUnavailableError } from '../../src/errors.js';
import { testClock } from '../helpers/clock.js';
import { accessTo, DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORRESPONDENT as CORR } from '../helpers/templates.js';
import { entry } from './support/seed.js';

/**
 * Issue 14, points 4 and 7: the chain's times never go backwards (clamped at append, a
 * backdated entry named by verify), the head recorded outside the store (anchors) catches a log
 * truncated, emptied or rewritten with its head, and a store with accounts but no entry is broken.
 */

const JAN = '2026-01-10T09:00:00.000Z';
const MAR = '2026-03-01T10:00:00.000Z';
const JUN_2025 = '2025-06-01T08:00:00.000Z';

const USERS = ['anne@x.fr', 'bruno@x.fr', 'chloe@x.fr', 'david@x.fr'];

/** The entries from `seq` on, re-linked with the domain's hash function, the head moved to the last: a forger's rewrite. */
async function rehashFrom(db: Db, seq: number): Promise<void> {
  const rows = await db.selectFrom('auditLog').selectAll().orderBy('seq').execute();
  let prev = rows.find((r) => r.seq === seq - 1)?.hash ?? GENESIS_HASH;
  let last = { seq: seq - 1, hash: prev };
  for (const r of rows.filter((x) => x.seq >= seq)) {
    const hash = entryHash(r, prev);
    await db
      .updateTable('auditLog')
      .set({ prevHash: prev, hash })
      .where('seq', '=', r.seq)
      .execute();
    prev = hash;
    last = { seq: r.seq, hash };
  }
  await db.updateTable('auditHead').set(last).where('id', '=', 1).execute();
}

describe.each(DIALECTS)('audit anchors and time (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let anchors: string;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'migrated');
    testClock.set(JAN);
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    anchors = path.join(fresh.dir, 'anchors.jsonl');
  });
  afterEach(async () => {
    await store.close();
    await fresh.cleanup();
  });

  const create = (login: string) =>
    createAccount(store, CORR, { login, data: { email: login, lastName: 'X', firstName: 'Y' } });
  /** Entries 2… : one account each. */
  const fill = async () => {
    testClock.set(MAR);
    for (const u of USERS) await create(u);
  };
  const recordHead = async () =>
    fs.appendFileSync(anchors, JSON.stringify(await auditHead(store, CORR)) + '\n');

  describe('times never go backwards', () => {
    it('a use case whose clock is behind the head is stamped with the head time, and verify is intact', async () => {
      await fill();
      testClock.set(JUN_2025);
      await create('late@x.fr');
      const rows = await store.db.selectFrom('auditLog').select(['seq', 'at']).execute();
      expect(rows.find((r) => r.seq === 6)).toEqual({ seq: 6, at: MAR });
      const result = await verifyAudit(store, CORR);
      expect(result).toMatchObject({ ok: true, break: null, entries: 6 });
      // --since shows the entry: it is no earlier than any before it
      const since = await listAudit(store, CORR, { since: '2026-02-01' });
      expect(since.items.map((e) => e.seq)).toEqual([6, 5, 4, 3, 2]);
    });

    it('a refusal recorded with a clock behind the head is stamped with the head time', async () => {
      await fill();
      testClock.set(JUN_2025);
      await expect(
        runUseCase(store, { actor: 'ghost@x.fr', action: 'account.create' }, async () => null),
      ).rejects.toBeInstanceOf(ForbiddenError);
      const last = await store.db
        .selectFrom('auditLog')
        .selectAll()
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(last).toMatchObject({ seq: 6, outcome: 'REFUSED', at: MAR });
    });

    it('a batch given times out of order is stamped in order', async () => {
      const chained = await store.db
        .transaction()
        .execute((trx) =>
          appendAudit(trx, [entry({ at: MAR }), entry({ at: JUN_2025 }), entry({ at: MAR })]),
        );
      expect(chained.map((e) => e.at)).toEqual([MAR, MAR, MAR]);
      expect((await verifyAudit(store, CORR)).ok).toBe(true);
    });

    it('verify names an entry backdated by hand, even with every later hash and the head recomputed', async () => {
      await fill();
      await store.db.updateTable('auditLog').set({ at: JUN_2025 }).where('seq', '=', 4).execute();
      await rehashFrom(store.db, 4);
      expect(await verifyAudit(store, CORR)).toMatchObject({
        ok: false,
        break: { kind: 'backwards', seq: 4 },
      });
    });

    it.runIf(dialect === 'postgres')(
      'an appender that waited for the head is stamped no earlier than the entry it waited for',
      async () => {
        const other = await openStore(fresh.location, { clock: testClock });
        try {
          let release!: () => void;
          const held = new Promise<void>((resolve) => (release = resolve));
          let locked!: () => void;
          const headTaken = new Promise<void>((resolve) => (locked = resolve));
          // the first writer takes the head (at MAR) and holds its transaction open
          const first = store.db.transaction().execute(async (trx) => {
            await appendAudit(trx, [entry({ at: MAR, actor: 'first' })]);
            locked();
            await held;
          });
          await headTaken;
          // the second read its clock earlier (2025) and now waits on the head's row lock
          const second = other.db
            .transaction()
            .execute((trx) => appendAudit(trx, [entry({ at: JUN_2025, actor: 'second' })]));
          // it is waiting: its backend is blocked on a lock
          for (;;) {
            const { rows } = await sql<{ n: number }>`
              select count(*)::int as n from pg_stat_activity
              where wait_event_type = 'Lock' and datname = current_database()`.execute(store.db);
            if (rows[0]!.n > 0) break;
            await new Promise((resolve) => setImmediate(resolve));
          }
          release();
          await first;
          const [appended] = await second;
          expect(appended).toMatchObject({ seq: 3, actor: 'second', at: MAR });
        } finally {
          await other.close();
        }
        expect((await verifyAudit(store, CORR)).ok).toBe(true);
      },
    );
  });

  describe('anchors', () => {
    it('audit head gives the last entry: its number, hash and time', async () => {
      await fill();
      const head = await auditHead(store, CORR);
      const row = await store.db
        .selectFrom('auditLog')
        .selectAll()
        .where('seq', '=', 5)
        .executeTakeFirstOrThrow();
      expect(head).toEqual({ seq: 5, hash: row.hash, at: MAR });
      expect(await readHead(store.db)).toEqual({ seq: 5, hash: row.hash });
    });

    it('an intact chain holds every head recorded along the way', async () => {
      await recordHead();
      fs.appendFileSync(anchors, '\n\n');
      await fill();
      await recordHead();
      expect(await verifyAudit(store, CORR, anchors)).toMatchObject({
        ok: true,
        break: null,
        anchors: [],
      });
    });

    it('the last entries deleted and the head moved back: intact without the anchor, caught with it', async () => {
      await fill();
      await recordHead(); // line 1: seq 5
      const third = await store.db
        .selectFrom('auditLog')
        .select('hash')
        .where('seq', '=', 3)
        .executeTakeFirstOrThrow();
      await store.db.deleteFrom('auditLog').where('seq', '>', 3).execute();
      await store.db
        .updateTable('auditHead')
        .set({ seq: 3, hash: third.hash })
        .where('id', '=', 1)
        .execute();

      expect((await verifyAudit(store, CORR)).ok).toBe(true);
      expect(await verifyAudit(store, CORR, anchors)).toMatchObject({
        ok: false,
        break: null,
        anchors: [{ line: 1, seq: 5, kind: 'missing' }],
      });
    });

    it('every entry deleted and the head reset to the genesis: broken (accounts, no entry), and the anchor says so', async () => {
      await fill();
      await recordHead();
      await store.db.deleteFrom('auditLog').execute();
      await store.db
        .updateTable('auditHead')
        .set({ seq: 0, hash: GENESIS_HASH })
        .where('id', '=', 1)
        .execute();
      expect(await verifyAudit(store, CORR)).toMatchObject({
        ok: false,
        entries: 0,
        break: { kind: 'empty', seq: 1 },
      });
      expect(await verifyAudit(store, CORR, anchors)).toMatchObject({
        ok: false,
        anchors: [{ line: 1, seq: 5, kind: 'missing' }],
      });
    });

    it('the head row itself deleted with the log: broken, not a crash; the next change is refused as a damaged store', async () => {
      await fill();
      await store.db.deleteFrom('auditLog').execute();
      await store.db.deleteFrom('auditHead').execute();
      expect(await verifyAudit(store, CORR)).toMatchObject({
        ok: false,
        head: null,
        break: { kind: 'noHead', seq: 0 },
      });
      await expect(create('next@x.fr')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(auditHead(store, CORR)).rejects.toBeInstanceOf(StoreUnavailableError);
    });

    it('an entry rewritten and every later hash recomputed, head included: intact without the anchor, caught with it', async () => {
      await fill();
      await recordHead(); // line 1: seq 5
      await store.db
        .updateTable('auditLog')
        .set({ actor: 'mallory@x.fr' })
        .where('seq', '=', 3)
        .execute();
      await rehashFrom(store.db, 3);

      expect((await verifyAudit(store, CORR)).ok).toBe(true);
      expect(await verifyAudit(store, CORR, anchors)).toMatchObject({
        ok: false,
        break: null,
        anchors: [{ line: 1, seq: 5, kind: 'changed' }],
      });
    });

    it('an anchors file with a malformed line is invalid input naming the line, before anything is read', async () => {
      await fill();
      await recordHead();
      fs.appendFileSync(anchors, '\n{"seq": 2}\n');
      const err = await verifyAudit(store, CORR, anchors).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).issues).toEqual([
        { field: '--anchor', message: 'audit.anchor.notHead', line: 3 },
      ]);
      const missing = await verifyAudit(store, CORR, path.join(fresh.dir, 'none.jsonl')).catch(
        (e: unknown) => e,
      );
      expect(missing).toBeInstanceOf(InvalidInputError);
    });
  });
});
