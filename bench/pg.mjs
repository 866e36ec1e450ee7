#!/usr/bin/env node
// PostgreSQL against SQLite, in one run (issue 16 point 10): the same generated data (bench/gen.mjs,
// cached in bench/data/) through the same commands, on a fresh SQLite store and on a fresh database
// of a private PostgreSQL server (scripts/test-postgres.sh, stopped at the end), with the ratios
// against the targets: cold sync and directory import within 1.5× SQLite's, re-sync within 2×.
//   node bench/pg.mjs                   (or `node bench/run.mjs pg`)
//   BENCH_PG_ROWS=R (default 200,000), BENCH_STRUCTURES=N (default 130,000) scale it
//   BENCH_PG_URL=postgres://… uses that server's (empty) database instead of starting one
//   BENCH_PG_CREDENTIALS=1 sends the cold sync's credentials mails; by default the cold sync runs
//   with --no-credentials, the cold sync issue 16 point 9 measures (a migration load)
// Each command is a whole process (/usr/bin/time gives its peak RSS), as in bench/run.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { N, ROOT, check, cli, data, initStore, timed } from './lib.mjs';

const PG_SCRIPT = path.join(ROOT, 'scripts/test-postgres.sh');
const ROWS = Number(process.env.BENCH_PG_ROWS ?? 200_000);
const CREDENTIALS = process.env.BENCH_PG_CREDENTIALS === '1';

/** One step as a whole process (bench/lib.mjs): wall seconds, peak RSS; throws unless it exits 0. */
const step = (name, args) => check(name, timed(process.execPath, args));

/** The commands each store runs, in order: [key, name, arguments after the store's]. */
const STEPS = (files) => [
  ['import', 'structure import', ['structure', 'import', files.annuaire, '-q']],
  ['services', 'structure import-services', ['structure', 'import-services', files.services, '-q']],
  [
    'cold',
    'sync madrhas',
    [
      'sync',
      'madrhas',
      files.madrhas,
      '--json',
      '-q',
      ...(CREDENTIALS ? [] : ['--no-credentials']),
    ],
  ],
  ['again', 'sync madrhas (again)', ['sync', 'madrhas', files.madrhas, '--json', '-q']],
  ['importAgain', 'structure import (again)', ['structure', 'import', files.annuaire, '-q']],
];

/**
 * The same commands on both stores, each step on SQLite then at once on PostgreSQL: the two
 * timings of a ratio are taken a few seconds apart, as the machine's pace drifts by a third
 * within the hour. Returns their timings by key, per store.
 */
function runOnBoth(lite, pg, files) {
  initStore(lite);
  initStore(pg);
  const out = { lite: {}, pg: {} };
  for (const [key, name, args] of STEPS(files)) {
    out.lite[key] = step(name, cli(lite, ...args));
    out.pg[key] = step(name, cli(pg, ...args));
  }
  return out;
}

export function benchPg() {
  const files = {
    annuaire: data(`annuaire-${N}.csv`, 'annuaire', N),
    services: data(`services-${N}.csv`, 'services', N),
    madrhas: data(`madrhas-${ROWS}-${N}.csv`, 'madrhas', ROWS, N),
  };
  let url = process.env.BENCH_PG_URL;
  let server = null;
  if (!url) {
    const r = spawnSync('bash', [PG_SCRIPT, 'start'], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`\npg: not measured: no private PostgreSQL server (${r.stderr.trim()})`);
      return;
    }
    [url, server] = r.stdout.trim().split(' ');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-pg-'));
  try {
    const { lite, pg } = runOnBoth(path.join(dir, 'bench.sqlite'), url, files);
    const c = JSON.parse(pg.cold.stdout);
    const a = JSON.parse(pg.again.stdout);
    console.log(
      `\npg: PostgreSQL against SQLite, ${ROWS} MADRHAS rows over ${N} structures (${2 * N} services), one run, each step on both stores in turn`,
    );
    const line = (name, key, target) => {
      const ratio = pg[key].seconds / lite[key].seconds;
      console.log(
        `  ${name.padEnd(26)} SQLite ${lite[key].seconds.toFixed(2).padStart(7)} s   PostgreSQL ${pg[key].seconds.toFixed(2).padStart(7)} s   ratio ${ratio.toFixed(2)}×${target ? ` (target ≤ ${target}×)${ratio <= target ? '' : '   over the target'}` : ''}   peak RSS ${lite[key].rssMb.toFixed(0)} / ${pg[key].rssMb.toFixed(0)} MB`,
      );
    };
    line('structure import', 'import', 1.5);
    line('structure import-services', 'services', 0);
    line(CREDENTIALS ? 'sync madrhas, cold, mails' : 'sync madrhas, cold', 'cold', 1.5);
    line('sync madrhas, again', 'again', 2);
    line('structure import (again)', 'importAgain', 0);
    console.log(
      `  PostgreSQL's runs: cold ${c.strategy} (created ${c.created}, attachments ${c.attachmentsAdded}, rejected ${c.rejected}), again ${a.strategy} (unchanged ${a.unchanged})`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (server) spawnSync('bash', [PG_SCRIPT, 'stop', server], { stdio: 'ignore' });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) benchPg();
