import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Small real documents made by the tests (nothing binary is committed): each is the smallest
 * file of its format that a reader — and file-type — takes for what it is, plus the files a
 * holder must not get stored (disguised executables, empty, oversized, misnamed).
 */

const crc32 = (data: Buffer) => zlib.crc32(data);

/** A zip of stored (uncompressed) entries, as office suites write their documents. */
export function zip(entries: { name: string; data: Buffer | string }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : e.data;
    const name = Buffer.from(e.name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const CONTENT_TYPES = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="${main}"/></Types>`;

/** A 1×1 PNG, the smallest image a viewer opens. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

export const DOCUMENTS = {
  /** A one-page PDF: header, catalogue, page, trailer. */
  pdf: () =>
    Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
        '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    ),
  png: () => PNG,
  jpg: () =>
    Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
      Buffer.from('JFIF\0'),
      Buffer.alloc(64, 0x20),
      Buffer.from([0xff, 0xd9]),
    ]),
  gif: () => Buffer.from('R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=', 'base64'),
  docx: () =>
    zip([
      {
        name: '[Content_Types].xml',
        data: CONTENT_TYPES(
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
        ),
      },
      {
        name: 'word/document.xml',
        data: '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Présentation de la mairie</w:t></w:r></w:p></w:body></w:document>',
      },
    ]),
  /** A macro-enabled Word document: what a .docx must not be. */
  docm: () =>
    zip([
      {
        name: '[Content_Types].xml',
        data: CONTENT_TYPES('application/vnd.ms-word.document.macroEnabled.main+xml'),
      },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]),
  odt: () =>
    zip([
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
      { name: 'content.xml', data: '<office:document-content/>' },
    ]),
  zip: () => zip([{ name: 'lisez-moi.txt', data: 'Pièces du dossier\n' }]),
  /** An OLE2 compound file header, as .doc, .xls and .ppt files start. */
  doc: () =>
    Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
    ]),
  gz: () => zlib.gzipSync('Bonjour\n'),
  rtf: () => Buffer.from('{\\rtf1\\ansi Carte grise\\par}\n'),
  txt: () => Buffer.from('Rendez-vous à la mairie de Pau le 12/03.\r\nMerci.\r\n'),
  /** A CSV in Windows-1252 (é is 0xE9), as a spreadsheet exports it. */
  csvCp1252: () => Buffer.from('Nom;Prénom\r\nDUFOUR;Hélène\r\n', 'latin1'),
  csv: () => Buffer.from('Nom;Prénom\nDUFOUR;Hélène\n'),
  svg: () =>
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n',
    ),
  xml: () => Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<mairie nom="Pau"/>\n'),
  html: () => Buffer.from('<!doctype html>\n<html><body><h1>Mairie de Pau</h1></body></html>\n'),
  /** A DOS/Windows program: the MZ header and the stub of every .exe. */
  exe: () => {
    const b = Buffer.alloc(256);
    b.write('MZ', 0, 'latin1');
    b.writeUInt32LE(0x80, 0x3c);
    b.write('This program cannot be run in DOS mode.', 0x4e, 'latin1');
    b.write('PE\0\0', 0x80, 'latin1');
    return b;
  },
  /** The start of the very Node that runs the tests: a real ELF (or Mach-O) executable. */
  elf: () => {
    const fd = fs.openSync(process.execPath, 'r');
    try {
      const b = Buffer.alloc(64 * 1024);
      return b.subarray(0, fs.readSync(fd, b, 0, b.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  },
  /** Bytes that are nothing in particular. */
  binary: () => Buffer.concat([Buffer.from([0x00, 0x01, 0x02, 0x03]), randomBytes(2048)]),
};

/** A PDF of `bytes` bytes: a real header, then random bytes (incompressible, as a scan is). */
export function bigPdf(bytes: number): Buffer {
  const head = DOCUMENTS.pdf();
  return Buffer.concat([head, randomBytes(bytes - head.length)]);
}

/** Writes `data` as `name` in `dir` and returns its path. */
export function writeDocument(dir: string, name: string, data: Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return file;
}

/** A file of `bytes` zero bytes that takes no room on disk (its size is all that is checked first). */
export function sparseFile(dir: string, name: string, bytes: number): string {
  const file = path.join(dir, name);
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, bytes);
  return file;
}
