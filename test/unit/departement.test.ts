import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALL,
  departementOf,
  formatScope,
  isDepartement,
  parseScope,
  scopeCovers,
  scopeWithin,
  type Scope,
} from '../../src/domain/departement.js';

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

/** Every département code the scopes may hold. */
const ALL_DEPARTEMENTS = [
  ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '20'),
  '2A',
  '2B',
  '971',
  '972',
  '973',
  '974',
  '975',
  '976',
  '977',
  '978',
  '984',
  '986',
  '987',
  '988',
  '989',
];
const departement = fc.constantFrom(...ALL_DEPARTEMENTS);
const codes = fc.uniqueArray(departement, { maxLength: 8 }).map((a) => [...a].sort() as Scope);
const scope: fc.Arbitrary<Scope> = fc.oneof(
  { weight: 5, arbitrary: codes },
  { weight: 1, arbitrary: fc.constant([ALL] as Scope) },
);

describe('departementOf', () => {
  it.each([
    ['33000', '33'],
    ['33700', '33'],
    ['40100', '40'],
    ['01000', '01'],
    ['75001', '75'],
    ['95000', '95'],
    ['64100', '64'],
  ])('metropolitan %s → %s (first two digits)', (pc, dep) => {
    expect(departementOf(pc)).toBe(dep);
  });

  it.each([
    ['20000', '2A'],
    ['20090', '2A'],
    ['20100', '2A'],
    ['20199', '2A'],
    ['20200', '2B'],
    ['20290', '2B'],
    ['20600', '2B'],
    ['20699', '2B'],
  ])('Corsica %s → %s', (pc, dep) => {
    expect(departementOf(pc)).toBe(dep);
  });

  it.each(['20700', '20800', '20999'])('20xxx outside Corsica (%s) → null', (pc) => {
    expect(departementOf(pc)).toBeNull();
  });

  it.each([
    ['97100', '971'],
    ['97200', '972'],
    ['97300', '973'],
    ['97400', '974'],
    ['97490', '974'],
    ['97500', '975'],
    ['97600', '976'],
    ['98600', '986'],
    ['98714', '987'],
    ['98800', '988'],
  ])('overseas %s → %s (first three digits)', (pc, dep) => {
    expect(departementOf(pc)).toBe(dep);
  });

  it.each(['97000', '97900', '98000', '98300'])(
    '97x/98x that is no département (%s) → null',
    (pc) => {
      expect(departementOf(pc)).toBeNull();
    },
  );

  it.each(['00000', '00100', '96000', '99100', '99999'])(
    'a two-digit prefix that is no département (%s) → null',
    (pc) => {
      expect(departementOf(pc)).toBeNull();
    },
  );

  it.each([
    null,
    undefined,
    '',
    '3300',
    '330000',
    '3300A',
    'ABCDE',
    ' 33000',
    '33 000',
    '2A000',
    '+3300',
  ])('invalid postal code %j → null', (pc) => {
    expect(departementOf(pc)).toBeNull();
  });

  it('maps every 5-digit code to null or to a code isDepartement accepts', () => {
    fc.assert(
      fc.property(digits(5), (pc) => {
        const d = departementOf(pc);
        expect(d === null || isDepartement(d)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the postal code’s prefix: 2 digits in metropolitan France, 3 overseas', () => {
    fc.assert(
      fc.property(digits(5), (pc) => {
        const d = departementOf(pc);
        if (d === null || d === '2A' || d === '2B') return;
        expect(pc.startsWith(d)).toBe(true);
        expect(d.length).toBe(pc.startsWith('97') || pc.startsWith('98') ? 3 : 2);
      }),
      { numRuns: 2000 },
    );
  });

  it('places every code of a real département (first code xx000 / 97x00) back in it', () => {
    for (const d of ALL_DEPARTEMENTS) {
      if (d === '2A' || d === '2B') continue;
      expect(departementOf(d.padEnd(5, '0'))).toBe(d);
    }
  });

  it('rejects any string that is not exactly 5 digits', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !/^\d{5}$/.test(s)),
        (s) => {
          expect(departementOf(s)).toBeNull();
        },
      ),
    );
  });
});

describe('isDepartement', () => {
  it.each([
    '01',
    '09',
    '10',
    '19',
    '21',
    '2A',
    '2B',
    '33',
    '40',
    '95',
    '971',
    '974',
    '976',
    '978',
    '984',
    '988',
    '989',
  ])('accepts %s', (c) => {
    expect(isDepartement(c)).toBe(true);
  });

  it.each([
    '',
    '0',
    '00',
    '1',
    '20',
    '2a',
    '2C',
    '96',
    '97',
    '98',
    '99',
    '970',
    '979',
    '980',
    '983',
    '033',
    '333',
    '*',
    ' 33',
    '33 ',
  ])('rejects %j', (c) => {
    expect(isDepartement(c)).toBe(false);
  });
});

describe('parseScope', () => {
  it('reads a comma-separated list', () => {
    expect(parseScope('33,40')).toEqual({ scope: ['33', '40'], invalid: [] });
  });

  it('upper-cases Corsica and accepts spaces after commas', () => {
    expect(parseScope('2a, 971')).toEqual({ scope: ['2A', '971'], invalid: [] });
    expect(parseScope('2b')).toEqual({ scope: ['2B'], invalid: [] });
  });

  it('accepts spaces and semicolons as separators', () => {
    expect(parseScope('33 40;64')).toEqual({ scope: ['33', '40', '64'], invalid: [] });
  });

  it('de-duplicates and sorts', () => {
    expect(parseScope('40,33,40,2a,2A,33')).toEqual({ scope: ['2A', '33', '40'], invalid: [] });
    expect(parseScope('971,01,64')).toEqual({ scope: ['01', '64', '971'], invalid: [] });
  });

  it('reads `*` as every département', () => {
    expect(parseScope('*')).toEqual({ scope: ['*'], invalid: [] });
    expect(parseScope(' * ')).toEqual({ scope: ['*'], invalid: [] });
  });

  it('reports the codes that are not départements, keeping the valid ones', () => {
    expect(parseScope('33,99,4,2C,971')).toEqual({
      scope: ['33', '971'],
      invalid: ['99', '4', '2C'],
    });
    expect(parseScope('gironde')).toEqual({ scope: [], invalid: ['GIRONDE'] });
  });

  it('reports an empty string (or only separators) as invalid', () => {
    expect(parseScope('')).toEqual({ scope: [], invalid: [''] });
    expect(parseScope('  ')).toEqual({ scope: [], invalid: [''] });
    expect(parseScope(',,')).toEqual({ scope: [], invalid: [''] });
  });

  it('reports codes mixed with `*` as invalid', () => {
    expect(parseScope('*,33')).toEqual({ scope: ['*'], invalid: ['33'] });
    expect(parseScope('33, *, 2a')).toEqual({ scope: ['*'], invalid: ['33', '2A'] });
  });

  it('round-trips any scope through formatScope', () => {
    fc.assert(
      fc.property(scope, (s) => {
        fc.pre(s.length > 0);
        expect(parseScope(formatScope(s))).toEqual({ scope: s, invalid: [] });
      }),
    );
  });

  it('returns a sorted, duplicate-free scope of valid codes whatever the order and case', () => {
    fc.assert(
      fc.property(
        fc.array(departement, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (list, lower) => {
          const text = list.map((c) => (lower ? c.toLowerCase() : c)).join(', ');
          const { scope: s, invalid } = parseScope(text);
          expect(invalid).toEqual([]);
          expect(s).toEqual([...new Set(list)].sort());
        },
      ),
    );
  });
});

describe('scopeCovers', () => {
  it('covers the départements listed and no other', () => {
    expect(scopeCovers(['33', '40'], '33')).toBe(true);
    expect(scopeCovers(['33', '40'], '40')).toBe(true);
    expect(scopeCovers(['33', '40'], '64')).toBe(false);
    expect(scopeCovers(['2A'], '2B')).toBe(false);
    expect(scopeCovers([], '33')).toBe(false);
  });

  it('never covers an unplaceable structure, unless the scope is `*`', () => {
    expect(scopeCovers(['33'], null)).toBe(false);
    expect(scopeCovers([], null)).toBe(false);
    expect(scopeCovers(['*'], null)).toBe(true);
  });

  it('`*` covers every département', () => {
    fc.assert(
      fc.property(departement, (d) => {
        expect(scopeCovers([ALL], d)).toBe(true);
      }),
    );
  });

  it('covers a département exactly when it is listed', () => {
    fc.assert(
      fc.property(codes, departement, (s, d) => {
        expect(scopeCovers(s, d)).toBe(s.includes(d));
      }),
    );
  });
});

describe('scopeWithin', () => {
  it('compares lists of départements', () => {
    expect(scopeWithin(['33'], ['33', '40'])).toBe(true);
    expect(scopeWithin(['33', '40'], ['33', '40'])).toBe(true);
    expect(scopeWithin(['33', '64'], ['33', '40'])).toBe(false);
    expect(scopeWithin(['33', '40'], ['33'])).toBe(false);
    expect(scopeWithin([], ['33'])).toBe(true);
  });

  it('anything is within `*`; `*` is within nothing but `*`', () => {
    expect(scopeWithin(['*'], ['*'])).toBe(true);
    expect(scopeWithin(['*'], ['33'])).toBe(false);
    expect(scopeWithin(['*'], ALL_DEPARTEMENTS)).toBe(false);
    fc.assert(
      fc.property(codes, (s) => {
        expect(scopeWithin(s, [ALL])).toBe(true);
        expect(scopeWithin([ALL], s)).toBe(false);
      }),
    );
  });

  it('is reflexive', () => {
    fc.assert(
      fc.property(scope, (s) => {
        expect(scopeWithin(s, s)).toBe(true);
      }),
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(scope, scope, scope, (a, b, c) => {
        if (scopeWithin(a, b) && scopeWithin(b, c)) expect(scopeWithin(a, c)).toBe(true);
      }),
    );
    // the random scopes above are seldom nested: build chains that are
    fc.assert(
      fc.property(codes, codes, codes, (a, b, c) => {
        const ab = [...new Set([...a, ...b])];
        const abc = [...new Set([...ab, ...c])];
        expect(scopeWithin(a, ab)).toBe(true);
        expect(scopeWithin(ab, abc)).toBe(true);
        expect(scopeWithin(a, abc)).toBe(true);
      }),
    );
  });

  it('holds exactly when every département of the inner scope is covered by the outer one', () => {
    fc.assert(
      fc.property(scope, scope, (inner, outer) => {
        const expected = inner.includes(ALL)
          ? outer.includes(ALL)
          : inner.every((d) => scopeCovers(outer, d));
        expect(scopeWithin(inner, outer)).toBe(expected);
      }),
    );
  });
});
