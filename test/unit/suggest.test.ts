import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from '../../src/ui/suggest.js';

describe('suggest', () => {
  it('counts insertions, deletions, substitutions and transpositions as one edit each', () => {
    expect(editDistance('acount', 'account')).toBe(1);
    expect(editDistance('acocunt', 'account')).toBe(1);
    expect(editDistance('acconut', 'account')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('offers the nearest command, and nothing for a word too far from all', () => {
    const groups = ['init', 'db', 'sync', 'account', 'structure', 'attachment', 'audit'];
    expect(suggest('acount', groups)).toEqual(['account']);
    expect(suggest('strucutre', groups)).toEqual(['structure']);
    expect(suggest('frobnicate', groups)).toEqual([]);
  });

  it('compares options without their dashes, ignoring case, and only with options', () => {
    const flags = ['--adresse', '--email', '--json', '--help', 'account'];
    expect(suggest('--adress', flags)).toEqual(['--adresse']);
    expect(suggest('--JSON', flags)).toEqual(['--json']);
    expect(suggest('--acount', flags)).toEqual([]);
  });

  it('offers every candidate at the smallest distance, sorted', () => {
    expect(suggest('lst', ['list', 'last', 'show'])).toEqual(['last', 'list']);
  });
});
