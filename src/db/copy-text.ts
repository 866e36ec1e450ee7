// COPY's text format (PostgreSQL), as the bulk loader (db/bulk-load.ts) sends rows.

/** Bytes of COPY text handed to the connection at a time. */
const COPY_CHUNK = 1 << 18;

/**
 * `rows` in COPY's text format, a buffer of about COPY_CHUNK bytes at a time, as they are asked for.
 * A column that holds the same value in every row (a run's timestamps, its actor, a status) is
 * encoded once.
 */
export function* copyChunks(rows: readonly (readonly unknown[])[]): Generator<Buffer> {
  const fields = rows.length > 1 ? rows[0]!.map((_, c) => constantField(rows, c)) : [];
  let text = '';
  for (const row of rows) {
    text += copyLine(row, fields);
    if (text.length >= COPY_CHUNK) {
      yield Buffer.from(text);
      text = '';
    }
  }
  if (text !== '') yield Buffer.from(text);
}

/**
 * One row of COPY's text format: fields separated by tabs, `\N` for NULL, ended by a newline.
 * `fields[i]`, when set, is column i's field already encoded.
 */
export function copyLine(row: readonly unknown[], fields: readonly (string | null)[] = []): string {
  let line = '';
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += '\t';
    line += fields[i] ?? copyField(row[i]);
  }
  return line + '\n';
}

/** Column `c` encoded when every row holds the same value in it (compared as `===`), or null. */
function constantField(rows: readonly (readonly unknown[])[], c: number): string | null {
  const value = rows[0]![c];
  if (typeof value === 'object' && value !== null) return null; // a Date, a Buffer, JSON: never the same object
  for (let i = 1; i < rows.length; i++) if (rows[i]![c] !== value) return null;
  return copyField(value);
}

// COPY's text format escapes exactly these: backslash, tab, newline, carriage return, \b \f \v
const SPECIAL = /[\\\t\n\r\b\f\v]/;
const SPECIALS = /[\\\t\n\r\b\f\v]/g;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

/** A value as a field of COPY's text format: backslash, tab, newline and the other control escapes escaped. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string')
    return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]!) : value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return value.toISOString();
  // bytea's hex form, its backslash escaped for COPY
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  return copyField(JSON.stringify(value));
}
