import path from 'node:path';
import envPaths from 'env-paths';
import { isPostgresUrl } from '../db/url.js';

/** Where the store is, read from the command line and the environment only: cheap to load. */
/**
 * The store a command works on (SPEC 4): `--db`, else CHORUS_ADMIN_DB, else
 * `chorus-admin.sqlite` in the user's data directory ($XDG_DATA_HOME/chorus-admin on Linux).
 * A relative file path is taken from the folder the program runs in.
 */
export function storeLocation(
  given: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  const location = given ?? env.CHORUS_ADMIN_DB;
  if (location) return isPostgresUrl(location) ? location : path.resolve(cwd, location);
  const data = env.XDG_DATA_HOME
    ? path.join(env.XDG_DATA_HOME, 'chorus-admin')
    : envPaths('chorus-admin', { suffix: '' }).data;
  return path.join(data, 'chorus-admin.sqlite');
}

/** CHORUS_ADMIN_LOCK_TIMEOUT (ms): how long to wait for another process's lock before exit 7. */
export function lockTimeout(env: Readonly<Record<string, string | undefined>>): number {
  const v = Number(env.CHORUS_ADMIN_LOCK_TIMEOUT);
  return Number.isFinite(v) && v > 0 ? v : 5000;
}
