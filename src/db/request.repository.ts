import type { HabilitationProfile, IdentifierType, RequestStatus, Space } from '../domain/enums.js';
import { withinDates } from '../domain/rights.js';
import { LIVE_STATUSES, type AttachmentFacts } from '../domain/subscription.js';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { AccountRow, Db, HabilitationTable, SubscriptionTable } from './schema.js';

/**
 * Habilitations and space subscriptions (tables of migration 0001): the two kinds of request a
 * holder makes about a structure, and the facts their rules need (attachments, deciders).
 */

export type HabilitationRow = Selectable<HabilitationTable>;
export type SubscriptionRow = Selectable<SubscriptionTable>;

/** A request row with the names commands show: login, structure reference, service code. */
export interface Named {
  login: string;
  idType: IdentifierType;
  identifier: string;
  companyName: string;
  postalCode: string | null;
  departement: string | null;
  serviceCode: string | null;
}

export type NewHabilitation = Insertable<HabilitationTable>;
export type NewSubscription = Insertable<SubscriptionTable>;

export type HabilitationRecord = HabilitationRow & Named;
export type SubscriptionRecord = SubscriptionRow & Named;

export interface RequestFilter {
  accountId?: number | undefined;
  structureId?: number | undefined;
  serviceId?: number | undefined;
  statuses?: readonly RequestStatus[] | undefined;
}

/** The names a request row is shown with (Named), from the joined account, structure and service. */
const NAMES = [
  'account.login',
  'structure.idType',
  'structure.identifier',
  'structure.companyName',
  'structure.postalCode',
  'structure.departement',
  'service.code as serviceCode',
] as const;

function namedHabilitations(db: Db) {
  return db
    .selectFrom('habilitation')
    .innerJoin('account', 'account.id', 'habilitation.accountId')
    .innerJoin('structure', 'structure.id', 'habilitation.structureId')
    .leftJoin('service', 'service.id', 'habilitation.serviceId')
    .selectAll('habilitation')
    .select(NAMES);
}

export async function findHabilitation(
  db: Db,
  id: number,
): Promise<HabilitationRecord | undefined> {
  return namedHabilitations(db).where('habilitation.id', '=', id).executeTakeFirst();
}

export async function listHabilitations(db: Db, f: RequestFilter): Promise<HabilitationRecord[]> {
  return namedHabilitations(db)
    .$if(f.accountId !== undefined, (q) => q.where('habilitation.accountId', '=', f.accountId!))
    .$if(f.structureId !== undefined, (q) =>
      q.where('habilitation.structureId', '=', f.structureId!),
    )
    .$if(f.serviceId !== undefined, (q) => q.where('habilitation.serviceId', '=', f.serviceId!))
    .$if(f.statuses !== undefined, (q) => q.where('habilitation.status', 'in', f.statuses!))
    .orderBy('habilitation.id')
    .execute();
}

function namedSubscriptions(db: Db) {
  return db
    .selectFrom('subscription')
    .innerJoin('account', 'account.id', 'subscription.accountId')
    .innerJoin('structure', 'structure.id', 'subscription.structureId')
    .leftJoin('service', 'service.id', 'subscription.serviceId')
    .selectAll('subscription')
    .select(NAMES);
}

export async function findSubscription(
  db: Db,
  id: number,
): Promise<SubscriptionRecord | undefined> {
  return namedSubscriptions(db).where('subscription.id', '=', id).executeTakeFirst();
}

export async function listSubscriptions(db: Db, f: RequestFilter): Promise<SubscriptionRecord[]> {
  return namedSubscriptions(db)
    .$if(f.accountId !== undefined, (q) => q.where('subscription.accountId', '=', f.accountId!))
    .$if(f.structureId !== undefined, (q) =>
      q.where('subscription.structureId', '=', f.structureId!),
    )
    .$if(f.statuses !== undefined, (q) => q.where('subscription.status', 'in', f.statuses!))
    .orderBy('subscription.id')
    .execute();
}

/**
 * Validated attachments (with the services they are limited to), of one account or of one
 * structure: what the default spaces are derived from. Dates are checked by the caller.
 */
export async function attachmentFacts(
  db: Db,
  by: { accountId: number } | { structureId: number },
): Promise<(AttachmentFacts & { login: string })[]> {
  const rows = await db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .select([
      'attachment.id',
      'attachment.accountId',
      'attachment.structureId',
      'attachment.role',
      'attachment.status',
      'attachment.dateStart',
      'attachment.dateEnd',
      'account.login',
    ])
    .where('attachment.status', '=', 'VALIDEE')
    .$if('accountId' in by, (q) =>
      q.where('attachment.accountId', '=', (by as { accountId: number }).accountId),
    )
    .$if('structureId' in by, (q) =>
      q.where('attachment.structureId', '=', (by as { structureId: number }).structureId),
    )
    .orderBy('attachment.id')
    .execute();
  const services = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i += 500) {
    const links = await db
      .selectFrom('attachmentService')
      .select(['attachmentId', 'serviceId'])
      .where(
        'attachmentId',
        'in',
        rows.slice(i, i + 500).map((r) => r.id),
      )
      .where('status', '=', 'VALIDEE')
      .execute();
    for (const l of links)
      services.set(l.attachmentId, [...(services.get(l.attachmentId) ?? []), l.serviceId]);
  }
  return rows.map(({ id, role, ...r }) => ({
    ...r,
    role,
    serviceIds: services.get(id) ?? [],
  }));
}

/**
 * Who decides a request on the structure (or service) on `day`: its GP, and the holders of
 * VALIDATION_ABONNEMENTS covering it, all active and attached. Ordered by login.
 */
export async function decidersOf(
  db: Db,
  structureId: number,
  serviceId: number | null,
  day: string,
  /** The habilitation that makes a decider besides the GP; null: the GP alone (habilitation requests, SPEC 6). */
  profile: 'VALIDATION_ABONNEMENTS' | null = 'VALIDATION_ABONNEMENTS',
): Promise<AccountRow[]> {
  const attached = await db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .selectAll('account')
    .select(['attachment.role', 'attachment.dateStart', 'attachment.dateEnd'])
    .where('attachment.structureId', '=', structureId)
    .where('attachment.status', '=', 'VALIDEE')
    .where('account.status', '=', 'ACTIF')
    .execute();
  const holders = new Set(
    profile === null
      ? []
      : (
          await db
            .selectFrom('habilitation')
            .select('accountId')
            .where('structureId', '=', structureId)
            .where('profile', '=', profile)
            .where('status', '=', 'VALIDEE')
            .where((eb) =>
              serviceId === null
                ? eb('serviceId', 'is', null)
                : eb.or([eb('serviceId', 'is', null), eb('serviceId', '=', serviceId)]),
            )
            .execute()
        ).map((h) => h.accountId),
  );
  const out = new Map<number, AccountRow>();
  for (const { role, dateStart, dateEnd, ...account } of attached) {
    if (!withinDates({ dateStart, dateEnd }, day)) continue;
    if (role === 'GESTIONNAIRE_PRINCIPAL' || holders.has(account.id)) out.set(account.id, account);
  }
  return [...out.values()].sort((a, b) => (a.login < b.login ? -1 : a.login > b.login ? 1 : 0));
}

// ---- writes -------------------------------------------------------------------------------

/** The two kinds of request, each its own table with the same life cycle columns. */
export type RequestKind = 'habilitation' | 'subscription';

/** The account's live request (pending or granted) for exactly this structure or service. */
export interface LivePlace {
  accountId: number;
  structureId: number;
  serviceId: number | null;
}

/** The live habilitation with this profile on the place, but `exceptId`. */
export async function liveHabilitation(
  db: Db,
  p: LivePlace & { profile: HabilitationProfile; exceptId?: number },
): Promise<{ id: number; status: RequestStatus } | undefined> {
  return db
    .selectFrom('habilitation')
    .select(['id', 'status'])
    .where('accountId', '=', p.accountId)
    .where('structureId', '=', p.structureId)
    .where('profile', '=', p.profile)
    .where((eb) =>
      p.serviceId === null ? eb('serviceId', 'is', null) : eb('serviceId', '=', p.serviceId),
    )
    .where('status', 'in', LIVE_STATUSES)
    .where('id', '!=', p.exceptId ?? 0)
    .executeTakeFirst();
}

/** The live subscription to this space on the place. */
export async function liveSubscription(
  db: Db,
  p: LivePlace & { space: Space },
): Promise<{ id: number; status: RequestStatus } | undefined> {
  return db
    .selectFrom('subscription')
    .select(['id', 'status'])
    .where('accountId', '=', p.accountId)
    .where('structureId', '=', p.structureId)
    .where('space', '=', p.space)
    .where((eb) =>
      p.serviceId === null ? eb('serviceId', 'is', null) : eb('serviceId', '=', p.serviceId),
    )
    .where('status', 'in', LIVE_STATUSES)
    .executeTakeFirst();
}

export async function insertHabilitation(db: Db, row: NewHabilitation): Promise<number> {
  const { id } = await db
    .insertInto('habilitation')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function insertSubscription(db: Db, row: NewSubscription): Promise<number> {
  const { id } = await db
    .insertInto('subscription')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateHabilitation(
  db: Db,
  id: number,
  set: Updateable<HabilitationTable>,
): Promise<void> {
  await db.updateTable('habilitation').set(set).where('id', '=', id).execute();
}

/**
 * A request's new status, with who decided it and when, if it still has the status `from` it was
 * decided from: false when another command changed it meanwhile (nothing written).
 */
export async function decideRequest(
  db: Db,
  kind: RequestKind,
  id: number,
  d: { from: RequestStatus; status: RequestStatus; at: string; by: string },
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable(kind)
    .set({ status: d.status, decidedAt: d.at, decidedBy: d.by, updatedAt: d.at })
    .where('id', '=', id)
    .where('status', '=', d.from)
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}

/** A request's new status, undecided (a removal), if it still has the status `from`; false when not. */
export async function setRequestStatus(
  db: Db,
  kind: RequestKind,
  id: number,
  change: { from: RequestStatus; status: RequestStatus; at: string },
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable(kind)
    .set({ status: change.status, updatedAt: change.at })
    .where('id', '=', id)
    .where('status', '=', change.from)
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}
