import { diff } from '../domain/account.js';
import type { HabilitationProfile } from '../domain/enums.js';
import { formatStructureRef } from '../domain/structure-ref.js';
import { isValidAttachment, LIVE_STATUSES, type Decision } from '../domain/subscription.js';
import { ConflictError } from '../errors.js';
import * as accounts from '../db/account.repository.js';
import * as requests from '../db/request.repository.js';
import type { AccountRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import {
  authorizeRemoval,
  changedMeanwhile,
  decideRequests,
  getRequest,
  listedStatuses,
  notifyDeciders,
  placeOf,
  placeText,
  removeRequests,
  requestStamps,
  structureLabel,
  structureTarget,
  type ItemOutcome,
  type Place,
  type RequestKindOf,
} from './requests.js';
import { reachAccount } from './reach-account.js';
import { runUseCase, type UseCase } from './use-case.js';

/**
 * Habilitations (SPEC 6): management rights held on a structure, or on one of its services.
 * A holder requests one (pending until the GP or a holder of VALIDATION_ABONNEMENTS decides);
 * the GP grants, edits and revokes directly. They count (domain/rights.ts) only while their
 * holder is attached to the structure.
 */

export interface HabilitationView {
  id: number;
  account: string;
  structure: string;
  companyName: string;
  /** null: the whole structure, and so all its services. */
  service: string | null;
  profile: HabilitationProfile;
  status: string;
  requestedAt: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
}

const label = (id: number) => `habilitation:${id}`;

const toView = (r: requests.HabilitationRecord): HabilitationView => ({
  id: r.id,
  account: r.login,
  structure: formatStructureRef(r),
  companyName: r.companyName,
  service: r.serviceCode,
  profile: r.profile,
  status: r.status,
  requestedAt: r.requestedAt,
  decidedAt: r.decidedAt,
  decidedBy: r.decidedBy,
});

const mailParams = (
  r: Pick<
    requests.HabilitationRecord,
    'id' | 'idType' | 'identifier' | 'companyName' | 'serviceCode' | 'profile'
  >,
) => ({
  id: r.id,
  structure: formatStructureRef(r),
  place: placeText(r, r.serviceCode),
  companyName: r.companyName,
  profile: r.profile,
});

/** What habilitations bring to the life cycle they share with subscriptions (app/requests.ts). */
const HABILITATION: RequestKindOf<requests.HabilitationRecord, HabilitationView> = {
  kind: 'habilitation',
  find: requests.findHabilitation,
  toView,
  mailParams,
  approved: 'HABILITATION_APPROVED',
  rejected: 'HABILITATION_REJECTED',
  removedBy: 'habilitation.grant',
};

const getHabilitation = (uc: UseCase, id: number) => getRequest(uc, HABILITATION, id);

/** The account's live habilitation with this profile on exactly this structure or service. */
async function liveTwin(
  uc: UseCase,
  accountId: number,
  structureId: number,
  serviceId: number | null,
  profile: HabilitationProfile,
  exceptId = 0,
) {
  return requests.liveHabilitation(uc.trx, {
    accountId,
    structureId,
    serviceId,
    profile,
    exceptId,
  });
}

/** What the account holds on the structure by its attachments today: none, or whether it is the GP. */
async function attachedAs(
  uc: UseCase,
  accountId: number,
  structureId: number,
): Promise<'none' | 'gp' | 'other'> {
  const live = (await requests.attachmentFacts(uc.trx, { accountId })).filter(
    (a) => a.structureId === structureId && isValidAttachment(a, uc.today),
  );
  if (live.length === 0) return 'none';
  return live.some((a) => a.role === 'GESTIONNAIRE_PRINCIPAL') ? 'gp' : 'other';
}

export interface ListHabilitationsInput {
  account?: string | undefined;
  structure?: string | undefined;
  status?: string | undefined;
}

/**
 * Habilitations of the actor; of another account (`account`: whoever may read that account);
 * of a structure (`structure`: its GP, holders of VALIDATION_ABONNEMENTS or CONSULTATION_UTILISATEURS,
 * correspondents in scope). Removed ones only when asked for with `status`.
 */
export async function listHabilitations(
  store: Store,
  actor: string,
  input: ListHabilitationsInput,
): Promise<HabilitationView[]> {
  return runUseCase(store, { actor, action: 'habilitation.decide', readOnly: true }, async (uc) => {
    const statuses = listedStatuses(input.status);
    let accountId: number | undefined = input.structure === undefined ? uc.actor.id : undefined;
    if (input.account !== undefined) {
      const owner =
        input.structure !== undefined
          ? await accounts.getAccount(uc.trx, input.account)
          : (await reachAccount(uc, input.account, 'account.read')).account;
      accountId = owner.id;
    }
    let structureId: number | undefined;
    if (input.structure !== undefined) {
      const { structure } = await placeOf(uc, input.structure, undefined);
      const target = structureTarget(structure, null);
      const own = accountId === uc.actor.id;
      if (
        !own &&
        !uc.allows('habilitation.decide', target) &&
        !uc.allows('structure.users', target)
      )
        uc.authorize('habilitation.decide', target, structureLabel(structure));
      structureId = structure.id;
    }
    if (statuses.length === 0) return [];
    return (await requests.listHabilitations(uc.trx, { accountId, structureId, statuses })).map(
      toView,
    );
  });
}

export interface HabilitationInput {
  structure: string;
  service?: string | undefined;
  profile: HabilitationProfile;
}

/** The actor asks for a habilitation on a structure it is attached to: pending, the deciders told. */
export async function requestHabilitation(
  store: Store,
  actor: string,
  input: HabilitationInput,
): Promise<HabilitationView> {
  return runUseCase(store, { actor, action: 'habilitation.request' }, async (uc) => {
    const place = await placeOf(uc, input.structure, input.service);
    const serviceId = place.service?.id ?? null;
    uc.authorize(
      'habilitation.request',
      structureTarget(place.structure, serviceId),
      structureLabel(place.structure),
    );
    const params = {
      structure: formatStructureRef(place.structure),
      place: placeText(place.structure, place.service?.code),
      profile: input.profile,
    };
    if ((await attachedAs(uc, uc.actor.id, place.structure.id)) === 'gp')
      throw new ConflictError('habilitation.implicit', { ...params, login: uc.actor.login });
    const twin = await liveTwin(uc, uc.actor.id, place.structure.id, serviceId, input.profile);
    if (twin)
      throw new ConflictError('habilitation.exists', {
        ...params,
        login: uc.actor.login,
        id: twin.id,
        status: twin.status,
      });
    const id = await insertHabilitation(
      uc,
      uc.actor.id,
      place,
      input.profile,
      'EN_COURS_DE_VALIDATION',
    );
    uc.audit('habilitation.request', label(id), {
      account: uc.actor.login,
      structure: params.structure,
      service: place.service?.code ?? null,
      profile: input.profile,
    });
    const row = (await requests.findHabilitation(uc.trx, id))!;
    await notifyDeciders(uc, place.structure.id, serviceId, uc.actor.id, 'HABILITATION_REQUESTED', {
      ...mailParams(row),
      requester: uc.actor.login,
    });
    return toView(row);
  });
}

async function insertHabilitation(
  uc: UseCase,
  accountId: number,
  place: Place,
  profile: HabilitationProfile,
  status: 'EN_COURS_DE_VALIDATION' | 'VALIDEE',
): Promise<number> {
  return requests.insertHabilitation(uc.trx, {
    accountId,
    structureId: place.structure.id,
    serviceId: place.service?.id ?? null,
    profile,
    ...requestStamps(uc, status),
  });
}

/**
 * The GP grants a habilitation at once (a pending request for the same one is approved). The
 * account must be attached to the structure (6), and not be its GP, who holds them all (6).
 */
export async function grantHabilitation(
  store: Store,
  actor: string,
  login: string,
  input: HabilitationInput,
): Promise<HabilitationView> {
  return runUseCase(store, { actor, action: 'habilitation.grant' }, async (uc) => {
    const place = await placeOf(uc, input.structure, input.service);
    uc.authorize(
      'habilitation.grant',
      structureTarget(place.structure, place.service?.id ?? null),
      structureLabel(place.structure),
    );
    const holder = await accounts.getAccount(uc.trx, login);
    const params = {
      structure: formatStructureRef(place.structure),
      place: placeText(place.structure, place.service?.code),
      profile: input.profile,
      login: holder.login,
    };
    const attached = await attachedAs(uc, holder.id, place.structure.id);
    if (attached === 'none') throw new ConflictError('habilitation.notAttached', params);
    if (attached === 'gp') throw new ConflictError('habilitation.implicit', params);
    const twin = await liveTwin(
      uc,
      holder.id,
      place.structure.id,
      place.service?.id ?? null,
      input.profile,
    );
    if (twin?.status === 'VALIDEE')
      throw new ConflictError('habilitation.exists', {
        ...params,
        id: twin.id,
        status: twin.status,
      });
    let id: number;
    if (twin) {
      id = twin.id;
      const granted = await requests.decideRequest(uc.trx, 'habilitation', id, {
        from: twin.status,
        status: 'VALIDEE',
        at: uc.now,
        by: uc.actor.login,
      });
      if (!granted) await changedMeanwhile(uc, HABILITATION, id, 'request.alreadyDecided');
    } else {
      id = await insertHabilitation(uc, holder.id, place, input.profile, 'VALIDEE');
    }
    uc.audit('habilitation.grant', label(id), {
      account: holder.login,
      structure: params.structure,
      service: place.service?.code ?? null,
      profile: input.profile,
      status: { before: twin?.status ?? null, after: 'VALIDEE' },
    });
    const row = (await requests.findHabilitation(uc.trx, id))!;
    uc.notify(
      holder,
      'HABILITATION_APPROVED',
      { ...mailParams(row), reason: '-' },
      place.structure.id,
    );
    return toView(row);
  });
}

export interface EditHabilitationInput {
  profile?: HabilitationProfile | undefined;
  /** A service code, or null for the whole structure; undefined: unchanged. */
  service?: string | null | undefined;
}

/** The GP changes the profile or the service of a live habilitation; returns it and what changed. */
export async function editHabilitation(
  store: Store,
  actor: string,
  id: number,
  input: EditHabilitationInput,
): Promise<{ habilitation: HabilitationView; changed: string[] }> {
  return runUseCase(store, { actor, action: 'habilitation.grant' }, async (uc) => {
    const row = await getHabilitation(uc, id);
    uc.authorize(
      'habilitation.grant',
      structureTarget({ id: row.structureId, departement: row.departement }, row.serviceId),
      label(id),
    );
    if (!(LIVE_STATUSES as readonly string[]).includes(row.status))
      throw new ConflictError('request.alreadyClosed', { id, status: row.status });
    const ref = formatStructureRef(row);
    const service =
      input.service === undefined
        ? row.serviceId === null
          ? null
          : { id: row.serviceId, code: row.serviceCode! }
        : input.service === null
          ? null
          : await structures.getService(uc.trx, row.structureId, input.service, ref);
    const profile = input.profile ?? row.profile;
    const changes = diff(
      { profile: row.profile, service: row.serviceCode },
      { profile, service: service?.code ?? null },
    );
    if (Object.keys(changes).length > 0) {
      const twin = await liveTwin(
        uc,
        row.accountId,
        row.structureId,
        service?.id ?? null,
        profile,
        id,
      );
      if (twin)
        throw new ConflictError('habilitation.exists', {
          login: row.login,
          structure: ref,
          place: placeText(row, service?.code),
          profile,
          id: twin.id,
          status: twin.status,
        });
      await requests.updateHabilitation(uc.trx, id, {
        profile,
        serviceId: service?.id ?? null,
        updatedAt: uc.now,
      });
      uc.audit('habilitation.edit', label(id), changes);
    }
    return {
      habilitation: toView({
        ...row,
        profile,
        serviceId: service?.id ?? null,
        serviceCode: service?.code ?? null,
      }),
      changed: Object.keys(changes),
    };
  });
}

export async function removeHabilitations(
  store: Store,
  actor: string,
  ids: readonly number[],
): Promise<ItemOutcome<HabilitationView>[]> {
  return removeRequests(store, actor, HABILITATION, ids);
}

export interface RemoveAllInput {
  structure: string;
  service?: string | undefined;
  /** Whose habilitations (the GP's revocation); the actor's own when omitted. */
  account?: string | undefined;
}

/**
 * Removes every live habilitation of the account on the structure (all of them, whole-structure
 * and per service), or on one service: one transaction, one audit entry per habilitation.
 */
export async function removeAllHabilitations(
  store: Store,
  actor: string,
  input: RemoveAllInput,
): Promise<HabilitationView[]> {
  return runUseCase(store, { actor, action: 'habilitation.remove' }, async (uc) => {
    const place = await placeOf(uc, input.structure, input.service);
    const holder: AccountRow =
      input.account === undefined
        ? uc.actorAccount
        : await accounts.getAccount(uc.trx, input.account);
    authorizeRemoval(
      uc,
      HABILITATION,
      {
        accountId: holder.id,
        structureId: place.structure.id,
        departement: place.structure.departement,
        serviceId: place.service?.id ?? null,
      },
      structureLabel(place.structure),
    );
    const rows = await requests.listHabilitations(uc.trx, {
      accountId: holder.id,
      structureId: place.structure.id,
      serviceId: place.service?.id,
      statuses: LIVE_STATUSES,
    });
    for (const row of rows) {
      const removed = await requests.setRequestStatus(uc.trx, 'habilitation', row.id, {
        from: row.status,
        status: 'SUPPRIMEE',
        at: uc.now,
      });
      if (!removed) await changedMeanwhile(uc, HABILITATION, row.id, 'request.alreadyClosed');
      uc.audit('habilitation.remove', label(row.id), {
        status: { before: row.status, after: 'SUPPRIMEE' },
      });
    }
    return rows.map((r) => toView({ ...r, status: 'SUPPRIMEE' }));
  });
}

/** Approves or rejects each pending request, each id on its own (see decideRequests). */
export async function decideHabilitations(
  store: Store,
  actor: string,
  ids: readonly number[],
  decision: Decision,
  reason?: string,
): Promise<ItemOutcome<HabilitationView>[]> {
  return decideRequests(store, actor, HABILITATION, ids, decision, reason);
}
