import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkIdentifier,
  displayIdentifier,
  isValidSiret,
  luhn,
} from '../../src/domain/identifiers.js';

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

/** Luhn's check digit for a string of digits, computed here independently of `luhn`. */
function checkDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // from the right, the digit next to the check digit is doubled
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A SIRET that passes both Luhn checks and is not one of La Poste's. */
const siret = fc
  .tuple(digits(8), digits(4))
  .map(([head, nic]) => {
    const siren = head + checkDigit(head);
    const body = siren + nic;
    return body + checkDigit(body);
  })
  .filter((s) => !s.startsWith('356000000'));

/** SIRETs of real public bodies (mairie de Pau, Bordeaux, CCAS, département…). */
const VALID_SIRETS = [
  '21640445900010',
  '21330063500017',
  '26640001900011',
  '19640001400011',
  '00123456600014',
];

describe('luhn', () => {
  it.each([
    ['0', true],
    ['18', true],
    ['79927398713', true],
    ['79927398710', false],
    ['216404459', true],
    ['216404458', false],
    ['21640445900010', true],
    ['21640445900011', false],
  ])('luhn(%j) is %s', (s, expected) => {
    expect(luhn(s)).toBe(expected);
  });

  it('property: the computed check digit always passes, every other digit fails', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 20 }),
        (body) => {
          const good = checkDigit(body);
          for (const d of '0123456789') expect(luhn(body + d)).toBe(d === good);
        },
      ),
    );
  });
});

describe('isValidSiret', () => {
  it.each(VALID_SIRETS)('accepts the SIRET %s', (s) => {
    expect(isValidSiret(s)).toBe(true);
  });

  it('rejects a SIRET whose last digit is wrong (21640445900011)', () => {
    expect(isValidSiret('21640445900011')).toBe(false);
  });

  it('rejects a SIRET that passes Luhn over 14 digits but whose SIREN does not', () => {
    expect(luhn('21640445800012')).toBe(true);
    expect(luhn('216404458')).toBe(false);
    expect(isValidSiret('21640445800012')).toBe(false);
  });

  it.each(['2164044590001', '216404459000100', '2164044590001a', '', '216 404 459 00010'])(
    'wants exactly 14 digits: %j is not a SIRET',
    (s) => {
      expect(isValidSiret(s)).toBe(false);
    },
  );

  describe('La Poste exception (SIREN 356000000)', () => {
    it('accepts 35600000012346: digit sum 30, a multiple of 5, though Luhn fails', () => {
      expect(luhn('35600000012346')).toBe(false);
      expect(isValidSiret('35600000012346')).toBe(true);
    });

    it('rejects 35600000012345: digit sum 29', () => {
      expect(isValidSiret('35600000012345')).toBe(false);
    });

    it('rejects 35600000000014: Luhn passes but the digit sum (19) is not a multiple of 5', () => {
      expect(luhn('35600000000014')).toBe(true);
      expect(isValidSiret('35600000000014')).toBe(false);
    });

    it('accepts 35600000000001: digit sum 15, though Luhn fails', () => {
      expect(luhn('35600000000001')).toBe(false);
      expect(isValidSiret('35600000000001')).toBe(true);
    });

    it('the head office 35600000000048 follows the normal rule (Luhn) and is valid, its digit sum being 26', () => {
      expect(isValidSiret('35600000000048')).toBe(true);
    });

    it('the exception needs the whole 9-digit prefix: 35600000100000 (digit sum 15) fails Luhn and is rejected', () => {
      expect(luhn('35600000100000')).toBe(false);
      expect(isValidSiret('35600000100000')).toBe(false);
    });

    it('property: under the prefix 356000000, exactly the SIRETs whose digit sum is a multiple of 5 pass (the head office aside)', () => {
      fc.assert(
        fc.property(digits(5), (tail) => {
          const s = '356000000' + tail;
          fc.pre(s !== '35600000000048');
          const sum = [...s].reduce((a, c) => a + Number(c), 0);
          expect(isValidSiret(s)).toBe(sum % 5 === 0);
        }),
        { numRuns: 2000 },
      );
    });
  });

  it('property: any 13 digits plus their Luhn digit, whose SIREN also passes, make a valid SIRET', () => {
    fc.assert(
      fc.property(siret, (s) => {
        expect(s).toMatch(/^\d{14}$/);
        expect(isValidSiret(s)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: changing any one digit of a valid SIRET (outside La Poste) makes it invalid', () => {
    fc.assert(
      fc.property(
        siret,
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 1, max: 9 }),
        (s, at, shift) => {
          const changed = s.slice(0, at) + String((Number(s[at]) + shift) % 10) + s.slice(at + 1);
          fc.pre(!changed.startsWith('356000000'));
          expect(changed).not.toBe(s);
          expect(isValidSiret(changed)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('checkIdentifier', () => {
  describe('SIRET', () => {
    it.each([
      ['21640445900010', '21640445900010'],
      ['216 404 459 00010', '21640445900010'],
      ['216.404.459.00010', '21640445900010'],
      ['216-404-459-00010', '21640445900010'],
      ['  21330063500017  ', '21330063500017'],
      ['266\u00a0400\u00a0019\u00a000011', '26640001900011'],
    ])('reads %j as %j, not padded', (raw, value) => {
      expect(checkIdentifier('SIRET', raw)).toEqual({ ok: true, value, padded: false });
    });

    it('pads back a SIRET that lost its leading zeros in a spreadsheet (123456600014 → 00123456600014)', () => {
      expect(checkIdentifier('SIRET', '123456600014')).toEqual({
        ok: true,
        value: '00123456600014',
        padded: true,
      });
      expect(checkIdentifier('SIRET', '1 234 566 00014')).toEqual({
        ok: true,
        value: '00123456600014',
        padded: true,
      });
    });

    it('rejects a short SIRET that padding does not make valid', () => {
      expect(isValidSiret('00012345660001')).toBe(false);
      expect(checkIdentifier('SIRET', '12345660001')).toEqual({
        ok: false,
        reason: 'identifier.siret',
      });
      expect(checkIdentifier('SIRET', '123456600015')).toEqual({
        ok: false,
        reason: 'identifier.siret',
      });
    });

    it.each([
      '21640445900011',
      '216404459000100',
      '2164044590001A',
      'SIRET',
      '216/404/459/00010',
      '35600000012345',
    ])('rejects %j with identifier.siret', (raw) => {
      expect(checkIdentifier('SIRET', raw)).toEqual({ ok: false, reason: 'identifier.siret' });
    });

    it('accepts a La Poste SIRET under its own rule', () => {
      expect(checkIdentifier('SIRET', '356 000 000 12346')).toEqual({
        ok: true,
        value: '35600000012346',
        padded: false,
      });
    });

    it('property: a valid SIRET in groups of digits reads back as itself', () => {
      fc.assert(
        fc.property(siret, fc.constantFrom(' ', '.', '-', ''), (s, sep) => {
          const grouped = [s.slice(0, 3), s.slice(3, 6), s.slice(6, 9), s.slice(9)].join(sep);
          expect(checkIdentifier('SIRET', grouped)).toEqual({ ok: true, value: s, padded: false });
        }),
      );
    });
  });

  describe('RIDET', () => {
    it.each([
      ['1234567001', '1234567001'],
      ['1234567 001', '1234567001'],
      ['1234567.001', '1234567001'],
      [' 0012345678 ', '0012345678'],
    ])('reads %j as %j', (raw, value) => {
      expect(checkIdentifier('RIDET', raw)).toEqual({ ok: true, value, padded: false });
    });

    it.each(['123456700', '12345670011', '123456700A', 'RIDET'])(
      'rejects %j with identifier.ridet',
      (raw) => {
        expect(checkIdentifier('RIDET', raw)).toEqual({ ok: false, reason: 'identifier.ridet' });
      },
    );
  });

  describe('TAHITI', () => {
    it.each(['003970-001', '003970001', ' 003970-001 ', '003970 - 001'])(
      'reads %j as 003970001',
      (raw) => {
        expect(checkIdentifier('TAHITI', raw)).toEqual({
          ok: true,
          value: '003970001',
          padded: false,
        });
      },
    );

    it.each([
      '03970-001',
      '003970-01',
      '0039700011',
      '003970--001',
      'A03970-001',
      '003970.001',
      '003970_001',
    ])('rejects %j with identifier.tahiti', (raw) => {
      expect(checkIdentifier('TAHITI', raw)).toEqual({ ok: false, reason: 'identifier.tahiti' });
    });
  });

  describe.each(['UE_HORS_FRANCE', 'HORS_UE', 'AUTRE', 'PARTICULIER'] as const)(
    'free text: %s',
    (type) => {
      it('accepts 1 to 80 printable characters, trimmed', () => {
        expect(checkIdentifier(type, 'X')).toEqual({ ok: true, value: 'X', padded: false });
        expect(checkIdentifier(type, '  DE 123 456 789  ')).toEqual({
          ok: true,
          value: 'DE 123 456 789',
          padded: false,
        });
        expect(checkIdentifier(type, 'é'.repeat(80))).toEqual({
          ok: true,
          value: 'é'.repeat(80),
          padded: false,
        });
      });

      it('rejects 81 characters with identifier.free', () => {
        expect(checkIdentifier(type, 'A'.repeat(81))).toEqual({
          ok: false,
          reason: 'identifier.free',
        });
      });

      it.each(['AB\u0007C', 'AB\tC', 'AB\nC', 'AB\u200bC', 'AB\u0000C'])(
        'rejects the control or format character in %j with identifier.free',
        (raw) => {
          expect(checkIdentifier(type, raw)).toEqual({ ok: false, reason: 'identifier.free' });
        },
      );
    },
  );

  it.each([
    'SIRET',
    'RIDET',
    'TAHITI',
    'UE_HORS_FRANCE',
    'HORS_UE',
    'AUTRE',
    'PARTICULIER',
  ] as const)('%s: empty or blank is identifier.required', (type) => {
    expect(checkIdentifier(type, '')).toEqual({ ok: false, reason: 'identifier.required' });
    expect(checkIdentifier(type, '   ')).toEqual({ ok: false, reason: 'identifier.required' });
  });
});

describe('displayIdentifier', () => {
  it('writes a TAHITI number with its dash', () => {
    expect(displayIdentifier('TAHITI', '003970001')).toBe('003970-001');
  });

  it('leaves other identifiers, and TAHITI values that are not 9 digits, as stored', () => {
    expect(displayIdentifier('SIRET', '21640445900010')).toBe('21640445900010');
    expect(displayIdentifier('RIDET', '1234567001')).toBe('1234567001');
    expect(displayIdentifier('AUTRE', '003970001')).toBe('003970001');
    expect(displayIdentifier('TAHITI', '003970-001')).toBe('003970-001');
  });

  it('property: a TAHITI number read back from its display is the stored value', () => {
    fc.assert(
      fc.property(digits(9), (n) => {
        const shown = displayIdentifier('TAHITI', n);
        expect(shown).toBe(`${n.slice(0, 6)}-${n.slice(6)}`);
        expect(checkIdentifier('TAHITI', shown)).toEqual({ ok: true, value: n, padded: false });
      }),
    );
  });
});
