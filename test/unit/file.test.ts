import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkContent,
  checkFileName,
  checkSize,
  designation,
  EXTENSIONS,
  extensionOf,
  fileType,
  isWindowsReserved,
  MAX_FILE_BYTES,
  numberedName,
  safeFileName,
  TextScan,
} from '../../src/domain/file.js';

/** SPEC 9's rules of a file, without any byte read: names, sizes, designations, content verdicts. */

const SPEC_9 =
  'bmp gif fax odt ppt tiff xls bz2 gz jpeg p7s rtf txt xml csv gzip jpg pdf svg xhtml xlsx doc htm odp png tgz xlc zip docx html ods pps tif xlm pptx';

describe('names', () => {
  it('allows exactly the extensions SPEC 9 lists, in any case', () => {
    expect([...EXTENSIONS].sort()).toEqual(SPEC_9.split(' ').sort());
    for (const ext of SPEC_9.split(' ')) {
      expect(checkFileName(`piece.${ext}`)).toEqual({ ok: true, extension: ext });
      expect(checkFileName(`PIECE.${ext.toUpperCase()}`)).toEqual({ ok: true, extension: ext });
    }
  });

  it('refuses other extensions, naming the one found and the allowed list', () => {
    for (const name of [
      'setup.exe',
      'script.sh',
      'photo.webp',
      'archive.7z',
      'facture.pdf.exe',
      'page.php',
    ]) {
      const r = checkFileName(name);
      expect(r.ok, name).toBe(false);
      if (!r.ok) {
        expect(r.key).toBe('file.extensionRefused');
        expect(r.params?.ext).toBe(path.extname(name).slice(1));
        expect(String(r.params?.allowed)).toContain('pdf');
      }
    }
  });

  it('refuses a name without an extension: none, a leading dot only, a trailing dot', () => {
    for (const name of ['facture', '.pdf', 'facture.', '..'])
      expect(checkFileName(name), name).toMatchObject({ ok: false, key: 'file.noExtension' });
    expect(extensionOf('archive.tar.gz')).toBe('gz');
    expect(extensionOf('Carte Grise.PDF')).toBe('pdf');
  });

  it('takes 50 characters with the extension, counted as a person counts them', () => {
    const at50 = 'a'.repeat(46) + '.pdf';
    expect(checkFileName(at50)).toEqual({ ok: true, extension: 'pdf' });
    expect(checkFileName('a' + at50)).toMatchObject({
      ok: false,
      key: 'file.nameTooLong',
      params: { length: 51, max: 50 },
    });
    // accents and emoji are one character each
    expect(checkFileName('é'.repeat(46) + '.pdf')).toMatchObject({ ok: true });
    expect(checkFileName('📄'.repeat(46) + '.pdf')).toMatchObject({ ok: true });
    expect(checkFileName('📄'.repeat(47) + '.pdf')).toMatchObject({
      ok: false,
      key: 'file.nameTooLong',
    });
  });

  it('refuses separators in a name', () => {
    for (const name of ['dir/a.pdf', 'dir\\a.pdf', ''])
      expect(checkFileName(name), JSON.stringify(name)).toMatchObject({
        ok: false,
        key: 'file.nameInvalid',
      });
  });

  it('refuses control characters (C0, DEL, C1) in a name, naming the one found', () => {
    for (const [name, char] of [
      ['a\nb.pdf', 'U+000A'],
      ['a\u0000.pdf', 'U+0000'],
      ['a\rb.pdf', 'U+000D'],
      ['a\tb.pdf', 'U+0009'],
      ['a\u001bb.pdf', 'U+001B'],
      ['a\u007fb.pdf', 'U+007F'],
      ['a\u0085b.pdf', 'U+0085'],
      ['a\u009bb.pdf', 'U+009B'],
    ])
      expect(checkFileName(name!), JSON.stringify(name)).toEqual({
        ok: false,
        key: 'file.nameControl',
        params: { char },
      });
  });

  it('refuses bidirectional controls: rapport<U+202E>fdp.html does not pass for rapportlmth.pdf', () => {
    expect(checkFileName('rapport\u202Efdp.html')).toEqual({
      ok: false,
      key: 'file.nameControl',
      params: { char: 'U+202E' },
    });
    const bidi = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const cp of [...bidi, 0x200e, 0x200f, 0x061c]) {
      const ch = String.fromCodePoint(cp);
      for (const name of [`${ch}facture.pdf`, `fac${ch}ture.pdf`, `facture.pd${ch}f`])
        expect(checkFileName(name), name).toMatchObject({ ok: false, key: 'file.nameControl' });
    }
    // the characters around them stay allowed: no-break spaces, zero-width joiners in emoji
    expect(checkFileName('Carte\u00a0grise.pdf')).toMatchObject({ ok: true });
    expect(checkFileName('👩\u200d💼.pdf')).toMatchObject({ ok: true });
  });

  it('refuses the names Windows reserves, in any case, with any extension', () => {
    const devices = ['CON', 'PRN', 'AUX', 'NUL'];
    for (let n = 1; n <= 9; n++) devices.push(`COM${n}`, `LPT${n}`);
    for (const d of devices)
      for (const name of [
        `${d}.pdf`,
        `${d.toLowerCase()}.tar.gz`,
        `${d[0]}${d.slice(1).toLowerCase()}.txt`,
        `${d} .pdf`,
      ])
        expect(checkFileName(name), name).toEqual({
          ok: false,
          key: 'file.nameReserved',
          params: { name },
        });
    // a device name inside a longer name is an ordinary name
    for (const name of [
      'CONTRAT.pdf',
      'console.txt',
      'com10.pdf',
      'lpt.pdf',
      'facture CON.pdf',
      'nul-part.pdf',
    ])
      expect(checkFileName(name), name).toMatchObject({ ok: true });
    expect(isWindowsReserved('con.tar.gz')).toBe(true);
    expect(isWindowsReserved('CONTRAT.pdf')).toBe(false);
  });

  it('property: a name holding a control or bidirectional character is never accepted', () => {
    const invisible = fc.constantFrom(
      ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
      ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
      '\u202a',
      '\u202b',
      '\u202c',
      '\u202d',
      '\u202e',
      '\u2066',
      '\u2067',
      '\u2068',
      '\u2069',
      '\u200e',
      '\u200f',
      '\u061c',
    );
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        invisible,
        fc.string({ maxLength: 20 }),
        (before, ch, after) => {
          expect(checkFileName(`${before}${ch}${after}.pdf`).ok).toBe(false);
        },
      ),
    );
  });
});

describe('size', () => {
  it('refuses an empty file and a file of 10 MB or more', () => {
    expect(checkSize(0)).toEqual({ ok: false, key: 'file.empty' });
    expect(checkSize(1)).toEqual({ ok: true });
    expect(checkSize(MAX_FILE_BYTES - 1)).toEqual({ ok: true });
    expect(checkSize(MAX_FILE_BYTES)).toMatchObject({ ok: false, key: 'file.tooLarge' });
    expect(MAX_FILE_BYTES).toBe(10_000_000);
  });
});

describe('designation and type', () => {
  it('takes 1 to 100 characters, spaces collapsed', () => {
    expect(designation.parse('  Carte   grise  Clio ')).toBe('Carte grise Clio');
    expect(designation.parse('x'.repeat(100))).toHaveLength(100);
    expect(designation.parse('é'.repeat(100))).toBe('é'.repeat(100));
    const issues = (v: string) => designation.safeParse(v).error?.issues.map((i) => i.message);
    expect(issues('')).toEqual(['validation.required']);
    expect(issues('   ')).toEqual(['validation.required']);
    expect(issues('x'.repeat(101))).toEqual(['file.designationLength']);
    expect(issues('a\u0007b')).toEqual(['file.designationControl']);
    expect(issues('Carte grise \u202Eoilc')).toEqual(['file.designationControl']);
  });

  it('knows the types of SPEC 3, in any case, and no other', () => {
    expect(fileType.parse('carte_grise')).toBe('CARTE_GRISE');
    expect(fileType.parse(' RIB ')).toBe('RIB');
    for (const t of [
      'JUSTIFICATIF',
      'CARTE_GRISE',
      'BROCHURE',
      'PRESENTATION',
      'ATTESTATION',
      'RIB',
      'AUTRE',
    ])
      expect(fileType.parse(t)).toBe(t);
    expect(fileType.safeParse('FACTURE').error?.issues.map((i) => i.message)).toEqual([
      'file.typeUnknown',
    ]);
  });
});

describe('content against extension', () => {
  it('accepts what file-type recognises as the extension’s format', () => {
    expect(checkContent('pdf', 'pdf', false)).toEqual({ ok: true });
    expect(checkContent('jpeg', 'jpg', false)).toEqual({ ok: true });
    expect(checkContent('tiff', 'tif', false)).toEqual({ ok: true });
    expect(checkContent('doc', 'cfb', false)).toEqual({ ok: true });
    expect(checkContent('docx', 'docx', false)).toEqual({ ok: true });
    expect(checkContent('docx', 'zip', false)).toEqual({ ok: true });
    expect(checkContent('zip', 'xlsx', false)).toEqual({ ok: true });
    expect(checkContent('tgz', 'tar.gz', false)).toEqual({ ok: true });
  });

  it('refuses an executable under any extension, with its own message', () => {
    for (const ext of EXTENSIONS)
      for (const exe of ['exe', 'elf', 'macho'])
        expect(checkContent(ext, exe, false)).toEqual({
          ok: false,
          key: 'file.executable',
          params: { detected: exe, ext },
        });
  });

  it('refuses another recognised format, and a signature-bearing format recognised as nothing', () => {
    expect(checkContent('pdf', 'png', false)).toEqual({
      ok: false,
      key: 'file.contentMismatch',
      params: { detected: 'png', ext: 'pdf' },
    });
    // a macro-enabled document renamed .docx is not a .docx
    expect(checkContent('docx', 'docm', false)).toMatchObject({
      ok: false,
      key: 'file.contentMismatch',
    });
    expect(checkContent('zip', 'epub', false)).toMatchObject({
      ok: false,
      key: 'file.contentMismatch',
    });
    expect(checkContent('pdf', undefined, true)).toEqual({
      ok: false,
      key: 'file.contentUnrecognised',
      params: { ext: 'pdf' },
    });
    expect(checkContent('png', undefined, false)).toMatchObject({
      ok: false,
      key: 'file.contentUnrecognised',
    });
  });

  it('text formats: nothing recognised and text bytes, or XML that is text', () => {
    for (const ext of ['txt', 'csv', 'xml', 'svg', 'htm', 'html', 'xhtml'] as const) {
      expect(checkContent(ext, undefined, true), ext).toEqual({ ok: true });
      expect(checkContent(ext, undefined, false), ext).toEqual({
        ok: false,
        key: 'file.notText',
        params: { ext },
      });
      expect(checkContent(ext, 'pdf', true), ext).toMatchObject({
        ok: false,
        key: 'file.contentMismatch',
      });
    }
    expect(checkContent('svg', 'xml', true)).toEqual({ ok: true });
    expect(checkContent('xml', 'xml', false)).toMatchObject({ ok: false, key: 'file.notText' });
    expect(checkContent('txt', 'xml', true)).toMatchObject({
      ok: false,
      key: 'file.contentMismatch',
    });
  });

  it('formats without a signature take unrecognised bytes, but nothing recognised as another format', () => {
    for (const ext of ['fax', 'p7s', 'xlc', 'xlm'] as const) {
      expect(checkContent(ext, undefined, false), ext).toEqual({ ok: true });
      expect(checkContent(ext, 'gif', false), ext).toMatchObject({
        ok: false,
        key: 'file.contentMismatch',
      });
    }
    expect(checkContent('fax', 'tif', false)).toEqual({ ok: true });
    expect(checkContent('xlm', 'cfb', false)).toEqual({ ok: true });
  });
});

describe('TextScan', () => {
  const scan = (...chunks: (string | number[])[]) => {
    const s = new TextScan();
    for (const c of chunks)
      s.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : Uint8Array.from(c));
    return s.isText;
  };

  it('takes UTF-8 and Windows-1252 text with tabs, CR, LF and form feeds', () => {
    expect(scan(Buffer.from('Nom;Prénom\r\nDUFOUR;Hélène\t€\f\n', 'utf8').toString('latin1'))).toBe(
      true,
    );
    expect(scan([0x4e, 0xe9, 0x80, 0x0d, 0x0a])).toBe(true); // Windows-1252 "Né€"
    expect(scan([0xef, 0xbb, 0xbf, 0x61])).toBe(true); // UTF-8 BOM
    expect(scan([0xff, 0xfe, 0x61, 0x00, 0x62, 0x00])).toBe(true); // UTF-16LE with its BOM
  });

  it('calls binary any other control byte, in any chunk', () => {
    expect(scan('text', [0x00])).toBe(false);
    expect(scan('abc', 'def', [0x1b])).toBe(false);
    expect(scan([0x7f])).toBe(false);
    expect(scan([0x61, 0x00, 0x62, 0x00])).toBe(false); // UTF-16 without a BOM
  });

  it('property: a byte string is text exactly when it holds no refused control byte', () => {
    const refused = (b: number) =>
      (b < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d].includes(b)) || b === 0x7f;
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 }), (chunks) => {
        const all = chunks.flatMap((c) => [...c]);
        // (a first chunk opening on a UTF-16 byte-order mark is text whatever follows: tested above)
        const first = chunks.find((c) => c.length > 0);
        fc.pre(
          !(
            first &&
            first.length >= 2 &&
            ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff))
          ),
        );
        const s = new TextScan();
        for (const c of chunks) s.push(c);
        expect(s.isText).toBe(!all.some(refused));
      }),
    );
  });
});

describe('names to write back', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('Carte grise Clio.pdf')).toBe('Carte grise Clio.pdf');
    expect(safeFileName('présentation mairie.odp')).toBe('présentation mairie.odp');
  });

  it('removes separators, parent references, control characters and leading dots', () => {
    expect(safeFileName('../../etc/passwd.txt')).toBe('_.._etc_passwd.txt');
    expect(safeFileName('..\\..\\boot.ini.txt')).toBe('_.._boot.ini.txt');
    expect(safeFileName('.bashrc.txt')).toBe('bashrc.txt');
    expect(safeFileName('a\nb\u0000c.pdf')).toBe('a_b_c.pdf');
    expect(safeFileName('..')).toBe('fichier');
    expect(safeFileName('  ')).toBe('fichier');
    expect(safeFileName('a:b*c?.pdf')).toBe('a_b_c_.pdf');
  });

  it('writes back a name stored before bidirectional and reserved names were refused, made harmless', () => {
    expect(safeFileName('rapport\u202Efdp.html')).toBe('rapport_fdp.html');
    expect(safeFileName('CON.pdf')).toBe('_CON.pdf');
    expect(safeFileName('lpt1.tar.gz')).toBe('_lpt1.tar.gz');
  });

  it('numbers a taken name before its extension', () => {
    expect(numberedName('carte grise.pdf', 1)).toBe('carte grise.pdf');
    expect(numberedName('carte grise.pdf', 2)).toBe('carte grise (2).pdf');
    expect(numberedName('archive.tar.gz', 3)).toBe('archive.tar (3).gz');
    expect(numberedName('fichier', 2)).toBe('fichier (2)');
  });

  it('property: a safe name, numbered or not, is one plain entry of the folder it is joined to', () => {
    const dir = path.resolve('/srv/telechargements');
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        (name, n) => {
          const safe = numberedName(safeFileName(name), n);
          // eslint-disable-next-line no-control-regex -- control characters are what it looks for
          expect(safe).not.toMatch(/[/\\\u0000-\u001f]/);
          expect(safe).not.toMatch(/^\./);
          expect(['', '.', '..']).not.toContain(safe);
          const joined = path.join(dir, safe);
          expect(path.dirname(joined)).toBe(dir);
          expect(path.basename(joined)).toBe(safe);
        },
      ),
    );
  });
});
