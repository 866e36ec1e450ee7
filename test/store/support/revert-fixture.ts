import type { Db } from '../../../src/db/schema.js';

/** The MADRHAS rows and the table snapshot `sync revert`'s tests share (test/store/sync-revert*.test.ts). */

export const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';
export const row = (
  login: string,
  nom: string,
  structure: string,
  service: string,
  role: string,
  statut = 'ACTIF',
  fin = '',
) =>
  [
    login,
    'Mme',
    nom,
    'Prénom',
    login,
    '',
    'SIRET',
    structure,
    service,
    role,
    '01/01/2024',
    fin,
    statut,
  ].join(';');

/** What a revert must give back, table by table (audit, runs, mail and updated_at left out). */
export const tables = async (db: Db) => ({
  accounts: await db
    .selectFrom('account')
    .select([
      'login',
      'status',
      'source',
      'title',
      'lastName',
      'firstName',
      'email',
      'phone',
      'searchKey',
      'completedAt',
      'madrhasBase',
    ])
    .where('status', '<>', 'SUPPRIME')
    .orderBy('login')
    .execute(),
  attachments: await db
    .selectFrom('attachment')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .select([
      'attachment.id',
      'account.login',
      'attachment.structureId',
      'attachment.role',
      'attachment.status',
      'attachment.source',
      'attachment.dateStart',
      'attachment.dateEnd',
      'attachment.decidedBy',
    ])
    .where('account.status', '<>', 'SUPPRIME')
    .orderBy('attachment.id')
    .execute(),
  links: await db
    .selectFrom('attachmentService')
    .innerJoin('attachment', 'attachment.id', 'attachmentService.attachmentId')
    .innerJoin('account', 'account.id', 'attachment.accountId')
    .select([
      'attachmentService.attachmentId',
      'attachmentService.serviceId',
      'attachmentService.status',
    ])
    .where('account.status', '<>', 'SUPPRIME')
    .orderBy('attachmentService.attachmentId')
    .orderBy('attachmentService.serviceId')
    .execute(),
  subscriptions: await db
    .selectFrom('subscription')
    .select(['id', 'accountId', 'structureId', 'serviceId', 'space', 'mode', 'status', 'decidedBy'])
    .orderBy('id')
    .execute(),
  habilitations: await db.selectFrom('habilitation').selectAll().orderBy('id').execute(),
});
