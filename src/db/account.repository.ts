import { sql, type ExpressionBuilder, type ReferenceExpression } from 'kysely';
import { ALL, type Scope } from '../domain/departement.js';
import { SCOPE_STATUSES, type Actor, type Target } from '../domain/rights.js';
import type { AccountStatus } from '../domain/enums.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { AccountRow, AccountUpdate, Database, Db, NewAccount } from './schema.js';
import { like } from './like.js';
import { isUniqueViolation } from './store.js';

export async function findAccount(db: Db, login: string): Promise<AccountRow | undefined> {
  return db.selectFrom('account').selectAll().where('login', '=', login).executeTakeFirst();
}

/** Whether the store holds any account at all (`init` leaves such a store alone). */
export async function hasAccounts(db: Db): Promise<boolean> {
  return (await db.selectFrom('account').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function getAccount(db: Db, login: string): Promise<AccountRow> {
  return db
    .selectFrom('account')
    .selectAll()
    .where('login', '=', login)
    .executeTakeFirstOrThrow(() => new NotFoundError('account.notFound', { login }));
}

export async function accountById(db: Db, id: number): Promise<AccountRow> {
  return db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function accountsById(db: Db, ids: readonly number[]): Promise<AccountRow[]> {
  return db
    .selectFrom('account')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

export async function insertAccount(db: Db, account: NewAccount): Promise<number> {
  try {
    const row = await db
      .insertInto('account')
      .values(account)
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError('account.exists', { login: account.login }, { cause: err });
    throw err;
  }
}

export async function updateAccount(db: Db, id: number, update: AccountUpdate): Promise<void> {
  await db.updateTable('account').set(update).where('id', '=', id).execute();
}

/** The correspondent's départements, or null when the account is not a correspondent. */
export async function scopeOf(db: Db, accountId: number): Promise<Scope | null> {
  const rows = await db
    .selectFrom('correspondentScope')
    .select('departement')
    .where('accountId', '=', accountId)
    .execute();
  return rows.length === 0 ? null : rows.map((r) => r.departement).sort();
}

/** Every correspondent's scope, by account id: correspondents are few, so one small query serves any list. */
export async function allScopes(db: Db): Promise<Map<number, Scope>> {
  const scopes = new Map<number, string[]>();
  const rows = await db
    .selectFrom('correspondentScope')
    .select(['accountId', 'departement'])
    .orderBy('departement')
    .execute();
  for (const r of rows)
    scopes.set(r.accountId, [...(scopes.get(r.accountId) ?? []), r.departement]);
  return scopes;
}

export async function insertScope(db: Db, accountId: number, scope: Scope): Promise<void> {
  await db
    .insertInto('correspondentScope')
    .values(scope.map((departement) => ({ accountId, departement })))
    .execute();
}

/** What the rights module needs to know of an account as the target of an action. */
export async function accountTarget(
  db: Db,
  account: Pick<AccountRow, 'id'>,
): Promise<Extract<Target, { kind: 'account' }>> {
  const rows = await db
    .selectFrom('attachment')
    .innerJoin('structure', 'structure.id', 'attachment.structureId')
    .select(['structure.id', 'structure.departement', 'attachment.status'])
    .where('attachment.accountId', '=', account.id)
    .where('attachment.status', '!=', 'REFUSEE')
    .execute();
  const counted = new Set<string>(SCOPE_STATUSES);
  return {
    kind: 'account',
    id: account.id,
    departements: [...new Set(rows.filter((r) => counted.has(r.status)).map((r) => r.departement))],
    structureIds: [...new Set(rows.map((r) => r.id))],
    scope: await scopeOf(db, account.id),
  };
}

/** The acting account with what it holds: scope, validated attachments, granted habilitations. */
export async function loadActor(db: Db, account: AccountRow): Promise<Actor> {
  const [scope, held, links, habilitations] = await Promise.all([
    scopeOf(db, account.id),
    db
      .selectFrom('attachment')
      .select(['id', 'structureId', 'role', 'dateStart', 'dateEnd'])
      .where('accountId', '=', account.id)
      .where('status', '=', 'VALIDEE')
      .execute(),
    db
      .selectFrom('attachmentService')
      .innerJoin('attachment', 'attachment.id', 'attachmentService.attachmentId')
      .select(['attachmentService.attachmentId', 'attachmentService.serviceId'])
      .where('attachment.accountId', '=', account.id)
      .where('attachment.status', '=', 'VALIDEE')
      .where('attachmentService.status', '=', 'VALIDEE')
      .orderBy('attachmentService.serviceId')
      .execute(),
    db
      .selectFrom('habilitation')
      .select(['structureId', 'serviceId', 'profile'])
      .where('accountId', '=', account.id)
      .where('status', '=', 'VALIDEE')
      .execute(),
  ]);
  // the services each attachment is limited to (validated links); none: the whole structure
  const services = new Map<number, number[]>();
  for (const l of links)
    services.set(l.attachmentId, [...(services.get(l.attachmentId) ?? []), l.serviceId]);
  return {
    id: account.id,
    login: account.login,
    status: account.status,
    scope,
    attachments: held.map(({ id, ...a }) => ({ ...a, services: services.get(id) ?? [] })),
    habilitations,
  };
}

export interface AccountFilter {
  status?: AccountStatus | undefined;
  structureId?: number | undefined;
  search?: string | undefined;
  /** Only accounts in this scope (SPEC 6); `*` or undefined: all. */
  scope?: Scope | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/**
 * SPEC 6 as SQL, the same rule as `accountInScope` of domain/rights.ts (a property-based test
 * holds them together): the account `accountId` names is a correspondent whose every
 * département is among `departements`; or it is not a correspondent and has an attachment that
 * counts (SCOPE_STATUSES) to a structure whose stored département is among them, or none at all.
 * `departements` is a scope without `*` (a scope `*` needs no filter).
 */
export function accountInScope<DB extends Database, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  accountId: ReferenceExpression<DB, TB>,
  departements: readonly string[],
) {
  const e = eb as unknown as ExpressionBuilder<Database, never>;
  const ref = accountId as unknown as 'attachment.accountId';
  const counted = () =>
    e
      .selectFrom('attachment')
      .select('attachment.id')
      .whereRef('attachment.accountId', '=', ref)
      .where('attachment.status', 'in', SCOPE_STATUSES);
  const scopeRows = () =>
    e
      .selectFrom('correspondentScope')
      .select('correspondentScope.accountId')
      .whereRef(
        'correspondentScope.accountId',
        '=',
        ref as unknown as 'correspondentScope.accountId',
      );
  return e.or([
    e.and([
      e.exists(scopeRows()),
      e.not(
        e.exists(scopeRows().where('correspondentScope.departement', 'not in', [...departements])),
      ),
    ]),
    e.and([
      e.not(e.exists(scopeRows())),
      e.or([
        e.exists(
          counted()
            .innerJoin('structure', 'structure.id', 'attachment.structureId')
            .where('structure.departement', 'in', [...departements]),
        ),
        e.not(e.exists(counted())),
      ]),
    ]),
  ]);
}

/** Accounts matching the filter, ordered by login, with the total before paging. */
export async function listAccounts(
  db: Db,
  filter: AccountFilter,
): Promise<{ rows: AccountRow[]; total: number }> {
  const scoped = filter.scope && !filter.scope.includes(ALL) ? filter.scope : undefined;
  const base = db
    .selectFrom('account')
    .$if(filter.status !== undefined, (q) => q.where('account.status', '=', filter.status!))
    .$if(filter.search !== undefined, (q) =>
      q.where(like(sql.ref('account.searchKey'), '%', filter.search!, '%')),
    )
    .$if(filter.structureId !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('attachment')
            .select('attachment.id')
            .whereRef('attachment.accountId', '=', 'account.id')
            .where('attachment.structureId', '=', filter.structureId!),
        ),
      ),
    )
    .$if(scoped !== undefined, (q) => q.where((eb) => accountInScope(eb, 'account.id', scoped!)));
  const { total } = await base
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('account')
    .orderBy('account.login')
    .$if(filter.limit !== undefined && filter.limit > 0, (q) =>
      q.limit(filter.limit!).offset(filter.offset ?? 0),
    )
    .execute();
  return { rows, total: Number(total) };
}

/** The account's attachments with their structure, for `account show`. */
export async function attachmentsOf(db: Db, accountId: number) {
  return db
    .selectFrom('attachment')
    .innerJoin('structure', 'structure.id', 'attachment.structureId')
    .select([
      'attachment.id',
      'structure.idType',
      'structure.identifier',
      'structure.companyName',
      'attachment.role',
      'attachment.status',
      'attachment.dateStart',
      'attachment.dateEnd',
    ])
    .where('attachment.accountId', '=', accountId)
    .orderBy('attachment.id')
    .execute();
}

/** Ends every attachment of a deleted account (kept, status SUPPRIMEE, for the audit trail). */
export async function endAttachments(
  db: Db,
  accountId: number,
  status: 'SUPPRIMEE' | 'DESACTIVEE',
  at: string,
): Promise<number> {
  const result = await db
    .updateTable('attachment')
    .set({ status, updatedAt: at })
    .where('accountId', '=', accountId)
    .where(
      'status',
      'in',
      SCOPE_STATUSES.filter((s) => s !== status),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
