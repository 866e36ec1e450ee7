import { RunDigest, type RunChangesDigest } from '../../domain/audit-chain.js';
import { scopeWithin, ALL, type Scope } from '../../domain/departement.js';
import { NotFoundError } from '../../errors.js';
import * as accounts from '../../db/account.repository.js';
import * as runs from '../../db/run.repository.js';
import type { Db, RunRow } from '../../db/schema.js';
import type { Store } from '../../db/store.js';
import { runUseCase, type UseCase } from '../use-case.js';
import type { AccountChange, SyncJournal } from './journal.js';

/**
 * The runs a correspondent can look back on and undo (SPEC 8.1 "Runs"): every sync and import
 * keeps, for each account or structure it changed, one `run_change` row (migration 0008) with the
 * values before the change and those the run left, as compact JSON. `sync show` reads them,
 * `sync revert` (sync/revert.ts) puts the before values back.
 *
 * Who sees a run: a correspondent sees the runs whose actor's scope its own covers (the scope
 * rule of SPEC 6 between correspondents, domain/rights.ts); `*` sees them all. A run whose actor
 * is no longer a correspondent counts as the scope `*`.
 */

// ---- the images an account's change keeps -----------------------------------------------------

/** An attachment as the run found it (changed or ended by the run). */
export interface AttachmentBefore {
  id: number;
  structure: string;
  role?: string;
  status: string;
  dateStart?: string | null;
  dateEnd?: string | null;
  /** Live service ids; empty: the whole structure (absent for an ended attachment: untouched). */
  services?: number[];
  /** The live links not VALIDEE, their status by service id (absent: all VALIDEE). */
  links?: Record<number, string>;
}

/** An account's values before the run (null in the row: the run created it). */
export interface AccountBefore {
  fields: Record<string, unknown>;
  /** `madrhas_base` before the run, when the run wrote it. */
  base?: string | null;
  changed: AttachmentBefore[];
  ended: AttachmentBefore[];
}

/** What the run left of the account. */
export interface AccountAfter {
  fields: Record<string, unknown>;
  base?: string | null;
  added: {
    id: number;
    structure: string;
    role: string;
    dateStart: string;
    dateEnd: string | null;
    services: number[];
  }[];
  changed: {
    id: number;
    structure: string;
    set: Record<string, unknown>;
    services: number[] | null;
  }[];
  ended: { id: number; structure: string }[];
  kept?: string[];
  keptLocal?: string[];
  overridden?: AccountChange['overridden'];
  gpKept?: string[];
  absent?: boolean;
}

/** A structure's or a service's fields before an import (null: the import created it) and after. */
export type FieldsImage = Record<string, unknown>;

/**
 * An account's entry as the run_change row keeps it. Compact (a cold sync writes one per account
 * it creates): empty lists, and a created account's empty fields, an added attachment's open end
 * and whole-structure services are left out; `readImages` gives them back.
 */
export function accountImages(c: AccountChange): {
  before: AccountBefore | null;
  after: AccountAfter;
} {
  const fieldsBefore: Record<string, unknown> = {};
  const fieldsAfter: Record<string, unknown> = {};
  const created = c.kind === 'created';
  for (const [k, v] of Object.entries(c.fields)) {
    fieldsBefore[k] = v.before ?? null;
    if (!created || (v.after ?? null) !== null) fieldsAfter[k] = v.after ?? null;
  }
  const { added, changed, ended } = c.attachments;
  const after = {
    fields: fieldsAfter,
    ...(added.length > 0
      ? {
          added: added.map((a) => ({
            id: a.id,
            structure: a.structureRef,
            role: a.role,
            dateStart: a.dateStart,
            ...(a.dateEnd === null ? {} : { dateEnd: a.dateEnd }),
            ...(a.services.length === 0 ? {} : { services: a.services }),
          })),
        }
      : {}),
    ...(changed.length > 0
      ? {
          changed: changed.map((a) => ({
            id: a.id,
            structure: a.structureRef,
            set: a.set,
            services: a.services,
          })),
        }
      : {}),
    ...(ended.length > 0
      ? { ended: ended.map((e) => ({ id: e.id, structure: e.structureRef })) }
      : {}),
    ...(c.kept.length > 0 ? { kept: c.kept } : {}),
    ...(c.keptLocal.length > 0 ? { keptLocal: c.keptLocal } : {}),
    ...(c.overridden.length > 0 ? { overridden: c.overridden } : {}),
    ...(c.gpKept.length > 0 ? { gpKept: c.gpKept } : {}),
    ...(c.absent ? { absent: true } : {}),
    ...(c.base ? { base: c.base.after } : {}),
  } as AccountAfter;
  if (created) return { before: null, after };
  return {
    before: {
      fields: fieldsBefore,
      ...(c.base ? { base: c.base.before } : {}),
      changed: changed.map((a) => ({
        id: a.id,
        structure: a.structureRef,
        role: a.before.role,
        status: a.before.status,
        dateStart: a.before.dateStart,
        dateEnd: a.before.dateEnd,
        services: a.before.services,
        ...(a.before.links ? { links: a.before.links } : {}),
      })),
      ended: ended.map((e) => ({
        id: e.id,
        structure: e.structureRef,
        status: e.status,
      })),
    },
    after,
  };
}

/** The personal fields of a created account's image, in the order `createdImage` stores them. */
const CREATED_FIELDS = ['title', 'lastName', 'firstName', 'email', 'phone', 'status'] as const;

/**
 * A created account's after-image as stored, positionally: a cold sync writes one per account, a
 * million for a département's first load, and the field names were half their bytes.
 * `[title, lastName, firstName, email, phone, status, [[id, structure, role, dateStart, dateEnd,
 * services], …]]`. `storedAfter` gives back the object `accountImages` makes of the same entry.
 * Null for an entry that carries more (a base): it keeps the object form.
 */
export function createdImage(c: AccountChange): unknown[] | null {
  if (c.kind !== 'created' || c.base !== undefined) return null;
  return [
    ...CREATED_FIELDS.map((k) => c.fields[k]?.after ?? null),
    c.attachments.added.map((a) => [
      a.id,
      a.structureRef,
      a.role,
      a.dateStart,
      a.dateEnd,
      a.services,
    ]),
  ];
}

/**
 * An account's after-image as `accountImages` makes it, from its stored text: the object form,
 * or a created account's positional one (`createdImage`), read back into the same object.
 */
export function storedAfter(text: string): AccountAfter {
  const stored = JSON.parse(text) as unknown;
  if (!Array.isArray(stored)) return stored as AccountAfter;
  const fields: Record<string, unknown> = {};
  CREATED_FIELDS.forEach((k, i) => {
    if (stored[i] !== null) fields[k] = stored[i];
  });
  const added = stored[CREATED_FIELDS.length] as [
    number,
    string,
    string,
    string,
    string | null,
    number[],
  ][];
  return {
    fields,
    ...(added.length > 0
      ? {
          added: added.map(([id, structure, role, dateStart, dateEnd, services]) => ({
            id,
            structure,
            role,
            dateStart,
            ...(dateEnd === null ? {} : { dateEnd }),
            ...(services.length === 0 ? {} : { services }),
          })),
        }
      : {}),
  } as AccountAfter;
}

/** An account's images as stored, with what `accountImages` leaves out given back. */
export function readImages(
  before: string | null,
  after: string,
): { before: AccountBefore | null; after: AccountAfter } {
  const a = storedAfter(after) as Partial<AccountAfter> & { fields: Record<string, unknown> };
  const b = before === null ? null : (JSON.parse(before) as Partial<AccountBefore>);
  return {
    before:
      b === null
        ? null
        : { ...b, fields: b.fields ?? {}, changed: b.changed ?? [], ended: b.ended ?? [] },
    after: {
      ...a,
      added: (a.added ?? []).map((x) => ({
        ...x,
        dateEnd: x.dateEnd ?? null,
        services: x.services ?? [],
      })),
      changed: a.changed ?? [],
      ended: a.ended ?? [],
    },
  };
}

// ---- where a run's changes go -------------------------------------------------------------------

/**
 * A run's before-images, written as run_change rows when flushed (or when a chunk fills). The
 * rows written are hashed as they go (`digest`, in id order): the run's audit entry carries it,
 * and so audits them (issue 16 point 9; `audit verify` recomputes it).
 */
export class RunChanges {
  private pending: runs.RunChangeValues[] = [];
  private readonly digest = new RunDigest();

  constructor(
    private readonly db: Db,
    readonly runId: number,
  ) {}

  /** One row, held until the next flush (the writer's, after each chunk of accounts; the import's, after each batch). */
  add(target: string, kind: string, before: unknown, after: unknown): void {
    this.pending.push([
      this.runId,
      target,
      kind,
      before === null || before === undefined ? null : JSON.stringify(before),
      JSON.stringify(after),
    ]);
  }

  async flush(): Promise<void> {
    const rows = this.pending;
    this.pending = [];
    await runs.insertRunChanges(this.db, rows);
    for (const r of rows) this.digest.add(r[1], r[2], r[3], r[4]);
  }

  /** The rows written so far, counted and hashed: what the run's audit entry carries. */
  written(): RunChangesDigest {
    return this.digest.result();
  }

  discard(): void {
    this.pending = [];
  }
}

/**
 * The sync's journal that keeps the run's before-images (target `account:LOGIN`): each entry
 * becomes one run_change row, written at the writer's flush() after each chunk of accounts.
 */
export class RunJournal implements SyncJournal {
  private readonly changes: RunChanges;

  constructor(db: Db, runId: number) {
    this.changes = new RunChanges(db, runId);
  }

  account(change: AccountChange): void {
    // an account the run did not change (kept): nothing to put back, but the base it may write
    if (change.kind === 'kept' && change.base === undefined) return;
    const target = `account:${change.login}`;
    const created = createdImage(change);
    if (created) return this.changes.add(target, change.kind, null, created);
    const { before, after } = accountImages(change);
    this.changes.add(target, change.kind, before, after);
  }

  flush(): Promise<void> {
    return this.changes.flush();
  }

  discard(): void {
    this.changes.discard();
  }

  /** What the run's audit entry carries of its rows (`RUN_CHANGES_KEY`). */
  written(): RunChangesDigest {
    return this.changes.written();
  }
}

// ---- sync runs, sync show ------------------------------------------------------------------------

export interface RunView {
  id: number;
  kind: string;
  actor: string;
  file: string | null;
  sha256: string | null;
  startedAt: string;
  finishedAt: string | null;
  counts: Record<string, number>;
  /** The saved plan the run applied (`sync apply`), its SHA-256. */
  plan: string | null;
  revertedBy: number | null;
}

export interface ChangeView {
  target: string;
  kind: string;
  before: unknown;
  after: unknown;
}

export interface RunDetail {
  run: RunView;
  changes: ChangeView[];
  /** How many changes the run holds (more than `changes` when a limit cut them). */
  total: number;
}

export function runView(r: RunRow): RunView {
  return {
    id: r.id,
    kind: r.kind,
    actor: r.actor,
    file: r.fileName,
    sha256: r.fileSha256,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts: r.counts ? (JSON.parse(r.counts) as Record<string, number>) : {},
    plan: r.planSha256,
    revertedBy: r.revertedBy,
  };
}

/** The scope a run was made with: its actor's (none, or no longer a correspondent: `*`). */
async function actorScopeOf(db: Db, login: string): Promise<Scope> {
  const account = await accounts.findAccount(db, login);
  const scope = account ? await accounts.scopeOf(db, account.id) : null;
  return scope ?? [ALL];
}

/** A run the actor may look at (3 when none, 4 when its actor's scope is not within the actor's). */
export async function reachRun(uc: UseCase, id: number, action: 'sync.show' | 'sync.revert') {
  const label = `run:${id}`;
  uc.authorize(action, { kind: 'none' }, label);
  const run = await runs.findRun(uc.trx, id);
  if (!run || run.finishedAt === null) throw new NotFoundError('run.notFound', { run: id });
  uc.authorize(action, { kind: 'scope', scope: await actorScopeOf(uc.trx, run.actor) }, label);
  return run;
}

export async function listRuns(store: Store, actor: string, limit = 100): Promise<RunView[]> {
  return runUseCase(store, { actor, action: 'sync.runs', readOnly: true }, async (uc) => {
    uc.authorize('sync.runs', { kind: 'none' }, 'run:*');
    const scopes = await accounts.allScopes(uc.trx);
    const mine = uc.actor.scope!;
    const everything = mine.includes(ALL);
    const out: RunView[] = [];
    for (const r of await runs.listRuns(uc.trx, limit)) {
      const scope = (r.actorId === null ? null : scopes.get(r.actorId)) ?? [ALL];
      if (everything || scopeWithin(scope, mine)) out.push(runView(r));
    }
    return out;
  });
}

export async function showRun(
  store: Store,
  actor: string,
  id: number,
  limit = 1000,
): Promise<RunDetail> {
  return runUseCase(store, { actor, action: 'sync.show', readOnly: true }, async (uc) => {
    const run = await reachRun(uc, id, 'sync.show');
    const changes: ChangeView[] = [];
    for (let after = 0; changes.length < limit;) {
      const page = await runs.runChanges(uc.trx, id, after, Math.min(1000, limit - changes.length));
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      for (const c of page)
        changes.push({
          target: c.target,
          kind: c.kind,
          before: c.before === null ? null : JSON.parse(c.before),
          // an account's image as `accountImages` makes it, whichever form it is stored in
          after: c.target.startsWith('account:') ? storedAfter(c.after) : JSON.parse(c.after),
        });
    }
    const total = changes.length < limit ? changes.length : await runs.countRunChanges(uc.trx, id);
    return { run: runView(run), changes, total };
  });
}
