import { z } from 'zod';
import type { AccountStatus, Civilite, Language } from './enums.js';
import * as f from './fields.js';

/** The personal data of an account: everything its holder may edit (all but the login). */
export interface PersonalData {
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
  country: string;
  language: Language;
  notifyBilling: boolean;
  notifyNews: boolean;
}

export type PersonalPatch = Partial<PersonalData>;

/**
 * An optional field that `''` clears. A bare union reports only zod's untranslated "Invalid
 * input", so the field's own message (a catalogue key) is passed up instead.
 */
const clearable = <T extends z.ZodType>(schema: T) =>
  z.union([z.literal(''), schema], {
    error: (iss) => (iss.code === 'invalid_union' ? iss.errors[1]?.[0]?.message : undefined),
  });

/**
 * The edit options, keyed as the command line names them (SPEC 7), validated and mapped to
 * the account's fields. An empty string clears an optional field.
 */
export const personalPatchSchema = z
  .object({
    email: f.email.optional(),
    civilite: clearable(f.civilite).optional(),
    nom: f.personName.optional(),
    prenom: f.personName.optional(),
    telephone: clearable(f.phone).optional(),
    mobile: clearable(f.phone).optional(),
    adresse: clearable(f.addressLine).optional(),
    complement: f.optionalLine.optional(),
    codePostal: z.string().optional(),
    ville: clearable(f.city).optional(),
    pays: f.country.optional(),
    langue: f.language.optional(),
    notifFacturation: f.onOff.optional(),
    notifActualite: f.onOff.optional(),
  })
  .strict();

export type PersonalPatchInput = z.input<typeof personalPatchSchema>;

const empty = (s: string | undefined) => (s === undefined ? undefined : s === '' ? null : s);

/** Maps validated command-line options to a patch of the account's fields (undefined = untouched). */
export function toPersonalPatch(o: z.output<typeof personalPatchSchema>): PersonalPatch {
  const patch: PersonalPatch = {
    email: o.email,
    title: empty(o.civilite) as Civilite | null | undefined,
    lastName: o.nom,
    firstName: o.prenom,
    phone: empty(o.telephone),
    mobile: empty(o.mobile),
    address: empty(o.adresse),
    addressComplement: empty(o.complement),
    postalCode: empty(o.codePostal),
    city: empty(o.ville),
    country: o.pays,
    language: o.langue,
    notifyBilling: o.notifFacturation,
    notifyNews: o.notifActualite,
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

/**
 * The postal code's format depends on the country (5 digits in France), so it is checked
 * against the account as it will be, after the patch. Returns the normalised code or null.
 */
export function checkPostalCode(
  code: string,
  country: string,
): { ok: true; value: string } | { ok: false } {
  const schema = country === 'FR' ? f.postalCodeFr : f.postalCodeAny;
  const r = schema.safeParse(code);
  return r.success ? { ok: true, value: r.data } : { ok: false };
}

/** The fields the first-login step (`account complete`) requires. */
export const COMPLETION_FIELDS = [
  'email',
  'lastName',
  'firstName',
  'address',
  'postalCode',
  'city',
] as const;

export function missingForCompletion(
  data: Partial<PersonalData>,
): (typeof COMPLETION_FIELDS)[number][] {
  return COMPLETION_FIELDS.filter(
    (k) => data[k] === null || data[k] === undefined || data[k] === '',
  );
}

/** The fields of `patch` whose value differs from `current`, as before/after pairs for the audit log. */
export function diff<T extends object>(
  current: T,
  patch: Partial<T>,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const [k, after] of Object.entries(patch)) {
    const before = (current as Record<string, unknown>)[k];
    if (after !== undefined && before !== after) changes[k] = { before: before ?? null, after };
  }
  return changes;
}

/** Lower-case, accent-free text that `account list --search` matches the same way on every store. */
export function searchKey(...parts: (string | null | undefined)[]): string {
  const text = parts.filter((p): p is string => !!p).join(' ');
  // ASCII has nothing to decompose and no mark: most logins and names (a first load makes 800,000)
  let i = 0;
  while (i < text.length && text.charCodeAt(i) < 0x80) i++;
  if (i === text.length) return text.toLowerCase();
  if (text.length > 1000) return fold(text); // a search typed or pasted: no array of its codes
  // Latin letters, a table of what the full folding makes of each: 0.8 µs a key against 1.9
  // (800,000 names, a third of them accented); another character folds the whole text
  const latin = (LATIN ??= latinTable());
  const codes = new Array<number>(text.length);
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= latin.length) return fold(text);
    codes[k] = latin[c]!;
  }
  return String.fromCharCode(...codes).toLowerCase();
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * What `fold` makes of each character below U+0250 (Latin-1, Latin Extended-A and -B) before it
 * lower-cases: its letter without the marks, always one code unit. No mark lies below U+0300,
 * so a text of these characters alone folds a character at a time.
 */
let LATIN: Uint16Array | undefined; // made when first needed (1 ms: not at every command's start)
const latinTable = () =>
  Uint16Array.from({ length: 0x250 }, (_, c) =>
    String.fromCharCode(c).normalize('NFD').replace(/\p{M}/gu, '').charCodeAt(0),
  );

/** Account life cycle: which status change each correspondent action makes, from which status. */
export const ACCOUNT_TRANSITIONS = {
  deactivate: { from: ['ACTIF'], to: 'INACTIF' },
  reactivate: { from: ['INACTIF'], to: 'ACTIF' },
  delete: { from: ['ACTIF', 'INACTIF'], to: 'SUPPRIME' },
} as const satisfies Record<string, { from: readonly AccountStatus[]; to: AccountStatus }>;

export type AccountTransition = keyof typeof ACCOUNT_TRANSITIONS;

/** The command-line option that sets each field (SPEC 7), to name it in error messages. */
export const OPTION_OF: Record<keyof PersonalData, string> = {
  title: '--civilite',
  lastName: '--nom',
  firstName: '--prenom',
  email: '--email',
  phone: '--telephone',
  mobile: '--mobile',
  address: '--adresse',
  addressComplement: '--complement',
  postalCode: '--code-postal',
  city: '--ville',
  country: '--pays',
  language: '--langue',
  notifyBilling: '--notif-facturation',
  notifyNews: '--notif-actualite',
};
