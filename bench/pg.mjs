#!/usr/bin/env node
// PostgreSQL against SQLite, in one run (issue 16 point 10): the same generated data (bench/gen.mjs,
// cached in bench/data/) through the same commands, on a fresh SQLite store and on a fresh database
// of a private PostgreSQL server (scripts/test-postgres.sh, stopped at the end), with the ratios
// against the targets: cold sync and directory import within 1.5× SQLite's, re-sync within 2×.
// The server is durable, as a region's is (fsync and full-page writes on, `start durable`): SQLite
// syncs its file at each commit, and the test suite's server, which does not, would flatter it.
//   node bench/pg.mjs                   (or `node bench/run.mjs pg`)
//   BENCH_PG_ROWS=R (default 200,000), BENCH_STRUCTURES=N (default 130,000) scale it
//   BENCH_PG_URL=postgres://… uses that server's (empty) database instead of starting one
//   BENCH_PG_CREDENTIALS=1 sends the cold sync's credentials mails; by default the cold sync runs
//   with --no-credentials, the cold sync issue 16 point 9 measures (a migration load)
//   BENCH_PG_ROUNDS=K (default 3): the two steps with a 1.5× target are timed in K pairs
// Each command is a whole process (/usr/bin/time gives its peak RSS), as in bench/run.mjs.
//
// One pair of timings moves with the machine: this host's pace drifts by a third within minutes,
// and the same build's ratio spread over 1.36–1.98× in four runs of one evening (docs/design.md,
// twelfth pass). The directory import and the cold sync, whose targets are 1.5×, are therefore
// timed in K pairs, each pair SQLite then at once PostgreSQL, each from a copy of the same store
// (SQLite's file copied; PostgreSQL's database created from it as a template), and judged on the
// median of the pairs' ratios; every pair is printed.
//
// Before each pair the PostgreSQL database is settled (`VACUUM ANALYZE`, then `CHECKPOINT`): the
// server would otherwise do the step before's upkeep (autovacuum of the rows it wrote, the
// checkpoint its WAL calls for) during the next timed pair, on the same two cores as the program
// (a region's server runs on a machine of its own), and SQLite leaves nothing behind its steps.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { N, ROOT, check, cli, data, initStore, median, timed } from './lib.mjs';

const PG_SCRIPT = path.join(ROOT, 'scripts/test-postgres.sh');
const ROWS = Number(process.env.BENCH_PG_ROWS ?? 200_000);
const CREDENTIALS = process.env.BENCH_PG_CREDENTIALS === '1';
const ROUNDS = Math.max(1, Number(process.env.BENCH_PG_ROUNDS ?? 3));

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

/** The steps timed in ROUNDS pairs (their target is 1.5×). */
const PAIRED = ['import', 'cold'];

/**
 * Copies of a store as it stands: a SQLite file copied, a PostgreSQL database created with it as
 * its template (on the server's `postgres` database, as a template may have no other session).
 */
class Copies {
  constructor(url, dir) {
    this.dir = dir;
    const admin = new URL(url);
    admin.pathname = '/postgres';
    this.admin = admin.href;
    this.databases = [];
  }

  async sql(text, url = this.admin) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  /** A copy of both stores, named `name`: { lite, pg }. */
  async take(name, lite, pgUrl) {
    const file = path.join(this.dir, `${name}.sqlite`);
    fs.copyFileSync(lite, file);
    if (fs.existsSync(`${lite}-wal`)) fs.copyFileSync(`${lite}-wal`, `${file}-wal`);
    const from = new URL(pgUrl).pathname.slice(1);
    const database = `bench_${name}_${process.pid}`;
    await this.sql(`create database "${database}" template "${from}"`);
    this.databases.push(database);
    const to = new URL(pgUrl);
    to.pathname = `/${database}`;
    return { lite: file, pg: to.href };
  }

  /** The database at `url` settled: its upkeep done now, not during the next timed step. */
  async settle(url) {
    await this.sql('vacuum analyze', url);
    // CHECKPOINT asks for a superuser or pg_checkpoint (BENCH_PG_URL may name neither)
    await this.sql('checkpoint', url).catch(() => {});
  }

  async drop(copy) {
    for (const f of [copy.lite, `${copy.lite}-wal`, `${copy.lite}-shm`])
      fs.rmSync(f, { force: true });
    const database = new URL(copy.pg).pathname.slice(1);
    await this.sql(`drop database if exists "${database}"`);
    this.databases = this.databases.filter((d) => d !== database);
  }

  async dropAll() {
    for (const database of this.databases) await this.sql(`drop database if exists "${database}"`);
  }
}

/**
 * The same commands on both stores, each step on SQLite then at once on PostgreSQL: the two
 * timings of a ratio are taken a few seconds apart, as the machine's pace drifts by a third
 * within the hour. Before each step, the PostgreSQL database settled; before each paired step, a
 * copy of both stores (`copies`), from which the extra rounds start. Returns their timings by key, per store, and the copies by step.
 */
async function runOnBoth(lite, pgUrl, files, copies) {
  initStore(lite);
  initStore(pgUrl);
  const out = { lite: {}, pg: {} };
  const before = {};
  for (const [key, name, args] of STEPS(files)) {
    await copies.settle(pgUrl);
    if (ROUNDS > 1 && PAIRED.includes(key)) before[key] = await copies.take(key, lite, pgUrl);
    out.lite[key] = step(name, cli(lite, ...args));
    out.pg[key] = step(name, cli(pgUrl, ...args));
  }
  return { ...out, before };
}

/** Rounds 2..ROUNDS of the paired steps, each from a fresh copy of the stores they started from. */
async function moreRounds(files, copies, before) {
  const rounds = Object.fromEntries(PAIRED.map((key) => [key, []]));
  for (let round = 2; round <= ROUNDS; round++)
    for (const [key, name, args] of STEPS(files).filter(([k]) => PAIRED.includes(k))) {
      const copy = await copies.take(`${key}${round}`, before[key].lite, before[key].pg);
      await copies.settle(copy.pg);
      const lite = step(name, cli(copy.lite, ...args));
      const pgRun = step(name, cli(copy.pg, ...args));
      rounds[key].push({ lite, pg: pgRun });
      await copies.drop(copy);
    }
  return rounds;
}

export async function benchPg() {
  const files = {
    annuaire: data(`annuaire-${N}.csv`, 'annuaire', N),
    services: data(`services-${N}.csv`, 'services', N),
    madrhas: data(`madrhas-${ROWS}-${N}.csv`, 'madrhas', ROWS, N),
  };
  let url = process.env.BENCH_PG_URL;
  let server = null;
  if (!url) {
    const r = spawnSync('bash', [PG_SCRIPT, 'start', 'durable'], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`\npg: not measured: no private PostgreSQL server (${r.stderr.trim()})`);
      return;
    }
    [url, server] = r.stdout.trim().split(' ');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-pg-'));
  const copies = new Copies(url, dir);
  try {
    const {
      lite,
      pg: pgRuns,
      before,
    } = await runOnBoth(path.join(dir, 'bench.sqlite'), url, files, copies);
    const rounds = ROUNDS > 1 ? await moreRounds(files, copies, before) : {};
    const c = JSON.parse(pgRuns.cold.stdout);
    const a = JSON.parse(pgRuns.again.stdout);
    console.log(
      `\npg: PostgreSQL against SQLite, ${ROWS} MADRHAS rows over ${N} structures (${2 * N} services), one run, each step on both stores in turn` +
        (ROUNDS > 1
          ? `; ${PAIRED.length} steps in ${ROUNDS} pairs, judged on their median ratio`
          : ''),
    );
    const line = (name, key, target) => {
      const pairs = [{ lite: lite[key], pg: pgRuns[key] }, ...(rounds[key] ?? [])];
      const ratios = pairs.map((p) => p.pg.seconds / p.lite.seconds);
      const ratio = median(ratios);
      const shown = pairs[ratios.indexOf(ratio)]; // the median pair
      const sec = (p) => p.seconds.toFixed(2).padStart(7);
      const peak = (store) => Math.max(...pairs.map((p) => p[store].rssMb)).toFixed(0);
      console.log(
        `  ${name.padEnd(26)} SQLite ${sec(shown.lite)} s   PostgreSQL ${sec(shown.pg)} s   ratio ${ratio.toFixed(2)}×${pairs.length > 1 ? ' (median)' : ''}${target ? ` (target ≤ ${target}×)${ratio <= target ? '' : '   over the target'}` : ''}   peak RSS ${peak('lite')} / ${peak('pg')} MB`,
      );
      if (pairs.length > 1)
        console.log(
          `  ${''.padEnd(26)} pairs: ${pairs.map((p, i) => `${p.pg.seconds.toFixed(2)} / ${p.lite.seconds.toFixed(2)} s = ${ratios[i].toFixed(2)}×`).join(', ')}`,
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
    await copies.dropAll().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
    if (server) spawnSync('bash', [PG_SCRIPT, 'stop', server], { stdio: 'ignore' });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await benchPg();
