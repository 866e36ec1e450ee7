import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportAudit, listAudit, verifyAudit, type AuditView } from '../../src/app/audit.js';
import { check } from '../../src/app/store-admin.js';
import { syncMadrhas } from '../../src/app/sync/madrhas.js';
import { appendAudit } from '../../src/db/audit.repository.js';
import { RunDigest } from '../../src/domain/audit-chain.js';
import type { Store } from '../../src/db/store.js';
import { accessTo, DIALECTS, type FreshLocation } from '../helpers/stores.js';
import { eachDirectoryStore, syncOptions } from './support/directory-store.js';

/**
 * Issue 16 point 9: a sync keeps no audit entry per account; its run's entry carries the count
 * and SHA-256 of the run's run_change rows, `audit verify` (and `db check`) recompute them, and
 * `audit list` / `audit export` show one entry per row next to the stored entries.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MADRHAS = path.join(ROOT, 'fixtures', 'madrhas.csv');
const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const PAULINE = 'pauline.dufour@mairie-pau.fr';
const NOW = '2025-03-10T09:30:00.000Z';

describe.each(DIALECTS)('a sync run audited through its rows (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  eachDirectoryStore(dialect, CORR, NOW, (s, f) => ((store = s), (fresh = f)));
  beforeEach(async () => {
    await syncMadrhas(store, CORR, syncOptions(MADRHAS));
  });

  const runEntry = () =>
    store.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'sync.madrhas')
      .executeTakeFirstOrThrow();
  const rowOf = (login: string) =>
    store.db
      .selectFrom('runChange')
      .selectAll()
      .where('target', '=', `account:${login}`)
      .executeTakeFirstOrThrow();
  const verify = () => verifyAudit(store, CORR);
  const list = (filter: Parameters<typeof listAudit>[2]) => listAudit(store, CORR, filter);

  it('keeps one entry for the run, none per account, and the digest of its rows', async () => {
    const stored = await store.db.selectFrom('auditLog').select('action').execute();
    expect(stored.filter((e) => e.action.startsWith('sync.account'))).toEqual([]);
    const run = await runEntry();
    const rows = await store.db
      .selectFrom('runChange')
      .select('id')
      .where('runId', '=', run.runId)
      .execute();
    expect(JSON.parse(run.changes!).runChanges).toEqual({
      count: rows.length,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      encoding: 'lengths',
    });
    expect(await verify()).toMatchObject({ ok: true, break: null });
    expect((await check(accessTo(fresh.location))).findings).toEqual([]);
  });

  it('a row altered, removed or added breaks the chain at the run’s entry (audit verify, db check)', async () => {
    const run = await runEntry();
    const broken = { kind: 'runChanges', seq: run.seq, run: run.runId };
    const jean = await rowOf(JEAN);

    await store.db
      .updateTable('runChange')
      .set({ after: jean.after.replace('MARTIN', 'MARTINEZ') })
      .where('id', '=', jean.id)
      .execute();
    expect(await verify()).toMatchObject({ ok: false, break: broken });
    expect((await check(accessTo(fresh.location))).findings).toContainEqual({
      kind: 'auditChain',
      break: 'runChanges',
      seq: run.seq,
    });
    await store.db
      .updateTable('runChange')
      .set({ after: jean.after })
      .where('id', '=', jean.id)
      .execute();
    expect(await verify()).toMatchObject({ ok: true });

    await store.db.deleteFrom('runChange').where('id', '=', jean.id).execute();
    expect(await verify()).toMatchObject({ ok: false, break: broken });
    const { id: _id, ...copy } = jean;
    await store.db.insertInto('runChange').values(copy).execute();
    // back, but after the others: the order the run wrote them in is part of the digest
    expect(await verify()).toMatchObject({ ok: false, break: broken });
    await store.db.deleteFrom('runChange').where('target', '=', `account:${JEAN}`).execute();

    const pauline = await rowOf(PAULINE);
    await store.db.deleteFrom('runChange').where('runId', '=', run.runId).execute();
    const { id: _p, ...again } = pauline;
    await store.db.insertInto('runChange').values(again).execute();
    expect(await verify()).toMatchObject({ ok: false, break: broken });
  });

  it('a row added to the run breaks the chain', async () => {
    const run = await runEntry();
    const { id: _id, ...copy } = await rowOf(JEAN);
    await store.db
      .insertInto('runChange')
      .values({ ...copy, target: 'account:intrus@mairie-pau.fr' })
      .execute();
    expect(await verify()).toMatchObject({
      ok: false,
      break: { kind: 'runChanges', seq: run.seq, run: run.runId },
    });
  });

  it('audit list --target shows the account’s change from the run’s row, under the run’s entry', async () => {
    const run = await runEntry();
    const { items, total } = await list({ target: `account:${JEAN}` });
    expect(total).toBe(1);
    expect(items).toEqual([
      {
        seq: run.seq,
        at: run.at,
        actor: CORR,
        action: 'sync.account.create',
        target: `account:${JEAN}`,
        outcome: 'OK',
        changes: expect.objectContaining({
          status: 'ACTIF',
          lastName: 'MARTIN',
          firstName: 'Jean',
          email: JEAN,
          attachmentsAdded: [expect.objectContaining({ role: expect.any(String) })],
        }),
        runId: run.runId,
        reason: null,
        hash: run.hash,
        fromRun: true,
      },
    ]);
    // by its last part too, and the filters select the rows as they select entries
    expect((await list({ target: JEAN })).total).toBe(1);
    expect((await list({ target: JEAN, action: 'sync.account.create' })).total).toBe(1);
    expect((await list({ target: JEAN, action: 'sync.account.update' })).total).toBe(0);
    expect((await list({ target: JEAN, actor: 'autre@dgfip.finances.gouv.fr' })).total).toBe(0);
    expect((await list({ target: JEAN, since: '2025-03-11T00:00:00.000Z' })).total).toBe(0);
  });

  it('the whole list, newest first: the run’s entry, then its accounts; the limit counts them all', async () => {
    const run = await runEntry();
    const rows = (
      await store.db.selectFrom('runChange').select('id').where('runId', '=', run.runId).execute()
    ).length;
    const stored = (await store.db.selectFrom('auditLog').select('seq').execute()).length;
    const { items, total } = await list({ limit: 3 });
    expect(total).toBe(stored + rows);
    expect(items.map((e) => [e.seq, e.action, e.fromRun ?? false])).toEqual([
      [run.seq, 'sync.madrhas', false],
      [run.seq, 'sync.account.create', true],
      [run.seq, 'sync.account.create', true],
    ]);
  });

  it('audit export: a run’s accounts right before its entry, in the order it wrote them', async () => {
    const out: AuditView[] = [];
    await exportAudit(store, CORR, (e) => out.push(e));
    const at = out.findIndex((e) => e.action === 'sync.madrhas');
    const runId = out[at]!.runId!;
    const rows = await store.db
      .selectFrom('runChange')
      .select('target')
      .where('runId', '=', runId)
      .orderBy('id')
      .execute();
    expect(out.slice(at - rows.length, at).map((e) => e.target)).toEqual(rows.map((r) => r.target));
    expect(out.slice(at - rows.length, at).every((e) => e.fromRun)).toBe(true);
  });

  /** Another entry of `run`'s, carrying `runChanges`, chained after the last one. */
  const appendRunEntry = (run: { target: string; runId: number | null }, runChanges: object) =>
    store.db.transaction().execute(async (trx) => {
      const [entry] = await appendAudit(trx, [
        {
          at: NOW,
          actor: CORR,
          action: 'sync.madrhas',
          target: run.target,
          outcome: 'OK',
          changes: JSON.stringify({ runChanges }),
          runId: run.runId,
          reason: null,
        },
      ]);
      return entry!;
    });

  it('verifies each run by the encoding its entry names: JSON lines for the runs before', async () => {
    const run = await runEntry();
    const rows = await store.db
      .selectFrom('runChange')
      .selectAll()
      .where('runId', '=', run.runId)
      .orderBy('id')
      .execute();
    const json = new RunDigest('json');
    for (const r of rows) json.add(r.target, r.kind, r.before, r.after);
    // as a run written before the lengths encoding carries it: no encoding named
    await appendRunEntry(run, json.result());
    expect(await verify()).toMatchObject({ ok: true, break: null });
    const wrong = await appendRunEntry(run, { ...json.result(), encoding: 'lengths' });
    expect(await verify()).toMatchObject({
      ok: false,
      break: { kind: 'runChanges', seq: wrong.seq, run: run.runId },
    });
  });

  it('an encoding it does not know verifies nothing', async () => {
    const run = await runEntry();
    const carried = JSON.parse(run.changes!).runChanges as object;
    const entry = await appendRunEntry(run, { ...carried, encoding: 'base64' });
    expect(await verify()).toMatchObject({
      ok: false,
      break: { kind: 'runChanges', seq: entry.seq, run: run.runId },
    });
  });
});
