import { ROLES, type Role } from './enums.js';

/**
 * The sync's three-way merge (SPEC 8.1 "The file is merged, not imposed"). For each MADRHAS
 * account the store keeps its base: the values the file gave it when it was last synced. A value
 * is then decided from three: the base, the store's and the file's.
 *  - file == base: the export did not change it; the store's value stays. When the store changed
 *    it since (a GP transfer, a detach, a correction), that is `keptLocal`.
 *  - file != base: the export changed it; the file's value wins. When the store had changed it
 *    too (to something else), that is `overridden`.
 *  - no base at all (an account synced before migration 0008, or created outside the sync): the
 *    file imposes, as the sync always did, and the base is written for next time.
 * Pure: domain/account-plan.ts planAccount applies it field by field.
 */

/** One attachment as the file gave it: the structure, the role, the dates, the services (sorted ids; none: the whole structure). */
export interface BaseAttachment {
  structureId: number;
  role: Role;
  dateStart: string;
  dateEnd: string | null;
  services: number[];
}

/** What the file gave one account when it was last synced. */
export interface MadrhasBase {
  title: string | null;
  lastName: string;
  firstName: string;
  email: string;
  phone: string | null;
  status: 'ACTIF' | 'INACTIF';
  attachments: BaseAttachment[];
}

/** The base had no value here: an attachment the base did not list (while the account has a base). */
export const ABSENT: unique symbol = Symbol('absent');

export type MergeKind = 'same' | 'file' | 'keptLocal' | 'overridden';

export interface Merged<T> {
  value: T;
  /** same: store and result agree, nothing to note; file: the file's change applies; keptLocal, overridden: see above. */
  kind: MergeKind;
}

/**
 * Merges one value. `base` undefined: the account has no base (the file imposes, nothing is
 * counted); `ABSENT`: the base has the account but not this value (an attachment it did not list).
 */
export function merge3<T>(
  base: T | typeof ABSENT | undefined,
  store: T,
  file: T,
  eq: (a: T, b: T) => boolean = Object.is,
): Merged<T> {
  if (base === undefined) return { value: file, kind: eq(store, file) ? 'same' : 'file' };
  const fileChanged = base === ABSENT || !eq(file, base);
  if (!fileChanged) return { value: store, kind: eq(store, base) ? 'same' : 'keptLocal' };
  if (eq(store, file)) return { value: file, kind: 'same' };
  const storeChanged = base === ABSENT || !eq(store, base);
  return { value: file, kind: storeChanged ? 'overridden' : 'file' };
}

/** Two sets of ids, in any order. */
export function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  return x.every((v, i) => v === y[i]);
}

// ---- the stored form: compact JSON (written for every account of a million-row load) ----------

type StoredAttachment = [number, number, string, string | null, number[]];
/** Title, last name, first name, e-mail (0: the login, most often: not written twice), phone, active, attachments. */
type Stored = [string | null, string, string, string | 0, string | null, 0 | 1, StoredAttachment[]];

/**
 * The base of the account `login` as stored in `account.madrhas_base`: an array, roles by index,
 * attachments by structure id, the e-mail as 0 when it is the login.
 */
export function encodeBase(b: MadrhasBase, login: string): string {
  const stored: Stored = [
    b.title,
    b.lastName,
    b.firstName,
    b.email === login ? 0 : b.email,
    b.phone,
    b.status === 'ACTIF' ? 1 : 0,
    [...b.attachments]
      .sort((x, y) => x.structureId - y.structureId)
      .map((a) => [
        a.structureId,
        ROLES.indexOf(a.role),
        a.dateStart,
        a.dateEnd,
        [...a.services].sort((p, q) => p - q),
      ]),
  ];
  return JSON.stringify(stored);
}

/** The stored base of the account `login`, or null when there is none (or it cannot be read: the file then imposes once). */
export function decodeBase(text: string | null | undefined, login: string): MadrhasBase | null {
  if (!text) return null;
  try {
    const s = JSON.parse(text) as Stored;
    if (!Array.isArray(s) || s.length !== 7 || !Array.isArray(s[6])) return null;
    return {
      title: s[0],
      lastName: s[1],
      firstName: s[2],
      email: s[3] === 0 ? login : s[3],
      phone: s[4],
      status: s[5] === 1 ? 'ACTIF' : 'INACTIF',
      attachments: s[6].map(([structureId, role, dateStart, dateEnd, services]) => ({
        structureId,
        role: ROLES[role] ?? 'UTILISATEUR',
        dateStart,
        dateEnd,
        services,
      })),
    };
  } catch {
    return null;
  }
}

/** The structures the base makes this account the GP of. */
export function baseGpStructures(b: MadrhasBase | null): Set<number> {
  return new Set(
    (b?.attachments ?? [])
      .filter((a) => a.role === 'GESTIONNAIRE_PRINCIPAL')
      .map((a) => a.structureId),
  );
}
