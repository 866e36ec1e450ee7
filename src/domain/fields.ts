import { z } from 'zod';
import { CIVILITES, LANGUAGES } from './enums.js';

/**
 * Field schemas shared by every boundary (command options, CSV rows).
 * Error messages are catalogue keys (`validation.*`); the renderer translates them.
 */

const collapse = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ');

export const email = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.email({ error: 'validation.email' }).max(254, { error: 'validation.email' }));

/** Logins are e-mail addresses; compared lower-cased so `Jean@X.fr` and `jean@x.fr` are one account. */
export const login = email;

const NAME = /^[\p{L}][\p{L}\p{M} .'’-]*$/u;
export const personName = z
  .string()
  .transform(collapse)
  .pipe(
    z
      .string()
      .min(1, { error: 'validation.required', abort: true })
      .max(100, { error: 'validation.tooLong100' })
      .regex(NAME, { error: 'validation.name' }),
  );

export const civilite = z
  .string()
  .transform((s) => {
    const v = s.trim().toLowerCase().replace(/\.$/, '');
    if (v === 'm' || v === 'monsieur') return 'M.';
    if (v === 'mme' || v === 'madame') return 'Mme';
    return s.trim();
  })
  .pipe(z.enum(CIVILITES, { error: 'validation.civilite' }));

const WRITTEN = /^0[1-9](?: \d{2}){4}$/;
const DIGITS = /^\+?\d+$/;

/** Overseas départements share the French 10-digit plan: +262 262 12 34 56 is 0262 12 34 56. */
const FRENCH_COUNTRY_CODES = ['33', '262', '590', '594', '596'];

/**
 * Reads a phone number in the usual French ways (`05 56 12 34 56`, `05.56.12.34.56`,
 * `+33 5 56 12 34 56`, `0033556123456`, `+33 (0)5…`) into `05 56 12 34 56`; another country's
 * number stays international, compacted (`+687 123456` → `+687123456`). Null when unreadable.
 */
export function normalisePhone(raw: string): string | null {
  if (WRITTEN.test(raw)) return raw; // already as we write it
  let s = DIGITS.test(raw)
    ? raw
    : raw
        .trim()
        .replace(/\(0\)/g, '')
        .replace(/[\s.\-()/]/g, '');
  if (s.startsWith('00')) s = '+' + s.slice(2);
  if (s.startsWith('+')) {
    const digits = s.slice(1);
    if (!/^\d{8,15}$/.test(digits)) return null;
    const cc = FRENCH_COUNTRY_CODES.find(
      (c) => digits.startsWith(c) && digits.length - c.length === 9,
    );
    if (cc === undefined) return digits.startsWith('33') ? null : '+' + digits;
    s = '0' + digits.slice(cc.length);
  }
  if (!/^0[1-9]\d{8}$/.test(s)) return null;
  return `${s.slice(0, 2)} ${s.slice(2, 4)} ${s.slice(4, 6)} ${s.slice(6, 8)} ${s.slice(8)}`;
}

export const phone = z.string().transform((raw, ctx) => {
  const n = normalisePhone(raw);
  if (n === null) {
    ctx.addIssue({ code: 'custom', message: 'validation.phone', input: raw });
    return z.NEVER;
  }
  return n;
});

export const postalCodeFr = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().regex(/^\d{5}$/, { error: 'validation.postalCode' }));

/** Foreign postal codes are free-form, within reason. */
export const postalCodeAny = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9 -]{0,9}$/, { error: 'validation.postalCode' }));

export const country = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, { error: 'validation.country' }));

export const addressLine = z
  .string()
  .transform(collapse)
  .pipe(
    z
      .string()
      .min(1, { error: 'validation.required', abort: true })
      .max(200, { error: 'validation.tooLong200' }),
  );

export const optionalLine = z
  .string()
  .transform(collapse)
  .pipe(z.string().max(200, { error: 'validation.tooLong200' }));

export const city = z
  .string()
  .transform(collapse)
  .pipe(
    z
      .string()
      .min(1, { error: 'validation.required', abort: true })
      .max(100, { error: 'validation.tooLong100' }),
  );

export const language = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(LANGUAGES, { error: 'validation.language' }));

const ON = new Set(['on', 'oui', 'true', '1', 'yes']);
const OFF = new Set(['off', 'non', 'false', '0', 'no']);
export const onOff = z.string().transform((raw, ctx) => {
  const v = raw.trim().toLowerCase();
  if (ON.has(v)) return true;
  if (OFF.has(v)) return false;
  ctx.addIssue({ code: 'custom', message: 'validation.onOff', input: raw });
  return z.NEVER;
});

/**
 * The largest whole number the stores keep in a row's key or take as a count: PostgreSQL's
 * `integer`. A number above it names no row, and one past it makes the query itself fail.
 */
export const MAX_INT = 2_147_483_647;

/** A row's number as typed (`12`): digits only, 1 to MAX_INT. */
export const rowId = z
  .string()
  .regex(/^\d+$/, { error: 'validation.positiveInt' })
  .transform(Number)
  .pipe(
    z
      // so many digits that the number is Infinity
      .number({ error: 'validation.tooLarge' })
      .min(1, { error: 'validation.positiveInt' })
      .max(MAX_INT, { error: 'validation.tooLarge' }),
  );

/** A count (`--limit`, `--page`): a whole number from 0 to MAX_INT, as typed or already a number. */
export const count = z.coerce
  .number({ error: 'validation.positiveInt' })
  .int({ error: 'validation.positiveInt' })
  .min(0, { error: 'validation.positiveInt' })
  .max(MAX_INT, { error: 'validation.tooLarge' });

/** A date typed as `JJ/MM/AAAA` or `AAAA-MM-JJ` (SPEC 7), returned as `AAAA-MM-JJ`; null if it does not exist. */
export function parseDate(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[3]), Number(m[2]), Number(m[1])];
  else if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)))
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return null;
  return date.toISOString().slice(0, 10);
}

export const date = z.string().transform((raw, ctx) => {
  const d = parseDate(raw);
  if (d === null) {
    ctx.addIssue({ code: 'custom', message: 'validation.date', input: raw });
    return z.NEVER;
  }
  return d;
});

/** A date given as a lower bound for a search (`--since`): a date or a full ISO timestamp. */
export const since = z.string().transform((raw, ctx) => {
  const d = parseDate(raw);
  if (d !== null) return d + 'T00:00:00.000Z';
  const t = new Date(raw.trim());
  if (/^\d{4}-\d{2}-\d{2}T/.test(raw.trim()) && !Number.isNaN(t.getTime())) return t.toISOString();
  ctx.addIssue({ code: 'custom', message: 'validation.date', input: raw });
  return z.NEVER;
});
