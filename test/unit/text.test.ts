import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, queryTokens, tokens } from '../../src/domain/text.js';

/** Text as people type it, and as files carry it: any code point, composed or not. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(..."ÀÉÈÊËÎÏÔÖÙÛÜÇàéèêëîïôöùûüçŒœÆæßẞØøŁłĐđ\u0301\u0308 '’-_.,;:/()«»İı"),
    maxLength: 30,
  }),
);

describe('fold', () => {
  it.each([
    ['Château', 'chateau'],
    ["L'ŒUVRE  D’ART", 'l oeuvre d art'],
    ['Mairie de Pau', 'mairie de pau'],
    ['ÉCOLE ÉLÉMENTAIRE', 'ecole elementaire'],
    ['Saint-Étienne-du-Rouvray', 'saint etienne du rouvray'],
    ['Lætitia', 'laetitia'],
    ['Cæcilia', 'caecilia'],
    ['Straße', 'strasse'],
    ['STRAẞE', 'strasse'],
    ['Œuf', 'oeuf'],
    ['Ærø', 'aero'],
    ['Łódź', 'lodz'],
    ['Đakovo', 'dakovo'],
    ['  Communauté   d’agglomération  ', 'communaute d agglomeration'],
    ['C.C.A.S. (Pau)', 'c c a s pau'],
    ['N°12, rue de l’Église', 'n 12 rue de l eglise'],
    ['ﬁnances', 'finances'],
    ['Ｐａｕ', 'pau'],
    ['...', ''],
    ['', ''],
  ])('fold(%j) is %j', (raw, expected) => {
    expect(fold(raw)).toBe(expected);
  });

  it('folds null and undefined to the empty string', () => {
    expect(fold(null)).toBe('');
    expect(fold(undefined)).toBe('');
  });

  it('gives the same word for composed and decomposed accents', () => {
    expect(fold('Ch\u00e2teau')).toBe('chateau');
    expect(fold('Cha\u0302teau')).toBe('chateau');
  });

  it('keeps digits, and letters of other scripts, lower-cased', () => {
    expect(fold('SIRET 216 404 459 00010')).toBe('siret 216 404 459 00010');
    expect(fold('ΑΘΗΝΑ')).toBe('αθηνα');
  });

  it('property: the folded text holds only letters, digits and single inner spaces', () => {
    fc.assert(
      fc.property(anyText, (x) => {
        const f = fold(x);
        expect(f).toMatch(/^[\p{L}\p{N} ]*$/u);
        expect(f).not.toMatch(/^ | $| {2}/);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: fold is idempotent', () => {
    fc.assert(
      fc.property(anyText, (x) => {
        expect(fold(fold(x))).toBe(fold(x));
      }),
      { numRuns: 3000 },
    );
  });

  it('property: case does not matter for French text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."abcdeéèêàçôûïœæ -'"), maxLength: 30 }),
        (x) => {
          expect(fold(x.toUpperCase())).toBe(fold(x));
        },
      ),
    );
  });
});

describe('tokens', () => {
  it.each([
    ['Mairie de Pau', ['mairie', 'de', 'pau']],
    ["L'ŒUVRE  D’ART", ['l', 'oeuvre', 'd', 'art']],
    ['  Château-Thierry ', ['chateau', 'thierry']],
    ['', []],
    [' -- ', []],
  ] as const)('tokens(%j) is %j', (raw, expected) => {
    expect(tokens(raw)).toEqual(expected);
  });

  it('has no words for null or undefined', () => {
    expect(tokens(null)).toEqual([]);
    expect(tokens(undefined)).toEqual([]);
  });

  it('property: the words joined by one space are the folded text, and none is empty', () => {
    fc.assert(
      fc.property(anyText, (x) => {
        const t = tokens(x);
        expect(t.join(' ')).toBe(fold(x));
        expect(t.every((w) => w.length > 0 && !w.includes(' '))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('queryTokens', () => {
  it.each([
    ['003970-001', ['003970001']],
    ['003970001', ['003970001']],
    ['216 404 459 00010', ['21640445900010']],
    ['216.404.459.00010', ['21640445900010']],
    ['  1234567 001 ', ['1234567001']],
    ['12/34/56', ['123456']],
  ] as const)('reads the identifier-shaped %j as one word of digits %j', (raw, expected) => {
    expect(queryTokens(raw)).toEqual(expected);
  });

  it.each([
    ['12 34', ['12', '34']],
    ['64000', ['64000']],
    ['rue 216 404 459', ['rue', '216', '404', '459']],
    ['Mairie de Pau', ['mairie', 'de', 'pau']],
    ['Château', ['chateau']],
  ] as const)(
    'reads %j word by word as %j (fewer than 6 digits, or not only digits)',
    (raw, expected) => {
      expect(queryTokens(raw)).toEqual(expected);
    },
  );

  it("reads an injection attempt as plain words: x' OR 1=1 --", () => {
    expect(queryTokens("x' OR 1=1 --")).toEqual(['x', 'or', '1', '1']);
  });

  it.each(['', '   ', "'", '--', '%_*', '"";;'])('has no words for punctuation only: %j', (raw) => {
    expect(queryTokens(raw)).toEqual([]);
  });

  it('has no words for null or undefined', () => {
    expect(queryTokens(null)).toEqual([]);
    expect(queryTokens(undefined)).toEqual([]);
  });

  it('property: every word is a folded token, without spaces or punctuation', () => {
    fc.assert(
      fc.property(anyText, (x) => {
        for (const w of queryTokens(x)) expect(w).toMatch(/^[\p{L}\p{N}]+$/u);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a SIRET written in groups of 3 is found as its 14 digits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 14, maxLength: 14 }),
        fc.constantFrom(' ', '.', '-', '/'),
        (s, sep) => {
          const typed = [s.slice(0, 3), s.slice(3, 6), s.slice(6, 9), s.slice(9)].join(sep);
          expect(queryTokens(typed)).toEqual([s]);
        },
      ),
    );
  });
});
