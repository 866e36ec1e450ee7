import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe, visible } from '../domain/text.js';
import { isMessageKey, t, type Lang, type MessageKey } from '../i18n/index.js';
import { colourLevel, type Io } from './io.js';

/**
 * The one rendering module: results to stdout as a table (people) or JSON / CSV (scripts);
 * every message, warning and error to stderr, in the user's language.
 * What it shows of stored text is made safe where it lands (SPEC 4, 9): in a table, a record or
 * a message's parameters, control and bidirectional characters are written out (domain/text.ts
 * `visible`: a CR/LF reads `\r`/`\n`, a right-to-left override `\u{202E}`); in a CSV, a cell that
 * a spreadsheet would run as a formula gets a leading `'` (`spreadsheetSafe`); JSON carries the
 * raw value (its own escaping covers the controls, and scripts want the text as stored).
 */

export type Format = 'table' | 'json' | 'csv';

/** A column of a table or CSV: the result's key, and the catalogue key of its heading. */
export interface Column<T> {
  key: keyof T & string;
  label: MessageKey;
  /** How a cell reads in a table or CSV; JSON always carries the raw value. */
  show?: (value: T[keyof T], row: T) => string;
  /** The cell is several lines on purpose (`show` puts line feeds between them): a table keeps them. */
  lines?: boolean;
}

export interface OutputOptions {
  lang: Lang;
  format: Format;
  quiet: boolean;
  verbose: boolean;
  io: Io;
}

export class Output {
  readonly lang: Lang;
  readonly format: Format;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly io: Io;
  /** Colours for each stream: off unless that stream is a terminal (or FORCE_COLOR says so). */
  private readonly paint: ChalkInstance;
  private readonly paintErr: ChalkInstance;

  constructor(o: OutputOptions) {
    this.lang = o.lang;
    this.format = o.format;
    this.quiet = o.quiet;
    this.verbose = o.verbose;
    this.io = o.io;
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

  /** A list of results: one table row, CSV record or JSON array element each. */
  list<T extends object>(rows: readonly T[], columns: Column<T>[]): void {
    if (this.format === 'json') return this.json(rows);
    const head = columns.map((c) => this.t(c.label));
    const text = (r: T, c: Column<T>) => cell(c.show ? c.show(r[c.key], r) : r[c.key], this.lang);
    if (this.format === 'csv') {
      const cells = rows.map((r) => columns.map((c) => spreadsheetSafe(text(r, c))));
      return this.write(stringify([head, ...cells], { delimiter: ';', record_delimiter: '\r\n' }));
    }
    const body = rows.map((r) => columns.map((c) => visible(text(r, c), { lines: c.lines })));
    if (rows.length === 0) return this.info('output.empty');
    const table = new Table({
      head: head.map((h) => this.paint.bold(h)),
      style: { head: [], border: [] },
    });
    table.push(...body);
    this.write(table.toString() + '\n');
  }

  /** One result: a two-column table of its fields, one CSV record, or a JSON object. */
  record<T extends object>(value: T, columns: Column<T>[]): void {
    if (this.format === 'json') return this.json(value);
    if (this.format === 'csv') return this.list([value], columns);
    const table = new Table({ style: { head: [], border: [] } });
    for (const c of columns)
      table.push({
        [this.paint.bold(this.t(c.label))]: visible(
          cell(c.show ? c.show(value[c.key], value) : value[c.key], this.lang),
          { lines: c.lines },
        ),
      });
    this.write(table.toString() + '\n');
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

function cell(value: unknown, lang: Lang): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return t(lang, value ? 'output.yes' : 'output.no');
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
