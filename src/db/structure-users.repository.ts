import type { HabilitationProfile, Space } from '../domain/enums.js';
import type { Db } from './schema.js';

/**
 * What `structure users` shows besides the attachments (issue 17): the validated habilitations
 * and subscriptions of the structure's accounts, one query per kind for the whole structure.
 */

/** The validated habilitations on the structure or its services, with the service's code. */
export async function structureHabilitations(
  db: Db,
  structureId: number,
): Promise<{ accountId: number; profile: HabilitationProfile; serviceCode: string | null }[]> {
  return db
    .selectFrom('habilitation')
    .leftJoin('service', 'service.id', 'habilitation.serviceId')
    .select(['habilitation.accountId', 'habilitation.profile', 'service.code as serviceCode'])
    .where('habilitation.structureId', '=', structureId)
    .where('habilitation.status', '=', 'VALIDEE')
    .orderBy('habilitation.id')
    .execute();
}

/** The validated subscriptions on the structure or its services, with the service's code. */
export async function structureSubscriptions(
  db: Db,
  structureId: number,
): Promise<{ accountId: number; space: Space; serviceCode: string | null }[]> {
  return db
    .selectFrom('subscription')
    .leftJoin('service', 'service.id', 'subscription.serviceId')
    .select(['subscription.accountId', 'subscription.space', 'service.code as serviceCode'])
    .where('subscription.structureId', '=', structureId)
    .where('subscription.status', '=', 'VALIDEE')
    .orderBy('subscription.id')
    .execute();
}
