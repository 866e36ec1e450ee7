import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeMail, mailSubject } from '../../src/app/mail.js';
import { hasControlOrBidi, visible } from '../../src/domain/text.js';
import { Output, type Column, type Format } from '../../src/ui/output.js';
import type { Io } from '../../src/ui/io.js';

/**
 * SPEC 9: stored text shown in a terminal or put in an e-mail has its control and bidirectional
 * characters written out (domain/text.ts `visible`), wherever it lands: table cells, label/value
 * records, messages' parameters, mail subjects and bodies. JSON keeps the raw value.
 */

// a raison sociale imported with a CR/LF and a right-to-left override
const NASTY = 'MAIRIE DE PAU\r\nLIGNE 2 \u202Efdp.exe';
const SHOWN = 'MAIRIE DE PAU\\r\\nLIGNE 2 \\u{202E}fdp.exe';

/** Every character `visible` must write out. */
const INVISIBLES = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((c) =>
    String.fromCodePoint(c),
  ),
  '\u200e',
  '\u200f',
  '\u061c',
  '\u2028',
  '\u2029',
];

const textWithInvisibles = fc.array(
  fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom(...INVISIBLES)),
  { maxLength: 12 },
);

describe('visible', () => {
  it.each([
    [NASTY, SHOWN],
    ['a\tb', 'a\\tb'],
    ['\u001b[31mrouge', '\\u{001B}[31mrouge'],
    ['x\u0000y\u007fz\u0085', 'x\\u{0000}y\\u{007F}z\\u{0085}'],
    ['\u2066isolé\u2069 \u200e\u200f\u061c', '\\u{2066}isolé\\u{2069} \\u{200E}\\u{200F}\\u{061C}'],
    ['ligne\u2028suite', 'ligne\\u{2028}suite'],
  ])('writes out case %#', (raw, shown) => {
    expect(visible(raw)).toBe(shown);
  });

  it('leaves ordinary text as it is: accents, emoji and their joiners, no-break spaces, backslashes', () => {
    for (const s of ['Château d’Œx', '👩\u200d💼 équipe', 'n°\u00a012', 'C:\\temp', ''])
      expect(visible(s)).toBe(s);
  });

  it('keeps line feeds of a text made of lines on purpose, a CRLF as one, and writes out a CR alone', () => {
    expect(visible('a: 1 → 2\nb: x → y', { lines: true })).toBe('a: 1 → 2\nb: x → y');
    expect(visible('a\r\nb\rc\u202E', { lines: true })).toBe('a\nb\\rc\\u{202E}');
  });

  it('property: nothing it writes holds a control or bidirectional character', () => {
    fc.assert(
      fc.property(textWithInvisibles, (parts) => {
        const raw = parts.join('');
        const shown = visible(raw);
        expect(hasControlOrBidi(shown)).toBe(false);
        // with lines: line feeds only
        expect(hasControlOrBidi(visible(raw, { lines: true }).replace(/\n/g, ''))).toBe(false);
        // text without any is left alone
        if (!hasControlOrBidi(raw)) expect(shown).toBe(raw);
      }),
    );
  });
});

/** An Output writing to buffers, as the program's would in a terminal of 200 columns. */
function output(format: Format) {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (chunks: Buffer[]) => {
    const s = new PassThrough();
    s.on('data', (d: Buffer) => chunks.push(d));
    return Object.assign(s, { isTTY: false, columns: 200 });
  };
  const io = {
    stdin: Readable.from(['']),
    stdout: sink(out),
    stderr: sink(err),
    env: { NO_COLOR: '1' },
    cwd: '/',
    clock: { now: () => new Date('2026-03-02T10:00:00Z') },
    prompter: {} as Io['prompter'],
  } as Io;
  const o = new Output({ lang: 'fr', format, quiet: false, verbose: false, io });
  return {
    o,
    stdout: () => Buffer.concat(out).toString('utf8'),
    stderr: () => Buffer.concat(err).toString('utf8'),
  };
}

interface Row {
  identifier: string;
  companyName: string;
  changes: string;
}
const COLUMNS: Column<Row>[] = [
  { key: 'identifier', label: 'col.identifier' },
  { key: 'companyName', label: 'col.companyName' },
];
const ROW: Row = { identifier: '21640445700019', companyName: NASTY, changes: 'x' };

describe('the terminal', () => {
  it('a table shows a stored CR/LF and bidi override written out, on one line', async () => {
    const { o, stdout } = output('table');
    await o.list([ROW], COLUMNS);
    const text = stdout();
    expect(text).toContain(SHOWN);
    expect(hasControlOrBidi(text.replace(/\n/g, ''))).toBe(false);
    // header, border lines and the one row: the CR/LF did not split it
    expect(text.split('\n').filter((l) => l.includes('21640445700019'))).toHaveLength(1);
  });

  it('a label/value record too', async () => {
    const { o, stdout } = output('table');
    await o.record(ROW, COLUMNS);
    expect(stdout()).toContain(SHOWN);
    expect(hasControlOrBidi(stdout().replace(/\n/g, ''))).toBe(false);
  });

  it('a column of several lines on purpose keeps its line feeds, not what the stored text holds', async () => {
    const { o, stdout } = output('table');
    await o.list(
      [{ ...ROW, changes: `companyName: A → ${NASTY}\ncity: PAU → PAU 2` }],
      [{ key: 'changes', label: 'col.changes', lines: true }],
    );
    // a CRLF counts as a line break there; a CR or an override never gets through
    expect(stdout()).toContain('companyName: A → MAIRIE DE PAU');
    expect(stdout()).toContain('city: PAU → PAU 2');
    expect(stdout()).not.toContain('\r');
    expect(stdout()).toContain('\\u{202E}fdp.exe');
    expect(stdout()).not.toContain('\u202E');
  });

  it('a message’s parameters are written out; the message’s own text is not', () => {
    const { o, stderr } = output('table');
    o.info('structure.notFound', { ref: NASTY });
    expect(stderr()).toBe(`Structure introuvable : ${SHOWN}.\n`);
    o.warn('structure.notFound', { ref: 'a\u001b[2Jb' });
    expect(stderr()).toContain('a\\u{001B}[2Jb');
  });

  it('JSON keeps the raw value (its own escaping covers the controls)', async () => {
    const { o, stdout } = output('json');
    await o.list([ROW], COLUMNS);
    expect(JSON.parse(stdout())).toEqual([ROW]);
  });
});

describe('e-mails', () => {
  it('subjects and bodies carry stored text written out, the message’s own lines kept', () => {
    const mail = composeMail('ATTACHMENT_APPROVED', 'fr', {
      firstName: 'Pauline',
      lastName: 'DUFOUR',
      id: 7,
      companyName: NASTY,
      structure: 'SIRET 21640445700019',
      decidedBy: 'Jean\u202E',
    });
    expect(mail.subject).toBe(`Chorus Pro : rattachement à ${SHOWN} validé`);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.body).toContain(
      `à ${SHOWN} (SIRET 21640445700019) a été validée par Jean\\u{202E}.`,
    );
    expect(mail.body.startsWith('Bonjour Pauline DUFOUR,\n\n')).toBe(true);
    expect(hasControlOrBidi(mail.body.replace(/\n/g, ''))).toBe(false);
  });

  it('the weekly digest keeps one movement a line; its subject is the one queued', () => {
    const params = {
      firstName: 'Pauline',
      lastName: 'DUFOUR',
      week: '2026-W09',
      structure: `SIRET 21640445700019`,
      companyName: NASTY,
      count: 2,
      lines: '- 2026-02-23 rattachement : a@b.fr\n- 2026-02-24 détachement : c@d.fr\u202E',
    };
    const mail = composeMail('WEEKLY_DIGEST', 'fr', params);
    expect(mail.body).toContain(
      '- 2026-02-23 rattachement : a@b.fr\n- 2026-02-24 détachement : c@d.fr\\u{202E}',
    );
    expect(mail.body).toContain(`sur ${SHOWN} (SIRET`);
    expect(mailSubject('WEEKLY_DIGEST', 'fr', params)).toBe(mail.subject);
  });
});
