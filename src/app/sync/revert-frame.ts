import type { AuditFields } from '../../domain/audit-chain.js';
import { ConflictError } from '../../errors.js';
import * as audit from '../../db/audit.repository.js';
import * as reads from '../../db/revert.repository.js';
import * as structures from '../../db/structure.repository.js';
import type { UseCase } from '../use-case.js';

/**
 * What the revert's parts (revert-accounts.ts, revert-structures.ts) share: the summary and its
 * conflicts, the audit entries written a chunk at a time, and the structures' validated GPs as
 * this revert leaves them (read once per structure, then kept up to date with each decision,
 * so that targets decided together in one chunk see each other's effects as if written one by one).
 */

export interface RevertConflict {
  target: string;
  /** The field, `attachment:TYPE:ID.role`-like, or `account` / `structure` for the whole of it. */
  field: string;
  reason: 'changed' | 'usedSince' | 'lastGp' | 'gpTaken' | 'gone';
  /** The value the run left. */
  run?: unknown;
  /** The value now, which stays. */
  now?: unknown;
}

export interface RevertSummary {
  run: number;
  /** The revert's own run (recorded only when it is not a dry run). */
  revertRun: number | null;
  dryRun: boolean;
  /** Accounts, structures and services the run changed. */
  changes: number;
  /** Those whose values came back (in whole or in part). */
  restored: number;
  /** Accounts deleted, structures and services removed (created by the run). */
  deleted: number;
  attachmentsRemoved: number;
  attachmentsRestored: number;
  conflicts: RevertConflict[];
}

export const GP = 'GESTIONNAIRE_PRINCIPAL';

/** Equal as stored values: null and undefined alike, arrays by their items. */
export const same = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
export const sorted = (ids: readonly number[]) => [...ids].sort((x, y) => x - y);

export class RevertFrame {
  /** Structures whose validated GP this revert gives back (a GP the run demoted or ended). */
  readonly gpComesBack = new Set<number>();
  /** Structures from which this revert removed a validated GP. */
  readonly gpRemoved = new Set<number>();
  /** The validated GP attachments of each structure read so far, as the revert leaves them. */
  private readonly principals = new Map<number, Set<number>>();
  private audits: Omit<AuditFields, 'seq'>[] = [];

  constructor(
    readonly uc: UseCase,
    readonly summary: RevertSummary,
    private readonly runId: number,
    /** When the reverted run ended: an account it created and changed later was used since. */
    readonly runEnded: string,
    /** The command's `--reason`, kept in every entry. */
    private readonly reason: string | null,
  ) {}

  conflict(c: RevertConflict): void {
    this.summary.conflicts.push(c);
  }

  audit(action: string, target: string, changes: Record<string, unknown>): void {
    this.audits.push({
      at: this.uc.now,
      actor: this.uc.actor.login,
      action,
      target,
      outcome: 'OK',
      changes: JSON.stringify(changes),
      runId: this.runId,
      reason: this.reason,
    });
  }

  /** The entries held so far (one chunk's): a revert of 400,000 accounts never holds more. */
  async flushAudit(): Promise<void> {
    await audit.appendAudit(this.uc.trx, this.audits);
    this.audits = [];
  }

  /** Whether the revert may take a structure's validated GP away: only to give back the one it had. */
  mayTakeGp(structureId: number): boolean {
    return this.gpComesBack.has(structureId);
  }

  /** Reads the validated GPs of the structures not read yet (before any decision touches them). */
  async loadPrincipals(structureIds: Iterable<number>): Promise<void> {
    const missing = [...new Set(structureIds)].filter((s) => !this.principals.has(s));
    for (const s of missing) this.principals.set(s, new Set());
    for (const [id, s] of await reads.principalsOf(this.uc.trx, missing))
      this.principals.get(s)!.add(id);
  }

  /** Whether a structure (read by `loadPrincipals`) has a validated GP other than `except`. */
  otherPrincipal(structureId: number, except: number): boolean {
    for (const id of this.principals.get(structureId) ?? []) if (id !== except) return true;
    return false;
  }

  /** An attachment's role and status as this revert leaves them: the structure's GPs follow. */
  setState(attachmentId: number, structureId: number, role: string, status: string): void {
    const gps = this.principals.get(structureId);
    if (!gps) throw new Error(`structure ${structureId} not read before its attachment changed`);
    if (role === GP && status === 'VALIDEE') gps.add(attachmentId);
    else gps.delete(attachmentId);
  }

  /** At the end: a structure the revert took a GP from has one again, else the revert is refused. */
  async checkPrincipals(): Promise<void> {
    const lost = [...this.gpRemoved].filter((s) => !this.otherPrincipal(s, -1));
    if (lost.length === 0) return;
    const names = await structures.structureNames(this.uc.trx, lost);
    throw new ConflictError('run.revertLeavesNoGp', {
      structures: names.map((s) => `${s.idType}:${s.identifier}`).join(', '),
    });
  }
}
