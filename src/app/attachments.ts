import type { AttachmentStatus, Role } from '../domain/enums.js';
import { withinDates, type Action } from '../domain/rights.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import { AppError, ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as attachments from '../db/attachment.repository.js';
import type { AccountRow, AttachmentRow, ServiceRow, StructureRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import { correspondentsFor } from './orphans.js';
import { reachAccount } from './reach-account.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * Attachments (rattachements), issue 5: their views, requests and decisions. A manager's addition
 * is in attachment-add.ts, detachment and the GP transfer in attachment-detach.ts.
 */

export interface AttachmentView {
  id: number;
  account: string;
  lastName: string;
  firstName: string;
  structure: string;
  companyName: string;
  /** Codes of the services it is limited to; empty: the whole structure. */
  services: string[];
  role: string;
  status: string;
  dateStart: string | null;
  dateEnd: string | null;
  /** Validated and within its dates today: what gives rights. */
  inEffect: boolean;
  comment: string | null;
  refusalReason: string | null;
  requestedAt: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
}

export const GP: Role = 'GESTIONNAIRE_PRINCIPAL';
export const structureTarget = (
  s: Pick<StructureRow, 'id' | 'departement'>,
  serviceId: number | null = null,
) => ({ kind: 'structure' as const, id: s.id, departement: s.departement, serviceId });
export const attachmentLabel = (id: number) => `attachment:${id}`;

/** Asks a manager's right on a structure, or on every one of the services an attachment is limited to. */
export function authorizeOn(
  uc: UseCase,
  action: Action,
  s: Pick<StructureRow, 'id' | 'departement'>,
  serviceIds: readonly number[],
  label: string,
): void {
  if (serviceIds.length === 0) uc.authorize(action, structureTarget(s), label);
  for (const id of serviceIds) uc.authorize(action, structureTarget(s, id), label);
}

function allowsOn(
  uc: UseCase,
  action: Action,
  s: Pick<StructureRow, 'id' | 'departement'>,
  serviceIds: readonly number[],
): boolean {
  return serviceIds.length === 0
    ? uc.allows(action, structureTarget(s))
    : serviceIds.every((id) => uc.allows(action, structureTarget(s, id)));
}

/** The services named by code, all of the structure's and active. */
export async function servicesNamed(
  uc: UseCase,
  s: StructureRow,
  codes: readonly string[],
): Promise<ServiceRow[]> {
  if (codes.length === 0) return [];
  const all = await structures.servicesOf(uc.trx, [s.id]);
  return [...new Set(codes.map((c) => c.trim().toUpperCase()))].map((code) => {
    const found = all.find((sv) => sv.code.toUpperCase() === code);
    if (!found)
      throw new NotFoundError('service.notFound', { code, structure: formatStructureRef(s) });
    if (found.active !== 1 || (found.dateEnd !== null && found.dateEnd < uc.today))
      throw new ConflictError('attachment.serviceInactive', {
        code: found.code,
        structure: formatStructureRef(s),
      });
    return found;
  });
}

export function checkDates(from: string | null, until: string | null): void {
  if (from && until && until < from)
    throw new InvalidInputError([
      { field: '--until', message: 'attachment.dateOrder', params: { from, until } },
    ]);
}

/**
 * Makes the account the structure's principal manager, validated and for the whole structure
 * (a GP is never limited to some services, SPEC 7): a new attachment dated `dates` when it has no
 * live one; otherwise its live one, a pending request validated by `decidedBy`, its services
 * ended. Returns the attachment, the live one as it was (undefined: new), and the codes of the
 * services it held (read before they end). The former GP must already have stepped down.
 */
export async function makeGp(
  uc: UseCase,
  accountId: number,
  structureId: number,
  decidedBy: string,
  dates: { dateStart: string | null; dateEnd: string | null },
): Promise<{ id: number; before: AttachmentRow | undefined; servicesEnded: string[] }> {
  const before = await attachments.liveAttachment(uc.trx, accountId, structureId);
  if (!before) {
    const id = await attachments.insertAttachment(
      uc.trx,
      {
        accountId,
        structureId,
        role: GP,
        status: 'VALIDEE',
        comment: null,
        ...dates,
        decidedBy,
        at: uc.now,
      },
      [],
    );
    return { id, before, servicesEnded: [] };
  }
  const servicesEnded = (
    (await attachments.servicesByAttachment(uc.trx, [before.id])).get(before.id) ?? []
  )
    .filter((l) => l.status === before.status)
    .map((l) => l.code);
  const promoted = await attachments.setAttachmentStatus(uc.trx, before.id, 'VALIDEE', {
    at: uc.now,
    role: GP,
    ...(before.status === 'VALIDEE' ? {} : { decidedBy }),
    from: before.status,
  });
  if (!promoted) throw new ConflictError('store.concurrentChange');
  await attachments.endAllServices(uc.trx, before.id, uc.now);
  return { id: before.id, before, servicesEnded };
}

async function activeStructure(uc: UseCase, ref: string): Promise<StructureRow> {
  const s = await structures.getStructure(uc.trx, parseStructureRef(ref));
  return s;
}

type ListedRow = Awaited<ReturnType<typeof attachments.listAttachmentRows>>[number];

async function toViews(uc: UseCase, rows: ListedRow[]): Promise<AttachmentView[]> {
  const services = await attachments.servicesByAttachment(
    uc.trx,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const linked = services.get(r.id) ?? [];
    // a live attachment shows its live services; an ended one, those it had when it ended
    const shown = linked.filter(
      (l) =>
        l.status === r.status || l.status === 'VALIDEE' || l.status === 'EN_COURS_DE_VALIDATION',
    );
    return {
      id: r.id,
      account: r.login,
      lastName: r.lastName,
      firstName: r.firstName,
      structure: formatStructureRef(r),
      companyName: r.companyName,
      services: shown.map((l) => l.code),
      role: r.role,
      status: r.status,
      dateStart: r.dateStart,
      dateEnd: r.dateEnd,
      inEffect: r.status === 'VALIDEE' && withinDates(r, uc.today),
      comment: r.comment,
      refusalReason: r.refusalReason,
      requestedAt: r.requestedAt,
      decidedAt: r.decidedAt,
      decidedBy: r.decidedBy,
    };
  });
}

export async function viewOf(uc: UseCase, id: number): Promise<AttachmentView> {
  const a = await attachments.getAttachment(uc.trx, id);
  const rows = await attachments.listAttachmentRows(uc.trx, { accountId: a.accountId });
  return (
    await toViews(
      uc,
      rows.filter((r) => r.id === id),
    )
  )[0]!;
}

// ---- requests ---------------------------------------------------------------------------

export interface RequestInput {
  structure: string;
  services: string[];
  comment: string;
  from: string | null;
  until: string | null;
}

/** A request taken, and, when no active account can decide it, the correspondents to turn to. */
export interface RequestOutcome {
  attachment: AttachmentView;
  /** null: the structure's deciders were told; else the correspondents in scope, told instead. */
  turnTo: { login: string; name: string }[] | null;
}

/** The acting account asks to be attached; the structure's deciders are told. */
export async function requestAttachment(
  store: Store,
  actor: string,
  input: RequestInput,
): Promise<AttachmentView> {
  return (await requestAttachmentOutcome(store, actor, input)).attachment;
}

/**
 * The acting account asks to be attached; the structure's deciders are told. A request that no
 * active account can decide (no GP in effect, no active holder of VALIDATION_RATTACHEMENTS) is
 * still taken: the correspondents whose scope covers the structure are told, and named.
 */
export async function requestAttachmentOutcome(
  store: Store,
  actor: string,
  input: RequestInput,
): Promise<RequestOutcome> {
  return runUseCase(store, { actor, action: 'attachment.request' }, async (uc) => {
    const s = await activeStructure(uc, input.structure);
    uc.authorize('attachment.request', { kind: 'none' }, `structure:${formatStructureRef(s)}`);
    if (s.active !== 1)
      throw new ConflictError('attachment.structureInactive', { structure: formatStructureRef(s) });
    const comment = input.comment.trim();
    if (comment === '')
      throw new InvalidInputError([{ field: '--comment', message: 'validation.required' }]);
    checkDates(input.from, input.until);
    const services = await servicesNamed(uc, s, input.services);
    if (await attachments.liveAttachment(uc.trx, uc.actor.id, s.id))
      throw new ConflictError('attachment.exists', {
        login: uc.actor.login,
        structure: formatStructureRef(s),
      });
    const id = await attachments.insertAttachment(
      uc.trx,
      {
        accountId: uc.actor.id,
        structureId: s.id,
        role: 'UTILISATEUR',
        status: 'EN_COURS_DE_VALIDATION',
        comment,
        dateStart: input.from,
        dateEnd: input.until,
        decidedBy: null,
        at: uc.now,
      },
      services.map((sv) => sv.id),
    );
    const codes = services.map((sv) => sv.code);
    const deciders = (
      await attachments.decidersOf(
        uc.trx,
        s.id,
        services.map((sv) => sv.id),
        uc.today,
      )
    ).filter((d) => d.id !== uc.actor.id);
    const turnTo = deciders.length === 0 ? await correspondentsFor(uc, s.departement) : null;
    uc.audit('attachment.request', attachmentLabel(id), {
      structure: formatStructureRef(s),
      account: uc.actor.login,
      services: codes,
      comment,
      dateStart: input.from,
      dateEnd: input.until,
      ...(turnTo === null ? {} : { undecidable: true, turnTo: turnTo.map((c) => c.login) }),
    });
    const params = {
      id,
      requester: uc.actor.login,
      requesterName: `${uc.actorAccount.firstName} ${uc.actorAccount.lastName}`,
      structure: formatStructureRef(s),
      companyName: s.companyName,
      services: codes.join(', ') || '-',
      comment,
    };
    for (const d of deciders) uc.notify(d, 'ATTACHMENT_REQUESTED', params, s.id);
    for (const c of turnTo ?? []) uc.notify(c, 'ATTACHMENT_UNDECIDABLE', params, s.id);
    return {
      attachment: await viewOf(uc, id),
      turnTo:
        turnTo === null
          ? null
          : turnTo.map((c) => ({ login: c.login, name: `${c.firstName} ${c.lastName}` })),
    };
  });
}

// ---- decisions --------------------------------------------------------------------------

export type Decision = { approve: true } | { approve: false; reason: string };

export interface DecisionResult {
  id: number;
  ok: boolean;
  status: string | null;
  /** The exit code (SPEC 5) and message of an item that could not be decided. */
  code: number | null;
  error: AppError | null;
}

/** Decides one request in its own transaction. */
export async function decideAttachment(
  store: Store,
  actor: string,
  id: number,
  decision: Decision,
): Promise<AttachmentView> {
  return runUseCase(store, { actor, action: 'attachment.decide' }, async (uc) => {
    const label = attachmentLabel(id);
    const a = await attachments.getAttachment(uc.trx, id);
    const s = await structures.structureById(uc.trx, a.structureId);
    const linked = (await attachments.servicesByAttachment(uc.trx, [a.id])).get(a.id) ?? [];
    authorizeOn(
      uc,
      'attachment.decide',
      s,
      linked.map((l) => l.serviceId),
      label,
    );
    if (a.status !== 'EN_COURS_DE_VALIDATION')
      throw new ConflictError('attachment.alreadyDecided', { id, status: a.status });
    const status = decision.approve ? 'VALIDEE' : 'REFUSEE';
    const reason = decision.approve ? undefined : decision.reason.trim();
    if (reason === '')
      throw new InvalidInputError([{ field: '--reason', message: 'validation.required' }]);
    const decided = await attachments.setAttachmentStatus(uc.trx, a.id, status, {
      at: uc.now,
      decidedBy: uc.actor.login,
      ...(reason === undefined ? {} : { refusalReason: reason }),
      from: 'EN_COURS_DE_VALIDATION',
    });
    if (!decided)
      throw new ConflictError('attachment.alreadyDecided', {
        id,
        status: (await attachments.getAttachment(uc.trx, id)).status,
      });
    const requester = await accounts.accountById(uc.trx, a.accountId);
    uc.audit(decision.approve ? 'attachment.approve' : 'attachment.reject', label, {
      structure: formatStructureRef(s),
      account: requester.login,
      services: linked.map((l) => l.code),
      status: { before: a.status, after: status },
      ...(reason === undefined ? {} : { reason }),
    });
    uc.notify(
      requester,
      decision.approve ? 'ATTACHMENT_APPROVED' : 'ATTACHMENT_REJECTED',
      {
        id,
        structure: formatStructureRef(s),
        companyName: s.companyName,
        reason: reason ?? '',
        decidedBy: uc.actor.login,
      },
      s.id,
    );
    return viewOf(uc, id);
  });
}

/**
 * Decides several requests, each in its own transaction, so that one that cannot be decided
 * (already decided, not found, not yours to decide) blocks none of the others.
 */
export async function decideAttachments(
  store: Store,
  actor: string,
  ids: readonly number[],
  decision: Decision,
): Promise<DecisionResult[]> {
  const results: DecisionResult[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      const view = await decideAttachment(store, actor, id, decision);
      results.push({ id, ok: true, status: view.status, code: 0, error: null });
    } catch (err) {
      // a store that fails, or a bug, stops the batch: only the item's own refusals are per item
      if (!(err instanceof AppError) || err.exitCode === 7) throw err;
      results.push({ id, ok: false, status: null, code: err.exitCode, error: err });
    }
  }
  return results;
}

// ---- lists ------------------------------------------------------------------------------

export interface ListInput {
  account?: string | undefined;
  status?: AttachmentStatus | undefined;
}

/** The acting account's attachments, or another account's for those who may read it. */
export async function listAttachments(
  store: Store,
  actor: string,
  input: ListInput,
): Promise<AttachmentView[]> {
  return runUseCase(store, { actor, action: 'account.read', readOnly: true }, async (uc) => {
    let account: AccountRow = uc.actorAccount;
    if (input.account !== undefined) {
      account = (await reachAccount(uc, input.account, 'account.read')).account;
    }
    return toViews(
      uc,
      await attachments.listAttachmentRows(uc.trx, { accountId: account.id, status: input.status }),
    );
  });
}

/**
 * Requests waiting for a decision: on one structure (its deciders; correspondents in scope, to
 * read), or on every structure the actor decides for (a correspondent: its scope).
 */
export async function pendingAttachments(
  store: Store,
  actor: string,
  structure: string | undefined,
): Promise<AttachmentView[]> {
  return runUseCase(store, { actor, action: 'attachment.pending', readOnly: true }, async (uc) => {
    let structureIds: number[] | undefined;
    if (structure !== undefined) {
      const s = await structures.getStructure(uc.trx, parseStructureRef(structure));
      uc.authorize('attachment.pending', structureTarget(s), `structure:${formatStructureRef(s)}`);
      structureIds = [s.id];
    } else if (!uc.actor.scope) {
      structureIds = [
        ...new Set([
          ...uc.actor.attachments.map((a) => a.structureId),
          ...uc.actor.habilitations.map((h) => h.structureId),
        ]),
      ];
    }
    const rows = await attachments.listAttachmentRows(uc.trx, {
      status: 'EN_COURS_DE_VALIDATION',
      structureIds,
    });
    const services = await attachments.servicesByAttachment(
      uc.trx,
      rows.map((r) => r.id),
    );
    const visible = rows.filter((r) =>
      allowsOn(
        uc,
        'attachment.pending',
        { id: r.structureId, departement: r.departement },
        (services.get(r.id) ?? []).map((l) => l.serviceId),
      ),
    );
    return toViews(uc, visible);
  });
}
