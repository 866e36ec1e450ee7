import { sql } from 'kysely';
import type { AttachmentStatus, IdentifierType } from '../domain/enums.js';
import type { StructureRef } from '../domain/structure-ref.js';
import { structureSearchKey } from '../domain/structure.js';
import { fold } from '../domain/text.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { like } from './like.js';
import { copyObjects } from './bulk-load.js';
import type { Db, NewService, NewStructure, ServiceRow, StructureRow } from './schema.js';
import { binaryOrder, structureTextMatch, type DialectName } from './store.js';

/** The structure a reference names; a bare identifier must match exactly one type. */
export async function getStructure(db: Db, ref: StructureRef): Promise<StructureRow> {
  const compact = ref.identifier.replace(/[\s.-]/g, '');
  // as typed, without separators, and a SIRET that lost its leading zeros in a spreadsheet
  const identifiers = [
    ...new Set([
      ref.identifier,
      compact,
      ...(/^\d{9,13}$/.test(compact) ? [compact.padStart(14, '0')] : []),
    ]),
  ];
  const rows = await db
    .selectFrom('structure')
    .selectAll()
    .where('identifier', 'in', identifiers)
    .$if(ref.type !== null, (q) => q.where('idType', '=', ref.type!))
    .limit(2)
    .execute();
  const label = ref.type ? `${ref.type}:${ref.identifier}` : ref.identifier;
  if (rows.length === 0) throw new NotFoundError('structure.notFound', { ref: label });
  if (rows.length > 1)
    throw new InvalidInputError(
      [{ field: 'STRUCTURE', message: 'structure.ambiguous', params: { ref: label } }],
      'structure.ambiguous',
      { ref: label },
    );
  return rows[0]!;
}

/** The structure of exactly this type and identifier, if any. */
export async function findStructure(
  db: Db,
  idType: IdentifierType,
  identifier: string,
): Promise<StructureRow | undefined> {
  return db
    .selectFrom('structure')
    .selectAll()
    .where('idType', '=', idType)
    .where('identifier', '=', identifier)
    .executeTakeFirst();
}

export async function structureById(db: Db, id: number): Promise<StructureRow> {
  return db.selectFrom('structure').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** How these structures are named (reference and name), by id. */
export async function structureNames(
  db: Db,
  ids: readonly number[],
): Promise<Pick<StructureRow, 'id' | 'idType' | 'identifier' | 'companyName'>[]> {
  return db
    .selectFrom('structure')
    .select(['id', 'idType', 'identifier', 'companyName'])
    .where('id', 'in', [...ids])
    .execute();
}

/** The codes of these services, by id. */
export async function serviceCodes(
  db: Db,
  ids: readonly number[],
): Promise<Pick<ServiceRow, 'id' | 'code'>[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('service')
    .select(['id', 'code'])
    .where('id', 'in', [...ids])
    .execute();
}

/** Structures by (type, identifier), for a batch of import rows. */
export async function structuresByKey(
  db: Db,
  identifiers: readonly string[],
): Promise<Map<string, StructureRow>> {
  const map = new Map<string, StructureRow>();
  if (identifiers.length === 0) return map;
  const rows = await db
    .selectFrom('structure')
    .selectAll()
    .where('identifier', 'in', [...new Set(identifiers)])
    .execute();
  for (const r of rows) map.set(`${r.idType}:${r.identifier}`, r);
  return map;
}

/** New structures, through the bulk loader (COPY on PostgreSQL). */
export async function insertStructures(db: Db, rows: readonly NewStructure[]): Promise<void> {
  await copyObjects(db, 'structure', rows);
}

export async function updateStructure(
  db: Db,
  id: number,
  set: Partial<NewStructure>,
): Promise<void> {
  await db.updateTable('structure').set(set).where('id', '=', id).execute();
}

export async function servicesOf(db: Db, structureIds: readonly number[]): Promise<ServiceRow[]> {
  if (structureIds.length === 0) return [];
  return db
    .selectFrom('service')
    .selectAll()
    .where('structureId', 'in', [...structureIds])
    .orderBy('structureId')
    .orderBy('code')
    .execute();
}

/** New services, through the bulk loader (COPY on PostgreSQL). */
export async function insertServices(db: Db, rows: readonly NewService[]): Promise<void> {
  await copyObjects(db, 'service', rows);
}

export async function updateService(db: Db, id: number, set: Partial<NewService>): Promise<void> {
  await db.updateTable('service').set(set).where('id', '=', id).execute();
}

export async function getService(
  db: Db,
  structureId: number,
  code: string,
  label: string,
): Promise<ServiceRow> {
  return db
    .selectFrom('service')
    .selectAll()
    .where('structureId', '=', structureId)
    .where('code', '=', code)
    .executeTakeFirstOrThrow(
      () => new NotFoundError('service.notFound', { code, structure: label }),
    );
}

/**
 * Recomputes the search key of these structures from their name, identifier and services, and
 * writes the ones that changed: one UPDATE … CASE per 500 structures rather than one per row.
 */
export async function refreshSearchKeys(db: Db, structureIds: Iterable<number>): Promise<number> {
  const ids = [...structureIds];
  let changed = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const structures = await db
      .selectFrom('structure')
      .select(['id', 'identifier', 'companyName', 'searchKey'])
      .where('id', 'in', chunk)
      .execute();
    const services = await db
      .selectFrom('service')
      .select(['structureId', 'code', 'label'])
      .where('structureId', 'in', chunk)
      .execute();
    const byStructure = new Map<number, { code: string; label: string }[]>();
    for (const s of services)
      byStructure.set(s.structureId, [...(byStructure.get(s.structureId) ?? []), s]);
    const updates = structures
      .map((s) => ({
        id: s.id,
        before: s.searchKey,
        key: structureSearchKey(s, byStructure.get(s.id)),
      }))
      .filter((u) => u.key !== u.before);
    if (updates.length === 0) continue;
    const cases = sql.join(
      updates.map((u) => sql`when ${u.id} then ${u.key}`),
      sql` `,
    );
    await db
      .updateTable('structure')
      .set({ searchKey: sql<string>`case ${sql.ref('id')} ${cases} end` })
      .where(
        'id',
        'in',
        updates.map((u) => u.id),
      )
      .execute();
    changed += updates.length;
  }
  return changed;
}

// ---- search -----------------------------------------------------------------------------

export interface StructureSearch {
  /** Folded words of the free text (queryTokens); undefined when no text was given. */
  words?: readonly string[] | undefined;
  /** The free text as typed, folded, for the ranking. */
  text?: string | undefined;
  identifier?: string | undefined;
  idType?: string | undefined;
  companyName?: string | undefined;
  postalCode?: string | undefined;
  city?: string | undefined;
  lastName?: string | undefined;
  firstName?: string | undefined;
  limit: number;
  offset: number;
}

/** Every folded word of `text` starts a word of `column`'s folded value; text without a letter or digit matches nothing. */
function wordsIn(column: string, text: string) {
  const words = fold(text).split(' ').filter(Boolean);
  if (words.length === 0) return [sql<boolean>`1 = 0`];
  return words.map((w) => like(sql`(' ' || ${sql.ref(column)})`, '%', ' ' + w, '%'));
}

/** An identifier prefix as typed, without its separators; only separators: it matches nothing. */
function identifierPrefix(typed: string) {
  const compact = typed.replace(/[\s.-]/g, '');
  return compact === ''
    ? sql<boolean>`1 = 0`
    : like(sql.ref('structure.identifier'), '', compact, '%');
}

/**
 * Ranked, paginated search. Ranking, the same on both dialects: the identifier itself, then the
 * name equal to the text, starting with it, having a word starting with it, then anything else
 * that matched (a service, a later word); ties by active first, then name and identifier.
 */
export async function searchStructures(
  db: Db,
  dialect: DialectName,
  s: StructureSearch,
): Promise<{ rows: StructureRow[]; total: number }> {
  const conditions = [
    ...(s.words ? [structureTextMatch(dialect, s.words)] : []),
    ...(s.identifier ? [identifierPrefix(s.identifier)] : []),
    ...(s.idType ? [sql<boolean>`structure.id_type = ${s.idType}`] : []),
    ...(s.companyName ? wordsIn('structure.name_key', s.companyName) : []),
    ...(s.postalCode ? [like(sql.ref('structure.postal_code'), '', s.postalCode.trim(), '%')] : []),
    ...(s.city ? wordsIn('structure.city_key', s.city) : []),
    ...(s.lastName || s.firstName
      ? [
          sql<boolean>`structure.id_type <> 'SIRET'`,
          ...wordsIn('structure.name_key', `${s.lastName ?? ''} ${s.firstName ?? ''}`),
        ]
      : []),
  ];
  const where = conditions.length > 0 ? sql.join(conditions, sql` and `) : sql`1 = 1`;
  const base = db.selectFrom('structure').where(sql<boolean>`${where}`);
  const { total } = await base
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rankText = fold(s.text ?? s.companyName ?? '');
  const compact = (s.text ?? '').replace(/[\s.-]/g, '');
  const rank =
    rankText === ''
      ? null
      : sql<number>`case when structure.identifier = ${compact} then 0
          when structure.name_key = ${rankText} then 1
          when ${like(sql.ref('structure.name_key'), '', rankText, '%')} then 2
          when ${like(sql`(' ' || structure.name_key)`, '%', ' ' + rankText, '%')} then 3
          else 4 end`;
  const rows = await base
    .selectAll('structure')
    .$if(rank !== null, (q) => q.orderBy(rank!))
    .orderBy('structure.active', 'desc')
    .orderBy(binaryOrder(dialect, 'structure.name_key'))
    .orderBy(binaryOrder(dialect, 'structure.id_type'))
    .orderBy(binaryOrder(dialect, 'structure.identifier'))
    .$if(s.limit > 0, (q) => q.limit(s.limit).offset(s.offset))
    .execute();
  return { rows, total: Number(total) };
}

// ---- the structure's people -------------------------------------------------------------

export async function attachmentCounts(
  db: Db,
  structureId: number,
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('attachment')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('structureId', '=', structureId)
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export async function principalManager(db: Db, structureId: number) {
  return db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .select(['account.login', 'account.lastName', 'account.firstName', 'account.email'])
    .where('attachment.structureId', '=', structureId)
    .where('attachment.status', '=', 'VALIDEE')
    .where('attachment.role', '=', 'GESTIONNAIRE_PRINCIPAL')
    .executeTakeFirst();
}

/** The structure's attached accounts with their role, statuses and services, ordered by login. */
export async function structureUsers(
  db: Db,
  dialect: DialectName,
  structureId: number,
  statuses: readonly AttachmentStatus[],
) {
  const rows = await db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .select([
      'attachment.id',
      'attachment.accountId',
      'account.login',
      'account.lastName',
      'account.firstName',
      'account.email',
      'account.status as accountStatus',
      'attachment.role',
      'attachment.status',
      'attachment.dateStart',
      'attachment.dateEnd',
    ])
    .where('attachment.structureId', '=', structureId)
    .where('attachment.status', 'in', [...statuses])
    .orderBy(binaryOrder(dialect, 'account.login'))
    .orderBy('attachment.id')
    .execute();
  const services = new Map<number, string[]>();
  if (rows.length > 0) {
    for (let i = 0; i < rows.length; i += 500) {
      const links = await db
        .selectFrom('attachmentService')
        .innerJoin('service', 'service.id', 'attachmentService.serviceId')
        .select(['attachmentService.attachmentId', 'service.code'])
        .where(
          'attachmentService.attachmentId',
          'in',
          rows.slice(i, i + 500).map((r) => r.id),
        )
        .where('attachmentService.status', 'in', ['EN_COURS_DE_VALIDATION', 'VALIDEE'])
        .orderBy('service.code')
        .execute();
      for (const l of links)
        services.set(l.attachmentId, [...(services.get(l.attachmentId) ?? []), l.code]);
    }
  }
  return rows.map((r) => ({ ...r, services: services.get(r.id) ?? [] }));
}
