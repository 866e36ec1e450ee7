import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeProfile,
  configFile,
  getSetting,
  listSettings,
  profileIfReadable,
  setSetting,
  unsetSetting,
} from '../../src/app/config.js';
import { InvalidInputError, NotFoundError } from '../../src/errors.js';

/** SPEC 4: the configuration file and its profiles, through the use cases of src/app/config.ts. */

let dir: string;
let env: Record<string, string>;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-config-'));
  env = { HOME: path.join(dir, 'home'), XDG_CONFIG_HOME: path.join(dir, 'xdg') };
  file = path.join(dir, 'xdg', 'chorus-admin', 'config.toml');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What a failing call threw. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('the configuration file', () => {
  it('is CHORUS_ADMIN_CONFIG, else under XDG_CONFIG_HOME, else under ~/.config', () => {
    expect(
      configFile({ HOME: '/h', XDG_CONFIG_HOME: '/x', CHORUS_ADMIN_CONFIG: '/c/my.toml' }),
    ).toBe('/c/my.toml');
    expect(configFile({ HOME: '/h', XDG_CONFIG_HOME: '/x' })).toBe('/x/chorus-admin/config.toml');
    expect(configFile({ HOME: '/h' })).toBe('/h/.config/chorus-admin/config.toml');
  });

  it('is written as TOML tables [profiles.NAME], mode 0600, with nothing left beside it', async () => {
    await setSetting(undefined, env, dir, 'db', 'postgres://chorus:S3cretPass@db.example/chorus');
    await setSetting('essai', env, dir, 'as', 'Corr@DGFiP.fr');
    await setSetting('essai', env, dir, 'format', 'JSON');
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [
        '[profiles.default]',
        'db = "postgres://chorus:S3cretPass@db.example/chorus"',
        '',
        '[profiles.essai]',
        'as = "corr@dgfip.fr"',
        'format = "json"',
        '',
      ].join('\n'),
    );
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['config.toml']);
  });

  it('keeps its mode 0600 even when the file was readable by others before', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '[profiles.default]\nlang = "en"\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    await setSetting(undefined, env, dir, 'format', 'csv');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(activeProfile(undefined, env)).toEqual({ lang: 'en', format: 'csv' });
  });

  it('shows a URL’s password as *** in list, get and set, never as it is', async () => {
    const url = 'postgres://chorus:S3cretPass@db.example/chorus?password=Other1234';
    const set = await setSetting(undefined, env, dir, 'db', url);
    expect(set.setting.value).toBe('postgres://chorus:***@db.example/chorus?password=***');
    expect(getSetting(undefined, env, 'db').value).toBe(set.setting.value);
    expect(JSON.stringify(listSettings(undefined, env))).not.toContain('S3cret');
    expect(JSON.stringify(listSettings(undefined, env))).not.toContain('Other1234');
    // the profile itself carries the URL whole: the store needs it
    expect(activeProfile(undefined, env).db).toBe(url);
  });

  it('lists every profile, or the one named', async () => {
    await setSetting(undefined, env, dir, 'lang', 'en');
    await setSetting('prod', env, dir, 'as', 'corr@dgfip.fr');
    expect(listSettings(undefined, env).settings).toEqual([
      { profile: 'default', key: 'lang', value: 'en' },
      { profile: 'prod', key: 'as', value: 'corr@dgfip.fr' },
    ]);
    expect(listSettings('prod', env).settings).toEqual([
      { profile: 'prod', key: 'as', value: 'corr@dgfip.fr' },
    ]);
    expect(listSettings(undefined, { ...env, CHORUS_ADMIN_PROFILE: 'prod' }).settings).toHaveLength(
      1,
    );
  });

  it('refuses an unknown key, naming it, and a value outside the choices', async () => {
    const unknown = await setSetting(undefined, env, dir, 'colour', 'blue').catch(
      (e: unknown) => e,
    );
    expect(unknown).toBeInstanceOf(InvalidInputError);
    expect((unknown as InvalidInputError).issues).toEqual([
      expect.objectContaining({ field: 'colour', message: 'config.unknownKey' }),
    ]);
    const lang = await setSetting(undefined, env, dir, 'lang', 'de').catch((e: unknown) => e);
    expect((lang as InvalidInputError).issues).toEqual([
      expect.objectContaining({
        field: 'lang',
        message: 'config.badChoice',
        params: { value: 'de', choices: 'fr, en' },
      }),
    ]);
    const as = await setSetting(undefined, env, dir, 'as', 'not a login').catch((e: unknown) => e);
    expect(as).toBeInstanceOf(InvalidInputError);
    expect(thrown(() => getSetting(undefined, env, 'colour'))).toBeInstanceOf(InvalidInputError);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('says a key that is not set is not found (exit 3)', () => {
    const err = thrown(() => getSetting(undefined, env, 'db'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).exitCode).toBe(3);
  });

  it('unsets a key, and the profile with its last key; unsetting what is not set changes nothing', async () => {
    await setSetting('essai', env, dir, 'lang', 'en');
    await setSetting('essai', env, dir, 'format', 'csv');
    expect(unsetSetting('essai', env, 'lang').removed).toBe(true);
    expect(unsetSetting('essai', env, 'lang').removed).toBe(false);
    expect(unsetSetting('essai', env, 'format').removed).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('essai');
    expect(thrown(() => unsetSetting('essai', env, 'format'))).toBeInstanceOf(InvalidInputError);
  });
});

describe('the profile that applies', () => {
  it('is default when none is named, none at all when the file has no default', async () => {
    expect(activeProfile(undefined, env)).toEqual({});
    await setSetting('prod', env, dir, 'lang', 'en');
    expect(activeProfile(undefined, env)).toEqual({});
    await setSetting(undefined, env, dir, 'lang', 'fr');
    expect(activeProfile(undefined, env)).toEqual({ lang: 'fr' });
    expect(activeProfile('prod', env)).toEqual({ lang: 'en' });
    expect(activeProfile(undefined, { ...env, CHORUS_ADMIN_PROFILE: 'prod' })).toEqual({
      lang: 'en',
    });
    // the option beats the variable
    expect(activeProfile('default', { ...env, CHORUS_ADMIN_PROFILE: 'prod' })).toEqual({
      lang: 'fr',
    });
  });

  it('is exit 5 naming the profile when the one named does not exist', async () => {
    await setSetting('prod', env, dir, 'lang', 'en');
    const err = thrown(() => activeProfile('prdo', env)) as InvalidInputError;
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.issues).toEqual([
      {
        field: '--profile',
        message: 'config.unknownProfile',
        params: { name: 'prdo', file, known: 'prod' },
      },
    ]);
    const byEnv = thrown(() =>
      activeProfile(undefined, { ...env, CHORUS_ADMIN_PROFILE: 'x' }),
    ) as InvalidInputError;
    expect(byEnv.issues[0]!.field).toBe('CHORUS_ADMIN_PROFILE');
    // what is said before the options are read never fails
    expect(profileIfReadable('prdo', env)).toEqual({});
  });

  it('takes a store path from the configuration folder, ~/ from the home folder; set keeps it absolute', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      '[profiles.default]\ndb = "stores/chorus.sqlite"\n[profiles.home]\ndb = "~/chorus.sqlite"\n',
    );
    expect(activeProfile(undefined, env).db).toBe(
      path.join(path.dirname(file), 'stores/chorus.sqlite'),
    );
    expect(activeProfile('home', env).db).toBe(path.join(env.HOME!, 'chorus.sqlite'));
    await setSetting('rel', env, path.join(dir, 'work'), 'db', 'here.sqlite');
    expect(getSetting('rel', env, 'db').value).toBe(path.join(dir, 'work', 'here.sqlite'));
  });

  it('reads a malformed file as exit 5 naming the file and the line', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '[profiles.default]\nlang = "en"\ndb = \n');
    const err = thrown(() => activeProfile(undefined, env)) as InvalidInputError;
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.key).toBe('config.invalidFile');
    expect(err.params).toEqual({ file });
    expect(err.issues).toEqual([expect.objectContaining({ line: 3, message: 'config.syntax' })]);
  });

  it('checks what the file says: known keys, strings, choices, tables', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      'db = "top.sqlite"\n[profiles.a]\ncolour = "blue"\nlang = "de"\nformat = 3\n[profiles]\nb = "x"\n',
    );
    const err = thrown(() => activeProfile(undefined, env)) as InvalidInputError;
    expect(err.issues.map((i) => [i.field, i.message])).toEqual([
      ['db', 'config.unknownTop'],
      ['profiles.a.colour', 'config.unknownKey'],
      ['profiles.a.lang', 'config.badChoice'],
      ['profiles.a.format', 'config.notString'],
      ['profiles.b', 'config.notTable'],
    ]);
  });
});
