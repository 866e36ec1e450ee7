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

// ---- text that is shown: control and bidirectional characters made visible (SPEC 9) ---------

/**
 * The characters that change how the text around them is displayed rather than being displayed:
 * C0 controls (CR and LF among them, ESC that starts terminal sequences), DEL, C1 controls, the
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the implicit
 * marks (U+200E, U+200F, U+061C), and the Unicode line and paragraph separators.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');
/** The first control or bidirectional character of `text` (none: undefined), for a refusal to name it. */
export function firstInvisible(text: string): string | undefined {
  return INVISIBLE.exec(text)?.[0];
}

/** Whether `text` holds a control (C0, C1, DEL), bidirectional or line-separator character. */
export function hasControlOrBidi(text: string): boolean {
  return INVISIBLE.test(text);
}

/** `U+202E`: how a message names a character that cannot be shown. */
export const codePoint = (ch: string) =>
  `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Stored text as it may be shown in a terminal or put in an e-mail: every character of INVISIBLE
 * written out so that it is seen and does nothing. The choice, the same everywhere:
 *  - CR, LF and tab read `\r`, `\n`, `\t` (a one-line cell stays one line, a CR cannot send the
 *    cursor back over what was printed);
 *  - every other one reads `\u{XXXX}` (`\u{202E}` for a right-to-left override, `\u{001B}` for ESC),
 *    the JavaScript spelling of the code point, so that it can be looked up and typed back.
 * A backslash already in the text is left alone: ordinary text reads as it was typed.
 * With `lines`, a text made of several lines on purpose (an audit entry's changes, a digest's
 * movements) keeps its line feeds (a CRLF counts as one); a CR alone is still written out.
 */
export function visible(text: string, options: { lines?: boolean } = {}): string {
  if (!INVISIBLE.test(text)) return text;
  const source = options.lines ? text.replace(/\r\n/g, '\n') : text;
  return source.replace(INVISIBLE_ALL, (ch) => {
    if (ch === '\n') return options.lines ? '\n' : '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u{${codePoint(ch).slice(2)}}`;
  });
}

// ---- cells for spreadsheets (SPEC 4) ---------------------------------------------------------

/** What a spreadsheet takes for the start of a formula (or, tab and CR, for a cell to re-read). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A negative number as a spreadsheet reads one (`-12`, `-3.5`, `-3,5`, `-1e5`): data, not a formula. */
const NEGATIVE_NUMBER = /^-(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A cell of a CSV (or xlsx) output made inert (SPEC 4): one that begins with `=`, `+`, `-`, `@`,
 * tab or CR gets a leading `'`, which spreadsheets read as "text follows" and do not show, so
 * `=HYPERLINK(…)` or `@SUM(1+1)*cmd|…` is shown, never run. A negative number stays a number.
 * Every CSV the program writes goes through this one function: the lists of ui/output.ts and the
 * rejects reports of io/csv.ts (whose cells echo the input: read back as an input, such a cell
 * carries its `'`, the price of never handing a formula to a spreadsheet).
 */
export function spreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) && !NEGATIVE_NUMBER.test(cell) ? `'${cell}` : cell;
}
