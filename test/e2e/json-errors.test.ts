import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, type RunResult } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR } from './fixtures.js';

/** With --json, an error is also one JSON object, the last line of stderr. */
const lastJson = (r: RunResult) => {
  const lines = r.stderr.trimEnd().split('\n');
  return JSON.parse(lines.at(-1)!) as { error: Record<string, unknown> };
};

describe.each(DIALECTS)('JSON errors (%s)', (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'seeded');
  });
  afterEach(() => fresh.cleanup());
  const cli = (...args: string[]) => run(['--db', fresh.location, '--as', CORR, ...args]);

  it('invalid input: 5, the key, the message and every field named by its option', async () => {
    const r = await cli('--json', 'account', 'edit', '--telephone', 'abc', '--email', 'bad@');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    const { error } = lastJson(r);
    expect(error).toMatchObject({
      code: 5,
      key: 'error.invalidInput',
      message: 'Saisie invalide : rien n’a été enregistré.',
    });
    expect((error.fields as { field: string }[]).map((f) => f.field).sort()).toEqual([
      '--email',
      '--telephone',
    ]);
  });

  it('not found: 3; a usage error: 2 with its suggestion; --format json too', async () => {
    const missing = await cli('--json', 'account', 'show', 'nobody@example.fr');
    expect(missing.code).toBe(3);
    expect(lastJson(missing).error).toMatchObject({ code: 3, fields: [] });
    expect(typeof lastJson(missing).error.key).toBe('string');

    const typo = await cli('--format', 'json', 'acount');
    expect(typo.code).toBe(2);
    expect(lastJson(typo).error).toEqual({
      code: 2,
      key: 'usage.unknownCommand',
      message: 'Commande inconnue : acount. Vouliez-vous dire « account » ?',
      fields: [],
      suggestions: ['account'],
    });
  });

  it('in English with --lang en; without --json, no JSON', async () => {
    const en = await cli('--json', '--lang', 'en', 'account', 'list', '--status', 'nope');
    expect(en.code).toBe(5);
    expect(lastJson(en).error).toMatchObject({
      code: 5,
      fields: [{ field: '--status', message: '“nope” is not one of ACTIF, INACTIF, SUPPRIME' }],
    });
    const plain = await cli('account', 'list', '--status', 'nope');
    expect(plain.stderr).not.toContain('{"error"');
  });
});

describe.each(DIALECTS)('all invalid fields at once (%s)', (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'seeded');
  });
  afterEach(() => fresh.cleanup());
  const cli = (...args: string[]) => run(['--db', fresh.location, '--as', CORR, ...args]);

  it('account edit: the three invalid options, each named, the postal code included', async () => {
    const r = await cli(
      'account',
      'edit',
      '--telephone',
      'abc',
      '--code-postal',
      '6400',
      '--email',
      'bad@',
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      'Erreur : Saisie invalide : rien n’a été enregistré.\n' +
        '  - --email: adresse e-mail invalide\n' +
        '  - --telephone: numéro de téléphone invalide (ex. 05 59 27 85 80 ou +33 5 59 27 85 80)\n' +
        '  - --code-postal: code postal invalide (5 chiffres en France)\n',
    );
  });

  it('account edit with no option: one clean sentence, no dangling field', async () => {
    const r = await cli('account', 'edit');
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      'Erreur : Rien à faire : aucune modification demandée ; indiquez au moins une option (voir --help).\n',
    );
  });

  it('enumerated values in any case: --status inactif, --role gestionnaire_principal', async () => {
    expect((await cli('account', 'list', '--status', 'inactif')).code).toBe(0);
    expect((await cli('account', 'list', '--status', 'Actif', '--json')).stdout).toContain(
      '"status": "ACTIF"',
    );
    expect((await cli('attachment', 'list', '--status', 'validee')).code).toBe(0);
    expect((await cli('--format', 'JSON', 'account', 'list')).stdout.startsWith('[')).toBe(true);
    const bad = await cli('account', 'list', '--status', 'dormant');
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain(
      '--status: « dormant » n’est pas une valeur admise (ACTIF, INACTIF, SUPPRIME)',
    );
  });
});
