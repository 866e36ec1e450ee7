import { PG_URL } from './stores.js';

/** Says once, at the top of the run, whether the PostgreSQL half of the suite runs. */
export default function setup(): void {
  // every project inherits this setup (vitest.config.ts): the first one says it
  const said = globalThis as { chorusAdminPgSaid?: boolean };
  if (said.chorusAdminPgSaid) return;
  said.chorusAdminPgSaid = true;
  if (PG_URL)
    process.stdout.write(
      `PostgreSQL: store and end-to-end tests also run against ${PG_URL.replace(/:[^:@/]*@/, ':***@')}\n`,
    );
  else
    process.stdout.write(
      'PostgreSQL: skipped (set CHORUS_ADMIN_TEST_PG=postgres://user@host:5432/db to run those tests too)\n',
    );
}
