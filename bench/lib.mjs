// What bench/run.mjs and bench/pg.mjs share: the paths, the cached data sets (bench/gen.mjs),
// whole-process timings, and the initialised store each run starts from.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GEN = path.join(ROOT, 'bench/gen.mjs');
export const DATA = path.join(ROOT, 'bench/data');
export const BIN = path.join(ROOT, 'bin/chorus-admin.js');
export const CORR = 'bench@dgfip.finances.gouv.fr';
export const N = Number(process.env.BENCH_STRUCTURES ?? 130_000);

fs.mkdirSync(DATA, { recursive: true });

/** Generates a data set once (bench/data/, git-ignored); the same arguments give the same bytes. */
export function data(name, ...args) {
  const file = path.join(DATA, name);
  if (!fs.existsSync(file)) {
    process.stderr.write(`generating ${name}…\n`);
    const r = spawnSync(process.execPath, [GEN, ...args.map(String)], { maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`gen.mjs ${args.join(' ')} failed: ${r.stderr}`);
    fs.writeFileSync(file, r.stdout);
  }
  return file;
}

/**
 * Runs a command as a whole process; returns wall seconds, CPU seconds (user and system, every
 * thread's), peak RSS in MB (/usr/bin/time), exit code.
 */
export function timed(cmd, args, env = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const lines = r.stderr.trim().split('\n');
  const [user, system, rssKb] = lines.at(-1).split(' ').map(Number);
  return {
    seconds,
    cpuSeconds: user + system,
    rssMb: rssKb / 1024,
    code: r.status,
    stdout: r.stdout,
    stderr: lines.slice(0, -1).join('\n'),
  };
}

/** A timing whose process exited 0; throws with its error output otherwise. */
export function check(step, r) {
  if (r.code !== 0) throw new Error(`${step} exited ${r.code}: ${r.stderr.slice(0, 2000)}`);
  return r;
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const cli = (db, ...args) => [BIN, '--db', db, '--as', CORR, ...args];

/** Initialises the store at `db` (a SQLite file or a PostgreSQL URL) with the bench's correspondent. */
export function initStore(db) {
  const r = spawnSync(process.execPath, [
    BIN,
    '--db',
    db,
    'init',
    '--correspondent',
    CORR,
    '--email',
    CORR,
    '--nom',
    'BENCH',
    '--prenom',
    'Run',
    '--scope',
    '*',
    '-q',
  ]);
  if (r.status !== 0) throw new Error(`init failed: ${r.stderr}`);
}

/** A fresh SQLite store in a temporary folder (the caller removes `dir`). */
export function freshStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-'));
  const db = path.join(dir, 'bench.sqlite');
  initStore(db);
  return { db, dir };
}
