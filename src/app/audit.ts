import fs from 'node:fs/promises';
import {
  ChainVerifier,
  parseAnchors,
  isRowEncoding,
  RunDigest,
  runChangesDigestOf,
  type Anchor,
  type AnchorMiss,
  type Break,
  type ChainedEntry,
} from '../domain/audit-chain.js';
import * as audit from '../db/audit.repository.js';
import * as runChanges from '../db/run-change.repository.js';
import type { AuditedChangeRow } from '../db/run-change.repository.js';
import * as runs from '../db/run.repository.js';
import * as structures from '../db/structure.repository.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import type { AuditLogRow, Db } from '../db/schema.js';
import { accountAudit } from './sync/records.js';
import type { Store } from '../db/store.js';
import { InvalidInputError, StoreUnavailableError, systemReason } from '../errors.js';
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
  /** Why the change was made (`--reason`); null when none was given. */
  reason: string | null;
  hash: string;
  /**
   * An account a sync changed, read from its run's row (issue 16 point 9): `seq`, `at`, `actor`
   * and `hash` are the run entry's, which covers the row (absent on stored entries).
   */
  fromRun?: true;
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
    reason: e.reason ?? null,
    hash: e.hash,
  };
}

/** The entry a sync run's row stands for (`fromRun`), under its run's entry `run`. */
function changeView(run: AuditLogRow, c: AuditedChangeRow): AuditView | null {
  const audited = accountAudit(c.kind, c.before, c.after);
  return (
    audited && {
      seq: run.seq,
      at: run.at,
      actor: run.actor,
      action: audited.action,
      target: c.target,
      outcome: 'OK',
      changes: audited.changes,
      runId: c.runId,
      reason: null,
      hash: run.hash,
      fromRun: true,
    }
  );
}

/**
 * The stored entries (`stored`, newest first) and those of the runs' rows (`fromRuns`, newest
 * first: run, then row), newest first: a run's rows come right after its entry, as they came
 * right before it when each account had its own entry; at most `limit` (0: all).
 */
function merge(stored: AuditView[], fromRuns: AuditView[], limit: number | undefined): AuditView[] {
  const out: AuditView[] = [];
  let i = 0;
  let j = 0;
  const max = limit !== undefined && limit > 0 ? limit : Infinity;
  while (out.length < max && (i < stored.length || j < fromRuns.length)) {
    const a = stored[i];
    const b = fromRuns[j];
    if (b === undefined || (a !== undefined && a.seq >= b.seq)) out.push(stored[i++]!);
    else out.push(fromRuns[j++]!);
  }
  return out;
}

/** The entries the sync runs' rows stand for, matching `filter` (none for a structure's history). */
async function runEntries(
  db: Db,
  filter: ListFilter,
): Promise<{ items: AuditView[]; total: number }> {
  if (filter.structure !== undefined) return { items: [], total: 0 };
  const auditedRuns = await audit.auditedRuns(db, filter);
  const byRun = new Map(auditedRuns.map((r) => [r.runId!, r]));
  const { rows, total } = await runChanges.auditedChanges(db, [...byRun.keys()], filter);
  const items = rows.flatMap((c) => changeView(byRun.get(c.runId)!, c) ?? []);
  // run ids follow the runs' entries (a sync runs alone); the entries' order decides
  items.sort((x, y) => y.seq - x.seq);
  return { items, total };
}

/** What `audit list` filters on; `structure` as typed (`SIRET:…` or the identifier alone). */
export type ListFilter = Omit<audit.AuditFilter, 'structure'> & { structure?: string | undefined };

/**
 * Entries, newest first. The whole log is the correspondents'; one structure's history
 * (`structure`, issue 17 point 6) is also its GP's and its `CONSULTATION_UTILISATEURS` holders'.
 */
export async function listAudit(
  store: Store,
  actor: string,
  filter: ListFilter,
): Promise<{ items: AuditView[]; total: number }> {
  const action = filter.structure === undefined ? 'audit.read' : 'audit.structure';
  return runUseCase(store, { actor, action, readOnly: true }, async (uc) => {
    const { structure: typed, ...rest } = filter;
    let about: audit.AuditFilter['structure'];
    if (typed === undefined) uc.authorize('audit.read', { kind: 'none' }, 'audit');
    else {
      const s = await structures.getStructure(uc.trx, parseStructureRef(typed));
      const ref = formatStructureRef(s);
      uc.authorize(
        'audit.structure',
        { kind: 'structure', id: s.id, departement: s.departement },
        `structure:${ref}`,
      );
      about = { id: s.id, ref };
    }
    const { rows, total } = await audit.listAudit(uc.trx, { ...rest, structure: about });
    const fromRuns = await runEntries(uc.trx, filter);
    return {
      items: merge(rows.map(toView), fromRuns.items, filter.limit),
      total: total + fromRuns.total,
    };
  });
}

/**
 * Every entry, oldest first: the stored ones, and before each sync run's entry the accounts it
 * changed (`fromRun`), in the order the run wrote them (where their own entries stood).
 */
export async function* auditEntries(db: Db): AsyncGenerator<AuditView> {
  for await (const e of audit.allAuditEntries(db)) {
    if (runChangesDigestOf(e) !== null)
      for await (const c of rowsOfRun(db, e.runId!)) {
        const view = changeView(e as AuditLogRow, { ...c, runId: e.runId! });
        if (view) yield view;
      }
    yield toView(e);
  }
}

/** Streams every entry, oldest first (`auditEntries`), to `sink` (JSON lines for `audit export`). */
export async function exportAudit(
  store: Store,
  actor: string,
  sink: (entry: AuditView) => void,
): Promise<number> {
  return runUseCase(store, { actor, action: 'audit.read', readOnly: true }, async (uc) => {
    uc.authorize('audit.read', { kind: 'none' }, 'audit');
    let n = 0;
    for await (const e of auditEntries(uc.trx)) {
      sink(e);
      n += 1;
    }
    return n;
  });
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The head kept beside the log; null when it is gone. */
  head: { seq: number; hash: string } | null;
  break: Break | null;
  /** The anchors (`--anchor`) the chain no longer holds, by line of the anchors file. */
  anchors: AnchorMiss[];
}

/**
 * Walks the whole chain in `db` (a use case's transaction, or `db check`'s): the first altered,
 * inserted, removed or backdated entry is named, an empty log in a store with accounts is
 * broken, and every anchor must be found unchanged.
 */
export async function verifyChain(db: Db, anchors: readonly Anchor[] = []): Promise<VerifyResult> {
  const verifier = new ChainVerifier(anchors);
  for await (const e of audit.allAuditEntries(db)) {
    verifier.next(e);
    const carried = runChangesDigestOf(e);
    if (carried === null) continue;
    const encoding = carried.encoding ?? 'json'; // a run written before the `lengths` encoding
    if (!isRowEncoding(encoding)) {
      verifier.breakAt({ kind: 'runChanges', seq: e.seq, run: e.runId! });
      continue;
    }
    const digest = new RunDigest(encoding);
    for await (const c of rowsOfRun(db, e.runId!)) digest.add(c.target, c.kind, c.before, c.after);
    const found = digest.result();
    if (found.count !== carried.count || found.sha256 !== carried.sha256)
      verifier.breakAt({ kind: 'runChanges', seq: e.seq, run: e.runId! });
  }
  const head = await audit.readHead(db);
  const broken = verifier.end(head, await audit.storeHoldsAccounts(db));
  return {
    ok: broken === null && verifier.misses.length === 0,
    entries: verifier.count,
    head,
    break: broken,
    anchors: verifier.misses,
  };
}

/** A run's run_change rows in the order it wrote them, a page at a time. */
async function* rowsOfRun(db: Db, runId: number): AsyncGenerator<runs.RunChangeRow> {
  for (let after = 0; ;) {
    const page = await runs.runChanges(db, runId, after, 5000);
    if (page.length === 0) return;
    yield* page;
    after = page[page.length - 1]!.id;
  }
}

/** Reads the anchors file: one `audit head --json` line per head; any other line is invalid input (exit 5). */
export async function readAnchors(file: string): Promise<Anchor[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new InvalidInputError([
      {
        field: '--anchor',
        message: 'file.unreadable',
        params: { detail: systemReason(err) },
      },
    ]);
  }
  const { anchors, issues } = parseAnchors(text);
  if (issues.length > 0)
    throw new InvalidInputError(
      issues.map((i) => ({ field: '--anchor', message: i.message, line: i.line })),
      'audit.anchor.invalid',
      { file },
    );
  return anchors;
}

/** Verifies the chain, and that every head recorded in `anchorsFile` is still in it. */
export async function verifyAudit(
  store: Store,
  actor: string,
  anchorsFile?: string,
): Promise<VerifyResult> {
  const anchors = anchorsFile === undefined ? [] : await readAnchors(anchorsFile);
  return runUseCase(store, { actor, action: 'audit.read', readOnly: true }, async (uc) => {
    uc.authorize('audit.read', { kind: 'none' }, 'audit');
    return verifyChain(uc.trx, anchors);
  });
}

/** The chain's head, to keep outside the store (`audit head --json` appended to an anchors file). */
export interface HeadView {
  seq: number;
  hash: string;
  at: string | null;
}

export async function auditHead(store: Store, actor: string): Promise<HeadView> {
  return runUseCase(store, { actor, action: 'audit.read', readOnly: true }, async (uc) => {
    uc.authorize('audit.read', { kind: 'none' }, 'audit');
    const head = await audit.readHeadEntry(uc.trx);
    if (!head) throw new StoreUnavailableError('audit.headMissing');
    return head;
  });
}
