import { ChainVerifier, type Break, type ChainedEntry } from '../domain/audit-chain.js';
import * as audit from '../db/audit.repository.js';
import type { Store } from '../db/store.js';
import { runUseCase } from './use-case.js';

/** An audit entry as commands show and export it. */
export interface AuditView {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  changes: unknown;
  runId: number | null;
  hash: string;
}

function toView(e: Omit<ChainedEntry, 'outcome'> & { outcome: string }): AuditView {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    target: e.target,
    outcome: e.outcome,
    changes: e.changes === null ? null : JSON.parse(e.changes),
    runId: e.runId,
    hash: e.hash,
  };
}

export async function listAudit(
  store: Store,
  actor: string,
  filter: audit.AuditFilter,
): Promise<{ items: AuditView[]; total: number }> {
  return runUseCase(store, { actor, action: 'audit.read', readOnly: true }, async (uc) => {
    uc.authorize('audit.read', { kind: 'none' }, 'audit');
    const { rows, total } = await audit.listAudit(uc.trx, filter);
    return { items: rows.map(toView), total };
  });
}

/** Streams every entry, oldest first, to `sink` (JSON lines for `audit export`). */
export async function exportAudit(
  store: Store,
  actor: string,
  sink: (entry: AuditView) => void,
): Promise<number> {
  return runUseCase(store, { actor, action: 'audit.read', readOnly: true }, async (uc) => {
    uc.authorize('audit.read', { kind: 'none' }, 'audit');
    let n = 0;
    for await (const e of audit.allAuditEntries(uc.trx)) {
      sink(toView(e));
      n += 1;
    }
    return n;
  });
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string };
  break: Break | null;
}

/** Walks the whole chain; the first altered, inserted or removed entry is named. */
export async function verifyAudit(store: Store, actor: string): Promise<VerifyResult> {
  return runUseCase(store, { actor, action: 'audit.read', readOnly: true }, async (uc) => {
    uc.authorize('audit.read', { kind: 'none' }, 'audit');
    const verifier = new ChainVerifier();
    for await (const e of audit.allAuditEntries(uc.trx)) verifier.next(e);
    const head = await audit.readHead(uc.trx);
    const broken = verifier.end(head);
    return { ok: broken === null, entries: verifier.count, head, break: broken };
  });
}
