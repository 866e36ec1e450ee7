import { scopeCovers, type Scope } from './departement.js';
import type { AccountStatus, AttachmentStatus, Role, Source } from './enums.js';
import { accountInScope, SCOPE_STATUSES, withinDates } from './rights.js';
import type { MadrhasRow } from './madrhas.js';
import { ABSENT, merge3, sameIds, type MadrhasBase, type Merged } from './merge.js';

/**
 * What the MADRHAS sync does to one account (SPEC 8.1): from its checked rows (domain/madrhas.ts),
 * its state in the store and its base, the three-way merge (domain/merge.ts) gives the plan — its
 * fields, status and attachments to add, change or end; and, for an account the file leaves out,
 * within the actor's scope, what full mode does. Pure: app/sync/writer.ts applies the plans.
 */

/** The fields MADRHAS sets; after `account complete`, the holder's contact e-mail and phone are kept. */
export const SYNCED_FIELDS = ['title', 'lastName', 'firstName', 'email', 'phone'] as const;
export const HOLDER_OWNED = new Set<string>(['email', 'phone']);

export interface CurrentAccount {
  id: number;
  login: string;
  status: AccountStatus;
  source: Source;
  completedAt: string | null;
  title: string | null;
  lastName: string;
  firstName: string;
  email: string;
  phone: string | null;
  /** Digest of the rows last applied in full (null once anything changed since). */
  syncDigest?: string | null;
  /** The base of the merge as stored (domain/merge.ts encodeBase; null: none yet). */
  madrhasBase?: string | null;
}

export interface CurrentAttachment {
  id: number;
  structureId: number;
  role: Role;
  status: AttachmentStatus;
  source: Source;
  dateStart: string | null;
  dateEnd: string | null;
  /** Live service ids; empty: the whole structure. */
  services: number[];
  /** The live links not VALIDEE, their status by service id (absent: all VALIDEE); `sync revert` gives them back. */
  links?: Record<number, string>;
}

/** One account's wanted attachment, from its rows for one structure. */
export interface WantedAttachment {
  structureId: number;
  structureRef: string;
  role: Role;
  dateStart: string;
  dateEnd: string | null;
  /** Service ids; empty: the whole structure. */
  services: number[];
}

export interface AccountPlan {
  /** Fields to set and their before/after, for the update and the audit entry. */
  fields: Record<string, { before: unknown; after: unknown }>;
  /** Fields the file would change but the holder owns (counted as kept). */
  kept: string[];
  status: { before: AccountStatus; after: AccountStatus } | null;
  add: WantedAttachment[];
  change: {
    id: number;
    structureRef: string;
    set: Partial<{
      role: Role;
      status: AttachmentStatus;
      dateStart: string;
      dateEnd: string | null;
    }>;
    services: number[] | null;
    before: CurrentAttachment;
  }[];
  /** MADRHAS attachments to structures the file no longer lists for this account (full mode). */
  end: { id: number; structureRef: string }[];
  /** Validated GP attachments the file no longer lists: kept, the structure would lose its GP. */
  gpKept: string[];
  /** What the store changed since the base and the file did not: the store's value stays (domain/merge.ts). */
  keptLocal: string[];
  /** What the store and the file both changed since the base: the file's value replaces the store's. */
  overridden: { field: string; store: unknown; file: unknown }[];
}

/** What the merge needs besides the file and the store. */
export interface MergeInput {
  /** The account's base (null: none, the file imposes). */
  base: MadrhasBase | null;
  /**
   * Whether another account claims the structure's GP in the file (a real claim, not a row that
   * says GP where its base already did): a store GP whose row keeps a non-GP role then steps down.
   */
  claimed?: (structureId: number) => boolean;
}

const sameSet = sameIds;

const LIVE = new Set(['EN_COURS_DE_VALIDATION', 'VALIDEE', 'DESACTIVEE']);

/**
 * What the sync does to one existing account (or, with `current` null, creates). `refOf` names a
 * structure id for the audit entry. `full`: MADRHAS attachments to structures in scope that the
 * file no longer lists end.
 */
export function planAccount(
  row: MadrhasRow,
  wanted: readonly WantedAttachment[],
  current: CurrentAccount | null,
  attachments: readonly CurrentAttachment[],
  full: boolean,
  refOf: (structureId: number) => string,
  /** Whether a structure lies in the actor's scope: full mode ends nothing outside it. */
  inScope: (structureId: number) => boolean = () => true,
  /** The base of the three-way merge (SPEC 8.1); without one, the file imposes. */
  merge: MergeInput = { base: null },
): AccountPlan {
  const plan: AccountPlan = {
    fields: {},
    kept: [],
    status: null,
    add: [],
    change: [],
    end: [],
    gpKept: [],
    keptLocal: [],
    overridden: [],
  };
  const base = merge.base;
  /** Notes what the merge of one value did; returns the value. */
  const note = <T>(path: string, m: Merged<T>, store: T, file: T): T => {
    if (m.kind === 'keptLocal') plan.keptLocal.push(path);
    else if (m.kind === 'overridden') plan.overridden.push({ field: path, store, file });
    return m.value;
  };
  if (current) {
    for (const f of SYNCED_FIELDS) {
      const before = current[f] ?? null;
      const file = row[f] ?? null;
      // the holder's own contact data, once the first login is done: kept whatever the file says
      if (current.completedAt !== null && HOLDER_OWNED.has(f)) {
        if (before !== file) plan.kept.push(f);
        continue;
      }
      const after = note(
        f,
        merge3(base ? (base[f] ?? null) : undefined, before, file),
        before,
        file,
      );
      if (before !== after) plan.fields[f] = { before, after };
    }
    const status = note(
      'status',
      merge3<AccountStatus>(base?.status, current.status, row.accountStatus),
      current.status,
      row.accountStatus,
    );
    if (current.status !== status) plan.status = { before: current.status, after: status };
  }
  const live = attachments.filter((a) => LIVE.has(a.status));
  const byStructure = new Map(live.map((a) => [a.structureId, a]));
  const inBase = base ? new Map(base.attachments.map((b) => [b.structureId, b])) : null;
  /** The listed structures the account is GP of once merged (what the file says, unless the store's role stays). */
  const gpAfter = new Set<number>();
  for (const w of wanted) {
    const a = byStructure.get(w.structureId);
    const b = inBase === null ? undefined : (inBase.get(w.structureId) ?? ABSENT);
    const path = `attachment:${w.structureRef}`;
    // listed by the file as by the base, but no longer in effect in the store (detached, ended,
    // refused, or requested again since): the store's decision stays, unless the file now names
    // the account GP there. That change of the file wins: its claim lets the sync demote the
    // structure's GP (app/sync gp-claims), and the structure would be left without one.
    if (b !== undefined && b !== ABSENT && a?.status !== 'VALIDEE') {
      if (w.role !== 'GESTIONNAIRE_PRINCIPAL' || b.role === 'GESTIONNAIRE_PRINCIPAL') {
        plan.keptLocal.push(path);
        continue;
      }
      plan.overridden.push({ field: path, store: a?.status ?? null, file: w.role });
    }
    if (!a) {
      plan.add.push(w);
      if (w.role === 'GESTIONNAIRE_PRINCIPAL') gpAfter.add(w.structureId);
      continue;
    }
    const prop = <K extends 'role' | 'dateStart' | 'dateEnd'>(k: K): WantedAttachment[K] => {
      const before = a[k] as WantedAttachment[K];
      const was = b === undefined || b === ABSENT ? b : (b[k] as WantedAttachment[K]);
      let m = merge3(was, before, w[k]);
      // a store GP the file leaves in its former role steps down when the file names another GP
      if (
        k === 'role' &&
        m.kind === 'keptLocal' &&
        a.role === 'GESTIONNAIRE_PRINCIPAL' &&
        a.status === 'VALIDEE' &&
        merge.claimed?.(w.structureId) === true
      )
        m = { value: w[k], kind: 'overridden' };
      return note(`${path}.${k}`, m, before, w[k]);
    };
    const set: AccountPlan['change'][number]['set'] = {};
    const role = prop('role');
    if (a.role !== role) set.role = role;
    if (role === 'GESTIONNAIRE_PRINCIPAL') gpAfter.add(w.structureId);
    if (a.status !== 'VALIDEE') set.status = 'VALIDEE';
    const dateStart = prop('dateStart');
    if (a.dateStart !== dateStart) set.dateStart = dateStart;
    const dateEnd = prop('dateEnd');
    if (a.dateEnd !== dateEnd) set.dateEnd = dateEnd;
    const wantedServices = note(
      `${path}.services`,
      merge3(b === undefined || b === ABSENT ? b : b.services, a.services, w.services, sameSet),
      a.services,
      w.services,
    );
    const services = sameSet(a.services, wantedServices) ? null : wantedServices;
    if (Object.keys(set).length > 0 || services !== null)
      plan.change.push({ id: a.id, structureRef: w.structureRef, set, services, before: a });
  }
  if (full) {
    const listed = new Set(wanted.map((w) => w.structureId));
    for (const a of live) {
      if (a.source !== 'MADRHAS' || a.status !== 'VALIDEE' || listed.has(a.structureId)) continue;
      // the file speaks only for the actor's scope: an attachment elsewhere is not absent from it
      if (!inScope(a.structureId)) continue;
      // neither the file nor the base lists it: it was given in the store since, and stays
      if (inBase !== null && !inBase.has(a.structureId)) {
        plan.keptLocal.push(`attachment:${refOf(a.structureId)}`);
        continue;
      }
      // a structure never loses its GP silently (issue 5): the role must be transferred first
      if (a.role === 'GESTIONNAIRE_PRINCIPAL') plan.gpKept.push(refOf(a.structureId));
      else plan.end.push({ id: a.id, structureRef: refOf(a.structureId) });
    }
  }
  // nor through a row that says INACTIF: a GP stays active until the role is handed over (SPEC 8.1)
  if (plan.status?.after === 'INACTIF') {
    const gone = new Set([
      ...plan.end.map((e) => e.id),
      ...plan.change.filter((c) => c.set.role !== undefined).map((c) => c.id),
    ]);
    const gp = [
      ...live
        .filter((a) => a.status === 'VALIDEE' && a.role === 'GESTIONNAIRE_PRINCIPAL')
        .filter((a) => !gone.has(a.id))
        .map((a) => refOf(a.structureId)),
      ...wanted.filter((w) => gpAfter.has(w.structureId)).map((w) => w.structureRef),
    ];
    if (gp.length > 0) {
      plan.status = null;
      for (const ref of new Set(gp)) if (!plan.gpKept.includes(ref)) plan.gpKept.push(ref);
    }
  }
  return plan;
}

/**
 * The base the account keeps after this run (domain/merge.ts): what the file gave it — its
 * personal fields and status, and for each structure the role, dates and services — except where
 * the sync refused the file's value (a GP stays GP until the file names another, stays active
 * while it is GP): there the base keeps what it had, so that the next run asks again. A structure
 * the file no longer lists stays in the base while the store keeps its attachment in effect and
 * the run did not end it (delta mode, a rejected row, outside the actor's scope, a GP kept), so
 * that a later run still knows it came from the file.
 */
export function nextBase(
  row: MadrhasRow,
  wanted: readonly WantedAttachment[],
  old: MadrhasBase | null,
  current: CurrentAccount | null,
  attachments: readonly CurrentAttachment[],
  plan: AccountPlan | null,
  /** Structures where the writer refused the file's role (a GP demoted with no other GP named). */
  refusedRoles: ReadonlySet<number> = new Set(),
): MadrhasBase {
  let status: MadrhasBase['status'] = row.accountStatus;
  if (current && plan && plan.status === null) {
    const merged = merge3<AccountStatus>(old?.status, current.status, row.accountStatus).value;
    if (merged !== current.status)
      status = old?.status ?? (current.status === 'INACTIF' ? 'INACTIF' : 'ACTIF');
  }
  const base = createdBase(row, wanted);
  base.status = status;
  const before = new Map((old?.attachments ?? []).map((b) => [b.structureId, b]));
  const held = new Map(
    attachments.filter((a) => a.status === 'VALIDEE').map((a) => [a.structureId, a]),
  );
  // where the writer refused the file's role, the base keeps the role it had (or the store's)
  for (const a of base.attachments)
    if (refusedRoles.has(a.structureId))
      a.role = before.get(a.structureId)?.role ?? held.get(a.structureId)?.role ?? a.role;
  // and the attachments the file no longer lists but the store still holds, unended by the plan
  const listed = new Set(wanted.map((w) => w.structureId));
  const ended = new Set(plan?.end.map((e) => e.id) ?? []);
  for (const b of before.values()) {
    if (listed.has(b.structureId)) continue;
    const a = held.get(b.structureId);
    if (a !== undefined && !ended.has(a.id)) base.attachments.push(b);
  }
  return base;
}

/** A created account's base: the file's values as they are (`nextBase` with nothing before it). */
export function createdBase(
  row: Pick<MadrhasRow, 'title' | 'lastName' | 'firstName' | 'email' | 'phone' | 'accountStatus'>,
  wanted: readonly WantedAttachment[],
): MadrhasBase {
  return {
    title: row.title,
    lastName: row.lastName,
    firstName: row.firstName,
    email: row.email,
    phone: row.phone,
    status: row.accountStatus,
    attachments: wanted.map((w) => ({
      structureId: w.structureId,
      role: w.role,
      dateStart: w.dateStart,
      dateEnd: w.dateEnd,
      services: w.services,
    })),
  };
}

// ---- the actor's scope (SPEC 6, 8.1) -----------------------------------------------------

const COUNTING = new Set<string>(SCOPE_STATUSES);

/** An existing account's attachment as the sync weighs it against the actor's scope. */
export interface ScopedAttachment {
  id: number;
  structureId: number;
  /** `TYPE:identifier`, for audit entries. */
  structureRef: string;
  /** The structure's stored département (null: outside France or without a postal code). */
  departement: string | null;
  role: Role;
  status: AttachmentStatus;
  source: Source;
  dateStart: string | null;
  dateEnd: string | null;
}

/**
 * SPEC 6 for an existing account: in `scope` when one of its counting attachments goes to a
 * structure in scope, or when it has none and is not a correspondent; a correspondent
 * (`correspondentScope`) when `scope` covers its own. `attachments` may hold others: they are
 * left out here.
 */
export function accountInScopeOf(
  scope: Scope,
  attachments: readonly Pick<ScopedAttachment, 'status' | 'departement'>[],
  correspondentScope: Scope | null,
): boolean {
  return accountInScope(scope, {
    departements: attachments.filter((a) => COUNTING.has(a.status)).map((a) => a.departement),
    scope: correspondentScope,
  });
}

/** What full mode does to an active MADRHAS account the file does not list. */
export type AbsentPlan =
  /** Outside the actor's scope, or nothing of it the file governs: untouched. */
  | { kind: 'none' }
  /** The validated GP of structures in scope (how many): untouched, the structures keep their GP. */
  | { kind: 'gpKept'; structures: number }
  /** Its MADRHAS attachments in scope end; it stays active (in effect elsewhere) or is deactivated. */
  | { kind: 'end' | 'deactivate'; end: { id: number; structureRef: string }[] };

/**
 * Full mode's rule for an absent account (SPEC 8.1): only attachments to structures in the
 * actor's scope end (its validated MADRHAS ones), and the account is deactivated only when it
 * is in scope through a MADRHAS attachment (or through having none at all) and nothing keeps
 * it elsewhere: no validated attachment in effect on `day` to a structure outside the scope, no
 * validated GP role anywhere. A mere pending request in scope deactivates nothing.
 */
export function planAbsent(
  scope: Scope,
  attachments: readonly ScopedAttachment[],
  correspondentScope: Scope | null,
  day: string,
): AbsentPlan {
  if (!accountInScopeOf(scope, attachments, correspondentScope)) return { kind: 'none' };
  const counting = attachments.filter((a) => COUNTING.has(a.status));
  const inScope = (a: ScopedAttachment) => scopeCovers(scope, a.departement);
  const validGp = counting.filter(
    (a) => a.status === 'VALIDEE' && a.role === 'GESTIONNAIRE_PRINCIPAL',
  );
  const gpInScope = validGp.filter(inScope).length;
  if (gpInScope > 0) return { kind: 'gpKept', structures: gpInScope };
  const madrhas = counting.filter((a) => a.source === 'MADRHAS' && inScope(a));
  const end = madrhas
    .filter((a) => a.status === 'VALIDEE')
    .map((a) => ({ id: a.id, structureRef: a.structureRef }));
  const heldElsewhere =
    validGp.length > 0 ||
    counting.some((a) => a.status === 'VALIDEE' && !inScope(a) && withinDates(a, day));
  if (!heldElsewhere && (madrhas.length > 0 || counting.length === 0))
    return { kind: 'deactivate', end };
  return end.length > 0 ? { kind: 'end', end } : { kind: 'none' };
}

export const planIsEmpty = (p: AccountPlan) =>
  Object.keys(p.fields).length === 0 &&
  p.status === null &&
  p.add.length === 0 &&
  p.change.length === 0 &&
  p.end.length === 0;
