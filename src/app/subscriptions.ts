import { SPACES, type Space, type SubscriptionMode } from '../domain/enums.js';
import { formatStructureRef } from '../domain/structure-ref.js';
import {
  coveredByDefault,
  deriveDefaultSubscriptions,
  REQUEST_MODE,
  type Decision,
} from '../domain/subscription.js';
import { ConflictError } from '../errors.js';
import * as requests from '../db/request.repository.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import {
  decideRequests,
  listedStatuses,
  notifyDeciders,
  placeOf,
  placeText,
  removeRequests,
  requestStamps,
  structureLabel,
  structureTarget,
  type ItemOutcome,
  type RequestKindOf,
} from './requests.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * Space subscriptions (SPEC 3, issue 5): the default spaces of valid attachments, derived and
 * never stored, and the requested ones, stored one row per structure–service–space triple and
 * decided by the structure's GP or a holder of VALIDATION_ABONNEMENTS.
 */

/** A subscription as commands show it (stable English keys). A default one has no id. */
export interface SubscriptionView {
  id: number | null;
  account: string;
  structure: string;
  companyName: string;
  service: string | null;
  space: Space;
  mode: SubscriptionMode;
  status: string;
  /** Brought by a valid attachment, without asking; not stored, so neither decided nor removable. */
  default: boolean;
  requestedAt: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
}

const label = (id: number) => `subscription:${id}`;

const toView = (r: requests.SubscriptionRecord): SubscriptionView => ({
  id: r.id,
  account: r.login,
  structure: formatStructureRef(r),
  companyName: r.companyName,
  service: r.serviceCode,
  space: r.space,
  mode: r.mode,
  status: r.status,
  default: false,
  requestedAt: r.requestedAt,
  decidedAt: r.decidedAt,
  decidedBy: r.decidedBy,
});

/** The default subscriptions of these attachments today, named for display. */
async function defaults(
  uc: UseCase,
  by: { accountId: number } | { structureId: number },
): Promise<SubscriptionView[]> {
  const facts = await requests.attachmentFacts(uc.trx, by);
  const derived = deriveDefaultSubscriptions(facts, uc.today);
  if (derived.length === 0) return [];
  const logins = new Map(facts.map((f) => [f.accountId, f.login]));
  const names = new Map(
    (await structures.structureNames(uc.trx, [...new Set(derived.map((d) => d.structureId))])).map(
      (s) => [s.id, s],
    ),
  );
  const serviceIds = [
    ...new Set(derived.flatMap((d) => (d.serviceId === null ? [] : [d.serviceId]))),
  ];
  const services = new Map(
    (await structures.serviceCodes(uc.trx, serviceIds)).map((s) => [s.id, s.code]),
  );
  return derived.map((d) => {
    const s = names.get(d.structureId)!;
    return {
      id: null,
      account: logins.get(d.accountId)!,
      structure: formatStructureRef(s),
      companyName: s.companyName,
      service: d.serviceId === null ? null : (services.get(d.serviceId) ?? null),
      space: d.space,
      mode: d.mode,
      status: 'VALIDEE',
      default: true,
      requestedAt: null,
      decidedAt: null,
      decidedBy: null,
    };
  });
}

const spaceOrder = (s: Space) => SPACES.indexOf(s);
const cmp = (a: string | null, b: string | null) =>
  (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0;
const byPlace = (a: SubscriptionView, b: SubscriptionView) =>
  cmp(a.account, b.account) ||
  cmp(a.structure, b.structure) ||
  cmp(a.service, b.service) ||
  spaceOrder(a.space) - spaceOrder(b.space) ||
  (a.id ?? 0) - (b.id ?? 0);

export interface ListSubscriptionsInput {
  /** The deciders' view of one structure, pending requests included; the actor's own when omitted. */
  structure?: string | undefined;
  status?: string | undefined;
}

/**
 * The actor's subscriptions (default spaces of its valid attachments, and its requests but the
 * removed ones), or with `structure` every account's there: for its GP, holders of
 * VALIDATION_ABONNEMENTS or CONSULTATION_UTILISATEURS, and correspondents in scope.
 */
export async function listSubscriptions(
  store: Store,
  actor: string,
  input: ListSubscriptionsInput,
): Promise<SubscriptionView[]> {
  return runUseCase(store, { actor, action: 'subscription.decide', readOnly: true }, async (uc) => {
    let by: { accountId: number } | { structureId: number } = { accountId: uc.actor.id };
    if (input.structure !== undefined) {
      const { structure } = await placeOf(uc, input.structure, undefined);
      const target = structureTarget(structure, null);
      if (!uc.allows('subscription.decide', target) && !uc.allows('structure.users', target))
        uc.authorize('subscription.decide', target, structureLabel(structure));
      by = { structureId: structure.id };
    }
    const statuses = listedStatuses(input.status);
    if (statuses.length === 0) return [];
    const stored = (await requests.listSubscriptions(uc.trx, { ...by, statuses })).map(toView);
    const derived = statuses.includes('VALIDEE') ? await defaults(uc, by) : [];
    return [...derived, ...stored].sort(byPlace);
  });
}

export interface RequestSubscriptionInput {
  structure: string;
  space: Space;
  service?: string | undefined;
  mode?: SubscriptionMode | undefined;
}

/**
 * The actor asks for a space on a structure it is attached to (exit 4 otherwise): pending until
 * a decider approves it, who is told by e-mail. A default space it already has, or a request
 * already pending or granted for the same triple, is a conflict (6).
 */
export async function requestSubscription(
  store: Store,
  actor: string,
  input: RequestSubscriptionInput,
): Promise<SubscriptionView> {
  return runUseCase(store, { actor, action: 'subscription.request' }, async (uc) => {
    const { structure, service } = await placeOf(uc, input.structure, input.service);
    const serviceId = service?.id ?? null;
    uc.authorize(
      'subscription.request',
      structureTarget(structure, serviceId),
      structureLabel(structure),
    );
    const ref = formatStructureRef(structure);
    const params = {
      structure: ref,
      place: placeText(structure, service?.code),
      companyName: structure.companyName,
      space: input.space,
    };
    const facts = await requests.attachmentFacts(uc.trx, { accountId: uc.actor.id });
    if (
      coveredByDefault(
        facts,
        { accountId: uc.actor.id, structureId: structure.id, serviceId, space: input.space },
        uc.today,
      )
    )
      throw new ConflictError('subscription.defaultSpace', params);
    const existing = await requests.liveSubscription(uc.trx, {
      accountId: uc.actor.id,
      structureId: structure.id,
      serviceId,
      space: input.space,
    });
    if (existing)
      throw new ConflictError('subscription.exists', {
        ...params,
        id: existing.id,
        status: existing.status,
      });
    const mode = input.mode ?? REQUEST_MODE;
    const id = await requests.insertSubscription(uc.trx, {
      accountId: uc.actor.id,
      structureId: structure.id,
      serviceId,
      space: input.space,
      mode,
      ...requestStamps(uc, 'EN_COURS_DE_VALIDATION'),
    });
    uc.audit('subscription.request', label(id), {
      structure: ref,
      service: service?.code ?? null,
      space: input.space,
      mode,
    });
    await notifyDeciders(uc, structure.id, serviceId, uc.actor.id, 'SUBSCRIPTION_REQUESTED', {
      ...params,
      id,
      mode,
      requester: uc.actor.login,
    });
    return toView((await requests.findSubscription(uc.trx, id))!);
  });
}

/** What subscriptions bring to the life cycle they share with habilitations (app/requests.ts). */
const SUBSCRIPTION: RequestKindOf<requests.SubscriptionRecord, SubscriptionView> = {
  kind: 'subscription',
  find: requests.findSubscription,
  toView,
  mailParams: (r) => ({
    id: r.id,
    structure: formatStructureRef(r),
    place: placeText(r, r.serviceCode),
    companyName: r.companyName,
    space: r.space,
    mode: r.mode,
  }),
  approved: 'SUBSCRIPTION_APPROVED',
  rejected: 'SUBSCRIPTION_REJECTED',
  removedBy: 'subscription.decide',
};

/**
 * Approves or rejects each pending request, each id in its own transaction (SPEC 5: a batch
 * whose items fail on their own). Deciders only (4, audited); a request already decided: 6.
 */
export async function decideSubscriptions(
  store: Store,
  actor: string,
  ids: readonly number[],
  decision: Decision,
  reason?: string,
): Promise<ItemOutcome<SubscriptionView>[]> {
  return decideRequests(store, actor, SUBSCRIPTION, ids, decision, reason);
}

/**
 * Ends each subscription (pending or granted): the holder's own, or any on a structure the actor
 * decides for. Default spaces have no id: they end with the attachment.
 */
export async function removeSubscriptions(
  store: Store,
  actor: string,
  ids: readonly number[],
): Promise<ItemOutcome<SubscriptionView>[]> {
  return removeRequests(store, actor, SUBSCRIPTION, ids);
}
