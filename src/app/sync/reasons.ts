import { t, type Lang, type MessageKey } from '../../i18n/index.js';

/**
 * Why the sync rejects a row, as data: a message key, its parameters and, for a rule about one
 * cell, the column. The stage and the streamed path keep a row's reasons as text, one JSON object
 * a line (`encodeReasons`; JSON never holds a raw newline, so a rule in SQL appends a reason with
 * `reason || '\n' || …`); they are translated only when the rejects report and the terminal's
 * sample are written (`reasonsText`), in the language of the run.
 */
export interface Reason {
  key: MessageKey;
  params?: Record<string, unknown>;
  /** The column the reason is about ("IDENTIFIANT_STRUCTURE: …"); none for the rules across rows. */
  column?: string;
}

/** What separates two reasons of a row in the stored text. */
export const REASON_SEPARATOR = '\n';

export function reason(key: MessageKey, params?: Record<string, unknown>, column?: string): Reason {
  const r: Reason = { key };
  if (params && Object.keys(params).length > 0) r.params = params;
  if (column !== undefined) r.column = column;
  return r;
}

export const encodeReason = (r: Reason): string => JSON.stringify(r);

export const encodeReasons = (rs: readonly Reason[]): string =>
  rs.map(encodeReason).join(REASON_SEPARATOR);

export function decodeReasons(text: string): Reason[] {
  return text
    .split(REASON_SEPARATOR)
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Reason);
}

/** A reason in words: `COLUMN : message` when it is about a column, else the message. */
export function reasonText(lang: Lang, r: Reason): string {
  const message = t(lang, r.key, r.params ?? {});
  return r.column === undefined ? message : t(lang, 'row.issue', { column: r.column, message });
}

/** A row's stored reasons, in words, in the order they were found. */
export const reasonsText = (lang: Lang, text: string): string[] =>
  decodeReasons(text).map((r) => reasonText(lang, r));

/**
 * A reason whose one parameter SQL fills in, as the JSON text before and after that parameter's
 * JSON value: `before || json_quote(x) || after` is the reason's JSON.
 */
export function reasonAround(key: MessageKey, param: string): [string, string] {
  const HOLE = '"\u0000"';
  const text = encodeReason({ key, params: { [param]: '\u0000' } }).replace('"\\u0000"', HOLE);
  const [before, after = ''] = text.split(HOLE);
  return [before!, after];
}
