import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestIndex, fromHex, Hash64, hash64 } from '../../src/domain/hash64.js';

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

describe('DigestIndex', () => {
  it('finds an account by login when its digest matches, and only then', () => {
    const index = new DigestIndex();
    index.set('a@x.fr', 7, hash64('rows of a'));
    index.set('b@x.fr', 9, hash64('rows of b'));
    expect(index.match('a@x.fr', fromHex(hash64('rows of a')))).toBe(7);
    expect(index.match('a@x.fr', fromHex(hash64('rows of a, changed')))).toBeNull();
    expect(index.match('c@x.fr', fromHex(hash64('rows of a')))).toBeNull();
  });

  it('keeps every entry across its growth', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 3000 }), (logins) => {
        const index = new DigestIndex(logins.length % 7 === 0 ? logins.length : 0);
        logins.forEach((l, i) => index.set(l, i + 1, hash64(`${i}`)));
        logins.forEach((l, i) => expect(index.match(l, fromHex(hash64(`${i}`)))).toBe(i + 1));
      }),
      { numRuns: 30 },
    );
  });

  it('Hash64 fed piece by piece gives hash64 of the whole', () => {
    expect(new Hash64().update('ab').update('c').hex()).toBe(hash64('abc'));
  });
});
