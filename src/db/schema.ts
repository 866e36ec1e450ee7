import type {
  ColumnType,
  Generated,
  Insertable,
  Kysely,
  Selectable,
  Transaction,
  Updateable,
} from 'kysely';
import type { Outcome } from '../domain/audit-chain.js';
import type {
  AccountStatus,
  AttachmentStatus,
  Civilite,
  FileType,
  HabilitationProfile,
  IdentifierType,
  Language,
  RequestStatus,
  Role,
  Source,
  Space,
  SubscriptionMode,
} from '../domain/enums.js';

/**
 * The tables, as TypeScript sees them (camelCase; the store's columns are snake_case, mapped by
 * kysely's CamelCasePlugin). Flags are integers 0/1 and times ISO 8601 text on both dialects,
 * so that SQLite and PostgreSQL return the same values to the same queries. Enumerated columns
 * carry the unions of SPEC 3 (domain/enums.ts): the store's values are only ever written from them.
 */

type Flag = number;
type Timestamp = string;
/** Generated on insert by both dialects (integer primary key / serial). */
type Id = Generated<number>;

export interface AccountTable {
  id: Id;
  login: string;
  status: AccountStatus;
  source: Source;
  title: Civilite | null;
  lastName: string;
  firstName: string;
  email: string;
  phone: string | null;
  mobile: string | null;
  address: string | null;
  addressComplement: string | null;
  postalCode: string | null;
  city: string | null;
  country: Generated<string>;
  language: Generated<Language>;
  notifyBilling: Generated<Flag>;
  notifyNews: Generated<Flag>;
  completedAt: Timestamp | null;
  searchKey: string;
  /**
   * Digest of the MADRHAS rows last applied in full, then the stamp of the directory revision and
   * scope they were checked against (app/sync/stream.ts); cleared by trigger on any later change (migration 0003).
   */
  syncDigest: string | null;
  /** The values the account was last synced from (JSON; domain/account-plan.ts nextBase): the merge's base (migration 0008). */
  madrhasBase: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface CorrespondentScopeTable {
  accountId: number;
  departement: string;
}

export interface StructureTable {
  id: Id;
  idType: IdentifierType;
  identifier: string;
  companyName: string;
  ediSender: Flag;
  ediReceiver: Flag;
  managesPaymentStatus: Flag;
  managesCommitment: Flag;
  managesService: Flag;
  managesServiceCommitment: Flag;
  isMoa: Flag;
  isMoaOnly: Flag;
  active: Flag;
  address: string | null;
  addressComplement1: string | null;
  addressComplement2: string | null;
  postalCode: string | null;
  city: string | null;
  phone: string | null;
  email: string | null;
  countryCode: string | null;
  countryLabel: string | null;
  /** Derived from the postal code when the structure is written (SPEC 6). */
  departement: string | null;
  /** Folded name, identifier and services' codes and labels: what free text is matched against. */
  searchKey: string;
  /** Folded name and city, for the filters and the ranking. */
  nameKey: Generated<string>;
  cityKey: Generated<string>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface ServiceTable {
  id: Id;
  structureId: number;
  code: string;
  label: string;
  active: Flag;
  dateStart: string | null;
  dateEnd: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface AttachmentTable {
  id: Id;
  accountId: number;
  structureId: number;
  role: Role;
  status: AttachmentStatus;
  source: Source;
  comment: string | null;
  refusalReason: string | null;
  dateStart: string | null;
  dateEnd: string | null;
  requestedAt: Timestamp | null;
  decidedAt: Timestamp | null;
  decidedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** An attachment limited to some services; none: the whole structure. */
export interface AttachmentServiceTable {
  attachmentId: number;
  serviceId: number;
  status: AttachmentStatus;
}

export interface HabilitationTable {
  id: Id;
  accountId: number;
  structureId: number;
  serviceId: number | null;
  profile: HabilitationProfile;
  status: RequestStatus;
  requestedAt: Timestamp | null;
  decidedAt: Timestamp | null;
  decidedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface SubscriptionTable {
  id: Id;
  accountId: number;
  structureId: number;
  serviceId: number | null;
  space: Space;
  mode: SubscriptionMode;
  status: RequestStatus;
  requestedAt: Timestamp | null;
  decidedAt: Timestamp | null;
  decidedBy: string | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface FileTable {
  id: Id;
  accountId: number;
  designation: string;
  type: FileType;
  name: string;
  size: number;
  mediaType: string;
  sha256: string;
  createdAt: Timestamp;
}

/** A file's bytes, in chunks, so that reading and writing never hold a whole file. */
export interface FileChunkTable {
  fileId: number;
  seq: number;
  data: Buffer;
}

export interface NotificationTable {
  id: Id;
  accountId: number | null;
  structureId: number | null;
  event: string;
  language: Language;
  fromAddress: string;
  toAddress: string;
  subject: string;
  body: string;
  createdAt: Timestamp;
  sentAt: Timestamp | null;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor: string;
  action: string;
  target: string;
  outcome: Outcome;
  changes: string | null;
  runId: number | null;
  /** Why the change was made (`--reason`); null when none was given. */
  reason: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** One batch run (MADRHAS sync, directory import): its audit entries point at it. */
export interface RunTable {
  id: Id;
  kind: string;
  actor: string;
  fileName: string | null;
  fileSha256: string | null;
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  counts: ColumnType<string | null, string | null, string | null>;
  /** SHA-256 of the saved plan this run applied (`sync apply`); unique: a plan applies once. */
  planSha256: ColumnType<string | null, string | null | undefined, string | null>;
  /** The run that reverted this one (`sync revert`). */
  revertedBy: ColumnType<number | null, number | null | undefined, number | null>;
}

/** One account or structure a run changed: the values before and after it (JSON), for `sync show` and `sync revert`. */
export interface RunChangeTable {
  id: Id;
  runId: number;
  /** `account:LOGIN` or `structure:TYPE:ID`, as in the audit log. */
  target: string;
  /** What the run did to it: `created`, `updated`, `reactivated`, `deactivated`. */
  kind: string;
  before: string | null;
  after: string;
}

/** The store's own secret keys (migration 0008): `plan-seal` seals saved sync plans. */
export interface StoreKeyTable {
  name: string;
  value: string;
}

/** One row: the directory's revision, moved by trigger on any structure or service change (migration 0004). */
export interface DirectoryStateTable {
  id: number;
  revision: number;
}

/**
 * The accounts' sync digests as the last sync left them (migration 0009), a row per page of
 * accounts: for the next sync to read at once instead of the whole account table, while that
 * sync's audit entry is the chain's last change (app/sync/digests.ts).
 */
export interface SyncDigestSnapshotTable {
  seq: number;
  /** The run that left them (or found nothing to change since). */
  runId: number;
  /** What the digests' freshness was judged against: the directory's revision and the scope (stream.ts). */
  stamp: string;
  /** The highest account id then. */
  maxId: number;
  /** Four 32-bit words an account: its digest's two halves, its id, its flags (digests.ts). */
  entries: Buffer;
}

export interface Database {
  account: AccountTable;
  correspondentScope: CorrespondentScopeTable;
  structure: StructureTable;
  service: ServiceTable;
  attachment: AttachmentTable;
  attachmentService: AttachmentServiceTable;
  habilitation: HabilitationTable;
  subscription: SubscriptionTable;
  file: FileTable;
  fileChunk: FileChunkTable;
  notification: NotificationTable;
  auditLog: AuditLogTable;
  auditHead: AuditHeadTable;
  run: RunTable;
  runChange: RunChangeTable;
  storeKey: StoreKeyTable;
  directoryState: DirectoryStateTable;
  syncDigestSnapshot: SyncDigestSnapshotTable;
}

/** The tables in an order that respects their foreign keys. */
export const TABLES_IN_ORDER = [
  'account',
  'correspondentScope',
  'structure',
  'service',
  'attachment',
  'attachmentService',
  'habilitation',
  'subscription',
  'file',
  'fileChunk',
  'notification',
  'run',
  'runChange',
  'syncDigestSnapshot',
  'auditLog',
  'auditHead',
  'directoryState',
  'storeKey',
] as const satisfies readonly (keyof Database)[];

/** What a repository runs its queries on: the store, or the use case's transaction. */
export type Db = Kysely<Database> | Transaction<Database>;

export type AccountRow = Selectable<AccountTable>;
export type NewAccount = Insertable<AccountTable>;
export type AccountUpdate = Updateable<AccountTable>;
export type StructureRow = Selectable<StructureTable>;
export type NewStructure = Insertable<StructureTable>;
export type ServiceRow = Selectable<ServiceTable>;
export type NewService = Insertable<ServiceTable>;
export type AttachmentRow = Selectable<AttachmentTable>;
export type AttachmentUpdate = Updateable<AttachmentTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type NewNotification = Insertable<NotificationTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type FileRow = Selectable<FileTable>;
export type NewFile = Insertable<FileTable>;
export type RunRow = Selectable<RunTable>;
export type NewRun = Insertable<RunTable>;
