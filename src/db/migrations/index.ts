import type { Migration } from 'kysely';
import * as m0001 from './0001-initial.js';
import * as m0002 from './0002-structure-search.js';
import * as m0003 from './0003-sync-digest.js';
import * as m0004 from './0004-directory-revision.js';
import * as m0005 from './0005-sync-own-digests.js';
import * as m0006 from './0006-structure-departement.js';
import * as m0007 from './0007-audit-reason.js';
import * as m0008 from './0008-sync-merge-runs.js';
import * as m0009 from './0009-sync-digest-snapshot.js';
import * as m0010 from './0010-run-change-no-target-index.js';
import * as m0011 from './0011-snapshot-entries-uncompressed.js';

/**
 * Every migration, by name, in order. A static index rather than a folder read, so the set the
 * program knows is fixed at build time: a store with a name not listed here is newer than us.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-structure-search': m0002,
  '0003-sync-digest': m0003,
  '0004-directory-revision': m0004,
  '0005-sync-own-digests': m0005,
  '0006-structure-departement': m0006,
  '0007-audit-reason': m0007,
  '0008-sync-merge-runs': m0008,
  '0009-sync-digest-snapshot': m0009,
  '0010-run-change-no-target-index': m0010,
  '0011-snapshot-entries-uncompressed': m0011,
};
