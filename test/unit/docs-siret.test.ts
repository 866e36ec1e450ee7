import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isValidSiret } from '../../src/domain/identifiers.js';

/**
 * Every SIRET a user reads in the help (the commands' examples, the catalogues) or in the README
 * and the user's pages of docs/ passes its check (Luhn over the 14 digits and the SIREN): an
 * example copied from the help must not be refused as an invalid identifier.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const inFolder = (rel: string) =>
  fs
    .readdirSync(path.join(ROOT, rel))
    .filter((f) => /\.(ts|md)$/.test(f))
    .map((f) => path.join(rel, f));

const SOURCES = [
  'README.md',
  ...inFolder('src/commands'),
  'src/i18n/fr.ts',
  'src/i18n/en.ts',
  ...inFolder('docs').filter((f) => !f.endsWith('spec.md')),
];

/** 14 digits standing alone (not part of a longer number): a SIRET. */
function sirets(text: string): string[] {
  return [...text.matchAll(/(?<![\d])\d{14}(?![\d])/g)].map((m) => m[0]);
}

describe('the SIRETs shown to users', () => {
  it('the README and the help show SIRETs at all (the scan finds them)', () => {
    expect(sirets(read('README.md')).length).toBeGreaterThan(0);
    expect(SOURCES.flatMap((f) => sirets(read(f))).length).toBeGreaterThan(5);
  });

  it.each(SOURCES)('%s: every SIRET passes its check', (file) => {
    const bad = sirets(read(file)).filter((s) => !isValidSiret(s));
    expect(bad).toEqual([]);
  });

  it('the scan would catch a SIRET that fails Luhn', () => {
    expect(sirets('structure show 21640445700019').filter((s) => !isValidSiret(s))).toEqual([
      '21640445700019',
    ]);
  });
});
