import { sql } from 'kysely';
import type { AccountRow, Db } from './schema.js';
import { LIVE } from './attachment.repository.js';

/**
 * Structures with no GP in effect (issue 17): no validated GESTIONNAIRE_PRINCIPAL attachment
 * whose dates include the day. What `structure orphans` lists, and what a request is checked
 * against before it is taken.
 */

/** The live attachments (validated or waiting) of the structures with no GP in effect on `day`. */
export async function attachmentsWithoutPrincipal(db: Db, day: string) {
  return db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .innerJoin('structure', 'structure.id', 'attachment.structureId')
    .select([
      'attachment.id',
      'attachment.structureId',
      'attachment.role',
      'attachment.status',
      'attachment.requestedAt',
      'account.login',
      'account.firstName',
      'account.lastName',
      'structure.idType',
      'structure.identifier',
      'structure.companyName',
      'structure.departement',
    ])
    .where('attachment.status', 'in', [...LIVE])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('attachment as gp')
            .select('gp.id')
            .whereRef('gp.structureId', '=', 'attachment.structureId')
            .where('gp.status', '=', 'VALIDEE')
            .where('gp.role', '=', 'GESTIONNAIRE_PRINCIPAL')
            .where((w) => w.or([w('gp.dateStart', 'is', null), w('gp.dateStart', '<=', day)]))
            .where((w) => w.or([w('gp.dateEnd', 'is', null), w('gp.dateEnd', '>=', day)])),
        ),
      ),
    )
    .orderBy('structure.identifier')
    .orderBy(sql`attachment.requested_at is null`)
    .orderBy('attachment.requestedAt')
    .orderBy('account.login')
    .execute();
}

/** Whether the structure has a GP in effect on `day`. */
export async function hasPrincipalInEffect(
  db: Db,
  structureId: number,
  day: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('attachment as gp')
    .select('gp.id')
    .where('gp.structureId', '=', structureId)
    .where('gp.status', '=', 'VALIDEE')
    .where('gp.role', '=', 'GESTIONNAIRE_PRINCIPAL')
    .where((w) => w.or([w('gp.dateStart', 'is', null), w('gp.dateStart', '<=', day)]))
    .where((w) => w.or([w('gp.dateEnd', 'is', null), w('gp.dateEnd', '>=', day)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** The active correspondents, whose scopes say which of them a structure's requests turn to. */
export async function activeCorrespondents(db: Db): Promise<AccountRow[]> {
  return db
    .selectFrom('account')
    .selectAll('account')
    .where('account.status', '=', 'ACTIF')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('correspondentScope as cs')
          .select('cs.accountId')
          .whereRef('cs.accountId', '=', 'account.id'),
      ),
    )
    .orderBy('account.login')
    .execute();
}
