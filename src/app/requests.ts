import { isOneOf, REQUEST_STATUSES, type RequestStatus } from '../domain/enums.js';
import type { MailEvent } from './mail.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import { AppError } from '../errors.js';
import * as requests from '../db/request.repository.js';
import type { ServiceRow, StructureRow } from '../db/schema.js';
import * as structures from '../db/structure.repository.js';
import type { UseCase } from './use-case.js';

/**
 * What habilitation and subscription requests share: naming their structure and service, the
 * e-mails to the deciders, and bulk decisions taken one id at a time.
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
  s: Pick<StructureRow, 'id' | 'postalCode'>,
  serviceId: number | null,
  requesterId?: number,
) => ({
  kind: 'structure' as const,
  id: s.id,
  postalCode: s.postalCode,
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
  for (const to of await requests.decidersOf(uc.trx, structureId, serviceId, uc.today)) {
    if (to.id !== requesterId) uc.notify(to, event, params, structureId);
  }
}
