import { z } from 'zod';
import { FILE_TYPES } from './enums.js';
import { codePoint, firstInvisible, hasControlOrBidi } from './text.js';

/**
 * The rules of a file (pièce jointe, SPEC 9), pure: its name, designation, type and size, what
 * its content may be for its extension, and the names it may be written back under. The bytes
 * are read and sniffed by app/files.ts (file-type does the sniffing); this module only judges.
 */

/** 10 MB, read as 10,000,000 bytes: a file accepted here is under 10 MB whichever way a portal counts. */
export const MAX_FILE_BYTES = 10_000_000;
export const MAX_NAME_CHARS = 50;
export const MAX_DESIGNATION_CHARS = 100;

/**
 * What file-type may find in a file of each extension SPEC 9 allows (`detected`, in file-type's
 * own names), and what to make of content it recognises as nothing: `refuse` for formats that
 * always carry a signature, `text` for text formats (the content must then be text), `accept`
 * for binary formats with no signature at all (raw G3 fax, DER signatures, Excel 4 BIFF).
 * Anything recognised as another format — an executable above all — contradicts the extension.
 */
interface Format {
  media: string;
  detected: readonly string[];
  undetected: 'refuse' | 'text' | 'accept';
}

const OFFICE_ZIPS = ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp'] as const;
/** A zip-based document whose first entries file-type could not tell apart is still a zip. */
const zipped = (ext: (typeof OFFICE_ZIPS)[number]) => [ext, 'zip'] as const;

export const FORMATS = {
  bmp: { media: 'image/bmp', detected: ['bmp'], undetected: 'refuse' },
  gif: { media: 'image/gif', detected: ['gif'], undetected: 'refuse' },
  png: { media: 'image/png', detected: ['png', 'apng'], undetected: 'refuse' },
  jpg: { media: 'image/jpeg', detected: ['jpg'], undetected: 'refuse' },
  jpeg: { media: 'image/jpeg', detected: ['jpg'], undetected: 'refuse' },
  tif: { media: 'image/tiff', detected: ['tif'], undetected: 'refuse' },
  tiff: { media: 'image/tiff', detected: ['tif'], undetected: 'refuse' },
  fax: { media: 'image/g3fax', detected: ['tif'], undetected: 'accept' },
  svg: { media: 'image/svg+xml', detected: ['xml'], undetected: 'text' },
  pdf: { media: 'application/pdf', detected: ['pdf'], undetected: 'refuse' },
  rtf: { media: 'application/rtf', detected: ['rtf'], undetected: 'refuse' },
  p7s: { media: 'application/pkcs7-signature', detected: [], undetected: 'accept' },
  txt: { media: 'text/plain', detected: [], undetected: 'text' },
  csv: { media: 'text/csv', detected: [], undetected: 'text' },
  xml: { media: 'application/xml', detected: ['xml'], undetected: 'text' },
  htm: { media: 'text/html', detected: ['xml'], undetected: 'text' },
  html: { media: 'text/html', detected: ['xml'], undetected: 'text' },
  xhtml: { media: 'application/xhtml+xml', detected: ['xml'], undetected: 'text' },
  doc: { media: 'application/msword', detected: ['cfb'], undetected: 'refuse' },
  xls: { media: 'application/vnd.ms-excel', detected: ['cfb'], undetected: 'refuse' },
  xlc: { media: 'application/vnd.ms-excel', detected: ['cfb'], undetected: 'accept' },
  xlm: { media: 'application/vnd.ms-excel', detected: ['cfb'], undetected: 'accept' },
  ppt: { media: 'application/vnd.ms-powerpoint', detected: ['cfb'], undetected: 'refuse' },
  pps: { media: 'application/vnd.ms-powerpoint', detected: ['cfb'], undetected: 'refuse' },
  docx: {
    media: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    detected: zipped('docx'),
    undetected: 'refuse',
  },
  xlsx: {
    media: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    detected: zipped('xlsx'),
    undetected: 'refuse',
  },
  pptx: {
    media: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    detected: zipped('pptx'),
    undetected: 'refuse',
  },
  odt: {
    media: 'application/vnd.oasis.opendocument.text',
    detected: zipped('odt'),
    undetected: 'refuse',
  },
  ods: {
    media: 'application/vnd.oasis.opendocument.spreadsheet',
    detected: zipped('ods'),
    undetected: 'refuse',
  },
  odp: {
    media: 'application/vnd.oasis.opendocument.presentation',
    detected: zipped('odp'),
    undetected: 'refuse',
  },
  zip: { media: 'application/zip', detected: ['zip', ...OFFICE_ZIPS], undetected: 'refuse' },
  gz: { media: 'application/gzip', detected: ['gz', 'tar.gz'], undetected: 'refuse' },
  gzip: { media: 'application/gzip', detected: ['gz', 'tar.gz'], undetected: 'refuse' },
  tgz: { media: 'application/gzip', detected: ['tar.gz', 'gz'], undetected: 'refuse' },
  bz2: { media: 'application/x-bzip2', detected: ['bz2'], undetected: 'refuse' },
} as const satisfies Record<string, Format>;

export type Extension = keyof typeof FORMATS;
/** SPEC 9's list, in alphabetical order, for messages. */
export const EXTENSIONS = (Object.keys(FORMATS) as Extension[]).sort();

/** file-type's names for programs: their own message, whatever extension they hide behind. */
const EXECUTABLES = new Set([
  'exe',
  'elf',
  'macho',
  'class',
  'wasm',
  'jar',
  'apk',
  'lnk',
  'swf',
  'crx',
  'xpi',
  'deb',
  'rpm',
  'dmg',
]);

/** Why a file is refused: catalogue keys (src/i18n checks that each has its text). */
export type FileRefusalKey =
  | 'file.changed'
  | 'file.contentMismatch'
  | 'file.contentUnrecognised'
  | 'file.designationControl'
  | 'file.designationLength'
  | 'file.empty'
  | 'file.executable'
  | 'file.extensionRefused'
  | 'file.nameControl'
  | 'file.nameInvalid'
  | 'file.nameReserved'
  | 'file.nameTooLong'
  | 'file.noExtension'
  | 'file.notText'
  | 'file.tooLarge'
  | 'file.typeUnknown';

export type Verdict =
  { ok: true } | { ok: false; key: FileRefusalKey; params?: Record<string, string | number> };
const OK: Verdict = { ok: true };
const no = (key: FileRefusalKey, params?: Record<string, string | number>): Verdict => ({
  ok: false,
  key,
  params,
});

/** Length as a person counts it: code points, not UTF-16 units (an emoji is one character). */
export const charCount = (s: string) => [...s].length;

/**
 * The names Windows keeps for its devices, whatever their case and extension (`CON.pdf`,
 * `con.tar.gz`, `Lpt1 .txt`): a file saved under one cannot be opened there. COM0/LPT0 and the
 * superscript digits (`COM¹`) are reserved too.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Whether Windows reserves `name`: its part before the first dot (trailing spaces ignored) is a device. */
export function isWindowsReserved(name: string): boolean {
  const dot = name.indexOf('.');
  return WINDOWS_RESERVED.test((dot < 0 ? name : name.slice(0, dot)).replace(/[\s.]+$/, ''));
}

/** The extension of a name, lower-cased; null when it has none (`facture`, `.pdf`, `facture.`). */
export function extensionOf(name: string): string | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  return name.slice(dot + 1).toLowerCase();
}

export function isAllowedExtension(ext: string): ext is Extension {
  return Object.hasOwn(FORMATS, ext);
}

/** The original name: at most 50 characters with its extension, which must be one of SPEC 9's. */
export function checkFileName(
  name: string,
):
  | { ok: true; extension: Extension }
  | { ok: false; key: FileRefusalKey; params?: Record<string, string | number> } {
  // a control or bidirectional character makes a name show other than it is (`rapport\u202Efdp.html`)
  const hidden = firstInvisible(name);
  if (hidden !== undefined)
    return { ok: false, key: 'file.nameControl', params: { char: codePoint(hidden) } };
  if (name === '' || /[/\\]/.test(name)) return { ok: false, key: 'file.nameInvalid' };
  if (isWindowsReserved(name)) return { ok: false, key: 'file.nameReserved', params: { name } };
  if (charCount(name) > MAX_NAME_CHARS)
    return {
      ok: false,
      key: 'file.nameTooLong',
      params: { max: MAX_NAME_CHARS, length: charCount(name) },
    };
  const ext = extensionOf(name);
  if (ext === null) return { ok: false, key: 'file.noExtension' };
  if (!isAllowedExtension(ext))
    return {
      ok: false,
      key: 'file.extensionRefused',
      params: { ext, allowed: EXTENSIONS.join(' ') },
    };
  return { ok: true, extension: ext };
}

/** Empty files and files of 10 MB or more are refused. */
export function checkSize(bytes: number): Verdict {
  if (bytes === 0) return no('file.empty');
  if (bytes >= MAX_FILE_BYTES) return no('file.tooLarge', { size: bytes, max: MAX_FILE_BYTES });
  return OK;
}

/** A designation: spaces collapsed, 1 to 100 characters, no control or bidirectional character. */
export const designation = z
  .string()
  .transform((s) => s.normalize('NFC').trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, { error: 'validation.required', abort: true })
      .refine((s) => charCount(s) <= MAX_DESIGNATION_CHARS, { error: 'file.designationLength' })
      .refine((s) => !hasControlOrBidi(s), { error: 'file.designationControl' }),
  );

/** A type of SPEC 3, in any case (`carte_grise` is `CARTE_GRISE`). */
export const fileType = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.enum(FILE_TYPES, { error: 'file.typeUnknown' }));

/**
 * Whether the content agrees with the extension: `detected` is what file-type recognised
 * (undefined: nothing), `isText` whether every byte was text (see TextScan).
 */
export function checkContent(
  ext: Extension,
  detected: string | undefined,
  isText: boolean,
): Verdict {
  const format: Format = FORMATS[ext];
  if (detected !== undefined) {
    if (EXECUTABLES.has(detected)) return no('file.executable', { detected, ext });
    if (!format.detected.includes(detected)) return no('file.contentMismatch', { detected, ext });
    return format.undetected === 'text' && !isText ? no('file.notText', { ext }) : OK;
  }
  if (format.undetected === 'refuse') return no('file.contentUnrecognised', { ext });
  if (format.undetected === 'text' && !isText) return no('file.notText', { ext });
  return OK;
}

/**
 * Watches the bytes of a file go by and tells whether they are text: no control byte other than
 * tab, line feed, form feed and carriage return, in any ASCII-compatible encoding (UTF-8,
 * Windows-1252…), or anything after a UTF-16 byte-order mark.
 */
export class TextScan {
  private seen = 0;
  private utf16 = false;
  private binary = false;

  push(chunk: Uint8Array): void {
    if (
      this.seen === 0 &&
      chunk.length >= 2 &&
      ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
    )
      this.utf16 = true;
    this.seen += chunk.length;
    if (this.utf16 || this.binary) return;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f) {
        this.binary = true;
        return;
      }
    }
  }

  get isText(): boolean {
    return !this.binary;
  }
}

// ---- names for writing back ------------------------------------------------------------------

// characters no file system of the users' takes in a name, and separators of every platform
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069/\\<>:"|?*]/g;

/**
 * A stored name made safe to create in a folder: no separator, no control or bidirectional
 * character, no leading dot (so never `.` or `..`, nor a hidden file), no trailing dot or space,
 * not a name Windows reserves (a name stored before they were refused gets a `_` in front).
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(UNSAFE, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (cleaned === '') return 'fichier';
  return isWindowsReserved(cleaned) ? `_${cleaned}` : cleaned;
}

/** The n-th candidate for a name already taken: `carte grise (2).pdf`. */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const ext = extensionOf(name);
  const base = ext === null ? name : name.slice(0, name.length - ext.length - 1);
  return ext === null ? `${base} (${n})` : `${base} (${n}).${name.slice(name.length - ext.length)}`;
}
