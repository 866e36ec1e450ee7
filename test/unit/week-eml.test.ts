import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoWeekOf, parseIsoWeek, previousIsoWeek } from '../../src/domain/week.js';
import { composeEml, encodeHeader, quotedPrintable, rfc5322Date } from '../../src/io/eml.js';

describe('ISO weeks', () => {
  it.each([
    ['2025-03-10', '2025-W11', '2025-03-10', '2025-03-17'],
    ['2025-03-16', '2025-W11', '2025-03-10', '2025-03-17'],
    ['2024-12-30', '2025-W01', '2024-12-30', '2025-01-06'],
    ['2021-01-03', '2020-W53', '2020-12-28', '2021-01-04'],
    ['2026-12-31', '2026-W53', '2026-12-28', '2027-01-04'],
  ])('%s is in %s', (day, label, start, end) => {
    expect(isoWeekOf(day)).toEqual({ label, start, end });
  });

  it('parses labels, and refuses malformed weeks and a W53 that does not exist', () => {
    expect(parseIsoWeek('2025-W11')).toEqual({
      label: '2025-W11',
      start: '2025-03-10',
      end: '2025-03-17',
    });
    expect(parseIsoWeek('2020-W53')?.start).toBe('2020-12-28');
    expect(parseIsoWeek('2025-W53')).toBeNull();
    expect(parseIsoWeek('2025-W00')).toBeNull();
    expect(parseIsoWeek('2025-11')).toBeNull();
  });

  it('refuses the weeks that reach outside the years 0001–9999, and reads those inside them', () => {
    expect(parseIsoWeek('0000-W01')).toBeNull();
    expect(parseIsoWeek('0000-W52')).toBeNull();
    expect(parseIsoWeek('9999-W52')).toBeNull(); // ends on Monday 10000-01-03
    expect(parseIsoWeek('0001-W01')).toEqual({
      label: '0001-W01',
      start: '0001-01-01',
      end: '0001-01-08',
    });
    expect(parseIsoWeek('0999-w10')).toEqual({
      label: '0999-W10',
      start: '0999-03-04',
      end: '0999-03-11',
    });
    expect(parseIsoWeek('9999-W51')?.end).toBe('9999-12-27');
    expect(isoWeekOf('0050-06-15').label).toBe('0050-W24');
  });

  it('any label of four digits and two: null, or the week it names, a Monday to the next', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        (year, week) => {
          const label = `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
          const w = parseIsoWeek(label);
          if (w === null) return;
          expect(w.label).toBe(label);
          const start = Date.parse(`${w.start}T00:00:00Z`);
          expect(new Date(start).getUTCDay()).toBe(1);
          expect(Date.parse(`${w.end}T00:00:00Z`) - start).toBe(7 * 86_400_000);
          expect(isoWeekOf(w.start)).toEqual(w);
        },
      ),
    );
  });

  it('the previous week is the last complete one', () => {
    expect(previousIsoWeek('2025-03-12').label).toBe('2025-W10');
    expect(previousIsoWeek('2025-01-01').label).toBe('2024-W52');
  });

  it('every day lies in its week, which a label gives back', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }),
        (d) => {
          const day = d.toISOString().slice(0, 10);
          const w = isoWeekOf(day);
          expect(w.start <= day && day < w.end).toBe(true);
          expect(parseIsoWeek(w.label)).toEqual(w);
        },
      ),
    );
  });
});

describe('.eml messages', () => {
  it('dates in RFC 5322 form, UTC', () => {
    expect(rfc5322Date('2025-03-10T09:05:07.000Z')).toBe('Mon, 10 Mar 2025 09:05:07 +0000');
  });

  it('encodes a non-ASCII subject as UTF-8 encoded words that decode back', () => {
    expect(encodeHeader('Chorus Pro: digest')).toBe('Chorus Pro: digest');
    const subject =
      'Chorus Pro : demande de rattachement à MUSÉE NATIONAL DU CHÂTEAU DE PAU — œuvre';
    const encoded = encodeHeader(subject);
    const words = encoded.split('\r\n ');
    for (const w of words) expect(w.length).toBeLessThanOrEqual(75);
    expect(
      words
        .map((w) => Buffer.from(/^=\?UTF-8\?B\?(.*)\?=$/.exec(w)![1]!, 'base64').toString('utf8'))
        .join(''),
    ).toBe(subject);
  });

  it('quoted-printable keeps lines short and decodes back to the text', () => {
    const text = `Bonjour Léa,\n\n${'é'.repeat(60)} fin \nligne = égale`;
    const qp = quotedPrintable(text);
    for (const line of qp.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    const decoded = Buffer.from(
      qp
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
    expect(decoded.replace(/\r\n/g, '\n')).toBe(text);
  });

  it('composes headers and body with CRLF line ends', () => {
    const eml = composeEml({
      id: 7,
      from: 'noreply@dgfip.finances.gouv.fr',
      to: 'lea@ville-pau.fr',
      date: '2025-03-10T09:00:00.000Z',
      subject: 'Objet',
      body: 'Ligne 1\nLigne 2',
    });
    expect(eml).toBe(
      [
        'From: noreply@dgfip.finances.gouv.fr',
        'To: lea@ville-pau.fr',
        'Date: Mon, 10 Mar 2025 09:00:00 +0000',
        'Subject: Objet',
        `Message-ID: <notification-7.${Date.parse('2025-03-10T09:00:00.000Z')}@chorus-admin.dgfip.finances.gouv.fr>`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=UTF-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Ligne 1',
        'Ligne 2',
        '',
      ].join('\r\n'),
    );
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });
});
