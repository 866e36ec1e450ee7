/**
 * Folding text for search: the same function builds the stored keys and reads the user's words,
 * so `chateau` finds `Château`, `oeuvre` finds `Œuvre`, and SQLite (FTS5) and PostgreSQL (LIKE)
 * see the same tokens.
 */

const LIGATURES: Record<string, string> = {
  œ: 'oe',
  Œ: 'oe',
  æ: 'ae',
  Æ: 'ae',
  ß: 'ss',
  ẞ: 'ss',
  ø: 'o',
  Ø: 'o',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
};

/** Lower case, no accents or ligatures; every run of non-letters and non-digits becomes one space. */
export function fold(text: string | null | undefined): string {
  if (!text) return '';
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[œŒæÆßẞøØłŁđĐ]/g, (c) => LIGATURES[c]!)
      .toLowerCase()
      // toLowerCase writes Σ as ς at a word's end: one sigma, or FTS5 (which folds ς to σ) and LIKE disagree
      .replace(/ς/g, 'σ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
}

/** The words of a folded text. */
export function tokens(text: string | null | undefined): string[] {
  const f = fold(text);
  return f === '' ? [] : f.split(' ');
}

/**
 * The search words of what a user typed. Something shaped like an identifier (`003970-001`,
 * `216 404 457 00019`) is one word, its digits, so that it finds the stored identifier.
 */
export function queryTokens(text: string | null | undefined): string[] {
  const s = (text ?? '').trim();
  if (/^[\d][\d\s.\-/]*$/.test(s)) {
    const digits = s.replace(/\D/g, '');
    if (digits.length >= 6) return [digits];
  }
  return tokens(s);
}
