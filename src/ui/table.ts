/**
 * Tables for people that fit the terminal (SPEC 4): a list keeps its most useful columns and
 * shortens long values with `…` rather than wrap; a record is label/value lines. Pure layout:
 * cells arrive as plain text already made visible (ui/output.ts), lines leave no wider than
 * `width` (in terminal columns: accents count one, wide CJK characters and emoji two).
 */

/** The narrowest a table is laid out at: under it, cells would be nothing but `…`. */
export const MIN_WIDTH = 10;
const GAP = '  ';
const ELLIPSIS = '…';

// combining marks and zero-width characters take no column
const ZERO_WIDTH = /^[\p{M}\u200b-\u200d\ufeff]$/u;
// East Asian wide and full-width characters, and emoji, take two
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

function charWidth(ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** How many terminal columns `text` (one line) takes. */
export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** `text` cut to at most `width` columns, ending in `…` when something was cut. */
export function shorten(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + ELLIPSIS;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - textWidth(text)));
}

/** `text` broken into lines of at most `width` columns, at spaces where it can. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (textWidth(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') out.push(line);
      // a word longer than the line is cut where the line ends
      let rest = word;
      while (textWidth(rest) > width) {
        let head = '';
        let w = 0;
        for (const ch of rest) {
          const cw = charWidth(ch);
          if (w + cw > width) break;
          head += ch;
          w += cw;
        }
        if (head === '') head = [...rest][0]!; // a wide character on a one-column line
        out.push(head);
        rest = rest.slice(head.length);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

/** Columns of this priority or less useful are dropped before any value is shortened. */
export const EXTRA = 5;

export interface ListColumn {
  head: string;
  /** 1 is kept longest; the highest number is dropped first when the table does not fit. */
  priority: number;
  /** Columns it is never shortened below (nor its heading); the widest cell if narrower. */
  min?: number;
  /** Cells of several lines on purpose (an audit entry's changes): each line kept, each shortened. */
  lines?: boolean;
}

export interface ListLayout {
  /** Which of the columns are shown, in their order. */
  shown: number[];
  widths: number[];
}

/**
 * Which columns a list keeps and how wide each is, for `width` (`wide`: all, unshortened).
 * `content` is each column's widest cell, `natural` that or its heading if wider. A heading may
 * be shortened to 8 columns, a value to 12 (or the column's `min`); the extras (priority 5 and
 * over) are dropped before anything is shortened, then the least useful columns until the rest
 * fit at those floors; then headings wider than their values are
 * shortened first, then the widest values.
 */
export function fitColumns(
  columns: readonly ListColumn[],
  natural: readonly number[],
  width: number,
  wide: boolean,
  content: readonly number[] = natural,
): ListLayout {
  const all = columns.map((_, i) => i);
  if (wide) return { shown: all, widths: [...natural] };
  width = Math.max(width, MIN_WIDTH);
  const floor = columns.map((c, i) =>
    Math.min(
      natural[i]!,
      Math.max(1, Math.min(content[i]!, c.min ?? 12), Math.min(textWidth(c.head), 8)),
    ),
  );
  const total = (ix: number[], w: (i: number) => number) =>
    ix.reduce((s, i) => s + w(i), 0) + GAP.length * (ix.length - 1);
  let shown = all;
  const dropOne = () => {
    let drop = shown[0]!;
    for (const i of shown) if (columns[i]!.priority >= columns[drop]!.priority) drop = i;
    shown = shown.filter((i) => i !== drop);
  };
  // the extras (priority EXTRA and above) go before any value is shortened
  while (
    total(shown, (i) => natural[i]!) > width &&
    shown.some((i) => columns[i]!.priority >= EXTRA) &&
    shown.length > 1
  )
    dropOne();
  // then the least useful columns (the rightmost of a rank first) until the rest fit at their floor
  while (shown.length > 1 && total(shown, (i) => floor[i]!) > width) dropOne();
  const widths = [...natural];
  let excess = total(shown, (i) => widths[i]!) - width;
  // shorten the widest, one column at a time: headings down to their values, then values
  for (const target of [(i: number) => Math.max(content[i]!, floor[i]!), (i: number) => floor[i]!])
    while (excess > 0) {
      let widest = -1;
      for (const i of shown)
        if (widths[i]! > target(i) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      if (widest < 0) break;
      widths[widest]!--;
      excess--;
    }
  // one column whose floor is wider than the terminal: the terminal wins
  if (excess > 0) for (const i of shown) widths[i] = Math.min(widths[i]!, width);
  return { shown, widths: shown.map((i) => widths[i]!) };
}

/**
 * A list as lines: a heading, a rule, a line per row (more for a cell of several lines). `bold`
 * styles the headings once laid out, so that their escape codes take no room.
 */
export function renderList(
  columns: readonly ListColumn[],
  rows: readonly (readonly string[])[],
  width: number,
  wide: boolean,
  bold: (s: string) => string = (s) => s,
): string[] {
  const cellLines = (c: ListColumn, text: string) => (c.lines ? text.split('\n') : [text]);
  // a loop, not Math.max(...): a list of 130,000 rows (a revert's conflicts) overflows the stack
  const content = columns.map((c, i) => {
    let max = 0;
    for (const r of rows)
      for (const l of cellLines(c, r[i] ?? '')) max = Math.max(max, textWidth(l));
    return max;
  });
  const natural = columns.map((c, i) => Math.max(textWidth(c.head), content[i]!));
  const { shown, widths } = fitColumns(columns, natural, width, wide, content);
  const line = (cells: string[]) =>
    cells
      .map((s, k) => (k === cells.length - 1 ? s : pad(s, widths[k]!)))
      .join(GAP)
      .trimEnd();
  const out: string[] = [];
  const heads = shown.map((i, k) => shorten(columns[i]!.head, widths[k]!));
  out.push(
    heads
      .map(
        (h, k) => bold(h) + (k === heads.length - 1 ? '' : ' '.repeat(widths[k]! - textWidth(h))),
      )
      .join(GAP)
      .trimEnd(),
  );
  out.push(line(widths.map((w) => '─'.repeat(w))));
  for (const r of rows) {
    const cells = shown.map((i, k) =>
      cellLines(columns[i]!, r[i] ?? '').map((l) => (wide ? l : shorten(l, widths[k]!))),
    );
    const height = Math.max(...cells.map((c) => c.length));
    for (let h = 0; h < height; h++) out.push(line(cells.map((c) => c[h] ?? '')));
  }
  return out;
}

/**
 * A record as lines: each label padded to the longest, its value beside it, wrapped to the width
 * only when it cannot fit. A label is shortened only when it and the widest value do not fit side
 * by side, and then to no less than two fifths of the width.
 */
export function renderRecord(
  fields: readonly { label: string; value: string }[],
  width: number,
  bold: (s: string) => string = (s) => s,
): string[] {
  width = Math.max(width, MIN_WIDTH);
  const widestValue = Math.max(0, ...fields.flatMap((f) => f.value.split('\n').map(textWidth)));
  const labelWidth = Math.min(
    Math.max(0, ...fields.map((f) => textWidth(f.label))),
    Math.max(Math.floor((width * 2) / 5), width - GAP.length - widestValue),
  );
  const valueWidth = width - labelWidth - GAP.length;
  const out: string[] = [];
  for (const f of fields) {
    const head = shorten(f.label, labelWidth);
    const lines = wrap(f.value, valueWidth);
    lines.forEach((l, k) => {
      const left =
        k === 0 ? bold(head) + ' '.repeat(labelWidth - textWidth(head)) : ' '.repeat(labelWidth);
      out.push(`${left}${GAP}${l}`.trimEnd());
    });
  }
  return out;
}
