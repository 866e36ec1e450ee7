import { displayIdentifier } from '../domain/identifiers.js';
import { formatStructureRef, parseStructureRef } from '../domain/structure-ref.js';
import { checkServiceCode } from '../domain/structure.js';
import { queryTokens } from '../domain/text.js';
import {
  ATTACHMENT_STATUSES,
  SPACES,
  isOneOf,
  type IdentifierType,
  type Space,
} from '../domain/enums.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import type { ServiceRow, StructureRow } from '../db/schema.js';
import type { Store } from '../db/store.js';
import * as structures from '../db/structure.repository.js';
import * as structureUsersRepo from '../db/structure-users.repository.js';
import { attachmentFacts } from '../db/request.repository.js';
import { deriveDefaultSubscriptions } from '../domain/subscription.js';
import { diff } from '../domain/account.js';
import { runUseCase, type UseCase } from './use-case.js';

/** The directory as commands show it: search, a structure's card, its users, its services. */

export interface StructureView {
  idType: string;
  identifier: string;
  companyName: string;
  active: boolean;
  address: string | null;
  addressComplement1: string | null;
  addressComplement2: string | null;
  postalCode: string | null;
  city: string | null;
  departement: string | null;
  countryCode: string | null;
  countryLabel: string | null;
  phone: string | null;
  email: string | null;
  ediSender: boolean;
  ediReceiver: boolean;
  managesPaymentStatus: boolean;
  managesCommitment: boolean;
  managesService: boolean;
  managesServiceCommitment: boolean;
  isMoa: boolean;
  isMoaOnly: boolean;
  updatedAt: string;
}

export interface ServiceView {
  code: string;
  label: string;
  active: boolean;
  dateStart: string | null;
  dateEnd: string | null;
}

export interface StructureDetails extends StructureView {
  principalManager: { login: string; lastName: string; firstName: string; email: string } | null;
  /** Attached accounts by attachment status. */
  attachments: Record<string, number>;
  services: ServiceView[];
}

export function toStructureView(r: StructureRow): StructureView {
  return {
    idType: r.idType,
    identifier: displayIdentifier(r.idType, r.identifier),
    companyName: r.companyName,
    active: r.active === 1,
    address: r.address,
    addressComplement1: r.addressComplement1,
    addressComplement2: r.addressComplement2,
    postalCode: r.postalCode,
    city: r.city,
    departement: r.departement,
    countryCode: r.countryCode,
    countryLabel: r.countryLabel,
    phone: r.phone,
    email: r.email,
    ediSender: r.ediSender === 1,
    ediReceiver: r.ediReceiver === 1,
    managesPaymentStatus: r.managesPaymentStatus === 1,
    managesCommitment: r.managesCommitment === 1,
    managesService: r.managesService === 1,
    managesServiceCommitment: r.managesServiceCommitment === 1,
    isMoa: r.isMoa === 1,
    isMoaOnly: r.isMoaOnly === 1,
    updatedAt: r.updatedAt,
  };
}

const toServiceView = (s: ServiceRow): ServiceView => ({
  code: s.code,
  label: s.label,
  active: s.active === 1,
  dateStart: s.dateStart,
  dateEnd: s.dateEnd,
});

const structureTarget = (s: StructureRow, serviceId?: number | null) => ({
  kind: 'structure' as const,
  id: s.id,
  departement: s.departement,
  serviceId,
});
const structureLabel = (s: StructureRow) => `structure:${formatStructureRef(s)}`;

export interface SearchInput {
  text?: string | undefined;
  identifiant?: string | undefined;
  type?: IdentifierType | undefined;
  raisonSociale?: string | undefined;
  codePostal?: string | undefined;
  ville?: string | undefined;
  nom?: string | undefined;
  prenom?: string | undefined;
  limit: number;
  page: number;
}

export async function searchStructures(
  store: Store,
  actor: string,
  input: SearchInput,
): Promise<{ items: StructureView[]; total: number }> {
  return runUseCase(store, { actor, action: 'structure.read', readOnly: true }, async (uc) => {
    uc.authorize('structure.read', { kind: 'none' }, 'structures');
    const words = input.text === undefined ? undefined : queryTokens(input.text);
    // text with no letter or digit in it (`'--`) matches nothing, rather than everything
    if (words !== undefined && words.length === 0) return { items: [], total: 0 };
    const { rows, total } = await structures.searchStructures(uc.trx, store.dialect, {
      words,
      text: input.text,
      identifier: input.identifiant,
      idType: input.type,
      companyName: input.raisonSociale,
      postalCode: input.codePostal,
      city: input.ville,
      lastName: input.nom,
      firstName: input.prenom,
      limit: input.limit,
      offset: input.limit > 0 ? (input.page - 1) * input.limit : 0,
    });
    return { items: rows.map(toStructureView), total };
  });
}

/**
 * The raison sociale of each structure named by reference (`SIRET:…`), for a view that lists
 * structures by reference (the sync's plan). References not found are left out.
 */
export async function namesByRef(
  store: Store,
  actor: string,
  refs: readonly string[],
): Promise<Map<string, string>> {
  return runUseCase(store, { actor, action: 'structure.read', readOnly: true }, async (uc) => {
    const names = new Map<string, string>();
    for (const ref of refs) {
      const parsed = parseStructureRef(ref);
      if (parsed.type === null) continue;
      const s = await structures.findStructure(uc.trx, parsed.type, parsed.identifier);
      if (!s || !uc.allows('structure.read', structureTarget(s))) continue;
      names.set(ref, s.companyName);
    }
    return names;
  });
}

export async function showStructure(
  store: Store,
  actor: string,
  ref: string,
): Promise<StructureDetails> {
  return runUseCase(store, { actor, action: 'structure.read', readOnly: true }, async (uc) => {
    const s = await structures.getStructure(uc.trx, parseStructureRef(ref));
    uc.authorize('structure.read', structureTarget(s), structureLabel(s));
    const gp = await structures.principalManager(uc.trx, s.id);
    return {
      ...toStructureView(s),
      principalManager: gp ?? null,
      attachments: await structures.attachmentCounts(uc.trx, s.id),
      services: (await structures.servicesOf(uc.trx, [s.id])).map(toServiceView),
    };
  });
}

export interface StructureUser {
  login: string;
  lastName: string;
  firstName: string;
  email: string;
  accountStatus: string;
  role: string;
  status: string;
  services: string[];
  dateStart: string | null;
  dateEnd: string | null;
  /** The validated habilitations on the structure or its services: `PROFILE` or `PROFILE:SERVICE`. */
  habilitations: string[];
  /** Its spaces there: the default ones its valid attachment brings, and the validated requests. */
  spaces: UserSpace[];
}

export interface UserSpace {
  space: Space;
  /** null: the whole structure. */
  service: string | null;
  /** Brought by the attachment without asking (derived, not stored). */
  default: boolean;
}

/** A habilitation as `structure users` names it: its profile, and its service when it has one. */
export const habilitationCode = (profile: string, service: string | null) =>
  service === null ? profile : `${profile}:${service}`;

const byPlaceThenSpace = (a: UserSpace, b: UserSpace) =>
  (a.service ?? '') < (b.service ?? '')
    ? -1
    : (a.service ?? '') > (b.service ?? '')
      ? 1
      : SPACES.indexOf(a.space) - SPACES.indexOf(b.space) || Number(b.default) - Number(a.default);

/** Live attachments by default: refused requests and ended attachments are history, not users. */
export const DEFAULT_USER_STATUSES = ['VALIDEE', 'EN_COURS_DE_VALIDATION', 'DESACTIVEE'] as const;

export async function structureUsers(
  store: Store,
  actor: string,
  ref: string,
  statuses: readonly string[],
): Promise<StructureUser[]> {
  return runUseCase(store, { actor, action: 'structure.users', readOnly: true }, async (uc) => {
    const s = await structures.getStructure(uc.trx, parseStructureRef(ref));
    uc.authorize('structure.users', structureTarget(s), structureLabel(s));
    // commander has checked the statuses; any other matches no attachment
    const known = statuses.filter((v) => isOneOf(ATTACHMENT_STATUSES, v));
    if (known.length === 0) return [];
    const rows = await structures.structureUsers(uc.trx, store.dialect, s.id, known);
    // one query per kind for the whole structure, gathered by account
    const [habilitations, subscriptions, facts] = await Promise.all([
      structureUsersRepo.structureHabilitations(uc.trx, s.id),
      structureUsersRepo.structureSubscriptions(uc.trx, s.id),
      attachmentFacts(uc.trx, { structureId: s.id }),
    ]);
    const derived = deriveDefaultSubscriptions(facts, uc.today);
    const codes = new Map(
      (
        await structures.serviceCodes(uc.trx, [
          ...new Set(derived.flatMap((d) => (d.serviceId === null ? [] : [d.serviceId]))),
        ])
      ).map((c) => [c.id, c.code]),
    );
    const habsOf = new Map<number, string[]>();
    for (const h of habilitations)
      habsOf.set(h.accountId, [
        ...(habsOf.get(h.accountId) ?? []),
        habilitationCode(h.profile, h.serviceCode),
      ]);
    const spacesOf = new Map<number, UserSpace[]>();
    const addSpace = (accountId: number, space: UserSpace) => {
      const list = spacesOf.get(accountId) ?? [];
      if (!list.some((x) => x.space === space.space && x.service === space.service))
        list.push(space);
      spacesOf.set(accountId, list);
    };
    for (const d of derived)
      addSpace(d.accountId, {
        space: d.space,
        service: d.serviceId === null ? null : (codes.get(d.serviceId) ?? null),
        default: true,
      });
    for (const sub of subscriptions)
      addSpace(sub.accountId, { space: sub.space, service: sub.serviceCode, default: false });
    return rows.map(({ id: _id, accountId, ...r }) => ({
      ...r,
      habilitations: [...new Set(habsOf.get(accountId) ?? [])].sort(),
      spaces: [...(spacesOf.get(accountId) ?? [])].sort(byPlaceThenSpace),
    }));
  });
}

// ---- services, by the structure's managers ---------------------------------------------

export interface ServicePatch {
  label?: string | undefined;
  dateStart?: string | null | undefined;
  dateEnd?: string | null | undefined;
}

function checkDates(dateStart: string | null, dateEnd: string | null): void {
  if (dateStart && dateEnd && dateEnd < dateStart)
    throw new InvalidInputError([
      { field: '--fin', message: 'service.dateOrder', params: { start: dateStart, end: dateEnd } },
    ]);
}

async function managedStructure(uc: UseCase, ref: string, serviceId?: number | null) {
  const s = await structures.getStructure(uc.trx, parseStructureRef(ref));
  uc.authorize('structure.edit', structureTarget(s, serviceId), structureLabel(s));
  return s;
}

export async function addService(
  store: Store,
  actor: string,
  ref: string,
  code: string,
  patch: ServicePatch & { label: string },
): Promise<ServiceView> {
  return runUseCase(store, { actor, action: 'structure.edit' }, async (uc) => {
    const s = await managedStructure(uc, ref);
    const checked = checkServiceCode(code);
    if (checked === null)
      throw new InvalidInputError([{ field: 'CODE', message: 'row.serviceCode' }]);
    checkDates(patch.dateStart ?? null, patch.dateEnd ?? null);
    const existing = (await structures.servicesOf(uc.trx, [s.id])).find(
      (sv) => sv.code === checked,
    );
    if (existing)
      throw new ConflictError('service.exists', {
        code: checked,
        structure: formatStructureRef(s),
      });
    const row = {
      structureId: s.id,
      code: checked,
      label: patch.label,
      active: 1,
      dateStart: patch.dateStart ?? null,
      dateEnd: patch.dateEnd ?? null,
      createdAt: uc.now,
      updatedAt: uc.now,
    };
    await structures.insertServices(uc.trx, [row]);
    await structures.refreshSearchKeys(uc.trx, [s.id]);
    // a date not given is no change: diff() would record it as null → null
    uc.audit(
      'service.add',
      `service:${formatStructureRef(s)}/${checked}`,
      diff(
        {},
        {
          label: row.label,
          dateStart: row.dateStart ?? undefined,
          dateEnd: row.dateEnd ?? undefined,
        },
      ),
    );
    return {
      code: checked,
      label: row.label,
      active: true,
      dateStart: row.dateStart,
      dateEnd: row.dateEnd,
    };
  });
}

/** The service `code` of the structure `ref`, which the actor must be allowed to edit. */
async function serviceToEdit(uc: UseCase, ref: string, code: string) {
  const structure = await structures.getStructure(uc.trx, parseStructureRef(ref));
  const service = await structures.getService(
    uc.trx,
    structure.id,
    code,
    formatStructureRef(structure),
  );
  uc.authorize('structure.edit', structureTarget(structure, service.id), structureLabel(structure));
  return { structure, service };
}

/** Edits a service; returns it and the fields that changed (none: nothing was written). */
export async function editService(
  store: Store,
  actor: string,
  ref: string,
  code: string,
  patch: ServicePatch,
): Promise<{ service: ServiceView; changed: string[] }> {
  return runUseCase(store, { actor, action: 'structure.edit' }, async (uc) => {
    const { structure, service } = await serviceToEdit(uc, ref, code);
    const after = {
      label: patch.label ?? service.label,
      dateStart: patch.dateStart === undefined ? service.dateStart : patch.dateStart,
      dateEnd: patch.dateEnd === undefined ? service.dateEnd : patch.dateEnd,
    };
    checkDates(after.dateStart, after.dateEnd);
    const changes = diff(
      { label: service.label, dateStart: service.dateStart, dateEnd: service.dateEnd },
      after,
    );
    if (Object.keys(changes).length > 0) {
      await structures.updateService(uc.trx, service.id, { ...after, updatedAt: uc.now });
      if (changes.label) await structures.refreshSearchKeys(uc.trx, [structure.id]);
      uc.audit('service.edit', `service:${formatStructureRef(structure)}/${service.code}`, changes);
    }
    return { service: toServiceView({ ...service, ...after }), changed: Object.keys(changes) };
  });
}

export async function deactivateService(
  store: Store,
  actor: string,
  ref: string,
  code: string,
): Promise<ServiceView> {
  return runUseCase(store, { actor, action: 'structure.edit' }, async (uc) => {
    const { structure, service } = await serviceToEdit(uc, ref, code);
    if (service.active === 0)
      throw new ConflictError('service.alreadyInactive', {
        code: service.code,
        structure: formatStructureRef(structure),
      });
    await structures.updateService(uc.trx, service.id, { active: 0, updatedAt: uc.now });
    uc.audit('service.deactivate', `service:${formatStructureRef(structure)}/${service.code}`, {
      active: { before: true, after: false },
    });
    return toServiceView({ ...service, active: 0 });
  });
}
