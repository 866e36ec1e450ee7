import { searchKey } from '../../domain/account.js';
import { ALL } from '../../domain/departement.js';
import { SCOPE_STATUSES } from '../../domain/rights.js';
import * as changes from '../../db/run-change.repository.js';
import * as reads from '../../db/revert.repository.js';
import type { HeldAttachment } from '../../db/revert.repository.js';
import type * as runs from '../../db/run.repository.js';
import type { AccountRow, AttachmentUpdate } from '../../db/schema.js';
import { GP, same, sorted, type RevertFrame } from './revert-frame.js';
import { readImages, type AccountAfter, type AccountBefore } from './runs.js';

/**
 * A sync run's accounts put back (SPEC 8.1 "Runs"), a chunk of them at a time: the chunk's
 * accounts, their attachments and links, and what uses them are read in a few queries; each
 * account is decided in the run's newest-first order against that state, kept up to date in
 * memory as decisions are made (the structures' GPs in the frame); the chunk's writes then go
 * in bulk. What is decided is the same as one account at a time:
 * - a value still as the run left it takes its before value; one changed since is kept (conflict);
 * - attachments the run added are removed with their links, unless changed or used since;
 * - attachments it changed or ended take their role, status, dates and services back;
 * - accounts it created are deleted as `account delete` does, unless used since;
 * - a structure's validated GP is taken away only if the revert gives back the one it had.
 *
 * Service links: the images hold the live service ids an attachment had and the status of those
 * not VALIDEE (`links`): they come back with it (a link whose status changed since the run
 * stays as it is). A run recorded before the images held it gives none: its links come back
 * VALIDEE, the status the sync gives the links it writes.
 */

const SCOPED = new Set<string>(SCOPE_STATUSES);

interface Item {
  target: string;
  login: string;
  before: AccountBefore | null;
  after: AccountAfter;
}

/** A GP to restore whose structure still had another GP when its account's turn came. */
interface Waiting {
  target: string;
  field: string;
  attachment: HeldAttachment;
  structure: string;
  set: AttachmentUpdate;
  services: Links | null;
  now: unknown;
}

/** The services an attachment takes back, with the status of those not VALIDEE. */
interface Links {
  ids: number[];
  statuses: Record<number, string> | undefined;
}

/** What a chunk decided, written at its end. */
class Writes {
  removed: number[] = [];
  attachments: { id: number; set: Record<string, unknown> }[] = [];
  linked: number[] = [];
  links: [number, number, string][] = [];
  accounts: { id: number; set: Record<string, unknown> }[] = [];
  deleted: number[] = [];
}

export class AccountReverter {
  private readonly waiting: Waiting[] = [];
  private held = new Map<number, HeldAttachment>();
  private heldBy = new Map<number, HeldAttachment[]>();
  private used = new Set<string>();
  private inUse = new Set<number>();
  private pending = new Map<number, number>();
  private w = new Writes();

  constructor(private readonly f: RevertFrame) {}

  /** A first pass over the run's accounts: which structures get back the validated GP the run took away. */
  async prepare(page: readonly runs.RunChangeRow[]): Promise<void> {
    const demoted: number[] = [];
    const ended: number[] = [];
    for (const c of page) {
      if (!c.target.startsWith('account:') || c.before === null) continue;
      const { before } = readImages(c.before, c.after);
      for (const a of before!.changed)
        if (a.role === GP && a.status === 'VALIDEE') demoted.push(a.id);
      for (const a of before!.ended) if (a.status === 'VALIDEE') ended.push(a.id);
    }
    const now = await changes.attachmentsById(this.f.uc.trx, [...demoted, ...ended]);
    for (const id of demoted) {
      const a = now.get(id);
      if (a) this.f.gpComesBack.add(a.structureId);
    }
    // the run ends an attachment without changing its role: its role now is the one it had
    for (const id of ended) {
      const a = now.get(id);
      if (a?.role === GP) this.f.gpComesBack.add(a.structureId);
    }
  }

  /** One chunk of the run's accounts, newest first: read, decided, written. */
  async revert(rows: readonly runs.RunChangeRow[]): Promise<void> {
    const { trx } = this.f.uc;
    const items: Item[] = rows.map((c) => ({
      target: c.target,
      login: c.target.slice('account:'.length),
      ...readImages(c.before, c.after),
    }));
    const found = await reads.accountsByLogin(
      trx,
      items.map((i) => i.login),
    );
    const idsOf = (keep: (i: Item) => boolean) =>
      items.filter(keep).flatMap((i) => {
        const a = found.get(i.login);
        return a ? [a.id] : [];
      });
    this.held = await reads.attachmentsOfAccounts(
      trx,
      idsOf(() => true),
    );
    this.heldBy = new Map();
    for (const a of this.held.values())
      this.heldBy.set(a.accountId, [...(this.heldBy.get(a.accountId) ?? []), a]);
    await this.f.loadPrincipals([...this.held.values()].map((a) => a.structureId));
    this.used = await reads.structuresUsedBy(
      trx,
      idsOf((i) => i.after.added.length > 0),
    );
    const created = idsOf((i) => i.before === null);
    this.inUse = await reads.accountsInUse(trx, created);
    this.pending = await reads.pendingCredentials(trx, created);
    // the whole country: every account is in scope (SPEC 6), no need to load where they are
    const targets = this.f.uc.actor.scope?.includes(ALL)
      ? null
      : await reads.accountTargets(
          trx,
          idsOf(() => true),
        );
    this.w = new Writes();
    for (const i of items) {
      const account = found.get(i.login);
      if (!account) this.f.conflict({ target: i.target, field: 'account', reason: 'gone' });
      else {
        const t = targets?.get(account.id);
        if (t && !this.f.uc.allows('sync.revert', t))
          this.f.uc.authorize('sync.revert', t, i.target);
        if (i.before === null) this.deleteCreated(i.target, account, i.after);
        else this.revertAccount(i.target, account, i.before, i.after);
      }
    }
    await this.write(this.w);
  }

  private async write(w: Writes): Promise<void> {
    const { trx, now } = this.f.uc;
    await changes.deleteAttachments(trx, w.removed);
    await reads.updateAlike(trx, 'attachment', w.attachments);
    await reads.replaceLinks(trx, w.linked, w.links);
    await reads.updateAlike(trx, 'account', w.accounts);
    await reads.deleteAccounts(trx, w.deleted, now);
  }

  /** An attachment given other values: written at the chunk's end, its state followed now. */
  private update(a: HeldAttachment, set: AttachmentUpdate, services: Links | null, w: Writes) {
    if (Object.keys(set).length > 0) {
      w.attachments.push({ id: a.id, set: { ...set, updatedAt: this.f.uc.now } });
      a.role = (set.role as string | undefined) ?? a.role;
      a.status = (set.status as string | undefined) ?? a.status;
      this.f.setState(a.id, a.structureId, a.role, a.status);
    }
    if (services === null) return;
    w.linked.push(a.id);
    const keep = new Set(services.ids);
    for (const s of services.ids) {
      // the run wrote its links VALIDEE: one with another status now was changed since, and stays
      const now = a.links.get(s);
      const changed = now !== undefined && now !== 'VALIDEE' && now !== 'SUPPRIMEE';
      w.links.push([a.id, s, changed ? now : (services.statuses?.[s] ?? 'VALIDEE')]);
    }
    // a link ended before (SUPPRIMEE) and not given back stays as history
    for (const [s, status] of a.links)
      if (status === 'SUPPRIMEE' && !keep.has(s)) w.links.push([a.id, s, status]);
  }

  private revertAccount(
    target: string,
    account: AccountRow,
    before: AccountBefore,
    after: AccountAfter,
  ): void {
    const { f, w } = this;
    const restored: string[] = [];
    const removed: string[] = [];

    // attachments first: a reactivation undone leaves the account inactive only once its GP roles are back
    const mine = (id: number) => {
      const a = this.held.get(id);
      return a?.accountId === account.id ? a : undefined;
    };
    for (const a of after.added) {
      const cur = mine(a.id);
      const field = `attachment:${a.structure}`;
      if (!cur || cur.status === 'SUPPRIMEE') continue;
      if (
        cur.status !== 'VALIDEE' ||
        cur.role !== a.role ||
        cur.dateStart !== a.dateStart ||
        cur.dateEnd !== a.dateEnd ||
        !same(cur.services, sorted(a.services))
      ) {
        f.conflict({
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
      if (this.used.has(`${account.id}:${cur.structureId}`)) {
        // a subscription or habilitation asked for there since: the attachment is in use
        f.conflict({ target, field, reason: 'usedSince' });
        continue;
      }
      if (cur.role === GP && !f.mayTakeGp(cur.structureId)) {
        f.conflict({ target, field, reason: 'lastGp', run: a.role, now: cur.role });
        continue;
      }
      if (cur.role === GP) f.gpRemoved.add(cur.structureId);
      w.removed.push(a.id);
      cur.status = 'SUPPRIMEE';
      f.setState(cur.id, cur.structureId, cur.role, cur.status);
      f.summary.attachmentsRemoved++;
      removed.push(a.structure);
    }

    for (const a of after.changed) {
      const was = before.changed.find((b) => b.id === a.id);
      const cur = mine(a.id);
      const field = `attachment:${a.structure}`;
      if (!was) continue;
      if (!cur) {
        f.conflict({ target, field, reason: 'gone' });
        continue;
      }
      const set: AttachmentUpdate = {};
      const wasRecord = was as unknown as Record<string, unknown>;
      const curRecord = cur as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(a.set)) {
        if (same(curRecord[k], v)) (set as Record<string, unknown>)[k] = wasRecord[k] ?? null;
        else if (!same(curRecord[k], wasRecord[k]))
          f.conflict({
            target,
            field: `${field}.${k}`,
            reason: 'changed',
            run: v,
            now: curRecord[k],
          });
      }
      let services: Links | null = null;
      if (a.services !== null && was.services !== undefined) {
        if (same(cur.services, sorted(a.services)))
          services = { ids: sorted(was.services), statuses: was.links };
        else if (!same(cur.services, sorted(was.services)))
          f.conflict({
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
      if (gpNow && !gpAfter && !f.mayTakeGp(cur.structureId)) {
        f.conflict({
          target,
          field: `${field}.role`,
          reason: 'lastGp',
          run: cur.role,
          now: cur.role,
        });
        continue;
      }
      if (!gpNow && gpAfter && f.otherPrincipal(cur.structureId, cur.id)) {
        // the GP the run put in its place may step down later in this revert: tried again at the end
        this.waiting.push({
          target,
          field: `${field}.role`,
          attachment: cur,
          structure: a.structure,
          set,
          services,
          now: cur.role,
        });
        continue;
      }
      if (gpNow && !gpAfter) f.gpRemoved.add(cur.structureId);
      this.update(cur, set, services, w);
      if (Object.keys(set).length > 0 || services !== null) {
        restored.push(a.structure);
        f.summary.attachmentsRestored++;
      }
    }

    for (const a of after.ended) {
      const was = before.ended.find((b) => b.id === a.id);
      const cur = mine(a.id);
      const field = `attachment:${a.structure}.status`;
      if (!was) continue;
      if (!cur) {
        f.conflict({ target, field, reason: 'gone' });
        continue;
      }
      if (cur.status === was.status) continue;
      if (cur.status !== 'DESACTIVEE') {
        f.conflict({ target, field, reason: 'changed', run: 'DESACTIVEE', now: cur.status });
        continue;
      }
      const set = { status: was.status as AttachmentUpdate['status'] };
      if (
        cur.role === GP &&
        was.status === 'VALIDEE' &&
        f.otherPrincipal(cur.structureId, cur.id)
      ) {
        this.waiting.push({
          target,
          field,
          attachment: cur,
          structure: a.structure,
          set,
          services: null,
          now: cur.status,
        });
        continue;
      }
      this.update(cur, set, null, w);
      restored.push(a.structure);
      f.summary.attachmentsRestored++;
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
        f.conflict({ target, field: k, reason: 'changed', run: v, now: current[k] ?? null });
    }
    const principal = (this.heldBy.get(account.id) ?? []).some(
      (h) => h.role === GP && h.status === 'VALIDEE',
    );
    if (set.status === 'INACTIF' && principal) {
      // a GP is never deactivated (as `account deactivate`): the account stays active
      f.conflict({
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
      w.accounts.push({ id: account.id, set: { ...set, syncDigest: null, updatedAt: f.uc.now } });
    if (!changed) return;
    f.summary.restored++;
    const entry: Record<string, unknown> = { ...fields };
    if (removed.length > 0) entry.attachmentsRemoved = removed;
    if (restored.length > 0) entry.attachmentsRestored = restored;
    f.audit('sync.revert.account', target, entry);
  }

  /** An account the run created: deleted as `account delete` does, unless used since. */
  private deleteCreated(target: string, account: AccountRow, after: AccountAfter): void {
    const { f } = this;
    if (account.status === 'SUPPRIME') return;
    const current = account as unknown as Record<string, unknown>;
    const added = new Map(after.added.map((a) => [a.id, a]));
    const held = this.heldBy.get(account.id) ?? [];
    const untouched =
      Object.entries(after.fields).every(([k, v]) => same(current[k], v)) &&
      account.completedAt === null &&
      account.updatedAt <= f.runEnded &&
      held.every((h) => {
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
      !this.inUse.has(account.id);
    if (!untouched)
      return f.conflict({
        target,
        field: 'account',
        reason: 'usedSince',
        run: after.fields.status ?? null,
        now: account.status,
      });
    const gps = held.filter((h) => h.role === GP && h.status === 'VALIDEE');
    if (gps.some((h) => !f.mayTakeGp(h.structureId)))
      return f.conflict({ target, field: 'account', reason: 'lastGp', run: 'created', now: GP });
    for (const h of gps) f.gpRemoved.add(h.structureId);
    let ended = 0;
    for (const h of held)
      if (SCOPED.has(h.status)) {
        h.status = 'SUPPRIMEE';
        f.setState(h.id, h.structureId, h.role, h.status);
        ended++;
      }
    this.w.deleted.push(account.id);
    // the credentials of an account that no longer exists must not go out (deleteAccounts)
    const withdrawn = this.pending.get(account.id) ?? 0;
    f.summary.deleted++;
    f.audit('sync.revert.account', target, {
      status: { before: account.status, after: 'SUPPRIME' },
      attachmentsEnded: ended,
      ...(withdrawn > 0 ? { credentialsWithdrawn: withdrawn } : {}),
    });
  }

  /** At the end: the GPs that waited for their structure's other GP to step down. */
  async restoreWaitingPrincipals(): Promise<void> {
    const { f } = this;
    const w = new Writes();
    for (const x of this.waiting) {
      if (f.otherPrincipal(x.attachment.structureId, x.attachment.id)) {
        f.conflict({ target: x.target, field: x.field, reason: 'gpTaken', now: x.now });
        continue;
      }
      this.update(x.attachment, x.set, x.services, w);
      f.summary.attachmentsRestored++;
      f.audit('sync.revert.account', x.target, { attachmentsRestored: [x.structure] });
    }
    await this.write(w);
  }
}
