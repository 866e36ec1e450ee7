import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash64, HashedStringSet } from '../../src/domain/hash64.js';

describe('hash64', () => {
  it('gives 16 hexadecimal digits, the same for the same text', () => {
    expect(hash64('pauline.dufour@mairie-pau.fr')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64('pauline.dufour@mairie-pau.fr')).toBe(hash64('pauline.dufour@mairie-pau.fr'));
  });

  it('tells apart texts that differ by one character, their order, or an accent', () => {
    const texts = ['', 'a', 'b', 'ab', 'ba', 'DUFOUR;Pauline', 'DUFOUR;Pauline ', 'Éloïse', 'Eloïse', 'x\u001fy', 'xy\u001f'];
    expect(new Set(texts.map(hash64)).size).toBe(texts.length);
  });

  it('has no collision among 200,000 logins of one shape', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(hash64(`jean.martin.${i}@mairie.example`));
    expect(seen.size).toBe(200_000);
  });
});

describe('HashedStringSet', () => {
  it('adds once: a second add of the same text says it was there', () => {
    const s = new HashedStringSet();
    expect(s.add('a@x.fr')).toBe(true);
    expect(s.add('b@x.fr')).toBe(true);
    expect(s.add('a@x.fr')).toBe(false);
    expect(s.size).toBe(2);
    expect(s.has('a@x.fr')).toBe(true);
    expect(s.has('c@x.fr')).toBe(false);
  });

  it('keeps everything it was given across its growth, and nothing else', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { minLength: 0, maxLength: 3000 }), fc.array(fc.string(), { maxLength: 50 }), (texts, others) => {
        const s = new HashedStringSet();
        for (const t of texts) expect(s.add(t)).toBe(true);
        expect(s.size).toBe(texts.length);
        for (const t of texts) expect(s.has(t)).toBe(true);
        for (const o of others) expect(s.has(o)).toBe(texts.includes(o));
      }),
      { numRuns: 30 },
    );
  });
});
