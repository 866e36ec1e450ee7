import type { IdentifierType } from './enums.js';

/**
 * Structure identifiers (SPEC 3): SIRET (Luhn over the 14 digits and over the SIREN, with La
 * Poste's exception), RIDET, TAHITI, and the free-text types. Pure functions returning the
 * canonical form the store keeps, or the catalogue key of what is wrong.
 */

export type IdentifierCheck =
  | { ok: true; value: string; /** a SIRET that had lost its leading zeros */ padded: boolean }
  | {
      ok: false;
      reason:
        | 'identifier.siret'
        | 'identifier.ridet'
        | 'identifier.tahiti'
        | 'identifier.free'
        | 'identifier.required';
    };

/** Luhn's checksum over a string of digits. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const LA_POSTE = '356000000';
const LA_POSTE_HEAD_OFFICE = '35600000000048';

/** A 14-digit SIRET: Luhn over the SIRET and its SIREN, or La Poste's rule (digit sum a multiple of 5). */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE) && siret !== LA_POSTE_HEAD_OFFICE) {
    let sum = 0;
    for (const c of siret) sum += c.charCodeAt(0) - 48;
    return sum % 5 === 0;
  }
  return luhn(siret) && luhn(siret.slice(0, 9));
}

const compact = (s: string) => s.replace(/[\s.-]/g, '');

export function checkIdentifier(type: IdentifierType, raw: string): IdentifierCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'identifier.required' };
  switch (type) {
    case 'SIRET': {
      const digits = compact(text);
      if (!/^\d{1,14}$/.test(digits)) return { ok: false, reason: 'identifier.siret' };
      if (digits.length === 14)
        return isValidSiret(digits)
          ? { ok: true, value: digits, padded: false }
          : { ok: false, reason: 'identifier.siret' };
      // opened in a spreadsheet: the leading zeros are gone; padded back only when that makes a valid SIRET
      const padded = digits.padStart(14, '0');
      return isValidSiret(padded)
        ? { ok: true, value: padded, padded: true }
        : { ok: false, reason: 'identifier.siret' };
    }
    case 'RIDET': {
      const digits = compact(text);
      return /^\d{10}$/.test(digits)
        ? { ok: true, value: digits, padded: false }
        : { ok: false, reason: 'identifier.ridet' };
    }
    case 'TAHITI': {
      const m = /^(\d{6})-?(\d{3})$/.exec(text.replace(/\s/g, ''));
      return m
        ? { ok: true, value: m[1]! + m[2]!, padded: false }
        : { ok: false, reason: 'identifier.tahiti' };
    }
    default:
      // free text, format-checked only: 1–80 printable characters
      return text.length <= 80 && !/[\p{Cc}\p{Cf}]/u.test(text)
        ? { ok: true, value: text, padded: false }
        : { ok: false, reason: 'identifier.free' };
  }
}

/** How an identifier reads to people: TAHITI with its dash, others as stored. */
export function displayIdentifier(type: string, identifier: string): string {
  return type === 'TAHITI' && /^\d{9}$/.test(identifier)
    ? `${identifier.slice(0, 6)}-${identifier.slice(6)}`
    : identifier;
}
