import type { RequestStatus, Role, Space, SubscriptionMode } from './enums.js';
import { withinDates } from './rights.js';

/**
 * Space subscriptions (SPEC 3): the default spaces an attachment brings without asking, and the
 * life cycle of requests (subscriptions and habilitations alike). Pure: no store, no clock.
 *
 * Default spaces are derived from the attachments, never stored: the MADRHAS sync writes a
 * million attachments, and must not write four million subscription rows besides.
 */

/** Every valid attachment brings these spaces. */
export const COMMON_SPACES = [
  'MON_COMPTE',
  'FACTURES_EMISES',
  'FACTURES_RECUES',
] as const satisfies readonly Space[];
/** ... and a manager's (GP or GS) this one too. */
export const MANAGER_SPACE = 'ACTIVITES_GESTIONNAIRE' satisfies Space;
/** The mode a default space is shown with: the holder works in it, as in its own account. */
export const DEFAULT_MODE: SubscriptionMode = 'MODIFICATION';
/** The mode a request asks for when `--mode` is not given. */
export const REQUEST_MODE: SubscriptionMode = 'MODIFICATION';

/** The default spaces of an attachment with this role. */
export function defaultSpaces(role: Role): Space[] {
  return role === 'UTILISATEUR' ? [...COMMON_SPACES] : [...COMMON_SPACES, MANAGER_SPACE];
}

/** What derivation needs of an attachment. */
export interface AttachmentFacts {
  accountId: number;
  structureId: number;
  role: Role;
  status: string;
  dateStart: string | null;
  dateEnd: string | null;
  /** The services it is limited to (validated links); empty: the whole structure. */
  serviceIds: readonly number[];
}

export interface DefaultSubscription {
  accountId: number;
  structureId: number;
  /** null: the whole structure. */
  serviceId: number | null;
  space: Space;
  mode: SubscriptionMode;
}

/** A valid attachment: validated, and `day` (AAAA-MM-JJ) inside its dates. */
export function isValidAttachment(
  a: Pick<AttachmentFacts, 'status' | 'dateStart' | 'dateEnd'>,
  day: string,
): boolean {
  return a.status === 'VALIDEE' && withinDates(a, day);
}

/**
 * The default subscriptions the valid attachments give on `day`: one per structure–service–space
 * triple (the whole structure, or each service the attachment is limited to).
 */
export function deriveDefaultSubscriptions(
  attachments: readonly AttachmentFacts[],
  day: string,
): DefaultSubscription[] {
  const out: DefaultSubscription[] = [];
  for (const a of attachments) {
    if (!isValidAttachment(a, day)) continue;
    const services = a.serviceIds.length === 0 ? [null] : [...a.serviceIds].sort((x, y) => x - y);
    for (const serviceId of services)
      for (const space of defaultSpaces(a.role))
        out.push({
          accountId: a.accountId,
          structureId: a.structureId,
          serviceId,
          space,
          mode: DEFAULT_MODE,
        });
  }
  return out;
}

/**
 * Whether the account already has `space` on the structure (or the service) by default: an
 * attachment to the whole structure covers all its services; one to services covers those, and
 * a request for the whole structure is covered only by a whole-structure attachment.
 */
export function coveredByDefault(
  attachments: readonly AttachmentFacts[],
  request: { accountId: number; structureId: number; serviceId: number | null; space: Space },
  day: string,
): boolean {
  return attachments.some(
    (a) =>
      a.accountId === request.accountId &&
      a.structureId === request.structureId &&
      isValidAttachment(a, day) &&
      defaultSpaces(a.role).includes(request.space) &&
      (a.serviceIds.length === 0 ||
        (request.serviceId !== null && a.serviceIds.includes(request.serviceId))),
  );
}

/** A request still counts (blocks a duplicate) while pending or granted. */
export const LIVE_STATUSES = [
  'EN_COURS_DE_VALIDATION',
  'VALIDEE',
] as const satisfies readonly RequestStatus[];

export type Decision = 'approve' | 'reject';

/**
 * The status a request moves to, or the catalogue key of why it cannot: only a pending request
 * is decided; a granted or pending one is removed; a refused or removed one is history.
 */
export function nextStatus(
  status: string,
  move: Decision | 'remove',
):
  | { ok: true; status: RequestStatus }
  | { ok: false; key: 'request.alreadyDecided' | 'request.alreadyClosed' } {
  if (move === 'remove')
    return status === 'VALIDEE' || status === 'EN_COURS_DE_VALIDATION'
      ? { ok: true, status: 'SUPPRIMEE' }
      : { ok: false, key: 'request.alreadyClosed' };
  if (status !== 'EN_COURS_DE_VALIDATION') return { ok: false, key: 'request.alreadyDecided' };
  return { ok: true, status: move === 'approve' ? 'VALIDEE' : 'REFUSEE' };
}
