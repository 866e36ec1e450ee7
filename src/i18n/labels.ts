import type { Outcome } from '../domain/audit-chain.js';
import type {
  AccountStatus,
  AttachmentStatus,
  FileType,
  HabilitationProfile,
  IdentifierType,
  Language,
  Role,
  Source,
  Space,
  SubscriptionMode,
} from '../domain/enums.js';
import type { Action } from '../domain/rights.js';
import type { Lang } from './lang.js';

/**
 * Words, not codes, for people (SPEC 4): the label of every value of the enumerations of SPEC 3
 * and of the audit log, in each language. Tables and spreadsheets show these; JSON and CSV keep
 * the codes. Each table is checked at compile time against its union (`satisfies`): a value added
 * to `domain/enums.ts` without its labels fails to compile.
 */

type Pair = readonly [fr: string, en: string];
type Labels<K extends string> = Record<K, Pair>;

const space = {
  MON_COMPTE: ['Mon compte', 'My account'],
  FACTURES_EMISES: ['Factures émises', 'Invoices issued'],
  FACTURES_RECUES: ['Factures reçues', 'Invoices received'],
  ACTIVITES_GESTIONNAIRE: ['Activités du gestionnaire', 'Manager activities'],
  FACTURES_A_VALIDER: ['Factures à valider', 'Invoices to approve'],
  FACTURES_TRAVAUX: ['Factures de travaux', 'Works invoices'],
  SOLLICITATIONS_EMISES: ['Sollicitations émises', 'Requests sent'],
  SOLLICITATIONS_RECUES: ['Sollicitations reçues', 'Requests received'],
} as const satisfies Labels<Space>;

/** Attachments', habilitations' and subscriptions' statuses (requests use four of the five). */
const status = {
  EN_COURS_DE_VALIDATION: ['En attente', 'Pending'],
  VALIDEE: ['Validé', 'Approved'],
  REFUSEE: ['Refusé', 'Refused'],
  DESACTIVEE: ['Désactivé', 'Deactivated'],
  SUPPRIMEE: ['Supprimé', 'Removed'],
} as const satisfies Labels<AttachmentStatus>;

const role = {
  GESTIONNAIRE_PRINCIPAL: ['Gestionnaire principal', 'Principal manager'],
  GESTIONNAIRE_SECONDAIRE: ['Gestionnaire secondaire', 'Secondary manager'],
  UTILISATEUR: ['Utilisateur', 'User'],
} as const satisfies Labels<Role>;

const accountStatus = {
  ACTIF: ['Actif', 'Active'],
  INACTIF: ['Inactif', 'Inactive'],
  SUPPRIME: ['Supprimé', 'Deleted'],
} as const satisfies Labels<AccountStatus>;

/** What `account show` calls an account: a correspondent of the DGFiP, or a user of Chorus Pro. */
export type AccountKind = 'correspondent' | 'user';
const accountKind = {
  correspondent: ['Correspondant', 'Correspondent'],
  user: ['Utilisateur', 'User'],
} as const satisfies Labels<AccountKind>;

const fileType = {
  JUSTIFICATIF: ['Justificatif', 'Supporting document'],
  CARTE_GRISE: ['Carte grise', 'Vehicle registration'],
  BROCHURE: ['Brochure', 'Brochure'],
  PRESENTATION: ['Présentation', 'Presentation'],
  ATTESTATION: ['Attestation', 'Certificate'],
  RIB: ['RIB', 'Bank details (RIB)'],
  AUTRE: ['Autre', 'Other'],
} as const satisfies Labels<FileType>;

const profile = {
  VALIDATION_RATTACHEMENTS: ['Validation des rattachements', 'Approves attachments'],
  VALIDATION_ABONNEMENTS: ['Validation des abonnements', 'Approves subscriptions'],
  CONSULTATION_UTILISATEURS: ['Consultation des utilisateurs', 'Views users'],
  MODIFICATION_STRUCTURE: ['Modification de la structure', 'Edits the structure'],
} as const satisfies Labels<HabilitationProfile>;

const mode = {
  CONSULTATION_UNIQUEMENT: ['Consultation uniquement', 'Read only'],
  MODIFICATION: ['Modification', 'Read and write'],
} as const satisfies Labels<SubscriptionMode>;

const idType = {
  SIRET: ['SIRET', 'SIRET'],
  UE_HORS_FRANCE: ['UE hors France', 'EU outside France'],
  HORS_UE: ['Hors UE', 'Outside the EU'],
  RIDET: ['RIDET', 'RIDET'],
  TAHITI: ['TAHITI', 'TAHITI'],
  AUTRE: ['Autre', 'Other'],
  PARTICULIER: ['Particulier', 'Private person'],
} as const satisfies Labels<IdentifierType>;

const source = {
  MANUEL: ['Manuel', 'Manual'],
  MADRHAS: ['MADRHAS', 'MADRHAS'],
} as const satisfies Labels<Source>;

const language = {
  fr: ['Français', 'French'],
  en: ['Anglais', 'English'],
} as const satisfies Labels<Language>;

const outcome = {
  OK: ['Effectué', 'Done'],
  REFUSED: ['Refusé', 'Refused'],
} as const satisfies Labels<Outcome>;

/**
 * What the audit log records: the actions of the rights matrix (a refusal is logged under the
 * action asked for) and the changes the use cases write under their own names.
 */
export const RECORDED_ACTIONS = [
  'account.resendCredentials',
  'attachment.approve',
  'attachment.reject',
  'attachment.transfer',
  'file.add',
  'file.remove',
  'habilitation.approve',
  'habilitation.reject',
  'habilitation.edit',
  'subscription.approve',
  'subscription.reject',
  'service.add',
  'service.edit',
  'service.deactivate',
  'store.init',
  'store.migrate',
  'structure.importServices',
  'sync.account.create',
  'sync.account.update',
  'sync.account.deactivate',
  'sync.revert.account',
  'sync.revert.structure',
  'sync.revert.service',
] as const;
export type AuditAction = Action | (typeof RECORDED_ACTIONS)[number];

const auditAction = {
  'account.create': ['Création de compte', 'Account created'],
  'account.delete': ['Suppression de compte', 'Account deleted'],
  'account.deactivate': ['Désactivation de compte', 'Account deactivated'],
  'account.reactivate': ['Réactivation de compte', 'Account reactivated'],
  'account.resendCredentials': ['Renvoi des identifiants', 'Credentials sent again'],
  'account.list': ['Liste des comptes', 'Account list'],
  'account.read': ['Consultation de compte', 'Account viewed'],
  'account.edit': ['Modification de compte', 'Account edited'],
  'account.complete': ['Première connexion', 'First login completed'],
  'correspondent.create': ['Création de correspondant', 'Correspondent created'],
  'notification.export': ['Export des messages', 'Messages exported'],
  'notification.digest': ['Synthèse hebdomadaire', 'Weekly digest'],
  'notification.read': ['Consultation des messages', 'Messages viewed'],
  'audit.read': ['Consultation du journal', 'Audit log read'],
  'audit.structure': ['Consultation de l’historique d’une structure', 'Structure history read'],
  'structure.import': ['Import de l’annuaire', 'Directory import'],
  'structure.importServices': ['Import des services', 'Services import'],
  'structure.read': ['Consultation de structure', 'Structure viewed'],
  'structure.users': ['Utilisateurs d’une structure', 'Structure users viewed'],
  'structure.edit': ['Modification de structure', 'Structure edited'],
  'sync.madrhas': ['Synchronisation MADRHAS', 'MADRHAS sync'],
  'sync.account.create': ['Compte créé par MADRHAS', 'Account created by MADRHAS'],
  'sync.account.update': ['Compte mis à jour par MADRHAS', 'Account updated by MADRHAS'],
  'sync.account.deactivate': ['Compte désactivé par MADRHAS', 'Account deactivated by MADRHAS'],
  'sync.runs': ['Exécutions consultées', 'Runs viewed'],
  'sync.show': ['Exécution consultée', 'Run viewed'],
  'sync.revert': ['Annulation d’une exécution', 'Run reverted'],
  'sync.revert.account': ['Compte rétabli (annulation)', 'Account restored (revert)'],
  'sync.revert.structure': ['Structure rétablie (annulation)', 'Structure restored (revert)'],
  'sync.revert.service': ['Service rétabli (annulation)', 'Service restored (revert)'],
  'file.read': ['Consultation de pièce jointe', 'File viewed'],
  'file.manage': ['Gestion des pièces jointes', 'Files managed'],
  'file.add': ['Ajout de pièce jointe', 'File added'],
  'file.remove': ['Retrait de pièce jointe', 'File removed'],
  'attachment.request': ['Demande de rattachement', 'Attachment requested'],
  'attachment.detach': ['Détachement', 'Detached'],
  'attachment.decide': ['Décision de rattachement', 'Attachment decision'],
  'attachment.approve': ['Rattachement validé', 'Attachment approved'],
  'attachment.reject': ['Rattachement refusé', 'Attachment refused'],
  'attachment.add': ['Rattachement ajouté', 'Attachment added'],
  'attachment.transfer': ['Transfert du gestionnaire principal', 'Principal manager transferred'],
  'attachment.pending': ['Rattachements en attente', 'Pending attachments viewed'],
  'structure.orphans': [
    'Structures sans gestionnaire consultées',
    'Structures without a manager viewed',
  ],
  'attachment.designate': ['Désignation du gestionnaire principal', 'Principal manager designated'],
  'subscription.request': ['Demande d’abonnement', 'Subscription requested'],
  'subscription.remove': ['Retrait d’abonnement', 'Subscription removed'],
  'subscription.decide': ['Décision d’abonnement', 'Subscription decision'],
  'subscription.approve': ['Abonnement validé', 'Subscription approved'],
  'subscription.reject': ['Abonnement refusé', 'Subscription refused'],
  'habilitation.request': ['Demande d’habilitation', 'Habilitation requested'],
  'habilitation.remove': ['Retrait d’habilitation', 'Habilitation removed'],
  'habilitation.decide': ['Décision d’habilitation', 'Habilitation decision'],
  'habilitation.grant': ['Habilitation accordée', 'Habilitation granted'],
  'habilitation.approve': ['Habilitation validée', 'Habilitation approved'],
  'habilitation.reject': ['Habilitation refusée', 'Habilitation refused'],
  'habilitation.edit': ['Habilitation modifiée', 'Habilitation edited'],
  'service.add': ['Service ajouté', 'Service added'],
  'service.edit': ['Service modifié', 'Service edited'],
  'service.deactivate': ['Service désactivé', 'Service deactivated'],
  'store.init': ['Initialisation', 'Store initialised'],
  'store.migrate': ['Migration du schéma', 'Schema migrated'],
} as const satisfies Labels<AuditAction>;

/**
 * The fields an audit entry's changes name (the keys of the views, a few of the use cases' own):
 * the table's column headings where they exist, these otherwise.
 */
const auditField = {
  login: ['Identifiant', 'Login'],
  status: ['Statut', 'Status'],
  kind: ['Type', 'Kind'],
  scope: ['Périmètre', 'Scope'],
  title: ['Civilité', 'Title'],
  civilite: ['Civilité', 'Title'],
  lastName: ['Nom', 'Last name'],
  firstName: ['Prénom', 'First name'],
  email: ['Courriel', 'E-mail'],
  phone: ['Téléphone', 'Phone'],
  mobile: ['Mobile', 'Mobile'],
  address: ['Adresse', 'Address'],
  addressComplement: ['Complément', 'Address line 2'],
  postalCode: ['Code postal', 'Postal code'],
  city: ['Ville', 'City'],
  country: ['Pays', 'Country'],
  language: ['Langue', 'Language'],
  notifyBilling: ['Notif. facturation', 'Billing notices'],
  notifyNews: ['Notif. actualité', 'News'],
  source: ['Origine', 'Source'],
  completedAt: ['Complété le', 'Completed'],
  role: ['Rôle', 'Role'],
  dateStart: ['Début', 'Start'],
  dateEnd: ['Fin', 'End'],
  services: ['Services', 'Services'],
  service: ['Service', 'Service'],
  structure: ['Structure', 'Structure'],
  account: ['Compte', 'Account'],
  profile: ['Profil', 'Profile'],
  space: ['Espace', 'Space'],
  mode: ['Mode', 'Mode'],
  reason: ['Motif', 'Reason'],
  comment: ['Commentaire', 'Comment'],
  label: ['Libellé', 'Label'],
  code: ['Code', 'Code'],
  active: ['Active', 'Active'],
  type: ['Type', 'Type'],
  designation: ['Désignation', 'Designation'],
  name: ['Nom', 'Name'],
  size: ['Taille', 'Size'],
  sha256: ['SHA-256', 'SHA-256'],
  file: ['Fichier', 'File'],
  rows: ['Lignes', 'Rows'],
  week: ['Semaine', 'Week'],
  credentialsWithdrawn: ['Messages d’identifiants retirés', 'Credentials messages withdrawn'],
} as const satisfies Labels<string>;

/** What a run did to an account or a structure (app/sync/journal.ts CHANGE_KINDS). */
const change = {
  created: ['Création', 'Created'],
  updated: ['Mise à jour', 'Updated'],
  reactivated: ['Réactivation', 'Reactivated'],
  deactivated: ['Désactivation', 'Deactivated'],
  kept: ['Valeurs gardées', 'Values kept'],
} as const satisfies Labels<string>;

/** The notification events (app/mail.ts; test/unit/labels.test.ts checks each has its labels). */
const event = {
  ACCOUNT_CREATED: ['Compte créé', 'Account created'],
  ACCOUNT_DEACTIVATED: ['Compte désactivé', 'Account deactivated'],
  ATTACHMENT_REQUESTED: ['Rattachement demandé', 'Attachment requested'],
  ATTACHMENT_APPROVED: ['Rattachement validé', 'Attachment approved'],
  ATTACHMENT_REJECTED: ['Rattachement refusé', 'Attachment refused'],
  ATTACHMENT_ADDED: ['Rattachement ajouté', 'Attachment added'],
  GP_TRANSFERRED: ['GP transféré', 'Principal manager transferred'],
  GP_DESIGNATED: ['GP désigné', 'Principal manager designated'],
  ATTACHMENT_UNDECIDABLE: ['Demande sans décideur', 'Request nobody can decide'],
  WEEKLY_DIGEST: ['Synthèse hebdomadaire', 'Weekly digest'],
  SUBSCRIPTION_REQUESTED: ['Abonnement demandé', 'Subscription requested'],
  SUBSCRIPTION_APPROVED: ['Abonnement validé', 'Subscription approved'],
  SUBSCRIPTION_REJECTED: ['Abonnement refusé', 'Subscription refused'],
  HABILITATION_REQUESTED: ['Habilitation demandée', 'Habilitation requested'],
  HABILITATION_APPROVED: ['Habilitation validée', 'Habilitation approved'],
  HABILITATION_REJECTED: ['Habilitation refusée', 'Habilitation refused'],
} as const satisfies Labels<string>;

const LABELS = {
  space,
  status,
  role,
  accountStatus,
  accountKind,
  fileType,
  profile,
  mode,
  idType,
  source,
  language,
  outcome,
  auditAction,
  auditField,
  event,
  change,
} as const;

export type LabelKind = keyof typeof LABELS;
export const LABEL_KINDS = Object.keys(LABELS) as LabelKind[];

/** The codes a kind has labels for (the tests check each union against these). */
export function labelledCodes(kind: LabelKind): string[] {
  return Object.keys(LABELS[kind]);
}

/** The label of `code` in `lang`; a code with none (a newer store's value) is shown as it is. */
export function label(kind: LabelKind, code: string, lang: Lang): string {
  const table = LABELS[kind] as Record<string, Pair>;
  const pair = Object.hasOwn(table, code) ? table[code] : undefined;
  return pair ? pair[lang === 'fr' ? 0 : 1] : code;
}
