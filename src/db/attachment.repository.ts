import type { AttachmentStatus, IdentifierType, Role } from '../domain/enums.js';
import type { ExpressionBuilder } from 'kysely';
import type { AccountRow, AttachmentRow, AttachmentUpdate, Database, Db } from './schema.js';
import { NotFoundError } from '../errors.js';

/** Attachments (rattachements) and the services they are limited to. */

/** The statuses that hold a place: at most one per account and structure (index attachment_live_uq). */
export const LIVE = ['EN_COURS_DE_VALIDATION', 'VALIDEE'] as const;

export async function getAttachment(db: Db, id: number): Promise<AttachmentRow> {
  return db
    .selectFrom('attachment')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow(() => new NotFoundError('attachment.notFound', { id }));
}

export async function liveAttachment(
  db: Db,
  accountId: number,
  structureId: number,
): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom('attachment')
    .selectAll()
    .where('accountId', '=', accountId)
    .where('structureId', '=', structureId)
    .where('status', 'in', [...LIVE])
    .executeTakeFirst();
}

/** The structure's validated GP attachment, if it has one. */
export async function principalAttachment(
  db: Db,
  structureId: number,
): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom('attachment')
    .selectAll()
    .where('structureId', '=', structureId)
    .where('status', '=', 'VALIDEE')
    .where('role', '=', 'GESTIONNAIRE_PRINCIPAL')
    .executeTakeFirst();
}

export interface LinkedService {
  attachmentId: number;
  serviceId: number;
  code: string;
  status: AttachmentStatus;
}

/** The services of these attachments, by attachment id, ordered by code. */
export async function servicesByAttachment(
  db: Db,
  ids: readonly number[],
): Promise<Map<number, LinkedService[]>> {
  const map = new Map<number, LinkedService[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('attachmentService')
      .innerJoin('service', 'service.id', 'attachmentService.serviceId')
      .select([
        'attachmentService.attachmentId',
        'attachmentService.serviceId',
        'service.code',
        'attachmentService.status',
      ])
      .where('attachmentService.attachmentId', 'in', ids.slice(i, i + 500))
      .orderBy('service.code')
      .execute();
    for (const r of rows) map.set(r.attachmentId, [...(map.get(r.attachmentId) ?? []), r]);
  }
  return map;
}

export interface NewAttachmentInput {
  accountId: number;
  structureId: number;
  role: Role;
  status: AttachmentStatus;
  comment: string | null;
  dateStart: string | null;
  dateEnd: string | null;
  decidedBy: string | null;
  at: string;
}

export async function insertAttachment(
  db: Db,
  a: NewAttachmentInput,
  serviceIds: readonly number[],
): Promise<number> {
  const decided = a.status !== 'EN_COURS_DE_VALIDATION';
  const { id } = await db
    .insertInto('attachment')
    .values({
      accountId: a.accountId,
      structureId: a.structureId,
      role: a.role,
      status: a.status,
      source: 'MANUEL',
      comment: a.comment,
      refusalReason: null,
      dateStart: a.dateStart,
      dateEnd: a.dateEnd,
      requestedAt: decided ? null : a.at,
      decidedAt: decided ? a.at : null,
      decidedBy: decided ? a.decidedBy : null,
      createdAt: a.at,
      updatedAt: a.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (serviceIds.length > 0)
    await db
      .insertInto('attachmentService')
      .values(serviceIds.map((serviceId) => ({ attachmentId: id, serviceId, status: a.status })))
      .execute();
  return id;
}

/**
 * Sets an attachment's status (and its live services' with it), with what the decision says.
 * With `from`, only while the attachment still has that status: false when it no longer has it
 * (another command decided it meanwhile), and nothing is written.
 */
export async function setAttachmentStatus(
  db: Db,
  id: number,
  status: AttachmentStatus,
  set: {
    at: string;
    decidedBy?: string;
    refusalReason?: string;
    role?: Role;
    from?: AttachmentStatus;
  },
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('attachment')
    .set({
      status,
      updatedAt: set.at,
      ...(set.decidedBy === undefined ? {} : { decidedAt: set.at, decidedBy: set.decidedBy }),
      ...(set.refusalReason === undefined ? {} : { refusalReason: set.refusalReason }),
      ...(set.role === undefined ? {} : { role: set.role }),
    })
    .where('id', '=', id)
    .$if(set.from !== undefined, (q) => q.where('status', '=', set.from!))
    .executeTakeFirst();
  if (numUpdatedRows === 0n) return false;
  await db
    .updateTable('attachmentService')
    .set({ status })
    .where('attachmentId', '=', id)
    .where('status', 'in', [...LIVE])
    .execute();
  return true;
}

export async function updateAttachment(db: Db, id: number, set: AttachmentUpdate): Promise<void> {
  await db.updateTable('attachment').set(set).where('id', '=', id).execute();
}

/** Gives a validated attachment another role; false when it no longer holds `from` (nothing written). */
export async function setRole(
  db: Db,
  id: number,
  role: Role,
  at: string,
  from: Role,
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('attachment')
    .set({ role, updatedAt: at })
    .where('id', '=', id)
    .where('status', '=', 'VALIDEE')
    .where('role', '=', from)
    .executeTakeFirst();
  return numUpdatedRows > 0n;
}

export async function endServices(
  db: Db,
  attachmentId: number,
  serviceIds: readonly number[],
  at: string,
): Promise<void> {
  await db
    .updateTable('attachmentService')
    .set({ status: 'SUPPRIMEE' })
    .where('attachmentId', '=', attachmentId)
    .where('serviceId', 'in', [...serviceIds])
    .execute();
  await db
    .updateTable('attachment')
    .set({ updatedAt: at })
    .where('id', '=', attachmentId)
    .execute();
}

/** Ends every live service link of an attachment: it then covers the whole structure (a GP's, SPEC 7). */
export async function endAllServices(db: Db, attachmentId: number, at: string): Promise<number> {
  const { numUpdatedRows } = await db
    .updateTable('attachmentService')
    .set({ status: 'SUPPRIMEE' })
    .where('attachmentId', '=', attachmentId)
    .where('status', 'in', [...LIVE])
    .executeTakeFirst();
  if (numUpdatedRows > 0n)
    await db
      .updateTable('attachment')
      .set({ updatedAt: at })
      .where('id', '=', attachmentId)
      .execute();
  return Number(numUpdatedRows);
}

/** The attachment `a` lies within its dates on `day` (SPEC: out of its dates it gives no rights). */
function inEffectOn(
  w: ExpressionBuilder<Database & { a: Database['attachment'] }, 'a'>,
  day: string,
) {
  return w.and([
    w.or([w('a.dateStart', 'is', null), w('a.dateStart', '<=', day)]),
    w.or([w('a.dateEnd', 'is', null), w('a.dateEnd', '>=', day)]),
  ]);
}

/**
 * Who decides a structure's attachment requests, and hears of them: its GP and the holders of
 * VALIDATION_RATTACHEMENTS on it (or on one of `serviceIds`), active, attached within their dates on `day`.
 */
export async function decidersOf(
  db: Db,
  structureId: number,
  serviceIds: readonly number[],
  day: string,
): Promise<AccountRow[]> {
  return db
    .selectFrom('account')
    .selectAll('account')
    .where('account.status', '=', 'ACTIF')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('attachment as a')
          .select('a.id')
          .whereRef('a.accountId', '=', 'account.id')
          .where('a.structureId', '=', structureId)
          .where('a.status', '=', 'VALIDEE')
          .where((w) => inEffectOn(w, day))
          .where((w) =>
            w.or([
              w('a.role', '=', 'GESTIONNAIRE_PRINCIPAL'),
              w.exists(
                w
                  .selectFrom('habilitation as h')
                  .select('h.id')
                  .whereRef('h.accountId', '=', 'account.id')
                  .where('h.structureId', '=', structureId)
                  .where('h.status', '=', 'VALIDEE')
                  .where('h.profile', '=', 'VALIDATION_RATTACHEMENTS')
                  .where((x) =>
                    serviceIds.length === 0
                      ? x('h.serviceId', 'is', null)
                      : x.or([
                          x('h.serviceId', 'is', null),
                          x('h.serviceId', 'in', [...serviceIds]),
                        ]),
                  ),
              ),
            ]),
          ),
      ),
    )
    .orderBy('account.login')
    .execute();
}

/** The structure's managers (GP and GS, validated, within their dates on `day`, active accounts): who gets its digest. */
export async function managersOf(db: Db, structureId: number, day: string): Promise<AccountRow[]> {
  return db
    .selectFrom('account')
    .innerJoin('attachment as a', 'a.accountId', 'account.id')
    .selectAll('account')
    .where('account.status', '=', 'ACTIF')
    .where('a.structureId', '=', structureId)
    .where('a.status', '=', 'VALIDEE')
    .where('a.role', 'in', ['GESTIONNAIRE_PRINCIPAL', 'GESTIONNAIRE_SECONDAIRE'])
    .where((w) => inEffectOn(w, day))
    .orderBy('account.login')
    .execute();
}

export interface AttachmentFilter {
  accountId?: number | undefined;
  status?: AttachmentStatus | undefined;
  structureIds?: readonly number[] | undefined;
}

/** Attachments with their account and structure, ordered by id. */
export async function listAttachmentRows(db: Db, f: AttachmentFilter) {
  return db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .innerJoin('structure', 'structure.id', 'attachment.structureId')
    .selectAll('attachment')
    .select([
      'account.login',
      'account.lastName',
      'account.firstName',
      'structure.idType',
      'structure.identifier',
      'structure.companyName',
      'structure.postalCode',
      'structure.departement',
    ])
    .$if(f.accountId !== undefined, (q) => q.where('attachment.accountId', '=', f.accountId!))
    .$if(f.status !== undefined, (q) => q.where('attachment.status', '=', f.status!))
    .$if(f.structureIds !== undefined, (q) =>
      q.where(
        'attachment.structureId',
        'in',
        f.structureIds!.length > 0 ? [...f.structureIds!] : [-1],
      ),
    )
    .orderBy('attachment.id')
    .execute();
}

/** The structures where the account is the validated GP, for the rule that the last GP never disappears silently. */
export async function principalOf(
  db: Db,
  accountId: number,
): Promise<{ idType: IdentifierType; identifier: string }[]> {
  return db
    .selectFrom('attachment')
    .innerJoin('structure', 'structure.id', 'attachment.structureId')
    .select(['structure.idType', 'structure.identifier'])
    .where('attachment.accountId', '=', accountId)
    .where('attachment.status', '=', 'VALIDEE')
    .where('attachment.role', '=', 'GESTIONNAIRE_PRINCIPAL')
    .orderBy('structure.identifier')
    .execute();
}
