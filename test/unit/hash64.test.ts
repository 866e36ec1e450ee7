import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestIndex, fromHex, Hash64, hash64 } from '../../src/domain/hash64.js';

describe('hash64', () => {
  it('gives 16 hexadecimal digits, the same for the same text', () => {
    expect(hash64('pauline.dufour@mairie-pau.fr')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64('pauline.dufour@mairie-pau.fr')).toBe(hash64('pauline.dufour@mairie-pau.fr'));
  });

  it('writes the digest as it always has: stores keep digests from earlier runs', () => {
    // pinned: a digest written otherwise would make every account of a store look changed
    expect(hash64('pauline.dufour@mairie-pau.fr')).toBe('a3b07d09bec912e4');
    expect(hash64('')).toBe('b0a4c178bd37f565');
    fc.assert(
      fc.property(fc.string(), (text) => {
        const h = new Hash64().update(text);
        const [a, b] = h.halves();
        expect(fromHex(h.hex())).toEqual([a, b]);
        expect(h.hex()).toBe(a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0'));
      }),
    );
  });

  it('tells apart texts that differ by one character, their order, or an accent', () => {
    const texts = [
      '',
      'a',
      'b',
      'ab',
      'ba',
      'DUFOUR;Pauline',
      'DUFOUR;Pauline ',
      'Éloïse',
      'Eloïse',
      'x\u001fy',
      'xy\u001f',
    ];
    expect(new Set(texts.map(hash64)).size).toBe(texts.length);
  });

  it('has no collision among 200,000 logins of one shape', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(hash64(`jean.martin.${i}@mairie.example`));
    expect(seen.size).toBe(200_000);
  });
});

describe('Hash64 over bytes', () => {
  it('gives the same digest for the same bytes wherever they sit, and another for any change', () => {
    const a = Buffer.from('xxpauline.dufour@mairie-pau.fr;DUFOUR;Pauline;SIRET;21640445900010yy');
    const b = Buffer.from('pauline.dufour@mairie-pau.fr;DUFOUR;Pauline;SIRET;21640445900010');
    expect(new Hash64().bytes(a, 2, a.length - 2).hex()).toBe(
      new Hash64().bytes(b, 0, b.length).hex(),
    );
    const seen = new Set<string>();
    for (let i = 0; i <= b.length; i++) seen.add(new Hash64().bytes(b, 0, i).hex()); // every prefix, the empty one included
    for (let i = 0; i < b.length; i++) {
      const c = Buffer.from(b);
      c[i] = c[i]! ^ 1;
      seen.add(new Hash64().bytes(c, 0, c.length).hex());
    }
    expect(seen.size).toBe(2 * b.length + 1);
  });

  it('a copy goes on from the same state', () => {
    const seed = new Hash64().update('seed');
    expect(seed.copy().update('x').hex()).toBe(new Hash64().update('seed').update('x').hex());
    expect(seed.copy().update('x').hex()).not.toBe(seed.copy().update('y').hex());
  });
});

describe('DigestIndex', () => {
  const halves = (hex: string) => fromHex(hex);

  it('finds an account by the digest of its rows, negated when fresh; 0 for an unknown digest', () => {
    const index = new DigestIndex();
    index.set(hash64('rows of a'), 7);
    index.set(hash64('rows of b') + 'stamp', 9, true);
    expect(index.get(...halves(hash64('rows of a')))).toBe(7);
    expect(index.get(...halves(hash64('rows of b')))).toBe(-9);
    expect(index.get(...halves(hash64('rows of a, changed')))).toBe(0);
  });

  it('answers 0 for a digest two accounts share (ambiguous), and keeps (0, 0) apart from an empty slot', () => {
    const index = new DigestIndex();
    index.set('00000000000000aa', 3);
    index.set('00000000000000aa', 4);
    expect(index.get(0, 0xaa)).toBe(0);
    index.set('0000000000000000', 5);
    expect(index.get(0, 0)).toBe(5);
  });

  it('keeps every entry across its growth', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 3000 }), (texts) => {
        const index = new DigestIndex(texts.length % 7 === 0 ? texts.length : 0);
        const digests = texts.map((t) => hash64(t));
        fc.pre(new Set(digests).size === digests.length);
        digests.forEach((d, i) => index.set(d, i + 1, i % 2 === 0));
        digests.forEach((d, i) =>
          expect(index.get(...halves(d))).toBe(i % 2 === 0 ? -(i + 1) : i + 1),
        );
      }),
      { numRuns: 30 },
    );
  });

  it('takes a digest by its halves as by its hexadecimal digits', () => {
    const index = new DigestIndex();
    index.put(...fromHex(hash64('rows of a')), 7, true);
    index.put(0, 0, 8);
    expect(index.get(...halves(hash64('rows of a')))).toBe(-7);
    expect(index.get(0, 0)).toBe(8);
  });

  it('Hash64 fed piece by piece differs from the pieces joined (each piece ends with its length)', () => {
    expect(new Hash64().update('ab').update('c').hex()).toBe(
      new Hash64().update('ab').update('c').hex(),
    );
    expect(new Hash64().update('ab').update('c').hex()).not.toBe(hash64('abc'));
  });
});
