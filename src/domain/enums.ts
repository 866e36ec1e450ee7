/** The enumerations of SPEC 3 (Chorus Pro API values), one place for all of them. */

export const IDENTIFIER_TYPES = [
  'SIRET',
  'UE_HORS_FRANCE',
  'HORS_UE',
  'RIDET',
  'TAHITI',
  'AUTRE',
  'PARTICULIER',
] as const;
export type IdentifierType = (typeof IDENTIFIER_TYPES)[number];

export const ATTACHMENT_STATUSES = [
  'EN_COURS_DE_VALIDATION',
  'VALIDEE',
  'REFUSEE',
  'DESACTIVEE',
  'SUPPRIMEE',
] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

export const ROLES = ['GESTIONNAIRE_PRINCIPAL', 'GESTIONNAIRE_SECONDAIRE', 'UTILISATEUR'] as const;
export type Role = (typeof ROLES)[number];

export const SPACES = [
  'MON_COMPTE',
  'FACTURES_EMISES',
  'FACTURES_RECUES',
  'ACTIVITES_GESTIONNAIRE',
  'FACTURES_A_VALIDER',
  'FACTURES_TRAVAUX',
  'SOLLICITATIONS_EMISES',
  'SOLLICITATIONS_RECUES',
] as const;
export type Space = (typeof SPACES)[number];

export const SUBSCRIPTION_MODES = ['CONSULTATION_UNIQUEMENT', 'MODIFICATION'] as const;
export type SubscriptionMode = (typeof SUBSCRIPTION_MODES)[number];

export const FILE_TYPES = [
  'JUSTIFICATIF',
  'CARTE_GRISE',
  'BROCHURE',
  'PRESENTATION',
  'ATTESTATION',
  'RIB',
  'AUTRE',
] as const;
export type FileType = (typeof FILE_TYPES)[number];

/** The management rights of SPEC 6; the GP of a structure holds all four implicitly. */
export const HABILITATION_PROFILES = [
  'VALIDATION_RATTACHEMENTS',
  'VALIDATION_ABONNEMENTS',
  'CONSULTATION_UTILISATEURS',
  'MODIFICATION_STRUCTURE',
] as const;
export type HabilitationProfile = (typeof HABILITATION_PROFILES)[number];

/** Requests (habilitations, subscriptions) share the attachment's life cycle. */
export const REQUEST_STATUSES = [
  'EN_COURS_DE_VALIDATION',
  'VALIDEE',
  'REFUSEE',
  'SUPPRIMEE',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const ACCOUNT_STATUSES = ['ACTIF', 'INACTIF', 'SUPPRIME'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Where an account or an attachment came from: the MADRHAS sync only ever touches its own. */
export const SOURCES = ['MANUEL', 'MADRHAS'] as const;
export type Source = (typeof SOURCES)[number];

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const CIVILITES = ['M.', 'Mme'] as const;
export type Civilite = (typeof CIVILITES)[number];

/** Whether `v` is one of `values`: narrows text read back from the store or the audit log. */
export function isOneOf<T extends string>(values: readonly T[], v: string): v is T {
  return (values as readonly string[]).includes(v);
}
