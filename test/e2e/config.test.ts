import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run, type RunOptions } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR, PAULINE, createAccount, initStore, json } from './fixtures.js';

/**
 * SPEC 4: profiles. The configuration file is found through HOME / XDG_CONFIG_HOME (the test's
 * own folder), never through the user's; the option wins, then the environment, then the
 * profile, then the built-in default.
 */

let home: string;
let env: RunOptions['env'];
let file: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-profiles-'));
  // nothing but the home folder says where the file is, as on a user's machine
  env = {
    CHORUS_ADMIN_CONFIG: undefined,
    XDG_CONFIG_HOME: undefined,
    XDG_DATA_HOME: path.join(home, 'data'),
    HOME: home,
  };
  file = path.join(home, '.config', 'chorus-admin', 'config.toml');
});
afterEach(() => {
  fs.rmSync(home, { recursive: true, force: true });
});

const cli = (args: string[], more: RunOptions['env'] = {}) =>
  run(args, { env: { ...env, ...more } });

/** `config set` that must succeed. */
async function set(...args: string[]): Promise<void> {
  const r = await cli(['config', 'set', ...args]);
  expect(r.stderr).toContain('✔');
  expect(r.code).toBe(0);
}

describe.each(DIALECTS)('a profile used with no environment variable (%s)', (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    await createAccount(fresh.location, PAULINE);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('gives the store and the acting account: `account show` alone works', async () => {
    await set('db', fresh.location);
    await set('as', CORR);
    const r = await cli(['account', 'show', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(json(r).login).toBe(CORR);

    // another profile, named by --profile or CHORUS_ADMIN_PROFILE
    await set('--profile', 'pauline', 'db', fresh.location);
    await set('--profile', 'pauline', 'as', PAULINE);
    const byOption = await cli(['--profile', 'pauline', 'account', 'show', '--json']);
    expect(byOption.code).toBe(0);
    expect(json(byOption).login).toBe(PAULINE);
    const byEnv = await cli(['account', 'show', '--json'], { CHORUS_ADMIN_PROFILE: 'pauline' });
    expect(json(byEnv).login).toBe(PAULINE);
  });

  it('keeps a command’s own --profile its own (habilitation request)', async () => {
    await set('db', fresh.location);
    await set('--profile', 'pauline', 'db', fresh.location);
    await set('--profile', 'pauline', 'as', PAULINE);
    // the global option, then the command's, in either order of the command's options
    const r = await cli([
      '--profile',
      'pauline',
      '--json',
      'habilitation',
      'request',
      '--profile',
      'VALIDATION_ABONNEMENTS',
      '--structure',
      '21640445900010',
    ]);
    expect(r.stderr).not.toContain('profil inconnu');
    expect(r.stderr).not.toContain('--profile');
    expect([0, 3, 4, 6]).toContain(r.code);
  });
});

describe('profiles', () => {
  it('give way to the environment, and the environment to the option, for --db', async () => {
    const at = (name: string) => path.join(home, name, 'chorus.sqlite');
    const where = async (args: string[], more: RunOptions['env'] = {}) => {
      const r = await cli([...args, 'db', 'status'], more);
      expect(r.code).toBe(7); // no store there: the message names where it looked
      return r.stderr;
    };
    expect(await where([])).toContain(
      path.join(home, 'data', 'chorus-admin', 'chorus-admin.sqlite'),
    );
    await set('db', at('profile'));
    expect(await where([])).toContain(at('profile'));
    expect(await where([], { CHORUS_ADMIN_DB: at('env') })).toContain(at('env'));
    expect(await where(['--db', at('option')], { CHORUS_ADMIN_DB: at('env') })).toContain(
      at('option'),
    );
  });

  it('give way to the environment, and the environment to the option, for --as', async () => {
    const actor = async (args: string[], more: RunOptions['env'] = {}) => {
      // the acting account is checked (exit 5 for a malformed login) before the store is opened
      const r = await cli(
        [...args, '--db', path.join(home, 'none.sqlite'), 'account', 'list'],
        more,
      );
      return r;
    };
    const none = await actor([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Indiquez le compte agissant');
    await set('as', 'profile@dgfip.fr');
    // a store that does not exist (7) once the actor is accepted; a malformed one (5) shows who won
    expect((await actor([])).code).toBe(7);
    expect((await actor([], { CHORUS_ADMIN_AS: 'not a login' })).code).toBe(5);
    expect((await actor(['--as', 'not a login'])).code).toBe(5);
    expect(
      (await actor(['--as', 'option@dgfip.fr'], { CHORUS_ADMIN_AS: 'not a login' })).code,
    ).toBe(7);
  });

  it('give way to the environment, and the environment to the option, for --lang', async () => {
    const said = async (args: string[], more: RunOptions['env'] = {}) =>
      (await cli([...args, 'db', 'status'], more)).stderr;
    expect(await said([])).toContain('Pas de base');
    await set('lang', 'en');
    expect(await said([])).toContain('No store');
    expect(await said([], { CHORUS_ADMIN_LANG: 'fr' })).toContain('Pas de base');
    expect(await said(['--lang', 'en'], { CHORUS_ADMIN_LANG: 'fr' })).toContain('No store');
    // and the language of what the commands write
    expect((await cli(['config', 'list'])).stdout).toContain('Setting');
    expect((await cli(['config', 'list'], { CHORUS_ADMIN_LANG: 'fr' })).stdout).toContain(
      'Réglage',
    );
    // the profile's language is the help's too
    expect((await cli(['--help'])).stdout).toContain('Usage:');
  });

  it('give way to the option for --format (it has no variable)', async () => {
    const shape = async (args: string[]) => {
      const r = await cli([...args, 'config', 'list']);
      expect(r.code).toBe(0);
      const [first = '', second = ''] = r.stdout.trimStart().split(/\r?\n/);
      if (first.startsWith('[')) return 'json';
      if (first === 'profile;key;value') return 'csv'; // the JSON keys, whatever the language
      return second.startsWith('─') ? 'table' : r.stdout;
    };
    await set('lang', 'fr');
    expect(await shape([])).toBe('table');
    await set('format', 'json');
    expect(await shape([])).toBe('json');
    expect(await shape(['--format', 'csv'])).toBe('csv');
    expect(await shape(['--format', 'table'])).toBe('table');
  });

  it('are written to a file of mode 0600, and never show a password', async () => {
    const url = 'postgres://chorus:S3cretPass@db.example/chorus';
    const r = await cli(['config', 'set', 'db', url]);
    expect(r.code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toContain(url);
    const outputs = [
      r,
      await cli(['config', 'list']),
      await cli(['config', 'list', '--json']),
      await cli(['config', 'list', '--format', 'csv']),
      await cli(['config', 'get', 'db']),
      await cli(['config', 'get', 'db', '--json']),
    ];
    for (const o of outputs) {
      expect(o.stdout + o.stderr).not.toContain('S3cret');
      expect(o.stdout + o.stderr).toContain('postgres://chorus:***@db.example/chorus');
    }
    expect(json(outputs[5]!)).toEqual({
      profile: 'default',
      key: 'db',
      value: 'postgres://chorus:***@db.example/chorus',
    });
  });

  it('refuse an unknown key (5, named), an unknown profile (5, named), a malformed file (5, file and line)', async () => {
    const key = await cli(['config', 'set', 'colour', 'blue']);
    expect(key.code).toBe(5);
    expect(key.stderr).toContain(
      'colour: réglage inconnu (réglages possibles : db, as, lang, format)',
    );

    await set('lang', 'fr');
    const profile = await cli(['--profile', 'prdo', 'db', 'status']);
    expect(profile.code).toBe(5);
    expect(profile.stderr).toContain(
      `--profile: profil inconnu « prdo » (profils de ${file} : default)`,
    );

    fs.writeFileSync(file, '[profiles.default]\nlang = "fr"\ndb = \n');
    const malformed = await cli(['db', 'status']);
    expect(malformed.code).toBe(5);
    expect(malformed.stderr).toContain(`Fichier de configuration invalide : ${file}.`);
    expect(malformed.stderr).toContain('ligne 3 TOML: syntaxe TOML invalide');
    // what needs no profile still runs
    expect((await cli(['--version'])).code).toBe(0);
  });

  it('`config` needs neither an acting account nor a store; unset removes', async () => {
    await set('as', CORR);
    expect((await cli(['config', 'get', 'as'])).stdout).toContain(CORR);
    const unset = await cli(['config', 'unset', 'as']);
    expect(unset.code).toBe(0);
    expect(unset.stderr).toContain('Profil default : as retiré');
    const gone = await cli(['config', 'get', 'as']);
    expect(gone.code).toBe(3);
    expect(fs.existsSync(path.join(home, 'data'))).toBe(false);
  });
});

describe('help COMMAND…', () => {
  it('prints the help of the command, as COMMAND --help does', async () => {
    for (const words of [['account', 'list'], ['sync', 'madrhas'], ['config'], ['completion']]) {
      const help = await cli(['help', ...words]);
      const option = await cli([...words, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).not.toBe('');
      expect(help.stdout).toBe(option.stdout);
    }
    // alone: the program's help, every group listed
    const root = await cli(['help']);
    expect(root.code).toBe(0);
    for (const group of ['account', 'config', 'completion', 'help'])
      expect(root.stdout).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
  });

  it('refuses an unknown command with 2, naming it', async () => {
    for (const words of [['acount'], ['account', 'lsit'], ['account', 'list', 'extra']]) {
      const r = await cli(['help', ...words]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`Commande inconnue : ${words.at(-1)}`);
    }
  });
});
