import path from 'node:path';
import envPaths from 'env-paths';
import type { TomlTable } from 'smol-toml';
import { isPostgresUrl, redact } from '../db/url.js';
import { InvalidInputError, NotFoundError, type FieldIssue } from '../errors.js';
import { readConfigFile, writeConfigFile } from '../io/config-file.js';

/**
 * Profiles (SPEC 4): named sets of defaults for `--db`, `--as`, `--lang` and `--format`, kept in
 * one TOML file as tables `[profiles.NAME]`. The profile `default` applies when none is named;
 * `--profile` (or CHORUS_ADMIN_PROFILE) names another. What the file says comes after the
 * options and the environment, and before the built-in defaults.
 */

export const CONFIG_KEYS = ['db', 'as', 'lang', 'format'] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];
export type Profile = Partial<Record<ConfigKey, string>>;

/** The values an enumerated key takes (SPEC 4's `--lang` and `--format`). */
export const CONFIG_CHOICES: Partial<Record<ConfigKey, readonly string[]>> = {
  lang: ['fr', 'en'],
  format: ['table', 'json', 'csv', 'xlsx'],
};

export const DEFAULT_PROFILE = 'default';
const PROFILE_NAME = /^[\p{L}\d_-]+$/u;

type Env = Readonly<Record<string, string | undefined>>;

/** One setting as it can be shown: a URL's password is `***`. */
export interface Setting {
  profile: string;
  key: ConfigKey;
  value: string;
}

/**
 * The configuration file: CHORUS_ADMIN_CONFIG, else `$XDG_CONFIG_HOME/chorus-admin/config.toml`,
 * else `~/.config/chorus-admin/config.toml`.
 */
export function configFile(env: Env): string {
  if (env.CHORUS_ADMIN_CONFIG) return path.resolve(env.CHORUS_ADMIN_CONFIG);
  const base = env.XDG_CONFIG_HOME
    ? env.XDG_CONFIG_HOME
    : env.HOME
      ? path.join(env.HOME, '.config')
      : path.dirname(envPaths('chorus-admin', { suffix: '' }).config);
  return path.join(base, 'chorus-admin', 'config.toml');
}

/** The profile named by `--profile`, else by CHORUS_ADMIN_PROFILE; undefined when none is. */
function profileNamed(given: string | undefined, env: Env): string | undefined {
  return given ?? (env.CHORUS_ADMIN_PROFILE || undefined);
}

/** Where the name came from, to name it in a message. */
function nameSource(given: string | undefined): string {
  return given === undefined ? 'CHORUS_ADMIN_PROFILE' : '--profile';
}

interface Config {
  file: string;
  profiles: Record<string, Profile>;
}

/** The file read and checked whole: every key known, every value a string of its choices. */
function load(env: Env): Config {
  const file = configFile(env);
  const doc = readConfigFile(file);
  const issues: FieldIssue[] = [];
  const profiles: Record<string, Profile> = {};
  for (const [top, value] of Object.entries(doc)) {
    if (top !== 'profiles') {
      issues.push({ field: top, message: 'config.unknownTop' });
      continue;
    }
    if (!isTable(value)) {
      issues.push({ field: top, message: 'config.notTable' });
      continue;
    }
    for (const [name, table] of Object.entries(value)) {
      const at = `profiles.${name}`;
      if (!isTable(table)) {
        issues.push({ field: at, message: 'config.notTable' });
        continue;
      }
      const profile: Profile = {};
      for (const [key, v] of Object.entries(table)) {
        if (!isConfigKey(key)) {
          issues.push({
            field: `${at}.${key}`,
            message: 'config.unknownKey',
            params: { keys: CONFIG_KEYS.join(', ') },
          });
        } else if (typeof v !== 'string') {
          issues.push({ field: `${at}.${key}`, message: 'config.notString' });
        } else {
          const checked = checkValue(key, v);
          if (typeof checked === 'string') profile[key] = checked;
          else issues.push({ field: `${at}.${key}`, ...checked });
        }
      }
      profiles[name] = profile;
    }
  }
  if (issues.length > 0) throw new InvalidInputError(issues, 'config.invalidFile', { file });
  return { file, profiles };
}

function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key);
}

/** The value as kept (enumerations in lower case), or why it is refused. */
function checkValue(key: ConfigKey, value: string): string | Omit<FieldIssue, 'field'> {
  if (value.trim() === '') return { message: 'config.emptyValue' };
  const choices = CONFIG_CHOICES[key];
  if (!choices) return value;
  const v = value.toLowerCase();
  return choices.includes(v)
    ? v
    : { message: 'config.badChoice', params: { value, choices: choices.join(', ') } };
}

/**
 * The profile the global options fall back on: the one named (an unknown name is exit 5), else
 * `default` if the file has one, else none. A store path in it is read from the configuration
 * file's folder (`~/` from the home folder); a URL is kept as it is.
 */
export function activeProfile(given: string | undefined, env: Env): Profile {
  const named = profileNamed(given, env);
  const { file, profiles } = load(env);
  const name = named ?? DEFAULT_PROFILE;
  const profile = Object.hasOwn(profiles, name) ? profiles[name]! : undefined;
  if (!profile) {
    if (named === undefined) return {};
    throw unknownProfile(named, nameSource(given), file, profiles);
  }
  const db = profile.db;
  if (db === undefined || isPostgresUrl(db)) return profile;
  const home = env.HOME;
  const located =
    home && (db === '~' || db.startsWith('~/'))
      ? path.join(home, db.slice(1))
      : path.resolve(path.dirname(file), db);
  return { ...profile, db: located };
}

/**
 * The profile that would apply, or none when the file cannot be read: for what is said before
 * the options are checked (help, a usage error) and for the commands that manage the file. The
 * command that reads the profile for its store reports what is wrong with it.
 */
export function profileIfReadable(given: string | undefined, env: Env): Profile {
  try {
    return activeProfile(given, env);
  } catch {
    return {};
  }
}

function unknownProfile(
  name: string,
  field: string,
  file: string,
  profiles: Record<string, Profile>,
): InvalidInputError {
  const known = Object.keys(profiles);
  return new InvalidInputError([
    {
      field,
      message: known.length > 0 ? 'config.unknownProfile' : 'config.noProfiles',
      params: { name, file, known: known.join(', ') },
    },
  ]);
}

function shown(key: ConfigKey, value: string): string {
  return key === 'db' && isPostgresUrl(value) ? redact(value) : value;
}

function settingsOf(name: string, profile: Profile): Setting[] {
  return CONFIG_KEYS.filter((k) => profile[k] !== undefined).map((key) => ({
    profile: name,
    key,
    value: shown(key, profile[key]!),
  }));
}

/** The file's settings: of every profile, or of the one named (an unknown name is exit 5). */
export function listSettings(
  given: string | undefined,
  env: Env,
): { file: string; settings: Setting[] } {
  const { file, profiles } = load(env);
  const named = profileNamed(given, env);
  if (named === undefined)
    return {
      file,
      settings: Object.entries(profiles).flatMap(([name, p]) => settingsOf(name, p)),
    };
  if (!Object.hasOwn(profiles, named))
    throw unknownProfile(named, nameSource(given), file, profiles);
  return { file, settings: settingsOf(named, profiles[named]!) };
}

/** One key of the profile named, or of `default`: exit 5 for an unknown key, 3 when it is not set. */
export function getSetting(given: string | undefined, env: Env, key: string): Setting {
  const k = configKey(key);
  const { file, profiles } = load(env);
  const name = profileNamed(given, env) ?? DEFAULT_PROFILE;
  const value = Object.hasOwn(profiles, name) ? profiles[name]![k] : undefined;
  if (value === undefined)
    throw new NotFoundError('config.keyNotSet', { key: k, profile: name, file });
  return { profile: name, key: k, value: shown(k, value) };
}

/**
 * Sets one key of the profile named (or `default`), creating the file, its folder and the profile
 * as needed. A relative store path is taken from `cwd` and kept absolute; `as` must be a login.
 */
export async function setSetting(
  given: string | undefined,
  env: Env,
  cwd: string,
  key: string,
  value: string,
): Promise<{ file: string; setting: Setting }> {
  const k = configKey(key);
  const name = profileNamed(given, env) ?? DEFAULT_PROFILE;
  if (!PROFILE_NAME.test(name))
    throw new InvalidInputError([
      { field: nameSource(given), message: 'config.badProfileName', params: { name } },
    ]);
  const checked = checkValue(k, value);
  if (typeof checked !== 'string') throw new InvalidInputError([{ field: k, ...checked }]);
  let kept = checked;
  if (k === 'db' && !isPostgresUrl(kept)) kept = path.resolve(cwd, kept);
  if (k === 'as') {
    const { login } = await import('../domain/fields.js');
    const r = login.safeParse(kept);
    if (!r.success) throw new InvalidInputError([{ field: k, message: 'validation.email' }]);
    kept = r.data;
  }
  const { file } = load(env);
  const doc = readConfigFile(file);
  const profiles = (doc.profiles ?? {}) as TomlTable;
  const profile = (profiles[name] ?? {}) as TomlTable;
  profile[k] = kept;
  profiles[name] = profile;
  doc.profiles = profiles;
  writeConfigFile(file, doc);
  return { file, setting: { profile: name, key: k, value: shown(k, kept) } };
}

/**
 * Removes one key of the profile named (or `default`); a profile left empty goes too. Removing
 * a key that is not set changes nothing; naming a profile the file does not have is exit 5.
 */
export function unsetSetting(
  given: string | undefined,
  env: Env,
  key: string,
): { file: string; profile: string; key: ConfigKey; removed: boolean } {
  const k = configKey(key);
  const named = profileNamed(given, env);
  const name = named ?? DEFAULT_PROFILE;
  const { file, profiles: checked } = load(env);
  if (!Object.hasOwn(checked, name)) {
    if (named !== undefined) throw unknownProfile(named, nameSource(given), file, checked);
    return { file, profile: name, key: k, removed: false };
  }
  if (checked[name]![k] === undefined) return { file, profile: name, key: k, removed: false };
  const doc = readConfigFile(file);
  const profiles = doc.profiles as TomlTable;
  const profile = profiles[name] as TomlTable;
  delete profile[k];
  if (Object.keys(profile).length === 0) delete profiles[name];
  writeConfigFile(file, doc);
  return { file, profile: name, key: k, removed: true };
}

function configKey(key: string): ConfigKey {
  if (isConfigKey(key)) return key;
  throw new InvalidInputError([
    { field: key, message: 'config.unknownKey', params: { keys: CONFIG_KEYS.join(', ') } },
  ]);
}
