import { departementOf } from './departement.js';
import { IDENTIFIER_TYPES, type IdentifierType } from './enums.js';
import { parseDate } from './fields.js';
import { checkIdentifier } from './identifiers.js';
import { fold } from './text.js';

/**
 * The rows of the public directory (SPEC 8.2) and of its services (SPEC 8.3): which columns
 * exist, and how one row becomes the values the store keeps — or the reasons it is rejected.
 * Pure: the importers (app/structure-import.ts) stream the file and write the batches.
 */

export interface RowIssue {
  /** The column as SPEC 8 names it. */
  column: string;
  /** A catalogue key. */
  message: string;
  params?: Record<string, string | number>;
}

export type RowResult<T> =
  { ok: true; value: T; padded: boolean } | { ok: false; issues: RowIssue[] };

/** A row as read: the value of each column the file has, by its SPEC name; absent columns are missing. */
export type RowCells = ReadonlyMap<string, string>;

const FLAG_TRUE = new Set(['true', '1', 'oui', 'o', 'vrai', 'yes', 'y']);
const FLAG_FALSE = new Set(['false', '0', 'non', 'n', 'faux', 'no']);

/** `true/false`, `1/0`, `oui/non` (SPEC 8) as 1/0; empty is `fallback`; anything else null. */
export function readFlag(raw: string, fallback: 0 | 1): 0 | 1 | null {
  const v = raw.trim().toLowerCase();
  if (v === '') return fallback;
  if (FLAG_TRUE.has(v)) return 1;
  if (FLAG_FALSE.has(v)) return 0;
  return null;
}

/** Directory columns (SPEC 8.2) → store fields; flags with the value an empty cell takes. */
export const STRUCTURE_FLAGS = {
  EmetteurEdi: ['ediSender', 0],
  RecepteurEdi: ['ediReceiver', 0],
  GestionStatutMiseEnPaiement: ['managesPaymentStatus', 0],
  GestionEngagement: ['managesCommitment', 0],
  GestionService: ['managesService', 0],
  GestionServiceEngagement: ['managesServiceCommitment', 0],
  EstMOA: ['isMoa', 0],
  EstMOAUniquement: ['isMoaOnly', 0],
  StructureActive: ['active', 1],
} as const;

export const STRUCTURE_TEXTS = {
  Adresse: ['address', 200],
  ComplementAdresse1: ['addressComplement1', 200],
  ComplementAdresse2: ['addressComplement2', 200],
  Ville: ['city', 100],
  NumTelephone: ['phone', 30],
  Courriel: ['email', 200],
  CodePays: ['countryCode', 3],
  LibellePays: ['countryLabel', 100],
} as const;

export const STRUCTURE_COLUMNS = [
  { name: 'TypeIdentifiant', required: false },
  { name: 'Identifiant', required: true },
  { name: 'RaisonSociale', required: true },
  ...Object.keys(STRUCTURE_FLAGS).map((name) => ({ name, required: false })),
  ...Object.keys(STRUCTURE_TEXTS).map((name) => ({ name, required: false })),
  { name: 'CodePostal', required: false },
] as const;

type FlagField = (typeof STRUCTURE_FLAGS)[keyof typeof STRUCTURE_FLAGS][0];
type TextField = (typeof STRUCTURE_TEXTS)[keyof typeof STRUCTURE_TEXTS][0];

/** A directory row as the store keeps it. Fields of columns the file lacks are absent: left as they are. */
export type StructureValues = {
  idType: IdentifierType;
  identifier: string;
  companyName: string;
} & Partial<Record<FlagField, 0 | 1>> &
  Partial<Record<TextField, string | null>> & {
    postalCode?: string | null;
    departement?: string | null;
  };

export function readIdType(raw: string | undefined): IdentifierType | null {
  const v = (raw ?? '').trim().toUpperCase();
  if (v === '') return 'SIRET';
  return (IDENTIFIER_TYPES as readonly string[]).includes(v) ? (v as IdentifierType) : null;
}

/** The identifying pair of a row, shared by the directory and services (TypeIdentifiant, Identifiant). */
function readKey(
  cells: RowCells,
  issues: RowIssue[],
): { idType: IdentifierType; identifier: string; padded: boolean } | null {
  const idType = readIdType(cells.get('TypeIdentifiant'));
  if (idType === null) {
    issues.push({
      column: 'TypeIdentifiant',
      message: 'row.idType',
      params: { value: cells.get('TypeIdentifiant') ?? '' },
    });
    return null;
  }
  const check = checkIdentifier(idType, cells.get('Identifiant') ?? '');
  if (!check.ok) {
    issues.push({
      column: 'Identifiant',
      message: check.reason,
      params: { value: cells.get('Identifiant') ?? '' },
    });
    return null;
  }
  return { idType, identifier: check.value, padded: check.padded };
}

const empty = (s: string | undefined) =>
  s === undefined ? undefined : s.trim() === '' ? null : s.trim();

/** Countries whose postal codes are French ones (overseas territories have ISO codes of their own). */
const FRENCH_POSTAL = new Set([
  'FR',
  'GP',
  'MQ',
  'GF',
  'RE',
  'YT',
  'PM',
  'BL',
  'MF',
  'WF',
  'PF',
  'NC',
  'TF',
  'MC',
]);

/**
 * The département a structure is in (SPEC 6), computed here once and stored with it: the one
 * of its French postal code; null (the scope `*` only) outside France or without a postal
 * code. A German 33100 is not in Gironde. An absent country is France's.
 */
export function structureDepartement(
  postalCode: string | null | undefined,
  countryCode: string | null | undefined,
): string | null {
  if (countryCode && !FRENCH_POSTAL.has(countryCode.toUpperCase())) return null;
  return departementOf(postalCode);
}

/** A French postal code that lost its leading zero in a spreadsheet (`1000`) is padded back. */
export function readPostalCode(
  raw: string,
  countryCode: string | null | undefined,
): string | null | false {
  const v = raw.trim();
  if (v === '') return null;
  const french = !countryCode || FRENCH_POSTAL.has(countryCode.toUpperCase());
  if (!french) return v.length <= 10 ? v : false;
  if (/^\d{4}$/.test(v)) return '0' + v;
  return /^\d{5}$/.test(v) ? v : false;
}

export function parseStructureRow(cells: RowCells): RowResult<StructureValues> {
  const issues: RowIssue[] = [];
  const key = readKey(cells, issues);
  const companyName = (cells.get('RaisonSociale') ?? '').trim();
  if (companyName === '') issues.push({ column: 'RaisonSociale', message: 'row.required' });
  else if (companyName.length > 200)
    issues.push({ column: 'RaisonSociale', message: 'row.tooLong', params: { max: 200 } });

  const values: Record<string, unknown> = {};
  for (const [column, [field, fallback]] of Object.entries(STRUCTURE_FLAGS)) {
    const raw = cells.get(column);
    if (raw === undefined) continue;
    const flag = readFlag(raw, fallback);
    if (flag === null) issues.push({ column, message: 'row.flag', params: { value: raw } });
    else values[field] = flag;
  }
  for (const [column, [field, max]] of Object.entries(STRUCTURE_TEXTS)) {
    const v = empty(cells.get(column));
    if (v === undefined) continue;
    if (v !== null && v.length > max)
      issues.push({ column, message: 'row.tooLong', params: { max } });
    else values[field] = field === 'countryCode' && v ? v.toUpperCase() : v;
  }
  if (typeof values.email === 'string' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email))
    issues.push({ column: 'Courriel', message: 'row.email', params: { value: values.email } });
  const postal = cells.get('CodePostal');
  if (postal !== undefined) {
    const code = readPostalCode(postal, values.countryCode as string | null | undefined);
    if (code === false)
      issues.push({ column: 'CodePostal', message: 'row.postalCode', params: { value: postal } });
    else {
      values.postalCode = code;
      values.departement = structureDepartement(code, values.countryCode as string | null);
    }
  }
  if (issues.length > 0 || !key) return { ok: false, issues };
  return {
    ok: true,
    value: {
      ...(values as Partial<StructureValues>),
      idType: key.idType,
      identifier: key.identifier,
      companyName,
    },
    padded: key.padded,
  };
}

export const SERVICE_COLUMNS = [
  { name: 'TypeIdentifiant', required: false },
  { name: 'Identifiant', required: true },
  { name: 'CodeService', required: true },
  { name: 'LibelleService', required: true },
  { name: 'Actif', required: false },
  { name: 'DateDebut', required: false },
  { name: 'DateFin', required: false },
] as const;

export interface ServiceValues {
  idType: IdentifierType;
  identifier: string;
  code: string;
  label?: string;
  active?: 0 | 1;
  dateStart?: string | null;
  dateEnd?: string | null;
}

/** A service code: 1–100 printable characters, kept as written (codes are matched exactly). */
export function checkServiceCode(raw: string): string | null {
  const v = raw.trim();
  return v !== '' && v.length <= 100 && !/[\p{Cc}\p{Cf}]/u.test(v) ? v : null;
}

export function parseServiceRow(cells: RowCells): RowResult<ServiceValues> {
  const issues: RowIssue[] = [];
  const key = readKey(cells, issues);
  const code = checkServiceCode(cells.get('CodeService') ?? '');
  if (code === null)
    issues.push({
      column: 'CodeService',
      message: (cells.get('CodeService') ?? '').trim() === '' ? 'row.required' : 'row.serviceCode',
    });
  const label = (cells.get('LibelleService') ?? '').trim();
  if (label === '') issues.push({ column: 'LibelleService', message: 'row.required' });
  else if (label.length > 200)
    issues.push({ column: 'LibelleService', message: 'row.tooLong', params: { max: 200 } });
  const value: Partial<ServiceValues> = { label };
  const actif = cells.get('Actif');
  if (actif !== undefined) {
    const flag = readFlag(actif, 1);
    if (flag === null)
      issues.push({ column: 'Actif', message: 'row.flag', params: { value: actif } });
    else value.active = flag;
  }
  for (const [column, field] of [
    ['DateDebut', 'dateStart'],
    ['DateFin', 'dateEnd'],
  ] as const) {
    const raw = cells.get(column);
    if (raw === undefined) continue;
    if (raw.trim() === '') value[field] = null;
    else {
      const d = parseDate(raw);
      if (d === null) issues.push({ column, message: 'row.date', params: { value: raw } });
      else value[field] = d;
    }
  }
  if (value.dateStart && value.dateEnd && value.dateEnd < value.dateStart)
    issues.push({
      column: 'DateFin',
      message: 'row.dateOrder',
      params: { start: value.dateStart, end: value.dateEnd },
    });
  if (issues.length > 0 || !key || code === null) return { ok: false, issues };
  return {
    ok: true,
    value: { ...value, idType: key.idType, identifier: key.identifier, code },
    padded: key.padded,
  };
}

/** The text a structure is found by: its name, its identifier, and its services' codes and labels. */
export function structureSearchKey(
  s: { identifier: string; companyName: string },
  services: readonly { code: string; label: string }[] = [],
): string {
  const parts = [s.companyName, s.identifier];
  for (const sv of [...services].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)))
    parts.push(sv.code, sv.label);
  return fold(parts.join(' '));
}
