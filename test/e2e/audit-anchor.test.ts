import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliFor } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { entryHash, GENESIS_HASH } from '../../src/domain/audit-chain.js';
import {
  CORR,
  HEAVY,
  PAULINE,
  clis,
  createAccount,
  initStore,
  json,
  withDb,
  type AuditEntry,
} from './fixtures.js';

/**
 * Issue 14, points 4 and 7, end to end: `audit head`, `audit verify --anchor FILE` against a log
 * truncated, emptied or rewritten with its head, and a clock set back that cannot date an entry
 * before the one preceding it.
 */

const HELENE = 'helene.lefevre@mairie-pau.fr';

describe.each(DIALECTS)('audit head and anchors (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let anchors: string;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    anchors = path.join(fresh.dir, 'ancres.jsonl');
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
    await createAccount(fresh.location, HELENE, '--nom', 'LEFÈVRE', '--prenom', 'Hélène');
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  const corr = (...args: string[]) => clis(fresh.location).corr(...args);
  /** What an operator's cron does: `audit head --json >> ancres.jsonl`. */
  const recordHead = async () => {
    const r = await corr('audit', 'head', '--json');
    expect(r.code).toBe(0);
    fs.appendFileSync(anchors, r.stdout);
    return r;
  };
  const verifyAnchored = () => corr('audit', 'verify', '--anchor', anchors);
  /** Re-links the chain from `seq` on with the domain's hash, and moves the head to its end. */
  const rehashFrom = (seq: number) =>
    withDb(fresh.location, async (db) => {
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
    });

  it('audit head prints the head: one JSON line with the full hash, a readable record otherwise', async () => {
    const r = await recordHead();
    expect(r.stderr).toBe('');
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    const head = json<{ seq: number; hash: string; at: string }>(r);
    expect(Object.keys(head)).toEqual(['seq', 'hash', 'at']);
    const last = await withDb(fresh.location, (db) =>
      db.selectFrom('auditLog').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow(),
    );
    expect(head).toEqual({ seq: 3, hash: last.hash, at: last.at });

    const table = await corr('audit', 'head');
    expect(table.code).toBe(0);
    // a table shows the hash's first 12 characters
    expect(table.stdout).toContain(`${last.hash.slice(0, 12)}…`);
    expect(table.stdout).toMatch(/^N° +3$/m);

    // for correspondents only, like the rest of the log
    const user = await clis(fresh.location).as(PAULINE)('audit', 'head');
    expect(user.code).toBe(4);
    expect(user.stdout).toBe('');
  });

  it('verify --anchor: 0 while every recorded head is still in the chain', async () => {
    await recordHead();
    fs.appendFileSync(anchors, '\n   \n');
    expect((await corr('account', 'deactivate', HELENE)).code).toBe(0);
    await recordHead();
    const r = await verifyAnchored();
    expect(r.stderr).toMatch(/^✔ Journal intègre : 4 entrées/);
    expect(r.code).toBe(0);
    const j = await corr('audit', 'verify', '--anchor', anchors, '--json');
    expect(json(j)).toMatchObject({ ok: true, break: null, anchors: [] });
  });

  it('the last entries deleted and the head moved back: caught by the anchor, naming its line', async () => {
    expect((await corr('account', 'deactivate', HELENE)).code).toBe(0);
    await recordHead(); // line 1: seq 4
    await withDb(fresh.location, async (db) => {
      const second = await db
        .selectFrom('auditLog')
        .select('hash')
        .where('seq', '=', 2)
        .executeTakeFirstOrThrow();
      await db.deleteFrom('auditLog').where('seq', '>', 2).execute();
      await db.updateTable('auditHead').set({ seq: 2, hash: second.hash }).execute();
    });
    // the chain in the store is consistent: only the anchor kept elsewhere sees it
    expect((await corr('audit', 'verify')).code).toBe(0);
    const r = await verifyAnchored();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'Ancre ligne 1 : le journal ne contient plus l’entrée n° 4, il a été tronqué.',
    );
    expect(r.stderr).toContain('1 ancre n’est plus dans la chaîne');
  });

  it('every entry deleted: broken (1, never 70), with or without anchors', async () => {
    await recordHead();
    await withDb(fresh.location, async (db) => {
      await db.deleteFrom('auditLog').execute();
      await db.updateTable('auditHead').set({ seq: 0, hash: GENESIS_HASH }).execute();
    });
    const plain = await corr('audit', 'verify', '--json');
    expect(plain.code).toBe(1);
    expect(json(plain)).toMatchObject({ ok: false, entries: 0, break: { kind: 'empty' } });
    expect(plain.stderr).toContain('la base contient des comptes mais aucune entrée de journal');
    const anchored = await verifyAnchored();
    expect(anchored.code).toBe(1);
    expect(anchored.stderr).toContain('Ancre ligne 1');

    // the head row itself gone too: still 1 for verify, and 7 (damaged) for a change, never 70
    await withDb(fresh.location, (db) => db.deleteFrom('auditHead').execute());
    const noHead = await corr('audit', 'verify');
    expect(noHead.code).toBe(1);
    expect(noHead.stderr).toContain('la tête conservée à côté du journal a été supprimée');
    const change = await corr('account', 'deactivate', HELENE);
    expect(change.code).toBe(7);
    expect(change.stderr).toContain('La tête du journal a disparu de la base');
    const head = await corr('audit', 'head');
    expect(head.code).toBe(7);
  });

  it('an entry rewritten and every later hash recomputed, head included: caught by the anchor', async () => {
    await recordHead(); // line 1: seq 3
    await withDb(fresh.location, (db) =>
      db.updateTable('auditLog').set({ actor: 'intrus@example.fr' }).where('seq', '=', 2).execute(),
    );
    await rehashFrom(2);
    expect((await corr('audit', 'verify')).code).toBe(0);
    const r = await verifyAnchored();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Ancre ligne 1 : l’entrée n° 3 n’est plus celle relevée (empreinte différente), le journal a été réécrit.',
    );
    expect(json(await corr('audit', 'verify', '--anchor', anchors, '--json'))).toMatchObject({
      ok: false,
      break: null,
      anchors: [{ line: 1, seq: 3, kind: 'changed' }],
    });
  });

  it('a malformed anchors line is invalid input (5) naming the line; a missing file too', async () => {
    await recordHead();
    fs.appendFileSync(anchors, '\n{"seq": 3, "hash": "court"}\n');
    const r = await verifyAnchored();
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Fichier d’ancres ${anchors} invalide`);
    expect(r.stderr).toContain('ligne 3');
    const missing = await corr('audit', 'verify', '--anchor', path.join(fresh.dir, 'absent'));
    expect(missing.code).toBe(5);
  });

  it('no environment variable moves the clock: CHORUS_ADMIN_NOW is ignored', async () => {
    const before = Date.now();
    const r = await clis(fresh.location, {
      env: { CHORUS_ADMIN_NOW: '2025-06-01T00:00:00.000Z' },
    }).corr('account', 'deactivate', HELENE);
    expect(r.code).toBe(0);
    const [last] = json<AuditEntry[]>(await corr('audit', 'list', '--limit', '1', '--json'));
    expect(last!.action).toBe('account.deactivate');
    expect(Date.parse(last!.at)).toBeGreaterThanOrEqual(before);
  });

  it('a clock set back cannot date an entry before the last one; a backdated entry is named by verify', async () => {
    const future = cliFor(fresh.location, { now: '2099-01-01T00:00:00.000Z' });
    expect((await future('--as', CORR, 'account', 'deactivate', HELENE)).code).toBe(0);
    const past = cliFor(fresh.location, { now: '2025-06-01T00:00:00.000Z' });
    expect((await past('--as', CORR, 'account', 'reactivate', HELENE)).code).toBe(0);

    const list = await corr('audit', 'list', '--since', '2098-12-31', '--json');
    expect(list.code).toBe(0);
    expect(json<AuditEntry[]>(list).map((e) => [e.seq, e.action, e.at])).toEqual([
      [5, 'account.reactivate', '2099-01-01T00:00:00.000Z'],
      [4, 'account.deactivate', '2099-01-01T00:00:00.000Z'],
    ]);
    expect((await corr('audit', 'verify')).code).toBe(0);

    // backdated by hand, the chain rehashed and the head moved: verify names the entry
    await withDb(fresh.location, (db) =>
      db
        .updateTable('auditLog')
        .set({ at: '2025-06-01T00:00:00.000Z' })
        .where('seq', '=', 5)
        .execute(),
    );
    await rehashFrom(5);
    const r = await corr('audit', 'verify', '--json');
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ break: { kind: 'backwards', seq: 5 } });
    expect(r.stderr).toContain('l’entrée n° 5 est datée d’avant la précédente');
  });
});
