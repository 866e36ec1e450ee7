import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openStore, migrateToLatest } from '../../src/db/store.js';
import { run } from './cli.js';

type DialectName = 'sqlite' | 'postgres';
// as in stores.ts, which imports this file (and so cannot be imported by it)
const PG_URL = process.env.CHORUS_ADMIN_TEST_PG || undefined;
const DIALECTS: DialectName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * Template stores: built once per run, copied for each test.
 *
 * - `migrated`: an empty store, every migration applied (the store tests start from it).
 * - `seeded`: what the end-to-end tests of the sync and of the structures build first, by the same
 *   commands of the program: `init` of the correspondent CORR (scope 64,40), then, as CORR,
 *   `structure import fixtures/annuaire.csv` and `structure import-services fixtures/services.csv`.
 *
 * This file is the globalSetup of the projects that copy them (vitest.config.ts): it runs once in
 * vitest's main process, before any worker, for the templates its project uses (TEMPLATES_OF), and
 * removes them at the end of the run. Each worker learns where they are by `inject`. A copy is a
 * file copy on SQLite and `CREATE DATABASE … TEMPLATE` on PostgreSQL; it is the test's own and goes
 * with the test's `cleanup()`, like any fresh location.
 */

export type TemplateName = 'migrated' | 'seeded';

/** Where the templates of this run lie: SQLite files, PostgreSQL database names. */
export interface Templates {
  sqlite: Partial<Record<TemplateName, string>>;
  postgres: Partial<Record<TemplateName, string>>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    chorusAdminTemplates: Templates;
  }
}

/** The templates each project of vitest.config.ts copies. */
const TEMPLATES_OF: Record<string, TemplateName[]> = {
  store: ['migrated'],
  e2e: ['seeded'],
  spawned: ['migrated'],
};

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** The first correspondent of the end-to-end tests and the arguments of their `init`. */
export const CORRESPONDENT = 'claire.martin@dgfip.finances.gouv.fr';
export const INIT_ARGS = [
  'init',
  '--correspondent',
  CORRESPONDENT,
  '--email',
  CORRESPONDENT,
  '--nom',
  'MARTIN',
  '--prenom',
  'Claire',
  '--scope',
  '64,40',
];

// ---- in the tests' workers -----------------------------------------------------------------

async function provided(name: TemplateName, dialect: DialectName): Promise<string> {
  const { inject } = await import('vitest');
  const where = inject('chorusAdminTemplates')?.[dialect]?.[name];
  if (!where)
    throw new Error(
      `no ${name} template for ${dialect} in this run: list it for this project in TEMPLATES_OF (test/helpers/templates.ts)`,
    );
  return where;
}

/** Copies the SQLite template `name` to `file`, which must not exist. */
export async function copySqliteTemplate(name: TemplateName, file: string): Promise<void> {
  fs.copyFileSync(await provided(name, 'sqlite'), file, fs.constants.COPYFILE_EXCL);
}

/** The PostgreSQL database to give `CREATE DATABASE … TEMPLATE`. */
export async function postgresTemplate(name: TemplateName): Promise<string> {
  return provided(name, 'postgres');
}

/**
 * Puts a copy of the template `name` where a store already is (`location`, from freshLocation):
 * the SQLite file and its WAL are replaced; the PostgreSQL database is dropped and created again
 * from the template, under the same name. Nothing may hold the store open.
 */
export async function replaceWithTemplate(
  name: TemplateName,
  dialect: DialectName,
  location: string,
): Promise<void> {
  if (dialect === 'sqlite') {
    for (const f of [location, `${location}-wal`, `${location}-shm`]) fs.rmSync(f, { force: true });
    await copySqliteTemplate(name, location);
    return;
  }
  const database = new URL(location).pathname.slice(1);
  const template = await postgresTemplate(name);
  await admin(async (c) => {
    await c.query(`drop database if exists ${database} with (force)`);
    await c.query(`create database ${database} template ${template}`);
  });
}

// ---- in vitest's main process (globalSetup) --------------------------------------------------

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

const urlOf = (database: string) => {
  const url = new URL(PG_URL!);
  url.pathname = '/' + database;
  return url.toString();
};

/** Runs the program (in this process); throws with its output unless it exits `code`. */
async function mustRun(args: string[], code: number, check?: (stdout: string) => void) {
  const r = await run(args);
  if (r.code !== code)
    throw new Error(
      `template: chorus-admin ${args.join(' ')} exited ${r.code}, not ${code}\n${r.stdout}\n${r.stderr}`,
    );
  check?.(r.stdout);
}

const created = (expected: number) => (stdout: string) => {
  const n = (JSON.parse(stdout) as { created: number }).created;
  if (n !== expected) throw new Error(`template: ${n} created, not ${expected}`);
};

async function build(name: TemplateName, location: string): Promise<void> {
  if (name === 'migrated') {
    const store = await openStore(location, { create: true });
    try {
      await migrateToLatest(store);
    } finally {
      await store.close();
    }
    return;
  }
  await mustRun(['--db', location, ...INIT_ARGS], 0);
  const corr = ['--db', location, '--as', CORRESPONDENT, 'structure'];
  // both fixtures hold rows rejected on purpose (two, three): 1, and the rest imported; the
  // services of Papeete (987) and of the Ain (01) lie outside the scope 64,40 (SPEC 8.2: skipped)
  await mustRun([...corr, 'import', path.join(FIXTURES, 'annuaire.csv'), '--json'], 1, created(12));
  await mustRun(
    [...corr, 'import-services', path.join(FIXTURES, 'services.csv'), '--json'],
    1,
    created(4),
  );
}

/** Builds this project's templates on each dialect of the run; returns their teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const names = TEMPLATES_OF[project.name] ?? [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-templates-'));
  const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const templates: Templates = { sqlite: {}, postgres: {} };
  const teardown = async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    const databases = Object.values(templates.postgres);
    if (databases.length > 0)
      await admin(async (c) => {
        for (const db of databases) await c.query(`drop database if exists ${db} with (force)`);
      });
  };
  try {
    for (const name of names)
      for (const dialect of DIALECTS) {
        if (dialect === 'sqlite') {
          const file = path.join(dir, `${name}.sqlite`);
          await build(name, file);
          // a copy is the file alone: the last connection's close folded the WAL into it
          if (fs.existsSync(`${file}-wal`)) throw new Error(`template: ${file}-wal left behind`);
          templates.sqlite[name] = file;
        } else {
          const db = `ca_tpl_${name}_${tag}`;
          await admin((c) => c.query(`create database ${db}`));
          templates.postgres[name] = db;
          await build(name, urlOf(db));
        }
      }
  } catch (err) {
    await teardown();
    throw err;
  }
  project.provide('chorusAdminTemplates', templates);
  return teardown;
}
