import { z } from 'zod';
import { IDENTIFIER_TYPES, ROLES, type Civilite, type IdentifierType, type Role } from './enums.js';
import { normalisePhone, parseDate } from './fields.js';
import { checkIdentifier } from './identifiers.js';
import { checkServiceCode, type RowIssue, type RowResult } from './structure.js';

/**
 * The MADRHAS export (SPEC 8.1): one row per account × structure × service. This module reads
 * one row into checked values, and says how many accounts a run may deactivate; what the sync
 * does to one account is domain/account-plan.ts. Pure: app/sync/madrhas.ts streams, stages and
 * writes.
 */

export const MADRHAS_COLUMNS = [
  { name: 'IDENTIFIANT_CONNEXION', required: true },
  { name: 'CIVILITE', required: false },
  { name: 'NOM', required: true },
  { name: 'PRENOM', required: true },
  { name: 'COURRIEL_CONTACT', required: true },
  { name: 'TELEPHONE', required: false },
  { name: 'TYPE_IDENTIFIANT_STRUCTURE', required: false },
  { name: 'IDENTIFIANT_STRUCTURE', required: true },
  { name: 'CODE_SERVICE', required: false },
  { name: 'ROLE', required: false },
  { name: 'DATE_DEBUT', required: true },
  { name: 'DATE_FIN', required: false },
  { name: 'STATUT_COMPTE', required: false },
] as const;

export interface MadrhasRow {
  login: string;
  title: Civilite | null;
  lastName: string;
  firstName: string;
  email: string;
  phone: string | null;
  idType: IdentifierType;
  identifier: string;
  /** null: the whole structure. */
  serviceCode: string | null;
  role: Role;
  dateStart: string;
  dateEnd: string | null;
  accountStatus: 'ACTIF' | 'INACTIF';
}

const EMAIL = z.regexes.email;
const NAME = /^[\p{L}][\p{L}\p{M} .'’-]*$/u;
const collapse = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ');

function readEmail(raw: string): string | null {
  const v = raw.trim().toLowerCase();
  return v.length <= 254 && EMAIL.test(v) ? v : null;
}

function readTitle(raw: string): Civilite | null | false {
  const v = raw.trim().toLowerCase().replace(/\.$/, '');
  if (v === '') return null;
  if (v === 'm' || v === 'monsieur') return 'M.';
  if (v === 'mme' || v === 'madame') return 'Mme';
  return false;
}

/** A row's cells by SPEC column name (a Map, or a view over the record's fields). */
export interface Cells {
  get(column: string): string | undefined;
}

/**
 * Dates repeat across an export (a few thousand distinct values in a million rows): parsed once
 * each. Bounded: cleared when full.
 */
const dates = new Map<string, string | null>();
function readDate(raw: string): string | null {
  let d = dates.get(raw);
  if (d === undefined) {
    if (dates.size >= 50_000) dates.clear();
    dates.set(raw, (d = parseDate(raw)));
  }
  return d;
}

/** Checks one row; every problem is reported with its column (SPEC 8: all reasons). */
export function parseMadrhasRow(cells: Cells): RowResult<MadrhasRow> {
  const issues: RowIssue[] = [];
  const get = (c: string) => cells.get(c) ?? '';

  const login = readEmail(get('IDENTIFIANT_CONNEXION'));
  if (login === null)
    issues.push({
      column: 'IDENTIFIANT_CONNEXION',
      message: get('IDENTIFIANT_CONNEXION').trim() === '' ? 'row.required' : 'row.email',
      params: { value: get('IDENTIFIANT_CONNEXION') },
    });
  const title = readTitle(get('CIVILITE'));
  if (title === false)
    issues.push({
      column: 'CIVILITE',
      message: 'row.civilite',
      params: { value: get('CIVILITE') },
    });
  const names = (['NOM', 'PRENOM'] as const).map((c) => {
    const v = collapse(get(c));
    if (v === '') issues.push({ column: c, message: 'row.required' });
    else if (v.length > 100)
      issues.push({ column: c, message: 'row.tooLong', params: { max: 100 } });
    else if (!NAME.test(v)) issues.push({ column: c, message: 'row.name', params: { value: v } });
    return v;
  });
  const email = readEmail(get('COURRIEL_CONTACT'));
  if (email === null)
    issues.push({
      column: 'COURRIEL_CONTACT',
      message: get('COURRIEL_CONTACT').trim() === '' ? 'row.required' : 'row.email',
      params: { value: get('COURRIEL_CONTACT') },
    });
  let phone: string | null = null;
  if (get('TELEPHONE').trim() !== '') {
    phone = normalisePhone(get('TELEPHONE'));
    if (phone === null)
      issues.push({
        column: 'TELEPHONE',
        message: 'row.phone',
        params: { value: get('TELEPHONE') },
      });
  }

  const typeText = get('TYPE_IDENTIFIANT_STRUCTURE').trim().toUpperCase() || 'SIRET';
  const idType = (IDENTIFIER_TYPES as readonly string[]).includes(typeText)
    ? (typeText as IdentifierType)
    : null;
  let identifier = '';
  let padded = false;
  if (idType === null)
    issues.push({
      column: 'TYPE_IDENTIFIANT_STRUCTURE',
      message: 'row.idType',
      params: { value: get('TYPE_IDENTIFIANT_STRUCTURE') },
    });
  else {
    const check = checkIdentifier(idType, get('IDENTIFIANT_STRUCTURE'));
    if (check.ok) ({ value: identifier, padded } = check);
    else
      issues.push({
        column: 'IDENTIFIANT_STRUCTURE',
        message: check.reason,
        params: { value: get('IDENTIFIANT_STRUCTURE') },
      });
  }
  let serviceCode: string | null = null;
  if (get('CODE_SERVICE').trim() !== '') {
    serviceCode = checkServiceCode(get('CODE_SERVICE'));
    if (serviceCode === null) issues.push({ column: 'CODE_SERVICE', message: 'row.serviceCode' });
  }
  const roleText = get('ROLE').trim().toUpperCase() || 'UTILISATEUR';
  const role = (ROLES as readonly string[]).includes(roleText) ? (roleText as Role) : null;
  if (role === null)
    issues.push({ column: 'ROLE', message: 'row.role', params: { value: get('ROLE') } });

  const dateStart = get('DATE_DEBUT').trim() === '' ? null : readDate(get('DATE_DEBUT'));
  if (dateStart === null)
    issues.push({
      column: 'DATE_DEBUT',
      message: get('DATE_DEBUT').trim() === '' ? 'row.required' : 'row.date',
      params: { value: get('DATE_DEBUT') },
    });
  let dateEnd: string | null = null;
  if (get('DATE_FIN').trim() !== '') {
    dateEnd = readDate(get('DATE_FIN'));
    if (dateEnd === null)
      issues.push({ column: 'DATE_FIN', message: 'row.date', params: { value: get('DATE_FIN') } });
    else if (dateStart !== null && dateEnd < dateStart)
      issues.push({
        column: 'DATE_FIN',
        message: 'row.dateOrder',
        params: { start: dateStart, end: dateEnd },
      });
  }
  const statusText = get('STATUT_COMPTE').trim().toUpperCase() || 'ACTIF';
  const accountStatus = statusText === 'ACTIF' || statusText === 'INACTIF' ? statusText : null;
  if (accountStatus === null)
    issues.push({
      column: 'STATUT_COMPTE',
      message: 'row.accountStatus',
      params: { value: get('STATUT_COMPTE') },
    });

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    padded,
    value: {
      login: login!,
      title: title as Civilite | null,
      lastName: names[0]!,
      firstName: names[1]!,
      email: email!,
      phone,
      idType: idType!,
      identifier,
      serviceCode,
      role: role!,
      dateStart: dateStart!,
      dateEnd,
      accountStatus: accountStatus!,
    },
  };
}

/** What must agree across an account's rows (SPEC 8.1): its personal fields and its status. */
export function personalFingerprint(r: MadrhasRow): string {
  return [r.title ?? '', r.lastName, r.firstName, r.email, r.phone ?? '', r.accountStatus].join(
    '\u001f',
  );
}

/** The fewest accounts a percentage lets a run deactivate: a small département is not frozen. */
export const MIN_DEACTIVATIONS = 3;

/**
 * `--max-deactivations N|P%` (SPEC 8.1, default 10%): the most accounts a run may deactivate,
 * out of the MADRHAS accounts in scope. A percentage never allows fewer than 3 accounts (below
 * 30 accounts, 10% would refuse every deactivation); `0%` and a count (`0`, `50`) mean what they
 * say. Null when the text is not a count or a percentage.
 */
export function deactivationLimit(text: string, accountsInScope: number): number | null {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]!.replace(',', '.'));
  if (m[2] === '%') {
    if (n > 100) return null;
    return n === 0 ? 0 : Math.max(MIN_DEACTIVATIONS, Math.floor((accountsInScope * n) / 100));
  }
  return Number.isInteger(n) ? n : null;
}
