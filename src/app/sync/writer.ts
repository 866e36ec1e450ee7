import { searchKey } from '../../domain/account.js';
import type { AttachmentStatus } from '../../domain/enums.js';
import { baseGpStructures, decodeBase, encodeBase } from '../../domain/merge.js';
import { type MadrhasRow } from '../../domain/madrhas.js';
import {
  createdBase,
  nextBase,
  planAccount,
  planIsEmpty,
  type AccountPlan,
  type CurrentAccount,
  type WantedAttachment,
} from '../../domain/account-plan.js';
import { composeMail, NOREPLY } from '../mail.js';
import * as accounts from '../../db/account.repository.js';
import * as attachments from '../../db/attachment.repository.js';
import * as notifications from '../../db/notification.repository.js';
import * as stage from '../../db/sync-stage.repository.js';
import * as sync from '../../db/sync.repository.js';
import { NO_JOURNAL, type AccountChange, type SyncJournal } from './journal.js';
import { changeOf, createdChange } from './records.js';
import type { SyncSummary } from './summary.js';
import type { NewNotification } from '../../db/schema.js';
import type { UseCase } from '../use-case.js';

const CHUNK = 1000;

/**
 * The writing half of `sync madrhas` (sync/madrhas.ts): the plan of each account, a chunk of
 * logins at a time (from the stream or the stage), each changed account journaled (its run_change
 * row, which the run's audit entry covers: issue 16 point 9); then the accounts full mode deactivates.
 */
/** One account's rows → its personal data and its wanted attachments (one per structure). */
function wantedOf(
  rows: stage.StagedRow[],
  refOf: (structureId: number) => string,
): WantedAttachment[] {
  const byStructure = new Map<number, WantedAttachment>();
  /** The structures a row names whole (no service). */
  const whole = new Set<number>();
  for (const r of rows) {
    let w = byStructure.get(r.structureId);
    if (!w) {
      w = {
        structureId: r.structureId,
        structureRef: refOf(r.structureId),
        role: r.role,
        dateStart: r.dateStart,
        dateEnd: r.dateEnd,
        services: [],
      };
      byStructure.set(r.structureId, w);
    }
    if (r.serviceId === null) whole.add(r.structureId);
    else if (!w.services.includes(r.serviceId)) w.services.push(r.serviceId);
  }
  // a row for the whole structure makes the attachment whole, whatever services other rows name;
  // the objects made above, not copies (a million-row cold sync spread 1,000,000 of them: 0.4 s)
  const wanted = [...byStructure.values()];
  for (const w of wanted)
    if (whole.has(w.structureId)) w.services = [];
    else w.services.sort((a, b) => a - b);
  return wanted;
}

/** One account's valid rows in the file, and what the run knows of it. */
export interface AccountGroup {
  login: string;
  rows: stage.StagedRow[];
  /** A row of this login was rejected: full mode then ends none of its attachments (that row may list one). */
  hasRejects: boolean;
  /** The digest of its rows, recorded once they are applied in full (null: not recorded). */
  digest: string | null;
}

/** What a run carries from chunk to chunk while it writes. */
export class Writer {
  /** Validated GP attachments and promotions that must wait for the store's GP of their structure to step down. */
  private readonly promotions: { id: number; accountId: number; set: Record<string, unknown> }[] =
    [];
  private readonly gpAdds: NewAttachment[] = [];
  /** Entries of accounts whose GP attachment waits for finish(): given to the journal then. */
  private readonly waiting = new Set<AccountChange>();
  /** Where each account's entry goes (the plan, the run's before-images). */
  journal: SyncJournal = NO_JOURNAL;
  /** The accounts the run creates are sent their credentials (SPEC 10; not a dry run, not --no-credentials). */
  credentials = false;
  /**
   * Accounts planned between two turns of the event loop (0: no turn), so that writes queued
   * behind (PostgreSQL's streamed path: db/write-behind.ts WriteBehind) go on while the chunk is planned.
   */
  pace = 0;

  constructor(
    private readonly uc: UseCase,
    private readonly full: boolean,
    private readonly runId: number,
    private readonly summary: SyncSummary,
    /** A structure's `TYPE:identifier`, for audit entries. */
    private readonly refOf: (structureId: number) => string,
    /** structure id → account id of its validated GP when the run began. */
    private readonly storeGp: Map<number, number>,
    /** Whether a structure lies in the actor's scope: full mode ends no attachment outside it. */
    private readonly inScope: (structureId: number) => boolean,
  ) {}

  /**
   * Whether the file names another GP for a structure whose GP it demotes (`login`); if not, the
   * structure keeps its GP (gpKept). Each path says it from what it knows of the file's claims.
   */
  demotable: (structureId: number, login: string) => boolean = () => false;

  /**
   * Whether another account than `login` claims the structure's GP in the file (a row that says
   * GP where its base did not): a store GP whose row keeps its former, non-GP role then steps
   * down (domain/account-plan.ts planAccount). Each path says it from what it knows of the claims.
   */
  claimed: (structureId: number, login: string) => boolean = () => false;

  /** Another account is the structure's GP in the store: the new GP waits for it to be demoted (unique index). */
  private waits(structureId: number, accountId: number | null): boolean {
    const gp = this.storeGp.get(structureId);
    return gp !== undefined && gp !== accountId;
  }

  /** Plans and writes the accounts of one chunk of logins; `current`: those already in the store. */
  async write(
    groups: readonly AccountGroup[],
    current: Map<string, CurrentAccount>,
  ): Promise<void> {
    const { uc, summary, refOf } = this;
    const at = uc.now;
    const held = await sync.attachmentsOfAccounts(
      uc.trx,
      groups.flatMap((g) => current.get(g.login)?.id ?? []),
    );
    const newAccounts: {
      row: stage.StagedRow;
      wanted: WantedAttachment[];
      digest: string | null;
    }[] = [];
    const newAttachments: NewAttachment[] = [];
    const entries: AccountChange[] = [];
    /** Each written account's digest as the run leaves it (its rows', or none), and unchanged accounts' new ones. */
    const digests: [string | null, number][] = [];
    /** The bases that change (domain/merge.ts): the file's values, as the run leaves them. */
    const bases: [string, number][] = [];

    let n = 0;
    for (const g of groups) {
      if (this.pace > 0 && ++n % this.pace === 0) await breathe();
      summary.accounts++;
      const first = g.rows[0]!;
      const wanted = wantedOf(g.rows, refOf);
      const account = current.get(g.login) ?? null;
      if (!account) {
        newAccounts.push({ row: first, wanted, digest: g.digest });
        continue;
      }
      const base = decodeBase(account.madrhasBase, account.login);
      const attachmentsHeld = held.get(account.id) ?? [];
      const plan = planAccount(
        asRow(first),
        wanted,
        account,
        attachmentsHeld,
        this.full && !g.hasRejects,
        refOf,
        this.inScope,
        { base, claimed: (structureId) => this.claimed(structureId, account.login) },
      );
      const refused = this.keepUnsucceededGps(plan, account.login);
      const nextText = encodeBase(
        nextBase(asRow(first), wanted, base, account, attachmentsHeld, plan, refused),
        account.login,
      );
      if (nextText !== account.madrhasBase) bases.push([nextText, account.id]);
      if (plan.kept.length > 0) summary.kept++;
      if (plan.keptLocal.length > 0) summary.keptLocal++;
      if (plan.overridden.length > 0) summary.overridden++;
      summary.gpKept += plan.gpKept.length;
      // an account with kept fields, local values or a kept GP role is planned (and reported) every run
      const record =
        g.digest !== null &&
        plan.kept.length === 0 &&
        plan.keptLocal.length === 0 &&
        plan.gpKept.length === 0
          ? g.digest
          : null;
      if (planIsEmpty(plan)) {
        summary.unchanged++;
        // nothing to write, but the plan says what the file was kept from changing
        if (plan.kept.length + plan.keptLocal.length + plan.gpKept.length > 0)
          entries.push({
            ...changeOf(account.login, account.id, plan),
            kind: 'kept',
            ...(nextText !== account.madrhasBase
              ? { base: { before: account.madrhasBase ?? null, after: nextText } }
              : {}),
          });
        if (record !== null && record !== account.syncDigest) digests.push([record, account.id]);
        continue;
      }
      await this.applyPlan(account, plan);
      const entry = changeOf(account.login, account.id, plan);
      if (nextText !== account.madrhasBase)
        entry.base = { before: account.madrhasBase ?? null, after: nextText };
      entries.push(entry);
      for (const w of plan.add)
        this.queue(
          w.role === 'GESTIONNAIRE_PRINCIPAL' && this.waits(w.structureId, account.id),
          newAttachments,
          { accountId: account.id, w, entry },
        );
      if (plan.status?.after === 'ACTIF') summary.reactivated++;
      else if (plan.status?.after === 'INACTIF') summary.deactivated++;
      else summary.updated++;
      // written: its digest is its rows' now, or none (the digest triggers stand aside while the sync writes)
      if (record !== (account.syncDigest ?? null)) digests.push([record, account.id]);
    }

    await this.turn();
    if (newAccounts.length > 0) {
      const ids = await sync.insertAccounts(
        uc.trx,
        newAccounts.map(({ row: r, wanted, digest }) => [
          r.login,
          r.accountStatus,
          'MADRHAS',
          r.title,
          r.lastName,
          r.firstName,
          r.email,
          r.phone,
          'FR',
          'fr',
          1,
          0,
          searchKey(r.login, r.lastName, r.firstName),
          digest,
          at,
          at,
          encodeBase(createdBase(r, wanted), r.login),
        ]),
      );
      newAccounts.forEach(({ row: r, wanted }, k) => {
        const accountId = ids[k]!;
        const entry = createdChange(r, accountId);
        entries.push(entry);
        for (const w of wanted)
          this.queue(
            w.role === 'GESTIONNAIRE_PRINCIPAL' && this.waits(w.structureId, accountId),
            newAttachments,
            { accountId, w, entry },
          );
        summary.created++;
      });
      await this.turn();
      if (this.credentials)
        await notifications.insertNotifications(
          uc.trx,
          newAccounts.map(({ row: r }, k) => credentialsMail(r, ids[k]!, at)),
        );
    }
    await this.turn();
    await insertAttachments(uc, newAttachments, summary);
    await this.turn();
    if (digests.length > 0) await sync.setDigests(uc.trx, digests);
    if (bases.length > 0) await sync.setBases(uc.trx, bases);
    for (const e of entries) if (!this.waiting.has(e)) this.journal.account(e);
    await this.journal.flush();
  }

  /** A turn of the event loop for the writes behind, between two parts of a chunk (`pace`). */
  private async turn(): Promise<void> {
    if (this.pace > 0) await breathe();
  }

  /** A new attachment now, or (a GP that waits for its structure's GP to step down) at finish(). */
  private queue(waits: boolean, now: NewAttachment[], a: NewAttachment): void {
    if (!waits) return void now.push(a);
    this.gpAdds.push(a);
    if (a.entry) this.waiting.add(a.entry);
  }

  /**
   * A validated GP demoted by the file stays GP unless the file names another GP for the
   * structure. Returns the structures where the file's role was refused (the base keeps its own).
   */
  private keepUnsucceededGps(plan: AccountPlan, login: string): Set<number> {
    const refused = new Set<number>();
    plan.change = plan.change.filter((c) => {
      const demoted =
        c.before.role === 'GESTIONNAIRE_PRINCIPAL' &&
        c.before.status === 'VALIDEE' &&
        c.set.role !== undefined &&
        c.set.role !== 'GESTIONNAIRE_PRINCIPAL';
      if (!demoted || this.demotable(c.before.structureId, login)) return true;
      delete c.set.role;
      plan.gpKept.push(c.structureRef);
      refused.add(c.before.structureId);
      // the file's change is not made: it is not what replaced the store's value either
      const role = `attachment:${c.structureRef}.role`;
      plan.overridden = plan.overridden.filter((o) => o.field !== role);
      return Object.keys(c.set).length > 0 || c.services !== null;
    });
    return refused;
  }

  /** After every chunk: the GPs that waited for their structure's former GP to step down. */
  async finish(): Promise<void> {
    const at = this.uc.now;
    for (const p of this.promotions)
      await attachments.updateAttachment(this.uc.trx, p.id, { ...p.set, updatedAt: at });
    await insertAttachments(this.uc, this.gpAdds, this.summary);
    // written after their digest was recorded: planned again next run, as any later change would have them
    await sync.clearDigests(this.uc.trx, [
      ...this.promotions.map((p) => p.accountId),
      ...this.gpAdds.map((g) => g.accountId),
    ]);
    for (const e of this.waiting) this.journal.account(e);
    this.waiting.clear();
    await this.journal.flush();
  }

  private async applyPlan(account: CurrentAccount, plan: AccountPlan): Promise<void> {
    const db = this.uc.trx;
    const at = this.uc.now;
    const set: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(plan.fields)) set[k] = v.after;
    if (plan.status) set.status = plan.status.after;
    if (Object.keys(set).length > 0) {
      if (set.lastName !== undefined || set.firstName !== undefined)
        set.searchKey = searchKey(
          account.login,
          (set.lastName as string) ?? account.lastName,
          (set.firstName as string) ?? account.firstName,
        );
      await accounts.updateAccount(db, account.id, { ...set, updatedAt: at });
    }
    for (const c of plan.change) {
      if (Object.keys(c.set).length > 0) {
        if (promotes(c) && this.waits(c.before.structureId, account.id))
          this.promotions.push({ id: c.id, accountId: account.id, set: c.set });
        else await attachments.updateAttachment(db, c.id, { ...c.set, updatedAt: at });
      }
      if (c.services !== null) await sync.replaceAttachmentServices(db, c.id, c.services);
      this.summary.attachmentsChanged++;
    }
    if (plan.end.length > 0) {
      await sync.deactivateAttachments(
        db,
        plan.end.map((e) => e.id),
        at,
      );
      this.summary.attachmentsEnded += plan.end.length;
    }
  }
}

/** The staged path: the stage's valid rows, a chunk of logins at a time, through the writer. */
export async function applyStaged(uc: UseCase, writer: Writer, full: boolean): Promise<void> {
  // the stage's valid GP rows that say GP where the account's base did not (markBaseGp): at most
  // one claimant a structure (the rules across rows saw to it). The others claim nothing: the
  // merge keeps their account's own role, so they neither demote the store's GP nor replace it.
  const claims = await stage.stagedClaims(uc.trx);
  const claimed = (structureId: number, login: string) =>
    (claims.get(structureId) ?? login) !== login;
  writer.demotable = claimed;
  writer.claimed = claimed;
  let after = '';
  for (;;) {
    await breathe();
    const logins = await stage.stagedLoginsAfter(uc.trx, after, CHUNK, 'valid');
    if (logins.length === 0) break;
    after = logins[logins.length - 1]!;
    const rows = await stage.stagedRowsOf(uc.trx, logins[0]!, after);
    const withRejects = full
      ? await stage.loginsWithRejects(uc.trx, logins[0]!, after)
      : new Set<string>();
    const current = new Map((await sync.accountsByLogin(uc.trx, logins)).map((a) => [a.login, a]));
    const groups: AccountGroup[] = [];
    for (let i = 0; i < rows.length;) {
      let j = i;
      while (j < rows.length && rows[j]!.login === rows[i]!.login) j++;
      groups.push({
        login: rows[i]!.login,
        rows: rows.slice(i, j),
        hasRejects: withRejects.has(rows[i]!.login),
        digest: null,
      });
      i = j;
    }
    await writer.write(groups, current);
  }
  await writer.finish();
}

/** Lets the event loop turn between chunks: SQLite's writes are synchronous, and a signal
 *  (Ctrl-C, SIGTERM) must be heard while the run goes, not only after it has committed. */
export const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Before the staged path's rules across rows: its GP rows that the account's base already made
 * GP there are recorded (sync_base_gp): they claim nothing against the store's GP (SPEC 8.1).
 */
export async function markBaseGp(uc: UseCase): Promise<void> {
  const pairs: [string, number][] = [];
  for (const [login, structureId, text] of await stage.stagedGpRowsWithBase(uc.trx))
    if (baseGpStructures(decodeBase(text, login)).has(structureId))
      pairs.push([login, structureId]);
  await stage.markBaseGp(uc.trx, pairs);
}

/** A MADRHAS attachment to insert, and the journal entry of its account (given its id once inserted). */
interface NewAttachment {
  accountId: number;
  w: WantedAttachment;
  entry?: AccountChange;
}

/** New MADRHAS attachments, VALIDEE, with their services. */
async function insertAttachments(
  uc: UseCase,
  list: NewAttachment[],
  summary: SyncSummary,
): Promise<void> {
  if (list.length === 0) return;
  const at = uc.now;
  const ids = await sync.insertAttachments(
    uc.trx,
    list.map(({ accountId, w }) => [
      accountId,
      w.structureId,
      w.role,
      'VALIDEE',
      'MADRHAS',
      w.dateStart,
      w.dateEnd,
      at,
      uc.actor.login,
      at,
      at,
    ]),
  );
  const links: [number, number, AttachmentStatus][] = [];
  list.forEach(({ w, entry }, k) => {
    for (const s of w.services) links.push([ids[k]!, s, 'VALIDEE']);
    // every field named, in the spread's order (plans and images list them so): a spread copy
    // took 0.9 µs an attachment, a million in a cold sync
    entry?.attachments.added.push({
      structureId: w.structureId,
      structureRef: w.structureRef,
      role: w.role,
      dateStart: w.dateStart,
      dateEnd: w.dateEnd,
      services: w.services,
      id: ids[k]!,
    });
  });
  await sync.insertAttachmentServices(uc.trx, links);
  summary.attachmentsAdded += list.length;
}

/**
 * The credentials message of an account the sync creates (SPEC 10), as `account create` sends it:
 * to the login, an e-mail address, in the account's language (French, as the sync creates them).
 */
function credentialsMail(r: stage.StagedRow, accountId: number, at: string): NewNotification {
  const m = composeMail('ACCOUNT_CREATED', 'fr', {
    login: r.login,
    title: r.title,
    firstName: r.firstName,
    lastName: r.lastName,
  });
  return {
    accountId,
    structureId: null,
    event: 'ACCOUNT_CREATED',
    language: 'fr' as const,
    fromAddress: NOREPLY,
    toAddress: r.login,
    subject: m.subject,
    body: m.body,
    createdAt: at,
  };
}

/** A change that makes an attachment a validated GP one (written last, see applyPlans). */
const promotes = (c: AccountPlan['change'][number]) =>
  (c.set.role ?? c.before.role) === 'GESTIONNAIRE_PRINCIPAL' &&
  (c.set.role !== undefined || c.set.status !== undefined);

const asRow = (r: stage.StagedRow): MadrhasRow =>
  ({
    login: r.login,
    title: r.title,
    lastName: r.lastName,
    firstName: r.firstName,
    email: r.email,
    phone: r.phone,
    accountStatus: r.accountStatus,
  }) as MadrhasRow;
