import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  COMPLETION_FIELDS,
  checkPostalCode,
  diff,
  missingForCompletion,
  personalPatchSchema,
  searchKey,
  toPersonalPatch,
  type PersonalData,
} from '../../src/domain/account.js';
import {
  MAX_INT,
  city,
  civilite,
  count,
  country,
  date,
  email,
  language,
  login,
  normalisePhone,
  onOff,
  parseDate,
  personName,
  phone,
  rowId,
  since,
} from '../../src/domain/fields.js';

/** The messages (catalogue keys) of a failed parse, in order. */
function messages(schema: z.ZodType, input: unknown): string[] {
  const r = schema.safeParse(input);
  expect(r.success, `expected ${JSON.stringify(input)} to be rejected`).toBe(false);
  return r.error!.issues.map((i) => i.message);
}
function parsed<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  expect(r.error?.issues, `expected ${JSON.stringify(input)} to be accepted`).toBeUndefined();
  return r.data as z.output<S>;
}

const digit = fc.constantFrom(...'0123456789');
/** A French national number: 0, a digit 1–9, then 8 digits. */
const frenchNumber = fc
  .tuple(fc.constantFrom(...'123456789'), fc.string({ unit: digit, minLength: 8, maxLength: 8 }))
  .map(([a, rest]) => `0${a}${rest}`);
const grouped = (n: string) => n.replace(/(\d{2})(?=\d)/g, '$1 ');

describe('normalisePhone', () => {
  it.each([
    ['05 56 12 34 56', '05 56 12 34 56'],
    ['0556123456', '05 56 12 34 56'],
    ['05.56.12.34.56', '05 56 12 34 56'],
    ['05-56-12-34-56', '05 56 12 34 56'],
    ['  05 56 12 34 56  ', '05 56 12 34 56'],
    ['+33 5 56 12 34 56', '05 56 12 34 56'],
    ['+33556123456', '05 56 12 34 56'],
    ['0033556123456', '05 56 12 34 56'],
    ['0033 5 56 12 34 56', '05 56 12 34 56'],
    ['+33 (0)5 56 12 34 56', '05 56 12 34 56'],
    ['+33(0)556123456', '05 56 12 34 56'],
    ['+33 6 12 34 56 78', '06 12 34 56 78'],
    ['09 70 80 90 00', '09 70 80 90 00'],
  ])('reads the French number %j as %j', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it.each([
    ['+262 262 12 34 56', '02 62 12 34 56'],
    ['+262 692 12 34 56', '06 92 12 34 56'],
    ['00262262123456', '02 62 12 34 56'],
    ['+590 590 12 34 56', '05 90 12 34 56'],
    ['+594 594 12 34 56', '05 94 12 34 56'],
    ['+596 596 12 34 56', '05 96 12 34 56'],
  ])('reads the overseas number %j in the French plan as %j', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it.each([
    ['+687 123456', '+687123456'],
    ['+687 12.34.56', '+687123456'],
    ['00687123456', '+687123456'],
    ['+32 2 123 45 67', '+3221234567'],
    ['+1 (555) 123-4567', '+15551234567'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('keeps the foreign number %j international, compacted: %j', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'abc',
    'pas de téléphone',
    '0556',
    '05 56 12 34 5',
    '05 56 12 34 567',
    '5 56 12 34 56',
    '+33 5 56 12 34',
    '+33 5 56 12 34 567',
    '+33',
    '+1234567',
    '+1234567890123456',
    '05 56 12 34 5x',
    '+33 5 56 12 34 5x',
  ])('rejects %j', (raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });

  it('property: a French number in any usual spelling normalises to its grouped form', () => {
    fc.assert(
      fc.property(
        frenchNumber,
        fc.constantFrom(' ', '.', '-', ''),
        fc.boolean(),
        (n, sep, international) => {
          const spelled = international
            ? `+33 ${n.slice(1)}`
            : n.replace(/(\d{2})(?=\d)/g, `$1${sep}`);
          expect(normalisePhone(spelled)).toBe(grouped(n));
        },
      ),
    );
  });

  it('property: a normalised French number normalises to itself', () => {
    fc.assert(
      fc.property(frenchNumber, (n) => {
        const once = normalisePhone(n);
        expect(once).toBe(grouped(n));
        expect(normalisePhone(once!)).toBe(once);
      }),
    );
  });

  it('property: whatever it returns is a fixed point', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789 .+()-'), maxLength: 20 }),
        (raw) => {
          const once = normalisePhone(raw);
          if (once !== null) expect(normalisePhone(once)).toBe(once);
        },
      ),
    );
  });

  it('the phone schema rejects an unreadable number with validation.phone', () => {
    expect(parsed(phone, '+33 5 56 12 34 56')).toBe('05 56 12 34 56');
    expect(messages(phone, 'abc')).toEqual(['validation.phone']);
  });
});

describe('email and login', () => {
  it('trims and lower-cases', () => {
    expect(parsed(email, '  Jean.Dupont@Mairie-Bordeaux.FR ')).toBe(
      'jean.dupont@mairie-bordeaux.fr',
    );
    expect(parsed(login, 'JEAN@X.FR')).toBe('jean@x.fr');
    expect(parsed(email, 'a.b+tag@sub.example.org')).toBe('a.b+tag@sub.example.org');
  });

  it.each([
    '',
    '   ',
    'jean',
    'jean@',
    '@x.fr',
    'jean@x',
    'jean dupont@x.fr',
    'jean@@x.fr',
    'jean@x..fr',
  ])('rejects %j with validation.email', (raw) => {
    expect(messages(email, raw)).toEqual(['validation.email']);
    expect(messages(login, raw)).toEqual(['validation.email']);
  });

  it('rejects an address longer than 254 characters with validation.email', () => {
    const long =
      'a'.repeat(64) + '@' + Array.from({ length: 4 }, () => 'b'.repeat(60)).join('.') + '.fr';
    expect(long.length).toBeGreaterThan(254);
    expect(messages(email, long)).toContain('validation.email');
  });
});

describe('personName', () => {
  it.each([
    ['Dupont', 'Dupont'],
    ['  Jean   Pierre ', 'Jean Pierre'],
    ['Le Guen-Martin', 'Le Guen-Martin'],
    ["O'Brien", "O'Brien"],
    ['N’Diaye', 'N’Diaye'],
    ['Élodie', 'Élodie'],
    ['E\u0301lodie', 'Élodie'],
    ['St. Clair', 'St. Clair'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(parsed(personName, raw)).toBe(expected);
  });

  it('rejects empty, non-letter and too long names with their own key', () => {
    expect(messages(personName, '   ')[0]).toBe('validation.required');
    expect(messages(personName, 'Jean2')).toEqual(['validation.name']);
    expect(messages(personName, '-Jean')).toEqual(['validation.name']);
    expect(messages(personName, 'Jean_Pierre')).toEqual(['validation.name']);
    expect(messages(personName, 'a'.repeat(101))).toEqual(['validation.tooLong100']);
    expect(parsed(personName, 'a'.repeat(100))).toHaveLength(100);
  });
});

describe('civilite', () => {
  it.each([
    ['m', 'M.'],
    ['M', 'M.'],
    ['M.', 'M.'],
    ['m.', 'M.'],
    ['Monsieur', 'M.'],
    ['MONSIEUR', 'M.'],
    [' monsieur ', 'M.'],
    ['mme', 'Mme'],
    ['Mme', 'Mme'],
    ['Mme.', 'Mme'],
    ['MME', 'Mme'],
    ['Madame', 'Mme'],
    ['madame', 'Mme'],
  ])('reads %j as %j', (raw, expected) => {
    expect(parsed(civilite, raw)).toBe(expected);
  });

  it.each(['', 'Mlle', 'Mademoiselle', 'Dr', 'Mr', 'x'])(
    'rejects %j with validation.civilite',
    (raw) => {
      expect(messages(civilite, raw)).toEqual(['validation.civilite']);
    },
  );
});

describe('onOff', () => {
  it.each(['on', 'ON', 'oui', 'Oui', 'true', '1', 'yes', ' on '])('%j is on', (raw) => {
    expect(parsed(onOff, raw)).toBe(true);
  });
  it.each(['off', 'OFF', 'non', 'Non', 'false', '0', 'no', ' off '])('%j is off', (raw) => {
    expect(parsed(onOff, raw)).toBe(false);
  });
  it.each(['', 'maybe', 'o', '2', 'vrai'])('%j is rejected with validation.onOff', (raw) => {
    expect(messages(onOff, raw)).toEqual(['validation.onOff']);
  });
});

describe('other field schemas', () => {
  it('country: two letters, upper-cased', () => {
    expect(parsed(country, ' fr ')).toBe('FR');
    expect(messages(country, 'FRA')).toEqual(['validation.country']);
    expect(messages(country, 'F1')).toEqual(['validation.country']);
  });

  it('language: fr or en', () => {
    expect(parsed(language, ' EN ')).toBe('en');
    expect(messages(language, 'de')).toEqual(['validation.language']);
  });

  it('city: collapsed, required, 100 characters at most', () => {
    expect(parsed(city, '  Saint-Jean-de-Luz  ')).toBe('Saint-Jean-de-Luz');
    expect(messages(city, ' ')).toEqual(['validation.required']);
    expect(messages(city, 'x'.repeat(101))).toEqual(['validation.tooLong100']);
  });
});

describe('rowId and count', () => {
  it('rowId: digits naming a row the stores can hold, 1 to 2147483647', () => {
    expect(parsed(rowId, '12')).toBe(12);
    expect(parsed(rowId, '2147483647')).toBe(MAX_INT);
    // past PostgreSQL's integer the query itself failed (exit 70)
    expect(messages(rowId, '2147483648')).toEqual(['validation.tooLarge']);
    expect(messages(rowId, '9007199254740993')).toEqual(['validation.tooLarge']);
    expect(messages(rowId, '9'.repeat(400))).toEqual(['validation.tooLarge']);
    for (const bad of ['0', '-1', '1.5', 'abc', '', ' 2', '1e3', '0x1'])
      expect(messages(rowId, bad)[0]).toBe('validation.positiveInt');
  });

  it('count: whole numbers from 0 to 2147483647, so that a page times a limit stays a number', () => {
    expect(parsed(count, '0')).toBe(0);
    expect(parsed(count, 100)).toBe(100);
    expect(parsed(count, '2147483647')).toBe(MAX_INT);
    expect(messages(count, '2147483648')).toEqual(['validation.tooLarge']);
    expect(messages(count, '9007199254740991')).toEqual(['validation.tooLarge']);
    for (const bad of ['-1', '1.5', 'abc', '1e309', 'NaN'])
      expect(messages(count, bad)[0]).toBe('validation.positiveInt');
  });
});

describe('parseDate', () => {
  it.each([
    ['15/06/2024', '2024-06-15'],
    ['2024-06-15', '2024-06-15'],
    ['01/01/2000', '2000-01-01'],
    ['31/12/1999', '1999-12-31'],
    [' 31/01/2024 ', '2024-01-31'],
    ['29/02/2024', '2024-02-29'],
    ['2024-02-29', '2024-02-29'],
    ['29/02/2000', '2000-02-29'],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseDate(raw)).toBe(expected);
  });

  it.each([
    '31/02/2024',
    '30/02/2024',
    '29/02/2023',
    '2023-02-29',
    '29/02/1900',
    '31/04/2024',
    '2024-04-31',
    '00/01/2024',
    '32/01/2024',
    '15/13/2024',
    '15/00/2024',
    '2024-13-01',
    '2024-00-10',
    '1/6/2024',
    '15/6/2024',
    '2024-6-15',
    '15-06-2024',
    '2024/06/15',
    '15/06/24',
    '20240615',
    '',
    'hier',
  ])('rejects %j', (raw) => {
    expect(parseDate(raw)).toBeNull();
  });

  it('property: every real date round-trips through both spellings', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2199-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          const [y, m, day] = iso.split('-');
          expect(parseDate(iso)).toBe(iso);
          expect(parseDate(`${day}/${m}/${y}`)).toBe(iso);
        },
      ),
    );
  });

  it('property: a day past the end of its month is rejected', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2199 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
        const mm = String(m).padStart(2, '0');
        expect(parseDate(`${last}/${mm}/${y}`)).toBe(`${y}-${mm}-${last}`);
        if (last < 31) expect(parseDate(`${last + 1}/${mm}/${y}`)).toBeNull();
      }),
    );
  });

  it('the date schema rejects with validation.date; since also takes a timestamp', () => {
    expect(parsed(date, '29/02/2024')).toBe('2024-02-29');
    expect(messages(date, '29/02/2023')).toEqual(['validation.date']);
    expect(parsed(since, '15/06/2024')).toBe('2024-06-15T00:00:00.000Z');
    expect(parsed(since, '2024-06-15T10:30:00Z')).toBe('2024-06-15T10:30:00.000Z');
    expect(messages(since, 'yesterday')).toEqual(['validation.date']);
  });
});

describe('personalPatchSchema and toPersonalPatch', () => {
  const patch = (input: Record<string, unknown>) =>
    toPersonalPatch(parsed(personalPatchSchema, input));

  it('maps each option to its field, normalised', () => {
    expect(
      patch({
        email: ' Jean@X.FR ',
        civilite: 'monsieur',
        nom: ' Dupont ',
        prenom: 'Jean',
        telephone: '05.56.12.34.56',
        mobile: '+33 6 12 34 56 78',
        adresse: ' 1  rue  Sainte-Catherine ',
        complement: 'Bât. B',
        codePostal: '33000',
        ville: 'Bordeaux',
        pays: 'fr',
        langue: 'EN',
        notifFacturation: 'non',
        notifActualite: 'oui',
      }),
    ).toEqual({
      email: 'jean@x.fr',
      title: 'M.',
      lastName: 'Dupont',
      firstName: 'Jean',
      phone: '05 56 12 34 56',
      mobile: '06 12 34 56 78',
      address: '1 rue Sainte-Catherine',
      addressComplement: 'Bât. B',
      postalCode: '33000',
      city: 'Bordeaux',
      country: 'FR',
      language: 'en',
      notifyBilling: false,
      notifyNews: true,
    });
  });

  it('leaves out what was not given', () => {
    expect(patch({})).toEqual({});
    expect(patch({ nom: 'Durand' })).toEqual({ lastName: 'Durand' });
  });

  it('clears optional fields given as an empty string', () => {
    expect(
      patch({
        civilite: '',
        telephone: '',
        mobile: '',
        adresse: '',
        complement: '',
        codePostal: '',
        ville: '',
      }),
    ).toEqual({
      title: null,
      phone: null,
      mobile: null,
      address: null,
      addressComplement: null,
      postalCode: null,
      city: null,
    });
  });

  it('does not clear required fields', () => {
    expect(messages(personalPatchSchema, { email: '' })).toEqual(['validation.email']);
    expect(messages(personalPatchSchema, { nom: '' })[0]).toBe('validation.required');
    expect(messages(personalPatchSchema, { prenom: '' })[0]).toBe('validation.required');
    expect(messages(personalPatchSchema, { pays: '' })).toEqual(['validation.country']);
  });

  it('rejects unknown keys, the login among them', () => {
    const r = personalPatchSchema.safeParse({ nom: 'Dupont', identifiant: 'x@y.fr' });
    expect(r.success).toBe(false);
    expect(r.error!.issues).toHaveLength(1);
    expect(r.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['identifiant'] });
    expect(personalPatchSchema.safeParse({ login: 'x@y.fr' }).success).toBe(false);
    expect(personalPatchSchema.safeParse({ lastName: 'Dupont' }).success).toBe(false);
  });

  it('names each invalid field with its own catalogue key, clearable ones too', () => {
    const r = personalPatchSchema.safeParse({
      email: 'nope',
      civilite: 'Mlle',
      telephone: 'abc',
      mobile: '123',
      ville: 'x'.repeat(101),
      adresse: 'x'.repeat(201),
      notifActualite: 'peut-être',
    });
    expect(r.success).toBe(false);
    expect(Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]))).toEqual({
      email: 'validation.email',
      civilite: 'validation.civilite',
      telephone: 'validation.phone',
      mobile: 'validation.phone',
      ville: 'validation.tooLong100',
      adresse: 'validation.tooLong200',
      notifActualite: 'validation.onOff',
    });
  });
});

describe('checkPostalCode', () => {
  it('wants 5 digits in France', () => {
    expect(checkPostalCode('33000', 'FR')).toEqual({ ok: true, value: '33000' });
    expect(checkPostalCode(' 97400 ', 'FR')).toEqual({ ok: true, value: '97400' });
    expect(checkPostalCode('3300', 'FR')).toEqual({ ok: false });
    expect(checkPostalCode('330000', 'FR')).toEqual({ ok: false });
    expect(checkPostalCode('2A000', 'FR')).toEqual({ ok: false });
    expect(checkPostalCode('', 'FR')).toEqual({ ok: false });
  });

  it('takes other countries’ codes free-form, upper-cased, within reason', () => {
    expect(checkPostalCode('1000', 'BE')).toEqual({ ok: true, value: '1000' });
    expect(checkPostalCode('sw1a 1aa', 'GB')).toEqual({ ok: true, value: 'SW1A 1AA' });
    expect(checkPostalCode('98800', 'NC')).toEqual({ ok: true, value: '98800' });
    expect(checkPostalCode('1234-567', 'PT')).toEqual({ ok: true, value: '1234-567' });
    expect(checkPostalCode('', 'BE')).toEqual({ ok: false });
    expect(checkPostalCode('-1000', 'BE')).toEqual({ ok: false });
    expect(checkPostalCode('12345678901', 'BE')).toEqual({ ok: false });
    expect(checkPostalCode('10#00', 'BE')).toEqual({ ok: false });
  });

  it('property: in France, exactly the 5-digit strings pass, unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789A '), maxLength: 7 }), (s) => {
        const r = checkPostalCode(s, 'FR');
        if (/^\d{5}$/.test(s.trim())) expect(r).toEqual({ ok: true, value: s.trim() });
        else expect(r).toEqual({ ok: false });
      }),
    );
  });
});

describe('diff', () => {
  const current: {
    lastName: string;
    phone: string | null;
    city: string | null;
    notifyNews: boolean;
  } = {
    lastName: 'Dupont',
    phone: '05 56 12 34 56',
    city: null,
    notifyNews: true,
  };

  it('lists only the fields whose value changes, as before/after', () => {
    expect(
      diff(current, {
        lastName: 'Durand',
        phone: '05 56 12 34 56',
        city: 'Pau',
        notifyNews: false,
      }),
    ).toEqual({
      lastName: { before: 'Dupont', after: 'Durand' },
      city: { before: null, after: 'Pau' },
      notifyNews: { before: true, after: false },
    });
  });

  it('records a field cleared to null, and ignores undefined', () => {
    expect(diff(current, { phone: null, lastName: undefined })).toEqual({
      phone: { before: '05 56 12 34 56', after: null },
    });
  });

  it('reports a missing current value as null', () => {
    expect(diff<Partial<PersonalData>>({}, { email: 'a@b.fr' })).toEqual({
      email: { before: null, after: 'a@b.fr' },
    });
  });

  it('is empty for an empty patch or the current values themselves', () => {
    expect(diff(current, {})).toEqual({});
    expect(diff(current, { ...current })).toEqual({});
  });
});

describe('searchKey', () => {
  it('joins the parts, drops accents and lower-cases', () => {
    expect(searchKey('Élodie', 'LE GUÉN')).toBe('elodie le guen');
    expect(searchKey('François', 'Çà-et-Là', 'Noël')).toBe('francois ca-et-la noel');
    expect(searchKey('JEAN@MAIRIE.FR')).toBe('jean@mairie.fr');
  });

  it('skips missing and empty parts', () => {
    expect(searchKey('Jean', null, undefined, '', 'Dupont')).toBe('jean dupont');
    expect(searchKey()).toBe('');
    expect(searchKey(null, undefined)).toBe('');
  });

  it('takes ASCII text as the full folding would', () => {
    for (const text of ['Jean DUPONT', 'jean.dupont@mairie-pau.fr', 'A~Z{}', '\u0000x'])
      expect(searchKey(text)).toBe(text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());
  });

  it('folds every character as the full folding does, Latin letters by its table', () => {
    const full = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let c = 0; c < 0x3000; c++) {
      const text = `x${String.fromCharCode(c)}É`;
      expect(searchKey(text)).toBe(full(text));
    }
    expect(searchKey('ǕŒ')).toBe('uœ'); // Ǖ is Ü and a macron: U, two marks
    const long = `${'Élodie '.repeat(300)}\u0301`;
    expect(searchKey(long)).toBe(full(long));
  });

  it('gives the same key for composed and decomposed accents', () => {
    expect(searchKey('\u00e9l\u00e8ve')).toBe(searchKey('e\u0301le\u0300ve'));
    expect(searchKey('e\u0301le\u0300ve')).toBe('eleve');
  });

  it('property: the key has no upper case and no combining mark, and is stable', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 10 }), { nil: null })),
        (parts) => {
          const k = searchKey(...parts);
          expect(k).not.toMatch(/\p{M}/u);
          expect(k).toBe(k.toLowerCase());
          expect(searchKey(k)).toBe(k);
        },
      ),
    );
  });
});

describe('missingForCompletion', () => {
  const complete: Partial<PersonalData> = {
    email: 'jean@x.fr',
    lastName: 'Dupont',
    firstName: 'Jean',
    address: '1 rue Sainte-Catherine',
    postalCode: '33000',
    city: 'Bordeaux',
  };

  it('requires e-mail, names, address, postal code and city', () => {
    expect(COMPLETION_FIELDS).toEqual([
      'email',
      'lastName',
      'firstName',
      'address',
      'postalCode',
      'city',
    ]);
    expect(missingForCompletion({})).toEqual([
      'email',
      'lastName',
      'firstName',
      'address',
      'postalCode',
      'city',
    ]);
    expect(missingForCompletion(complete)).toEqual([]);
  });

  it('counts null, undefined and empty as missing, and nothing else', () => {
    expect(
      missingForCompletion({ ...complete, address: null, postalCode: '', city: undefined }),
    ).toEqual(['address', 'postalCode', 'city']);
    expect(
      missingForCompletion({ ...complete, phone: null, title: null, addressComplement: null }),
    ).toEqual([]);
  });
});
