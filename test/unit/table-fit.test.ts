import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_WIDTH,
  renderList,
  renderRecord,
  shorten,
  textWidth,
  wrap,
  type ListColumn,
} from '../../src/ui/table.js';

/**
 * SPEC 4: tables fit the terminal. Whatever the cells (accents, wide characters, long words,
 * several lines) and whatever the width, no line of a list or a record is wider than the width;
 * a list keeps its most useful columns and shortens with `…`; `--wide` shortens nothing.
 */

// text as cells hold it once made visible: letters, accents, CJK, emoji, spaces, punctuation
const cellText = fc
  .array(
    fc.oneof(
      fc.constantFrom('a', 'Z', 'é', 'È', 'œ', ' ', '-', '@', '.', '1', '’'),
      fc.constantFrom('漢', '字', 'ア', '한', '😀', 'Ａ'),
      fc.constantFrom('e\u0301', 'n\u0303'),
    ),
    { maxLength: 60 },
  )
  .map((chars) => chars.join(''));

const columnsAndRows = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    columns: fc.array(
      fc.record({
        head: cellText.filter((s) => s.length > 0),
        priority: fc.integer({ min: 1, max: 6 }),
        min: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
        lines: fc.boolean(),
      }),
      { minLength: n, maxLength: n },
    ),
    rows: fc.array(
      fc.array(
        fc.array(cellText, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n')),
        { minLength: n, maxLength: n },
      ),
      { maxLength: 8 },
    ),
  }),
);

const widest = (lines: string[]) => Math.max(0, ...lines.map(textWidth));

describe('tables fit the width', () => {
  it('no line of a list is wider than the width (property)', () => {
    fc.assert(
      fc.property(
        columnsAndRows,
        fc.integer({ min: MIN_WIDTH, max: 200 }),
        ({ columns, rows }, width) => {
          const cols: ListColumn[] = columns.map((c) => ({
            head: c.head,
            priority: c.priority,
            ...(c.min === undefined ? {} : { min: c.min }),
            lines: c.lines,
          }));
          // a cell of one line unless its column says several
          const cells = rows.map((r) =>
            r.map((cell, i) => (cols[i]!.lines ? cell : cell.replace(/\n/g, ' '))),
          );
          const lines = renderList(cols, cells, width, false);
          expect(widest(lines)).toBeLessThanOrEqual(width);
          // a heading, a rule, then at least a line per row
          expect(lines.length).toBeGreaterThanOrEqual(2 + rows.length);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('no line of a record is wider than the width (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ label: cellText, value: cellText }), { maxLength: 12 }),
        fc.integer({ min: MIN_WIDTH, max: 200 }),
        (fields, width) => {
          expect(widest(renderRecord(fields, width))).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('shorten and wrap never exceed their width, and lose nothing they need not', () => {
    fc.assert(
      fc.property(cellText, fc.integer({ min: 1, max: 80 }), (text, width) => {
        const short = shorten(text, width);
        expect(textWidth(short)).toBeLessThanOrEqual(width);
        if (textWidth(text) <= width) expect(short).toBe(text);
        else expect(short.endsWith('…')).toBe(true);
        for (const l of wrap(text, Math.max(width, 2)))
          expect(textWidth(l)).toBeLessThanOrEqual(Math.max(width, 2));
      }),
    );
  });

  it('drops the least useful columns first, then shortens the widest value with …', () => {
    const cols: ListColumn[] = [
      { head: 'Login', priority: 1, min: 16 },
      { head: 'Status', priority: 2 },
      { head: 'E-mail', priority: 6 },
      { head: 'City', priority: 3 },
    ];
    const rows = [
      [
        'anne-marie.le-gall@mont-de-marsan.fr',
        'Active',
        'anne-marie.le-gall@mont-de-marsan.fr',
        'MONT-DE-MARSAN',
      ],
    ];
    const at40 = renderList(cols, rows, 40, false);
    // the e-mail (an extra) dropped; the login, widest, shortened to its minimum; the city whole
    expect(at40[0]).toBe('Login             Status  City');
    expect(at40[2]).toBe('anne-marie.le-g…  Active  MONT-DE-MARSAN');
    for (const l of at40) expect(textWidth(l)).toBeLessThanOrEqual(40);
    // --wide: every column, nothing shortened, however wide
    const wide = renderList(cols, rows, 40, true);
    expect(wide[0]!.split(/ {2,}/)).toEqual(['Login', 'Status', 'E-mail', 'City']);
    expect(wide[2]).toContain('anne-marie.le-gall@mont-de-marsan.fr  Active  anne-marie');
  });

  it('a record is label/value lines with no rule, the labels padded, long values wrapped', () => {
    const lines = renderRecord(
      [
        { label: 'Identifiant', value: 'pauline.dufour@mairie-pau.fr' },
        { label: 'Nom', value: 'DUFOUR' },
        { label: 'Adresse', value: 'Hôtel de ville, place Royale, 64000 PAU' },
      ],
      30,
    );
    expect(lines).toEqual([
      'Identifiant  pauline.dufour@ma',
      '             irie-pau.fr',
      'Nom          DUFOUR',
      'Adresse      Hôtel de ville,',
      '             place Royale,',
      '             64000 PAU',
    ]);
  });

  it('a long label is shortened only when it and the widest value cannot fit side by side', () => {
    const label = 'Éléments modifiés par l’exécution'; // 33 columns, over two fifths of 80
    const short = [
      { label, value: '1' },
      { label: 'Conflits', value: '0' },
    ];
    expect(renderRecord(short, 80)[0]).toBe(`${label}  1`);
    // a value as wide as the rest of the line: the label down to two fifths (32), no further
    const long = [...short, { label: 'Fichier', value: 'x'.repeat(60) }];
    expect(renderRecord(long, 80)[0]).toBe('Éléments modifiés par l’exécuti…  1');
    // a value of several lines counts by its widest line: 45 columns leave the label its 33
    const note = (widest: number) => [
      ...short,
      { label: 'Note', value: `${'y'.repeat(widest)}\n${'z'.repeat(20)}` },
    ];
    expect(renderRecord(note(45), 80)[0]).toBe(`${label}  1`);
    expect(renderRecord(note(46), 80)[0]).toBe('Éléments modifiés par l’exécuti…  1');
  });
});
