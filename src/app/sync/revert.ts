import { searchKey } from '../../domain/account.js';
import type { AuditFields } from '../../domain/audit-chain.js';
import { ALL } from '../../domain/departement.js';
import type { IdentifierType } from '../../domain/enums.js';
import { fold } from '../../domain/text.js';
import { ConflictError } from '../../errors.js';
import * as accounts from '../../db/account.repository.js';
import * as attachments from '../../db/attachment.repository.js';
import * as audit from '../../db/audit.repository.js';
import * as changes from '../../db/run-change.repository.js';
import * as runs from '../../db/run.repository.js';
import type { AccountRow, AttachmentUpdate } from '../../db/schema.js';
import type { Store } from '../../db/store.js';
import * as structures from '../../db/structure.repository.js';
import { replaceAttachmentServices } from '../../db/sync.repository.js';
import { runUseCase, type UseCase } from '../use-case.js';
import {
  reachRun,
  readImages,
  type AccountAfter,
  type AccountBefore,
  type FieldsImage,
} from './runs.js';

/**
 * `sync revert RUN` (SPEC 8.1 "Runs"): the values a run replaced come back, one transaction.
 * The run's changes are taken newest first (a GP the run made waits for the one it demoted to be
 * restored, as the run wrote them the other way round). For each value the run set:
 * - still what the run left: it takes its before value again;
 * - already back to its before value: nothing to do;
 * - changed again since: kept, and listed as a conflict (never overwritten).
 * Attachments the run added are removed with their service links (unless changed since);
 * accounts it created are deleted as `account delete` does (status SUPPRIME, attachments
 * SUPPRIMEE), unless used since (changed, completed, other attachments, habilitations,
 * subscriptions or files); the account's `madrhas_base` comes back, its sync digest is cleared.
 * An import's structures and services take their values back; those it created are removed when
 * nothing refers to them. A structure never loses its validated GP through a revert: removing
 * one is a conflict unless the revert gives the structure back the GP it had before the run.
 *
 * Rights: a correspondent who may see the run (its actor's scope within theirs) and whose scope
 * covers every account and existing structure it changes (domain/rights.ts), else 4. A run is
 * reverted once (6); a revert itself is not reverted (6): syncing the file again redoes the run.
 */

export const REVERT_KIND = 'sync.revert';

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

export interface RevertOptions {
  dryRun: boolean;
}

/** Thrown inside the transaction to roll a dry run back; carries its summary out. */
class DryRevert extends Error {
  constructor(readonly summary: RevertSummary) {
    super('dry run');
  }
}

const PAGE = 500;
const GP = 'GESTIONNAIRE_PRINCIPAL';

export async function revertRun(
  store: Store,
  actor: string,
  id: number,
  o: RevertOptions,
): Promise<RevertSummary> {
  try {
    return await runUseCase(
      store,
      { actor, action: 'sync.revert', exclusive: true },
      async (uc) => {
        const run = await reachRun(uc, id, 'sync.revert');
        if (run.kind === REVERT_KIND) throw new ConflictError('run.revertOfRevert', { run: id });
        if (run.revertedBy !== null)
          throw new ConflictError('run.alreadyReverted', { run: id, by: run.revertedBy });
        const revertId = await runs.insertRun(uc.trx, {
          kind: REVERT_KIND,
          actor: uc.actor.login,
          fileName: run.fileName,
          fileSha256: run.fileSha256,
          startedAt: uc.now,
        });
        const summary: RevertSummary = {
          run: id,
          revertRun: o.dryRun ? null : revertId,
          dryRun: o.dryRun,
          changes: 0,
          restored: 0,
          deleted: 0,
          attachmentsRemoved: 0,
          attachmentsRestored: 0,
          conflicts: [],
        };
        const reverter = new Reverter(
          uc,
          summary,
          revertId,
          run.finishedAt ?? uc.now,
          store.reason ?? null,
        );
        await reverter.prepare(id);
        for (let after = Infinity; ;) {
          const page = await runs.runChanges(uc.trx, id, after, PAGE, true);
          if (page.length === 0) break;
          after = page[page.length - 1]!.id;
          for (const c of page) await reverter.revert(c);
          await reverter.flushAudit();
        }
        await reverter.restoreWaitingPrincipals();
        await reverter.checkPrincipals();
        await reverter.flushAudit();
        await runs.setRevertedBy(uc.trx, id, revertId);
        const counts = {
          changes: summary.changes,
          restored: summary.restored,
          deleted: summary.deleted,
          attachmentsRemoved: summary.attachmentsRemoved,
          attachmentsRestored: summary.attachmentsRestored,
          conflicts: summary.conflicts.length,
        };
        await runs.finishRun(uc.trx, revertId, {
          finishedAt: store.clock.now().toISOString(),
          counts: JSON.stringify(counts),
        });
        uc.audit(
          REVERT_KIND,
          `run:${id}`,
          // the first conflicts (all of them are in the command's output)
          { ...counts, conflictList: summary.conflicts.slice(0, 100), revertedRun: run.kind },
          revertId,
        );
        if (o.dryRun) throw new DryRevert(summary);
        return summary;
      },
    );
  } catch (err) {
    if (err instanceof DryRevert) return err.summary;
    throw err;
  }
}

/** Equal as stored values: null and undefined alike, arrays by their items. */
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sorted = (ids: readonly number[]) => [...ids].sort((x, y) => x - y);

class Reverter {
  /** Structures whose validated GP this revert gives back (a GP the run demoted or ended). */
  private readonly gpComesBack = new Set<number>();
  /** Structures from which this revert removed a validated GP. */
  private readonly gpRemoved = new Set<number>();
  /**
   * GPs to restore whose structure still had another GP when their account's turn came (the run
   * wrote a promotion after the demotion it waited for, whatever the logins' order): restored at
   * the end if that GP stepped down meanwhile, else conflicts.
   */
  private readonly waiting: {
    target: string;
    field: string;
    id: number;
    structureId: number;
    structure: string;
    set: AttachmentUpdate;
    services: number[] | null;
    now: unknown;
  }[] = [];

  constructor(
    private readonly uc: UseCase,
    private readonly summary: RevertSummary,
    private readonly runId: number,
    /** When the reverted run ended: an account it created and changed later was used since. */
    private readonly runEnded: string,
    /** The command's `--reason`, kept in every entry. */
    private readonly reason: string | null,
  ) {}

  /** A first pass over the run: which structures get back the validated GP the run took away. */
  async prepare(runId: number): Promise<void> {
    for (let after = 0; ;) {
      const page = await runs.runChanges(this.uc.trx, runId, after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const demoted: number[] = [];
      const ended: number[] = [];
      for (const c of page) {
        if (!c.target.startsWith('account:') || c.before === null) continue;
        const { before } = readImages(c.before, c.after);
        for (const a of before!.changed)
          if (a.role === GP && a.status === 'VALIDEE') demoted.push(a.id);
        for (const a of before!.ended) if (a.status === 'VALIDEE') ended.push(a.id);
      }
      const now = await changes.attachmentsById(this.uc.trx, [...demoted, ...ended]);
      for (const id of demoted) {
        const a = now.get(id);
        if (a) this.gpComesBack.add(a.structureId);
      }
      // the run ends an attachment without changing its role: its role now is the one it had
      for (const id of ended) {
        const a = now.get(id);
        if (a?.role === GP) this.gpComesBack.add(a.structureId);
      }
    }
  }

  /** At the end: the GPs that waited for their structure's other GP to step down. */
  async restoreWaitingPrincipals(): Promise<void> {
    const { uc } = this;
    for (const w of this.waiting) {
      if (await changes.otherPrincipal(uc.trx, w.structureId, w.id)) {
        this.conflict({ target: w.target, field: w.field, reason: 'gpTaken', now: w.now });
        continue;
      }
      await attachments.updateAttachment(uc.trx, w.id, { ...w.set, updatedAt: uc.now });
      if (w.services !== null) await replaceAttachmentServices(uc.trx, w.id, w.services);
      this.summary.attachmentsRestored++;
      this.audit('sync.revert.account', w.target, { attachmentsRestored: [w.structure] });
    }
  }

  /** At the end: a structure the revert took a GP from has one again, else the revert is refused. */
  async checkPrincipals(): Promise<void> {
    const lost: number[] = [];
    for (const s of this.gpRemoved) if (!(await changes.hasPrincipal(this.uc.trx, s))) lost.push(s);
    if (lost.length === 0) return;
    const names = await structures.structureNames(this.uc.trx, lost);
    throw new ConflictError('run.revertLeavesNoGp', {
      structures: names.map((s) => `${s.idType}:${s.identifier}`).join(', '),
    });
  }

  /** Entries written a page at a time (a revert of 400,000 accounts holds one page of them). */
  private audits: Omit<AuditFields, 'seq'>[] = [];

  private audit(action: string, target: string, changes: Record<string, unknown>): void {
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

  async flushAudit(): Promise<void> {
    await audit.appendAudit(this.uc.trx, this.audits);
    this.audits = [];
  }

  private conflict(c: RevertConflict): void {
    this.summary.conflicts.push(c);
  }

  async revert(c: runs.RunChangeRow): Promise<void> {
    this.summary.changes++;
    if (c.target.startsWith('account:')) {
      const { before, after } = readImages(c.before, c.after);
      return this.revertAccount(c.target, c.target.slice('account:'.length), before, after);
    }
    const after = JSON.parse(c.after) as unknown;
    const before = c.before === null ? null : (JSON.parse(c.before) as unknown);
    if (c.target.startsWith('structure:'))
      return this.revertStructure(c.target, before as FieldsImage | null, after as FieldsImage);
    if (c.target.startsWith('service:'))
      return this.revertService(c.target, before as FieldsImage | null, after as FieldsImage);
  }

  // ---- accounts -----------------------------------------------------------------------------

  private async reachable(account: AccountRow, target: string): Promise<void> {
    // the whole country: every account is in scope (SPEC 6), no need to load where it is
    if (this.uc.actor.scope?.includes(ALL)) return;
    const t = await accounts.accountTarget(this.uc.trx, account);
    if (!this.uc.allows('sync.revert', t)) this.uc.authorize('sync.revert', t, target);
  }

  private async revertAccount(
    target: string,
    login: string,
    before: AccountBefore | null,
    after: AccountAfter,
  ): Promise<void> {
    const { uc } = this;
    const account = await accounts.findAccount(uc.trx, login);
    if (!account) return this.conflict({ target, field: 'account', reason: 'gone' });
    await this.reachable(account, target);
    if (before === null) return this.deleteCreated(target, account, after);

    const entry: Record<string, unknown> = {};
    const restored: string[] = [];
    const removed: string[] = [];

    // attachments first: a reactivation undone leaves the account inactive only once its GP roles are back
    const ids = [
      ...after.added.map((a) => a.id),
      ...after.changed.map((a) => a.id),
      ...after.ended.map((a) => a.id),
    ];
    const now = await changes.attachmentsById(uc.trx, ids);
    const toRemove: number[] = [];
    for (const a of after.added) {
      const cur = now.get(a.id);
      const field = `attachment:${a.structure}`;
      if (!cur || cur.status === 'SUPPRIMEE') continue;
      if (
        cur.status !== 'VALIDEE' ||
        cur.role !== a.role ||
        cur.dateStart !== a.dateStart ||
        cur.dateEnd !== a.dateEnd ||
        !same(cur.services, sorted(a.services))
      ) {
        this.conflict({
          target,
          field,
          reason: 'changed',
          run: { role: a.role, status: 'VALIDEE', dateStart: a.dateStart, dateEnd: a.dateEnd },
          now: {
            role: cur.role,
            status: cur.status,
            dateStart: cur.dateStart,
            dateEnd: cur.dateEnd,
          },
        });
        continue;
      }
      if (await changes.usesStructure(uc.trx, account.id, cur.structureId)) {
        // a subscription or habilitation asked for there since: the attachment is in use
        this.conflict({ target, field, reason: 'usedSince' });
        continue;
      }
      if (cur.role === GP && !this.mayTakeGp(cur.structureId)) {
        this.conflict({ target, field, reason: 'lastGp', run: a.role, now: cur.role });
        continue;
      }
      if (cur.role === GP) this.gpRemoved.add(cur.structureId);
      toRemove.push(a.id);
      removed.push(a.structure);
    }
    await changes.deleteAttachments(uc.trx, toRemove);
    this.summary.attachmentsRemoved += toRemove.length;

    for (const a of after.changed) {
      const was = before.changed.find((b) => b.id === a.id);
      const cur = now.get(a.id);
      const field = `attachment:${a.structure}`;
      if (!was) continue;
      if (!cur) {
        this.conflict({ target, field, reason: 'gone' });
        continue;
      }
      const set: AttachmentUpdate = {};
      const wasRecord = was as unknown as Record<string, unknown>;
      const curRecord = cur as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(a.set)) {
        if (same(curRecord[k], v)) (set as Record<string, unknown>)[k] = wasRecord[k] ?? null;
        else if (!same(curRecord[k], wasRecord[k]))
          this.conflict({
            target,
            field: `${field}.${k}`,
            reason: 'changed',
            run: v,
            now: curRecord[k],
          });
      }
      let services: number[] | null = null;
      if (a.services !== null && was.services !== undefined) {
        if (same(cur.services, sorted(a.services))) services = sorted(was.services);
        else if (!same(cur.services, sorted(was.services)))
          this.conflict({
            target,
            field: `${field}.services`,
            reason: 'changed',
            run: a.services,
            now: cur.services,
          });
      }
      const role = (set.role as string | undefined) ?? cur.role;
      const status = (set.status as string | undefined) ?? cur.status;
      const gpNow = cur.role === GP && cur.status === 'VALIDEE';
      const gpAfter = role === GP && status === 'VALIDEE';
      if (gpNow && !gpAfter && !this.mayTakeGp(cur.structureId)) {
        this.conflict({
          target,
          field: `${field}.role`,
          reason: 'lastGp',
          run: cur.role,
          now: cur.role,
        });
        continue;
      }
      if (!gpNow && gpAfter && (await changes.otherPrincipal(uc.trx, cur.structureId, cur.id))) {
        // the GP the run put in its place may step down later in this revert: tried again at the end
        this.waiting.push({
          target,
          field: `${field}.role`,
          id: a.id,
          structureId: cur.structureId,
          structure: a.structure,
          set,
          services,
          now: cur.role,
        });
        continue;
      }
      if (gpNow && !gpAfter) this.gpRemoved.add(cur.structureId);
      if (Object.keys(set).length > 0)
        await attachments.updateAttachment(uc.trx, a.id, { ...set, updatedAt: uc.now });
      if (services !== null) await replaceAttachmentServices(uc.trx, a.id, services);
      if (Object.keys(set).length > 0 || services !== null) {
        restored.push(a.structure);
        this.summary.attachmentsRestored++;
      }
    }

    for (const a of after.ended) {
      const was = before.ended.find((b) => b.id === a.id);
      const cur = now.get(a.id);
      const field = `attachment:${a.structure}.status`;
      if (!was) continue;
      if (!cur) {
        this.conflict({ target, field, reason: 'gone' });
        continue;
      }
      if (cur.status === was.status) continue;
      if (cur.status !== 'DESACTIVEE') {
        this.conflict({ target, field, reason: 'changed', run: 'DESACTIVEE', now: cur.status });
        continue;
      }
      if (
        cur.role === GP &&
        was.status === 'VALIDEE' &&
        (await changes.otherPrincipal(uc.trx, cur.structureId, cur.id))
      ) {
        this.waiting.push({
          target,
          field,
          id: a.id,
          structureId: cur.structureId,
          structure: a.structure,
          set: { status: was.status },
          services: null,
          now: cur.status,
        });
        continue;
      }
      await attachments.updateAttachment(uc.trx, a.id, {
        status: was.status as AttachmentUpdate['status'],
        updatedAt: uc.now,
      });
      restored.push(a.structure);
      this.summary.attachmentsRestored++;
    }

    // then the account's own fields and status
    const set: Record<string, unknown> = {};
    const fields: Record<string, { before: unknown; after: unknown }> = {};
    const current = account as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(after.fields)) {
      const was = before.fields[k] ?? null;
      if (same(current[k], v)) {
        set[k] = was;
        fields[k] = { before: current[k] ?? null, after: was };
      } else if (!same(current[k], was))
        this.conflict({ target, field: k, reason: 'changed', run: v, now: current[k] ?? null });
    }
    if (
      set.status === 'INACTIF' &&
      (await attachments.principalOf(uc.trx, account.id)).length > 0
    ) {
      // a GP is never deactivated (as `account deactivate`): the account stays active
      this.conflict({
        target,
        field: 'status',
        reason: 'lastGp',
        run: account.status,
        now: account.status,
      });
      delete set.status;
      delete fields.status;
    }
    if (after.base !== undefined && before.base !== undefined && account.madrhasBase === after.base)
      set.madrhasBase = before.base;
    if (set.lastName !== undefined || set.firstName !== undefined)
      set.searchKey = searchKey(
        account.login,
        (set.lastName as string | undefined) ?? account.lastName,
        (set.firstName as string | undefined) ?? account.firstName,
      );
    const changed = Object.keys(fields).length > 0 || restored.length > 0 || removed.length > 0;
    if (changed || set.madrhasBase !== undefined)
      await accounts.updateAccount(uc.trx, account.id, {
        ...set,
        syncDigest: null,
        updatedAt: uc.now,
      });
    if (!changed) return;
    this.summary.restored++;
    Object.assign(entry, fields);
    if (removed.length > 0) entry.attachmentsRemoved = removed;
    if (restored.length > 0) entry.attachmentsRestored = restored;
    this.audit('sync.revert.account', target, entry);
  }

  /** Whether the revert may take a structure's validated GP away: only to give back the one it had. */
  private mayTakeGp(structureId: number): boolean {
    return this.gpComesBack.has(structureId);
  }

  /** An account the run created: deleted as `account delete` does, unless used since. */
  private async deleteCreated(target: string, account: AccountRow, after: AccountAfter) {
    const { uc } = this;
    if (account.status === 'SUPPRIME') return;
    const current = account as unknown as Record<string, unknown>;
    const added = new Map(after.added.map((a) => [a.id, a]));
    const held = await changes.attachmentsById(
      uc.trx,
      await changes.attachmentIdsOf(uc.trx, account.id),
    );
    const untouched =
      Object.entries(after.fields).every(([k, v]) => same(current[k], v)) &&
      account.completedAt === null &&
      account.updatedAt <= this.runEnded &&
      [...held.values()].every((h) => {
        const a = added.get(h.id);
        return (
          a !== undefined &&
          h.status === 'VALIDEE' &&
          h.role === a.role &&
          h.dateStart === a.dateStart &&
          h.dateEnd === a.dateEnd &&
          same(h.services, sorted(a.services))
        );
      }) &&
      !(await changes.accountInUse(uc.trx, account.id));
    if (!untouched)
      return this.conflict({
        target,
        field: 'account',
        reason: 'usedSince',
        run: after.fields.status ?? null,
        now: account.status,
      });
    const gps = [...held.values()].filter((h) => h.role === GP && h.status === 'VALIDEE');
    const kept = gps.find((h) => !this.mayTakeGp(h.structureId));
    if (kept)
      return this.conflict({ target, field: 'account', reason: 'lastGp', run: 'created', now: GP });
    for (const h of gps) this.gpRemoved.add(h.structureId);
    await accounts.updateAccount(uc.trx, account.id, {
      status: 'SUPPRIME',
      syncDigest: null,
      updatedAt: uc.now,
    });
    const ended = await accounts.endAttachments(uc.trx, account.id, 'SUPPRIMEE', uc.now);
    // the credentials of an account that no longer exists must not go out
    const withdrawn = await changes.withdrawCredentials(uc.trx, account.id);
    this.summary.deleted++;
    this.audit('sync.revert.account', target, {
      status: { before: account.status, after: 'SUPPRIME' },
      attachmentsEnded: ended,
      ...(withdrawn > 0 ? { credentialsWithdrawn: withdrawn } : {}),
    });
  }

  // ---- structures and services (imports) ------------------------------------------------------

  private async revertStructure(
    target: string,
    before: FieldsImage | null,
    after: FieldsImage,
  ): Promise<void> {
    const { uc } = this;
    const [idType, identifier] = splitRef(target.slice('structure:'.length));
    const row = await structures.findStructure(uc.trx, idType as IdentifierType, identifier);
    if (!row) return this.conflict({ target, field: 'structure', reason: 'gone' });
    if (before === null) {
      if (await changes.structureInUse(uc.trx, row.id))
        return this.conflict({ target, field: 'structure', reason: 'usedSince' });
      await changes.deleteStructure(uc.trx, row.id);
      this.summary.deleted++;
      this.audit('sync.revert.structure', target, { deleted: true });
      return;
    }
    const t = { kind: 'structure' as const, id: row.id, departement: row.departement };
    if (!uc.allows('sync.revert', t)) uc.authorize('sync.revert', t, target);
    const set = this.restoreFields(target, row, before, after);
    if (Object.keys(set).length === 0) return;
    const update: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(set)) update[k] = v.after;
    if (update.companyName !== undefined) update.nameKey = fold(update.companyName as string);
    if (update.city !== undefined) update.cityKey = fold((update.city as string | null) ?? null);
    await structures.updateStructure(uc.trx, row.id, { ...update, updatedAt: uc.now });
    if (update.companyName !== undefined) await structures.refreshSearchKeys(uc.trx, [row.id]);
    this.summary.restored++;
    this.audit('sync.revert.structure', target, set);
  }

  private async revertService(
    target: string,
    before: FieldsImage | null,
    after: FieldsImage,
  ): Promise<void> {
    const { uc } = this;
    const ref = target.slice('service:'.length);
    const slash = ref.lastIndexOf('/');
    const [idType, identifier] = splitRef(ref.slice(0, slash));
    const code = ref.slice(slash + 1);
    const structure = await structures.findStructure(uc.trx, idType as IdentifierType, identifier);
    const row = structure
      ? (await structures.servicesOf(uc.trx, [structure.id])).find((s) => s.code === code)
      : undefined;
    if (!structure || !row) return this.conflict({ target, field: 'service', reason: 'gone' });
    const t = { kind: 'structure' as const, id: structure.id, departement: structure.departement };
    if (!uc.allows('sync.revert', t)) uc.authorize('sync.revert', t, target);
    if (before === null) {
      if (await changes.serviceInUse(uc.trx, row.id))
        return this.conflict({ target, field: 'service', reason: 'usedSince' });
      await changes.deleteService(uc.trx, row.id);
      await structures.refreshSearchKeys(uc.trx, [structure.id]);
      this.summary.deleted++;
      this.audit('sync.revert.service', target, { deleted: true });
      return;
    }
    const set = this.restoreFields(target, row, before, after);
    if (Object.keys(set).length === 0) return;
    const update: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(set)) update[k] = v.after;
    await structures.updateService(uc.trx, row.id, { ...update, updatedAt: uc.now });
    if (update.label !== undefined) await structures.refreshSearchKeys(uc.trx, [structure.id]);
    this.summary.restored++;
    this.audit('sync.revert.service', target, set);
  }

  /** The fields still as the run left them, with the values they take back; the others listed as conflicts. */
  private restoreFields(
    target: string,
    current: Record<string, unknown>,
    before: FieldsImage,
    after: FieldsImage,
  ): Record<string, { before: unknown; after: unknown }> {
    const set: Record<string, { before: unknown; after: unknown }> = {};
    for (const [k, v] of Object.entries(after)) {
      const was = before[k] ?? null;
      if (same(current[k], v)) set[k] = { before: current[k] ?? null, after: was };
      else if (!same(current[k], was))
        this.conflict({ target, field: k, reason: 'changed', run: v, now: current[k] ?? null });
    }
    return set;
  }
}

/** `SIRET:123` → ['SIRET', '123']. */
function splitRef(ref: string): [string, string] {
  const colon = ref.indexOf(':');
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}
