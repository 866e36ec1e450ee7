import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';

/**
 * Every migration, by name, in order. A static index rather than a folder read, so the set the
 * program knows is fixed at build time: a store with a name not listed here is newer than us.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
};
