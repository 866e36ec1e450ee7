import path from 'node:path';
import envPaths from 'env-paths';

/** SPEC 4: `chorus-admin.sqlite` in the user's data directory ($XDG_DATA_HOME/chorus-admin on Linux). */
export function defaultStoreLocation(): string {
  return path.join(envPaths('chorus-admin', { suffix: '' }).data, 'chorus-admin.sqlite');
}
