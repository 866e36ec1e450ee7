/**
 * Départements and correspondent scopes (SPEC 6).
 * Metropolitan codes are the postal code's first two digits, Corsica splits 20xxx into 2A
 * (200–201) and 2B (202–206), and overseas (97x, 98x) keeps three digits.
 */

const DEPARTEMENT = /^(0[1-9]|1\d|2[1-9]|2A|2B|[3-8]\d|9[0-5]|97[1-8]|98[4-9])$/;

/** Every scope that covers all départements. */
export const ALL = '*';

export type Scope = readonly string[];

/** The département of a French postal code, or null when the code cannot be placed. */
export function departementOf(postalCode: string | null | undefined): string | null {
  if (!postalCode || !/^\d{5}$/.test(postalCode)) return null;
  if (postalCode.startsWith('20')) {
    const three = Number(postalCode.slice(0, 3));
    if (three <= 201) return '2A';
    if (three <= 206) return '2B';
    return null;
  }
  if (postalCode.startsWith('97') || postalCode.startsWith('98')) {
    const code = postalCode.slice(0, 3);
    return DEPARTEMENT.test(code) ? code : null;
  }
  // 00, 96 and 99 are no département
  const code = postalCode.slice(0, 2);
  return DEPARTEMENT.test(code) ? code : null;
}

export function isDepartement(code: string): boolean {
  return DEPARTEMENT.test(code);
}

/**
 * Reads `33,40`, `2a, 971` or `*` into a sorted, de-duplicated scope.
 * Returns the codes that are not départements in `invalid`.
 */
export function parseScope(text: string): { scope: Scope; invalid: string[] } {
  const parts = text
    .split(/[,\s;]+/)
    .map((p) => p.trim().toUpperCase())
    .filter((p) => p.length > 0);
  if (parts.includes(ALL))
    return { scope: [ALL], invalid: parts.length === 1 ? [] : parts.filter((p) => p !== ALL) };
  const invalid = parts.filter((p) => !isDepartement(p));
  const scope = [...new Set(parts.filter(isDepartement))].sort();
  return { scope, invalid: parts.length === 0 ? [''] : invalid };
}

export function scopeCovers(scope: Scope, departement: string | null): boolean {
  if (scope.includes(ALL)) return true;
  return departement !== null && scope.includes(departement);
}

/** True when every département of `inner` is also in `outer` (a scope no wider than another). */
export function scopeWithin(inner: Scope, outer: Scope): boolean {
  if (outer.includes(ALL)) return true;
  if (inner.includes(ALL)) return false;
  return inner.every((d) => outer.includes(d));
}

export function formatScope(scope: Scope): string {
  return scope.join(',');
}
