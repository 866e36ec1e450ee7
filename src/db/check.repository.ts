import type { AccountStatus, AttachmentStatus, RequestStatus } from '../domain/enums.js';
import type { Db } from './schema.js';

/**
 * The queries of `db check`: rows that break an invariant of the store. The statuses the
 * invariants are written in come from the caller (domain/store-check.ts); each query returns
 * the rows at fault, in a stable order, to be named one by one.
 */

const GP = 'GESTIONNAIRE_PRINCIPAL';

/** Structures with more than one GP attachment validated and within its dates on `day`. */
export async function structuresWithSeveralGps(
  db: Db,
  day: string,
): Promise<{ idType: string; identifier: string; count: number }[]> {
  const rows = await db
    .selectFrom('attachment as a')
    .innerJoin('structure as s', 's.id', 'a.structureId')
    .select(['s.id', 's.idType', 's.identifier'])
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('a.role', '=', GP)
    .where('a.status', '=', 'VALIDEE')
    .where((w) =>
      w.and([
        w.or([w('a.dateStart', 'is', null), w('a.dateStart', '<=', day)]),
        w.or([w('a.dateEnd', 'is', null), w('a.dateEnd', '>=', day)]),
      ]),
    )
    .groupBy(['s.id', 's.idType', 's.identifier'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ idType: r.idType, identifier: r.identifier, count: Number(r.count) }));
}

/** Validated GP attachments held by an account in one of `statuses` (inactive, deleted). */
export async function gpsOnAccounts(
  db: Db,
  statuses: readonly AccountStatus[],
): Promise<{ idType: string; identifier: string; login: string; status: AccountStatus }[]> {
  return db
    .selectFrom('attachment as a')
    .innerJoin('account as c', 'c.id', 'a.accountId')
    .innerJoin('structure as s', 's.id', 'a.structureId')
    .select(['s.idType', 's.identifier', 'c.login', 'c.status'])
    .where('a.role', '=', GP)
    .where('a.status', '=', 'VALIDEE')
    .where('c.status', 'in', [...statuses])
    .orderBy('a.id')
    .execute();
}

/** Attachments of accounts in `accountStatus` that are not in one of the `ended` statuses. */
export async function attachmentsNotEnded(
  db: Db,
  accountStatus: AccountStatus,
  ended: readonly AttachmentStatus[],
): Promise<{ id: number; login: string; status: AttachmentStatus }[]> {
  return db
    .selectFrom('attachment as a')
    .innerJoin('account as c', 'c.id', 'a.accountId')
    .select(['a.id', 'c.login', 'a.status'])
    .where('c.status', '=', accountStatus)
    .where('a.status', 'not in', [...ended])
    .orderBy('a.id')
    .execute();
}

/**
 * Requests whose decision does not match their status: `pending` ones with a decider or a
 * decision date, `decided` ones without both.
 */
export async function decisionMismatches(
  db: Db,
  table: 'attachment' | 'habilitation' | 'subscription',
  pending: RequestStatus,
  decided: readonly RequestStatus[],
): Promise<{ id: number; status: string; decided: boolean }[]> {
  const rows = await db
    .selectFrom(table as 'habilitation')
    .select(['id', 'status', 'decidedAt', 'decidedBy'])
    .where((w) =>
      w.or([
        w.and([
          w('status', '=', pending),
          w.or([w('decidedAt', 'is not', null), w('decidedBy', 'is not', null)]),
        ]),
        w.and([
          w('status', 'in', [...decided]),
          w.or([w('decidedAt', 'is', null), w('decidedBy', 'is', null)]),
        ]),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    decided: r.decidedAt !== null || r.decidedBy !== null,
  }));
}
