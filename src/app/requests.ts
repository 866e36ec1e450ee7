import { isOneOf, REQUEST_STATUSES, type RequestStatus } from '../domain/enums.js';
import type { MailEvent } from './mail.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import { nextStatus, type Decision } from '../domain/subscription.js';
import { AppError, ConflictError, NotFoundError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as requests from '../db/request.repository.js';
import type { ServiceRow, StructureRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * What habilitation and subscription requests share: naming their structure and service, the
 * e-mails to the deciders, their life cycle (stamps, decisions, removals), and bulk decisions
 * taken one id at a time.
 */

/** One id of a bulk command (`approve|reject|remove ID...`): what it became, or why not. */
export type ItemOutcome<T> =
  { id: number; ok: true; value: T } | { id: number; ok: false; error: AppError };

/**
 * Runs `work` for each id (duplicates once), each in its own use case, so its own transaction:
 * an id that fails (not found, refused and audited, already decided) leaves the others done.
 * Only errors a user should read are collected; anything else (a bug, a lost store) stops the run.
 */
export async function eachId<T>(
  ids: readonly number[],
  work: (id: number) => Promise<T>,
): Promise<ItemOutcome<T>[]> {
  const out: ItemOutcome<T>[] = [];
  for (const id of new Set(ids)) {
    try {
      out.push({ id, ok: true, value: await work(id) });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out.push({ id, ok: false, error: err });
    }
  }
  return out;
}

/**
 * The statuses a list shows: `status` when given (commander has checked it is one of them; any
 * other matches no request), else all but the removed ones.
 */
export function listedStatuses(status: string | undefined): RequestStatus[] {
  if (status === undefined) return ['EN_COURS_DE_VALIDATION', 'VALIDEE', 'REFUSEE'];
  return isOneOf(REQUEST_STATUSES, status) ? [status] : [];
}

export interface Place {
  structure: StructureRow;
  service: ServiceRow | null;
}

/** The structure (`21640445900010`, `SIRET:…`) and, when given, its service: both must exist (exit 3). */
export async function placeOf(
  uc: UseCase,
  ref: string,
  serviceCode: string | undefined,
): Promise<Place> {
  const structure = await structures.getStructure(uc.trx, parseStructureRef(ref));
  const service =
    serviceCode === undefined
      ? null
      : await structures.getService(
          uc.trx,
          structure.id,
          serviceCode,
          formatStructureRef(structure),
        );
  return { structure, service };
}

export const structureTarget = (
  s: Pick<StructureRow, 'id' | 'departement'>,
  serviceId: number | null,
  requesterId?: number,
) => ({
  kind: 'structure' as const,
  id: s.id,
  departement: s.departement,
  serviceId,
  ...(requesterId === undefined ? {} : { requesterId }),
});

/** How messages name a structure, or one of its services: `SIRET:… (service SERV-CULT)`. */
export const placeText = (
  s: Pick<StructureRow, 'idType' | 'identifier'>,
  serviceCode: string | null | undefined,
) => (serviceCode ? `${formatStructureRef(s)} (service ${serviceCode})` : formatStructureRef(s));

export const structureLabel = (s: Pick<StructureRow, 'idType' | 'identifier'>) =>
  `structure:${formatStructureRef(s)}`;

/** Queues `event` to every decider of the structure (or service), but the requester itself. */
export async function notifyDeciders(
  uc: UseCase,
  structureId: number,
  serviceId: number | null,
  requesterId: number,
  event: MailEvent,
  params: Record<string, unknown>,
): Promise<void> {
  // only the GP decides habilitation requests (SPEC 6): only the GP is told of them
  const profile = event === 'HABILITATION_REQUESTED' ? null : 'VALIDATION_ABONNEMENTS';
  for (const to of await requests.decidersOf(uc.trx, structureId, serviceId, uc.today, profile)) {
    if (to.id !== requesterId) uc.notify(to, event, params, structureId);
  }
}

// ---- the life cycle both kinds share ------------------------------------------------------

/** A stored request, as both kinds' records carry it. */
export type RequestRecord = Pick<
  requests.HabilitationRecord & requests.SubscriptionRecord,
  | 'id'
  | 'accountId'
  | 'structureId'
  | 'serviceId'
  | 'departement'
  | 'status'
  | 'decidedAt'
  | 'decidedBy'
>;

/** What one kind of request brings to the flows they share. */
export interface RequestKindOf<R extends RequestRecord, V> {
  kind: requests.RequestKind;
  find(db: UseCase['trx'], id: number): Promise<R | undefined>;
  toView(r: R): V;
  /** The e-mail's parameters for a decision on `r`, but the reason. */
  mailParams(r: R): Record<string, unknown>;
  approved: MailEvent;
  rejected: MailEvent;
  /** What lets an actor remove another account's request. */
  removedBy: 'habilitation.grant' | 'subscription.decide';
}

export const requestLabel = (kind: requests.RequestKind, id: number) => `${kind}:${id}`;

/** The request, or not found (exit 3). */
export async function getRequest<R extends RequestRecord>(
  uc: UseCase,
  k: Pick<RequestKindOf<R, unknown>, 'kind' | 'find'>,
  id: number,
): Promise<R> {
  const row = await k.find(uc.trx, id);
  if (!row) throw new NotFoundError(`${k.kind}.notFound`, { id });
  return row;
}

/**
 * The request's status changed between reading it and writing it (another command decided it):
 * a conflict, naming the status it has now. Writers take turns (SQLite) or run serializable
 * (PostgreSQL), so this only backs up the status the write re-checks.
 */
export async function changedMeanwhile(
  uc: UseCase,
  k: Pick<RequestKindOf<RequestRecord, unknown>, 'kind' | 'find'>,
  id: number,
  key: 'request.alreadyDecided' | 'request.alreadyClosed',
): Promise<never> {
  const now = await getRequest(uc, k, id);
  throw new ConflictError(key, { id, status: now.status });
}

/** A new request's status and stamps: pending (requested now), or granted at once by the actor. */
export function requestStamps(uc: UseCase, status: 'EN_COURS_DE_VALIDATION' | 'VALIDEE') {
  const decided = status === 'VALIDEE';
  return {
    status,
    requestedAt: decided ? null : uc.now,
    decidedAt: decided ? uc.now : null,
    decidedBy: decided ? uc.actor.login : null,
    createdAt: uc.now,
    updatedAt: uc.now,
  };
}

/**
 * Approves or rejects each pending request, each id in its own transaction (SPEC 5: a batch
 * whose items fail on their own). Deciders only (4, audited); a request already decided: 6.
 */
/** How one kind of request is decided (`decideHabilitations`, `decideSubscriptions`), as commands call it. */
export type DecideMany = (
  store: Store,
  actor: string,
  ids: readonly number[],
  decision: Decision,
  reason?: string,
) => Promise<ItemOutcome<{ status: string }>[]>;

export async function decideRequests<R extends RequestRecord, V>(
  store: Store,
  actor: string,
  k: RequestKindOf<R, V>,
  ids: readonly number[],
  decision: Decision,
  reason?: string,
): Promise<ItemOutcome<V>[]> {
  return eachId(ids, (id) =>
    runUseCase(store, { actor, action: `${k.kind}.decide` }, async (uc) => {
      const row = await getRequest(uc, k, id);
      uc.authorize(
        `${k.kind}.decide`,
        structureTarget(
          { id: row.structureId, departement: row.departement },
          row.serviceId,
          row.accountId,
        ),
        requestLabel(k.kind, id),
      );
      const next = nextStatus(row.status, decision);
      if (!next.ok) throw new ConflictError(next.key, { id, status: row.status });
      const decided = await requests.decideRequest(uc.trx, k.kind, id, {
        from: row.status,
        status: next.status,
        at: uc.now,
        by: uc.actor.login,
      });
      if (!decided) await changedMeanwhile(uc, k, id, 'request.alreadyDecided');
      uc.audit(
        `${k.kind}.${decision === 'approve' ? 'approve' : 'reject'}`,
        requestLabel(k.kind, id),
        {
          status: { before: row.status, after: next.status },
          ...(reason === undefined ? {} : { reason }),
        },
      );
      uc.notify(
        await accounts.accountById(uc.trx, row.accountId),
        decision === 'approve' ? k.approved : k.rejected,
        { ...k.mailParams(row), reason: reason ?? '-' },
        row.structureId,
      );
      return k.toView({
        ...row,
        status: next.status,
        decidedAt: uc.now,
        decidedBy: uc.actor.login,
      });
    }),
  );
}

/** Removing one's own request is the holder's right; another's, the right `removedBy` names on its structure. */
export function authorizeRemoval(
  uc: UseCase,
  k: Pick<RequestKindOf<RequestRecord, unknown>, 'kind' | 'removedBy'>,
  row: Pick<RequestRecord, 'accountId' | 'structureId' | 'departement' | 'serviceId'>,
  target: string,
): void {
  if (row.accountId === uc.actor.id) uc.authorize(`${k.kind}.remove`, { kind: 'none' }, target);
  else
    uc.authorize(
      k.removedBy,
      structureTarget({ id: row.structureId, departement: row.departement }, row.serviceId),
      target,
    );
}

/** Ends each request (pending or granted), each id in its own transaction, one audit entry each. */
export async function removeRequests<R extends RequestRecord, V>(
  store: Store,
  actor: string,
  k: RequestKindOf<R, V>,
  ids: readonly number[],
): Promise<ItemOutcome<V>[]> {
  return eachId(ids, (id) =>
    runUseCase(store, { actor, action: `${k.kind}.remove` }, async (uc) => {
      const row = await getRequest(uc, k, id);
      authorizeRemoval(uc, k, row, requestLabel(k.kind, id));
      const next = nextStatus(row.status, 'remove');
      if (!next.ok) throw new ConflictError(next.key, { id, status: row.status });
      const removed = await requests.setRequestStatus(uc.trx, k.kind, id, {
        from: row.status,
        status: next.status,
        at: uc.now,
      });
      if (!removed) await changedMeanwhile(uc, k, id, 'request.alreadyClosed');
      uc.audit(`${k.kind}.remove`, requestLabel(k.kind, id), {
        status: { before: row.status, after: next.status },
      });
      return k.toView({ ...row, status: next.status });
    }),
  );
}
