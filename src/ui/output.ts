import { Chalk, type ChalkInstance } from 'chalk';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe, visible } from '../domain/text.js';
import { label, type LabelKind } from '../i18n/labels.js';
import { isMessageKey, t, type Lang, type MessageKey } from '../i18n/index.js';
import { ConflictError, UsageError } from '../errors.js';
import { colourLevel, type Io } from './io.js';
import { EXTRA, renderList, renderRecord, textWidth, wrap } from './table.js';
import { IDENTIFIER_TYPES } from '../domain/enums.js';
import type { XlsxCell } from './xlsx.js';

/**
 * The one rendering module: results to stdout as a table (people), JSON / CSV (scripts) or an
 * xlsx workbook (spreadsheets); every message, warning and error to stderr, in the user's language.
 * What it shows of stored text is made safe where it lands (SPEC 4, 9): in a table, a record or
 * a message's parameters, control and bidirectional characters are written out (domain/text.ts
 * `visible`: a CR/LF reads `\r`/`\n`, a right-to-left override `\u{202E}`); in a CSV or xlsx, a
 * cell that a spreadsheet would run as a formula gets a leading `'` (`spreadsheetSafe`); JSON
 * carries the raw value (its own escaping covers the controls, and scripts want the text as stored).
 * People read labels and local dates (`Validé`, `03/12/2026 15:19`); scripts read codes and ISO
 * dates, under the JSON keys whatever the language.
 */

export type Format = 'table' | 'json' | 'csv' | 'xlsx';

/**
 * How a cell reads for people: a label kind (`status` → `Validé`), or `hash` (a SHA-256, shortened
 * in tables). Dates (`AAAA-MM-JJ`) and instants (ISO 8601) are recognised without being told.
 */
export type CellKind = LabelKind | 'hash';

/** A column of a table, CSV or workbook: the result's key, and the catalogue key of its heading. */
export interface Column<T> {
  key: keyof T & string;
  label: MessageKey;
  /** What the value is, for people: an enumeration to label, or a hash to shorten. */
  as?: CellKind;
  /** How a cell reads for people (table, xlsx); JSON and CSV always carry the raw value. */
  show?: (value: T[keyof T], row: T, lang: Lang) => string;
  /** The cell is several lines on purpose (`show` puts line feeds between them): a table keeps them. */
  lines?: boolean;
  /**
   * How useful the column is in a table too narrow for all: 1 is kept longest, the highest
   * number is dropped first (default 2). `--wide` shows them all.
   */
  priority?: number;
  /** The narrowest (in columns) a table shortens it to before dropping columns. */
  min?: number;
}

/**
 * `columns` with the column `key` made an extra: a table drops it before it shortens any value,
 * as it holds the same value on every row (the actor's own login, in a list of its own items);
 * CSV, JSON, xlsx and `--wide` keep it, so a script reads the same columns whatever it asked.
 */
export function sameOnEveryRow<T>(
  columns: readonly Column<T>[],
  key: keyof T & string,
): Column<T>[] {
  return columns.map((c) => (c.key === key ? { ...c, priority: EXTRA } : c));
}

/** How `Output.entries` lays a row out: which columns go where (`Column.key`s). */
export interface EntryLayout<T> {
  /** The first line, side by side (bold); none when empty. */
  head: (keyof T & string)[];
  /** The second line, joined with ` — `. */
  title: (keyof T & string)[];
  /** Cells of several lines: each line beneath, indented. */
  body: (keyof T & string)[];
  /** Beneath, as `Label : value`, when not empty. */
  labelled: (keyof T & string)[];
}

export interface OutputOptions {
  lang: Lang;
  format: Format;
  quiet: boolean;
  verbose: boolean;
  io: Io;
  /** `--wide`: every column of a list, no value shortened. */
  wide?: boolean;
  /** `-o FILE`: where an xlsx workbook goes (stdout when not given). */
  output?: string | undefined;
}

export class Output {
  readonly lang: Lang;
  readonly format: Format;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly io: Io;
  readonly wide: boolean;
  readonly output: string | undefined;
  /** The columns tables fit in: `COLUMNS`, else the terminal's, else 80. */
  readonly width: number;
  /** The zone local times are shown in: `TZ` when it names one, else the system's. */
  readonly timeZone: string | undefined;
  /** Colours for each stream: off unless that stream is a terminal (or FORCE_COLOR says so). */
  private readonly paint: ChalkInstance;
  private readonly paintErr: ChalkInstance;
  /** What `audit export --format csv|xlsx` has written or gathered so far. */
  private streamed: { header: boolean; rows: unknown[] } = { header: false, rows: [] };

  constructor(o: OutputOptions) {
    this.lang = o.lang;
    this.format = o.format;
    this.quiet = o.quiet;
    this.verbose = o.verbose;
    this.io = o.io;
    this.wide = o.wide ?? false;
    this.output = o.output;
    this.width = terminalWidth(o.io);
    this.timeZone = timeZoneOf(o.io.env.TZ);
    this.paint = new Chalk({ level: colourLevel(o.io.stdout, o.io.env) });
    this.paintErr = new Chalk({ level: colourLevel(o.io.stderr, o.io.env) });
  }

  /** A message; its parameters may be stored text (a raison sociale, a file name): shown made visible. */
  t(key: MessageKey, params: Record<string, unknown> = {}): string {
    return t(this.lang, key, visibleParams(params));
  }

  /** Field names (`phone`, `label`) as the column headings call them, for messages. */
  fieldNames(fields: readonly string[]): string {
    return fields
      .map((f) => (isMessageKey(`col.${f}`) ? this.t(`col.${f}` as MessageKey) : f))
      .join(', ');
  }

  /** A catalogue key, or text that is already a message (zod's own, a driver's). */
  text(keyOrText: string, params: Record<string, unknown> = {}): string {
    return isMessageKey(keyOrText)
      ? this.t(keyOrText, params)
      : visible(keyOrText, { lines: true });
  }

  /** A list of results: one table row, CSV record, worksheet row or JSON array element each. */
  async list<T extends object>(rows: readonly T[], columns: Column<T>[]): Promise<void> {
    if (this.format === 'json') return this.json(rows);
    if (this.format === 'csv') return this.write(csvText(rows, columns, true));
    if (this.format === 'xlsx') return this.workbook(rows, columns);
    if (rows.length === 0) return this.info('output.empty');
    let cells = rows.map((r) => columns.map((c) => this.cell(r, c, 'table')));
    let shown = columns;
    if (!this.wide) {
      // a column with nothing in it takes room and says nothing: --wide shows it
      const used = columns.map((_, i) => cells.some((r) => r[i] !== ''));
      shown = columns.filter((_, i) => used[i]);
      cells = cells.map((r) => r.filter((_, i) => used[i]));
    }
    const lines = renderList(
      shown.map((c, i) => {
        // a date is never shortened: its column is as wide as its dates; nor is a structure's
        // reference, copied into the next command, when it is a short one (a SIRET's: 20)
        const widest = Math.max(...cells.map((r) => textWidth(r[i]!)));
        const whole = (re: RegExp) => cells.every((r) => r[i] === '' || re.test(r[i]!));
        const kept = whole(DATE_SHOWN) || (widest <= SHORT_REF && whole(REF_SHOWN));
        const min = c.min ?? (kept ? widest : undefined);
        return {
          head: this.t(c.label),
          priority: c.priority ?? 2,
          ...(min === undefined ? {} : { min }),
          ...(c.lines ? { lines: true } : {}),
        };
      }),
      cells,
      this.width,
      this.wide,
      (h) => this.paint.bold(h),
    );
    this.write(lines.join('\n') + '\n');
  }

  /**
   * A list read as a log, for people: each row an entry under the one before, its heading line,
   * its title line, then its cells of several lines and its labelled cells beneath, indented —
   * wrapped to the width, never cut (a table's narrow column cut what a log is read for). CSV,
   * JSON and xlsx: as `list`.
   */
  async entries<T extends object>(
    rows: readonly T[],
    columns: Column<T>[],
    layout: EntryLayout<T>,
  ): Promise<void> {
    if (this.format !== 'table') return this.list(rows, columns);
    if (rows.length === 0) return this.info('output.empty');
    const byKey = new Map(columns.map((c) => [c.key, c]));
    const cell = (r: T, k: keyof T & string) => this.cell(r, byKey.get(k)!, 'table');
    const sep = this.lang === 'fr' ? ' : ' : ': ';
    const lines: string[] = [];
    for (const r of rows) {
      if (lines.length > 0) lines.push('');
      const head = layout.head.map((k) => cell(r, k)).filter((v) => v !== '');
      if (head.length > 0)
        lines.push(...this.indented(head.join('  '), '').map((l) => this.paint.bold(l)));
      const title = layout.title.map((k) => cell(r, k)).filter((v) => v !== '');
      lines.push(...this.indented(title.join(' — '), ''));
      for (const k of layout.body)
        for (const l of cell(r, k).split('\n')) if (l !== '') lines.push(...this.indented(l));
      for (const k of layout.labelled) {
        const v = cell(r, k);
        if (v !== '') lines.push(...this.indented(`${this.t(byKey.get(k)!.label)}${sep}${v}`));
      }
    }
    this.write(lines.join('\n') + '\n');
  }

  /**
   * A line for people under a heading: `indent` before it, wrapped to the width (whole with
   * `--wide`), its continuation lines two columns further in.
   */
  indented(line: string, indent = '  '): string[] {
    const parts = this.wide ? [line] : wrap(line, Math.max(20, this.width - indent.length - 2));
    return parts.map((part, i) => (i === 0 ? indent : `${indent}  `) + part);
  }

  /** One result: label/value lines, one CSV record or worksheet row, or a JSON object. */
  async record<T extends object>(value: T, columns: Column<T>[]): Promise<void> {
    if (this.format === 'json') return this.json(value);
    if (this.format !== 'table') return this.list([value], columns);
    const lines = renderRecord(
      columns.map((c) => ({ label: this.t(c.label), value: this.cell(value, c, 'table') })),
      this.width,
      (h) => this.paint.bold(h),
    );
    this.write(lines.join('\n') + '\n');
  }

  /** A record whose fields are known only when it runs (`db status`): label/value lines. */
  fields(fields: readonly { label: string; value: unknown }[]): void {
    const lines = renderRecord(
      fields.map((f) => ({
        label: f.label,
        value: visible(peopleText(f.value, undefined, this.lang, this.timeZone, 'table')),
      })),
      this.width,
      (h) => this.paint.bold(h),
    );
    this.write(lines.join('\n') + '\n');
  }

  /**
   * One entry of a stream (audit export): a JSON line, a CSV record (the header before the
   * first), or a row of the workbook that `endStream` writes.
   */
  streamEntry<T extends object>(row: T, columns: Column<T>[]): void {
    if (this.format === 'csv') {
      this.write(csvText([row], columns, !this.streamed.header));
      this.streamed.header = true;
    } else if (this.format === 'xlsx') this.streamed.rows.push(row);
    else this.jsonLine(row);
  }

  /** The end of a stream: a CSV with no entry still has its header; a workbook is written. */
  async endStream<T extends object>(columns: Column<T>[]): Promise<void> {
    if (this.format === 'csv' && !this.streamed.header) this.write(csvText([], columns, true));
    if (this.format === 'xlsx') await this.workbook(this.streamed.rows as T[], columns);
  }

  /** A cell as people read it: labels for codes, local dates, hashes shortened in a table. */
  cell<T extends object>(row: T, c: Column<T>, where: 'table' | 'xlsx'): string {
    const value = row[c.key];
    const text = c.show
      ? c.show(value, row, this.lang)
      : peopleText(value, c.as, this.lang, this.timeZone, where);
    return where === 'table' ? visible(text, { lines: c.lines }) : text;
  }

  private async workbook<T extends object>(
    rows: readonly T[],
    columns: Column<T>[],
  ): Promise<void> {
    if (this.output === undefined && this.io.stdout.isTTY)
      throw new UsageError('usage.xlsxOnTerminal');
    const heads = columns.map((c) => spreadsheetSafe(this.t(c.label)));
    const cells = rows.map((r) => columns.map((c) => this.xlsxCell(r, c)));
    // exceljs is big: loaded only when a workbook is asked for
    const { writeWorkbook } = await import('./xlsx.js');
    const bytes = await writeWorkbook(heads, cells);
    if (this.output === undefined) this.io.stdout.write(bytes);
    else await writePrivateFile(this.output, bytes);
  }

  /** A workbook's cell: a number, a boolean, a date, or text as people read it made inert. */
  private xlsxCell<T extends object>(row: T, c: Column<T>): XlsxCell {
    const value = row[c.key];
    if (value === null || value === undefined) return null;
    if (c.show === undefined && c.as === undefined) {
      if (typeof value === 'number' || typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const p = dateParts(value, this.timeZone);
        if (p)
          return {
            date: new Date(Date.UTC(p.y, p.m - 1, p.d, p.hh ?? 0, p.mm ?? 0)),
            time: p.hh !== undefined,
          };
      }
    }
    return spreadsheetSafe(this.cell(row, c, 'xlsx'));
  }

  json(value: unknown): void {
    this.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** One JSON document per line, for streams (audit export). */
  jsonLine(value: unknown): void {
    this.write(JSON.stringify(value) + '\n');
  }

  /** Progress and confirmations: stderr, silenced by --quiet. */
  info(key: MessageKey, params: Record<string, unknown> = {}): void {
    if (!this.quiet) this.io.stderr.write(this.t(key, params) + '\n');
  }

  success(key: MessageKey, params: Record<string, unknown> = {}): void {
    if (!this.quiet) this.io.stderr.write(this.paintErr.green('✔ ') + this.t(key, params) + '\n');
  }

  warn(key: MessageKey, params: Record<string, unknown> = {}): void {
    this.io.stderr.write(
      this.paintErr.yellow(this.t('output.warning') + ' ') + this.t(key, params) + '\n',
    );
  }

  /** A batch that ran to its end with some items refused (exit 1): a warning, not an error. */
  partial(message: string): void {
    this.io.stderr.write(this.paintErr.yellow(this.t('output.partial') + ' ') + message + '\n');
  }

  /** Errors are never silenced. */
  error(message: string, details: string[] = []): void {
    this.io.stderr.write(this.paintErr.red(this.t('output.error') + ' ') + message + '\n');
    for (const d of details) this.io.stderr.write(`  - ${d}\n`);
  }

  debug(text: string): void {
    if (this.verbose) this.io.stderr.write(this.paintErr.dim(text) + '\n');
  }

  private write(text: string): void {
    this.io.stdout.write(text);
  }
}

/** The string parameters of a message, made visible (numbers and the rest go as they are). */
function visibleParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'string' ? visible(v) : v;
  return out;
}

/** The width tables fit: `COLUMNS` when it is a positive number, else the terminal's, else 80. */
export function terminalWidth(io: Pick<Io, 'env' | 'stdout'>): number {
  const columns = Number(io.env.COLUMNS);
  if (Number.isInteger(columns) && columns > 0) return columns;
  if (io.stdout.isTTY && io.stdout.columns && io.stdout.columns > 0) return io.stdout.columns;
  return 80;
}

/** `TZ` when it names a zone the runtime knows (`Europe/Paris`); otherwise the system's zone. */
function timeZoneOf(tz: string | undefined): string | undefined {
  if (!tz) return undefined;
  const zone = tz.startsWith(':') ? tz.slice(1) : tz;
  try {
    new Intl.DateTimeFormat('fr', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A day (`AAAA-MM-JJ`) as its parts, or an instant (ISO 8601) as its wall-clock parts in `zone`. */
export function dateParts(
  value: string,
  zone: string | undefined,
): { y: number; m: number; d: number; hh?: number; mm?: number } | null {
  const day = DAY.exec(value);
  if (day) return { y: Number(day[1]), m: Number(day[2]), d: Number(day[3]) };
  if (!INSTANT.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: n('year'), m: n('month'), d: n('day'), hh: n('hour'), mm: n('minute') };
}

/** A date as `showDate` writes it. */
const DATE_SHOWN = /^\d{2}\/\d{2}\/\d{4}(?: \d{2}:\d{2})?$/;

/** A structure's reference as tables show it (`SIRET:21640445900010`), and the widest kept whole. */
const REF_SHOWN = new RegExp(`^(?:${IDENTIFIER_TYPES.join('|')}):\\S+$`);
const SHORT_REF = 24;

const two = (n: number) => String(n).padStart(2, '0');

/** `JJ/MM/AAAA`, and ` HH:MM` local time for an instant; in both languages (what `--since` reads). */
export function showDate(value: string, zone: string | undefined): string | null {
  const p = dateParts(value, zone);
  if (!p) return null;
  const day = `${two(p.d)}/${two(p.m)}/${p.y}`;
  return p.hh === undefined ? day : `${day} ${two(p.hh)}:${two(p.mm!)}`;
}

/** Hashes in a table: their first 12 characters, enough to tell them apart by eye. */
const HASH_SHOWN = 12;

/** A value as people read it (table, xlsx text). */
function peopleText(
  value: unknown,
  as: CellKind | undefined,
  lang: Lang,
  zone: string | undefined,
  where: 'table' | 'xlsx',
): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return t(lang, value ? 'output.yes' : 'output.no');
  if (Array.isArray(value))
    return value.map((v) => peopleText(v, as, lang, zone, where)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  if (as === 'hash') return where === 'table' ? shortHash(text) : text;
  if (as !== undefined) return label(as, text, lang);
  if (typeof value === 'string') return showDate(text, zone) ?? text;
  return text;
}

/** A value as scripts read it: codes, ISO dates, `true`/`false`, lists comma-separated. */
function scriptText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(scriptText).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * CSV (SPEC 4): RFC 4180 with `;` between cells and CRLF between records, a cell holding `;`,
 * `"`, CR or LF quoted (csv-stringify quotes a lone CR or LF only when told); the JSON keys as
 * header whatever the language; every cell made inert for spreadsheets.
 */
export function csvText<T extends object>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  header: boolean,
): string {
  const cells = rows.map((r) => columns.map((c) => spreadsheetSafe(scriptText(r[c.key]))));
  return stringify(header ? [columns.map((c) => c.key), ...cells] : cells, {
    delimiter: ';',
    record_delimiter: '\r\n',
    quoted_match: /[\r\n]/,
  });
}

/** A file for the user alone (0600), never over one that exists (SPEC 4, 8). */
async function writePrivateFile(file: string, bytes: Uint8Array): Promise<void> {
  const fs = await import('node:fs/promises');
  let handle;
  try {
    handle = await fs.open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new ConflictError('file.outputExists', { path: file });
    throw err;
  }
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
}

/** A SHA-256 as people read it in a table or a message: its first characters (JSON has it whole). */
export function shortHash(hash: string): string {
  return hash.length > HASH_SHOWN ? `${hash.slice(0, HASH_SHOWN)}…` : hash;
}
