import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR } from './fixtures.js';

/** What commander, zod and Node say in English, never to be read in French output. */
const ENGLISH = [
  'is invalid',
  'Allowed choices',
  'too many arguments',
  'unknown option',
  'unknown command',
  'no such file',
  'Did you mean',
  'missing required',
  'argument missing',
  'not specified',
  'Options:',
  'Usage:',
  'Arguments:',
  'Commands:',
  'display help',
  'output the version',
  'Expected',
  'Invalid input',
  'ENOENT',
  'Too small',
  '[command]',
  '<file>',
];
/** And French words that must not leak into English output. */
const FRENCH = ['Erreur', 'inconnue', 'Vouliez-vous', 'Utilisation', 'fichier', 'refusée'];

describe.each(DIALECTS)('every message in the user’s language (%s)', (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'seeded');
  });
  afterEach(() => fresh.cleanup());

  const PATHS: [string, string[]][] = [
    ['unknown command', ['acount']],
    ['unknown subcommand', ['account', 'lsit']],
    ['unknown option', ['account', 'edit', '--adress', 'x']],
    ['invalid choice', ['structure', 'search', '--type', 'SIRT']],
    ['invalid global choice', ['--format', 'xml', 'account', 'list']],
    ['excess arguments', ['account', 'list', 'extra']],
    ['missing argument', ['account', 'delete']],
    ['option missing its value', ['account', 'list', '--limit']],
    ['mandatory option missing', ['habilitation', 'grant', 'x@y.fr', '--structure', '1']],
    ['zod: invalid fields', ['account', 'edit', '--telephone', 'abc', '--email', 'bad@']],
    ['zod: a number', ['account', 'list', '--limit', 'abc']],
    ['zod: its own locale', ['account', 'list', '--search', '']],
    ['an enumerated value in --json', ['--json', 'habilitation', 'list', '--status', 'x']],
    ['Node: a missing file', ['structure', 'import', 'nope.csv']],
    ['Node: a missing anchors file', ['audit', 'verify', '--anchor', 'nope.txt']],
    ['a group alone', ['account']],
    [
      'Node: a missing file to add',
      ['file', 'add', 'nope.pdf', '--designation', 'x', '--type', 'AUTRE'],
    ],
    ['help of the root', ['--help']],
    ['help of a command', ['sync', 'madrhas', '--help']],
  ];

  it.each(PATHS)('%s: no English word of the libraries in French', async (_, args) => {
    const r = await run(['--db', fresh.location, '--as', CORR, ...args], { cwd: fresh.dir });
    const said = r.stdout + r.stderr;
    expect(said.length).toBeGreaterThan(0);
    for (const word of ENGLISH) expect(said, word).not.toContain(word);
  });

  it.each(PATHS)('%s: no French word in English', async (_, args) => {
    const r = await run(['--db', fresh.location, '--as', CORR, '--lang', 'en', ...args], {
      cwd: fresh.dir,
    });
    const said = r.stdout + r.stderr;
    for (const word of FRENCH) expect(said, word).not.toContain(word);
  });

  it('zod’s own sentences replaced by ours: an empty text is required, in each language', async () => {
    const fr = await run(['--db', fresh.location, '--as', CORR, 'account', 'list', '--search', '']);
    expect(fr.code).toBe(5);
    expect(fr.stderr).toContain('  - --search: obligatoire\n');
    const en = await run([
      '--db',
      fresh.location,
      '--as',
      CORR,
      '--lang',
      'en',
      'account',
      'list',
      '--search',
      '',
    ]);
    expect(en.stderr).toContain('  - --search: required\n');
  });

  it('the file that is not there is said in words, in each language', async () => {
    expect(fs.existsSync(path.join(fresh.dir, 'nope.csv'))).toBe(false);
    const fr = await run(
      ['--db', fresh.location, '--as', CORR, 'structure', 'import', 'nope.csv'],
      {
        cwd: fresh.dir,
      },
    );
    expect(fr.code).toBe(5);
    expect(fr.stderr).toContain('lecture impossible (fichier introuvable)');
  });
});
