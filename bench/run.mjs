#!/usr/bin/env node
// `npm run bench`: whole-process timings of chorus-admin on generated data (never committed).
//   node bench/run.mjs [startup|structures|sync|files]   (default: every benchmark)
//   BENCH_PAIRS=P sets the pairs of the start-up section (default 10); `startup` alone takes ~30 s
//   BENCH_STRUCTURES=N, BENCH_MADRHAS_ROWS=R scale them down for a quick look
// Data comes from bench/gen.mjs (the project's generator) and is cached in bench/data/
// (git-ignored); each run uses a fresh SQLite store in a temporary folder. Peak memory is the
// child's max RSS (/usr/bin/time). The sync is measured against the shared floor
// (../shared/bench/baseline-sync.mjs, or CHORUS_ADMIN_BASELINE=FILE) when it lies beside the clone; without it, the bench says so
// and gives the sync's figures alone and against bench/store-floor.mjs.
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// the paths, data sets, timings and fresh stores bench/pg.mjs uses too
import { BIN, CORR, DATA, N, ROOT, check, cli, data, freshStore, median, timed } from './lib.mjs';

const PAIRS = Math.max(8, Number(process.env.BENCH_PAIRS ?? 10));

/** Wall seconds of one whole process, its output discarded; throws unless it exits 0. */
function wall(args, what) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0)
    throw new Error(`${what} exited ${r.status}: ${String(r.stderr).slice(0, 2000)}`);
  return seconds;
}

/**
 * Start-up: `--version`, `--help` and a read command on a small initialised store, each against a
 * bare `node -e 0` on the same machine. Each pair runs the two in turn (which goes first alternates,
 * so that a drift of the machine's load weighs on both), after one warm-up pair; the ratio is the
 * command's median over the bare start's median.
 */
function benchStartup() {
  const { db, dir } = freshStore();
  try {
    const commands = [
      ['--version', [BIN, '--version'], 2],
      ['--help', [BIN, '--help'], 2],
      ['account show', cli(db, 'account', 'show', CORR), 3],
    ];
    console.log(
      `\nstart-up: median of ${PAIRS} pairs, each command and a bare \`node -e 0\` run in turn`,
    );
    for (const [name, args, target] of commands) {
      const bare = [];
      const own = [];
      for (let i = -1; i < PAIRS; i++) {
        let b, o;
        if (i % 2 === 0) {
          b = wall(['-e', '0'], 'node -e 0');
          o = wall(args, name);
        } else {
          o = wall(args, name);
          b = wall(['-e', '0'], 'node -e 0');
        }
        if (i < 0) continue; // the warm-up pair: disk cache, compile cache
        bare.push(b);
        own.push(o);
      }
      const ratio = median(own) / median(bare);
      console.log(
        `  chorus-admin ${name.padEnd(14)} ${median(own).toFixed(3)} s   bare node ${median(bare).toFixed(3)} s   ratio ${ratio.toFixed(2)}× (target ≤ ${target}×)${ratio <= target ? '' : '   over the target'}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function benchStructures() {
  const annuaire = data(`annuaire-${N}.csv`, 'annuaire', N);
  const services = data(`services-${N}.csv`, 'services', N);
  const { db, dir } = freshStore();
  try {
    const imp = check(
      'structure import',
      timed(process.execPath, cli(db, 'structure', 'import', annuaire, '--json', '-q')),
    );
    const svc = check(
      'structure import-services',
      timed(process.execPath, cli(db, 'structure', 'import-services', services, '--json', '-q')),
    );
    const again = check(
      'structure import (again)',
      timed(process.execPath, cli(db, 'structure', 'import', annuaire, '--json', '-q')),
    );
    const summary = JSON.parse(imp.stdout);
    const versions = [];
    for (let i = 0; i < 7; i++) versions.push(timed(process.execPath, [BIN, '--version']).seconds);
    const bare = median(versions);
    const queries = [
      ['Pau'],
      ['commune', 'bordeaux'],
      ['chateau'],
      ['techniques', '--code-postal', '64'],
      ['--ville', 'mont de marsan', '--page', '3'],
      [`${20000000 + 4242}`],
    ];
    const searches = queries.map((q) => {
      const times = [];
      for (let i = 0; i < 5; i++)
        times.push(
          check(
            `search ${q.join(' ')}`,
            timed(process.execPath, cli(db, 'structure', 'search', ...q, '--json', '-q')),
          ).seconds,
        );
      return { query: q.join(' '), seconds: median(times) };
    });
    const worst = Math.max(...searches.map((s) => s.seconds));
    console.log(
      `\nstructures: ${N} rows (${(fs.statSync(annuaire).size / 1e6).toFixed(1)} MB), services: ${2 * N} rows`,
    );
    console.log(
      `  structure import           ${imp.seconds.toFixed(2)} s   peak RSS ${imp.rssMb.toFixed(0)} MB   (created ${summary.created})   target < 20 s`,
    );
    console.log(
      `  structure import-services  ${svc.seconds.toFixed(2)} s   peak RSS ${svc.rssMb.toFixed(0)} MB`,
    );
    console.log(
      `  structure import (again)   ${again.seconds.toFixed(2)} s   peak RSS ${again.rssMb.toFixed(0)} MB   (unchanged ${JSON.parse(again.stdout).unchanged})`,
    );
    console.log(`  chorus-admin --version     ${bare.toFixed(3)} s   (median of 7)`);
    for (const s of searches)
      console.log(
        `  search ${s.query.padEnd(32)} ${s.seconds.toFixed(3)} s   ratio ${(s.seconds / bare).toFixed(2)}× a bare start`,
      );
    console.log(`  worst search / bare start  ${(worst / bare).toFixed(2)}×   target ≤ 2×`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The shared floor of the sync, when it lies beside the clone (or where CHORUS_ADMIN_BASELINE
 * says, e.g. from a worktree): it is not part of the project.
 */
const BASELINE = process.env.CHORUS_ADMIN_BASELINE
  ? path.resolve(process.env.CHORUS_ADMIN_BASELINE)
  : path.resolve(ROOT, '../shared/bench/baseline-sync.mjs');
const HAS_BASELINE = fs.existsSync(BASELINE);
const ROWS = Number(process.env.BENCH_MADRHAS_ROWS ?? 1_000_000);

/** The MADRHAS sync against the floor (baseline-sync.mjs: same load, no validation, no audit), in the same run. */
function benchSync() {
  const annuaire = data(`annuaire-${N}.csv`, 'annuaire', N);
  const services = data(`services-${N}.csv`, 'services', N);
  const madrhas = data(`madrhas-${ROWS}-${N}.csv`, 'madrhas', ROWS, N);
  const { db, dir } = freshStore();
  try {
    check(
      'structure import',
      timed(process.execPath, cli(db, 'structure', 'import', annuaire, '-q')),
    );
    check(
      'structure import-services',
      timed(process.execPath, cli(db, 'structure', 'import-services', services, '-q')),
    );
    const floorDb = path.join(dir, 'floor.sqlite');
    const floorPrepared = path.join(dir, 'floor-prepared.sqlite');
    const floor = (step, file = floorDb) =>
      check(
        `baseline ${step}`,
        timed(process.execPath, [BASELINE, step, file, step === 'prepare' ? annuaire : madrhas]),
      );
    let floorCold = null;
    let floorAgain = null;
    let floorStored = null;
    if (HAS_BASELINE) {
      floor('prepare');
      fs.copyFileSync(floorDb, floorPrepared);
      const floorBase = fs.statSync(floorDb).size;
      floorCold = floor('sync');
      floorStored = fs.statSync(floorDb).size - floorBase;
      floorAgain = floor('sync');
    }
    const base = path.join(dir, 'base.sqlite');
    fs.copyFileSync(db, base);
    // the cold sync is measured as a migration load (issue 16 point 9): no credentials mail per account
    const cold = check(
      'sync madrhas',
      timed(
        process.execPath,
        cli(db, 'sync', 'madrhas', madrhas, '--no-credentials', '--json', '-q'),
      ),
    );
    const stored = fs.statSync(db).size - fs.statSync(base).size;
    // the machine's pace drifts by a third within the hour: the floor's cold load once more, right
    // after the cold sync, so that the ratio is also given against the floor on both sides of it
    let floorColdAfter = null;
    if (HAS_BASELINE) {
      floorColdAfter = floor('sync', floorPrepared);
      fs.rmSync(floorPrepared);
    }
    // the same rows into the same schema by SQL alone: what storing them costs, whatever the code
    const bySql = check(
      'store floor',
      timed(process.execPath, [
        path.join(ROOT, 'bench/store-floor.mjs'),
        base,
        db,
        path.join(dir, 'store-floor.sqlite'),
      ]),
    );
    const again = check(
      'sync madrhas (again)',
      timed(
        process.execPath,
        cli(db, 'sync', 'madrhas', madrhas, '--no-credentials', '--json', '-q'),
      ),
    );
    // the directory moves (one structure renamed): the next run checks every row against it again
    // and stamps the digests anew; the run after that is as cheap as `again`
    const [head, first] = fs.readFileSync(annuaire, 'utf8').split('\n', 2);
    const renamed = path.join(dir, 'annuaire-renamed.csv');
    fs.writeFileSync(
      renamed,
      `${head}\n${first.replace(/;Commune de ([^;]*);/, ';Commune de $1 (renommée);')}\n`,
    );
    check(
      'structure import (one renamed)',
      timed(process.execPath, cli(db, 'structure', 'import', renamed, '-q')),
    );
    const moved = check(
      'sync madrhas (directory moved)',
      timed(
        process.execPath,
        cli(db, 'sync', 'madrhas', madrhas, '--no-credentials', '--json', '-q'),
      ),
    );
    const after = check(
      'sync madrhas (after that)',
      timed(
        process.execPath,
        cli(db, 'sync', 'madrhas', madrhas, '--no-credentials', '--json', '-q'),
      ),
    );
    const c = JSON.parse(cold.stdout);
    const a = JSON.parse(again.stdout);
    const mb = (bytes) => (bytes / 1e6).toFixed(0);
    const perSecond = (bytes, r) => (bytes / 1e6 / r.seconds).toFixed(1);
    /** `ratio N× the floor…` when the shared floor ran; nothing without it. */
    const vs = (r, floorRun, what, target = '') =>
      floorRun
        ? `   ratio ${(r.seconds / floorRun.seconds).toFixed(2)}× ${what}${target ? ` (target ${target})` : ''}`
        : '';
    console.log(
      `\nsync madrhas: ${ROWS} rows (${(fs.statSync(madrhas).size / 1e6).toFixed(0)} MB) over ${N} structures`,
    );
    if (floorCold)
      console.log(
        `  floor (baseline-sync.mjs)  cold ${floorCold.seconds.toFixed(2)} s (${floorColdAfter.seconds.toFixed(2)} s after the cold sync)   again ${floorAgain.seconds.toFixed(2)} s   peak RSS ${Math.max(floorCold.rssMb, floorAgain.rssMb).toFixed(0)} MB`,
      );
    else
      console.log(
        `  floor: not measured: ${path.relative(process.cwd(), BASELINE)} is not beside this clone (the shared floor is no part of the project); the sync's figures alone, and against bench/store-floor.mjs`,
      );
    console.log(
      `  chorus-admin cold          ${cold.seconds.toFixed(2)} s${vs(cold, floorCold, 'the floor', '≤ 2.0×')}   peak RSS ${cold.rssMb.toFixed(0)} MB   (${c.strategy}: created ${c.created}, attachments ${c.attachmentsAdded}, rejected ${c.rejected})`,
    );
    if (floorCold)
      console.log(
        `  … against the floor after it ${(cold.seconds / floorColdAfter.seconds).toFixed(2)}×, against the two floors' mean ${((2 * cold.seconds) / (floorCold.seconds + floorColdAfter.seconds)).toFixed(2)}×`,
      );
    // what two cores could make of the same work at best: half of its CPU time each
    if (floorCold)
      console.log(
        `  … CPU time ${cold.cpuSeconds.toFixed(2)} s (the floor's ${floorCold.cpuSeconds.toFixed(2)} s): on two cores at best ${(cold.cpuSeconds / 2).toFixed(2)} s, ${(cold.cpuSeconds / 2 / floorCold.seconds).toFixed(2)}× the floor`,
      );
    console.log(
      `  our rows by SQL alone      ${bySql.seconds.toFixed(2)} s${vs(bySql, floorCold, 'the floor')}   (bench/store-floor.mjs: the cold sync's rows, INSERT … SELECT into the store's schema)`,
    );
    console.log(
      `  cold sync / by SQL alone   ${(cold.seconds / bySql.seconds).toFixed(2)}×   (what the program costs beyond storing its rows)`,
    );
    console.log(
      floorStored !== null
        ? `  bytes stored, cold         floor ${mb(floorStored)} MB   chorus-admin ${mb(stored)} MB (${(stored / floorStored).toFixed(2)}×)   per second: floor ${perSecond(floorStored, floorCold)} MB/s, chorus-admin ${perSecond(stored, cold)} MB/s, by SQL alone ${perSecond(stored, bySql)} MB/s`
        : `  bytes stored, cold         chorus-admin ${mb(stored)} MB   per second: chorus-admin ${perSecond(stored, cold)} MB/s, by SQL alone ${perSecond(stored, bySql)} MB/s`,
    );
    console.log(
      `  chorus-admin again         ${again.seconds.toFixed(2)} s${vs(again, floorAgain, "the floor's re-sync", '≤ 0.25×')}   peak RSS ${again.rssMb.toFixed(0)} MB   (${a.strategy}: unchanged ${a.unchanged})`,
    );
    console.log(
      `  … the directory moved       ${moved.seconds.toFixed(2)} s${vs(moved, floorAgain, "the floor's re-sync")}   peak RSS ${moved.rssMb.toFixed(0)} MB   (every row checked again, digests stamped anew; unchanged ${JSON.parse(moved.stdout).unchanged})`,
    );
    console.log(
      `  … and the run after that    ${after.seconds.toFixed(2)} s${vs(after, floorAgain, "the floor's re-sync")}   peak RSS ${after.rssMb.toFixed(0)} MB`,
    );
    console.log(
      `  peak memory ${Math.max(cold.rssMb, again.rssMb, moved.rssMb, after.rssMb).toFixed(0)} MB (target < 200 MB)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const FILE_BYTES = 9 * 1024 * 1024;

/** A 9 MiB PDF-like file (a real header, then bytes that do not compress, as a scan): the same bytes every time. */
function benchDocument() {
  const file = path.join(DATA, `scan-${FILE_BYTES}.pdf`);
  if (!fs.existsSync(file)) {
    const head = Buffer.from('%PDF-1.4\n%bench\n');
    const noise = createCipheriv('aes-128-ctr', Buffer.alloc(16), Buffer.alloc(16)).update(
      Buffer.alloc(FILE_BYTES - head.length),
    );
    fs.writeFileSync(file, Buffer.concat([head, noise]));
  }
  return file;
}

const sha256 = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** `file add` and `file download` of a 9 MiB file, as whole processes, against a bare start (median of 5 each). */
function benchFiles() {
  const doc = benchDocument();
  const { db, dir } = freshStore();
  try {
    const runs = 5;
    const adds = [];
    const downloads = [];
    for (let i = 0; i < runs; i++) {
      const add = check(
        'file add',
        timed(
          process.execPath,
          cli(
            db,
            'file',
            'add',
            doc,
            '--designation',
            `Scan ${i}`,
            '--type',
            'JUSTIFICATIF',
            '--json',
            '-q',
          ),
        ),
      );
      adds.push(add);
      const { id } = JSON.parse(add.stdout);
      const copy = path.join(dir, `copy-${i}.pdf`);
      downloads.push(
        check(
          'file download',
          timed(process.execPath, cli(db, 'file', 'download', String(id), '-o', copy, '-q')),
        ),
      );
      if (sha256(copy) !== sha256(doc))
        throw new Error('file download did not give back the bytes added');
      fs.rmSync(copy);
    }
    const versions = [];
    for (let i = 0; i < 7; i++) versions.push(timed(process.execPath, [BIN, '--version']));
    // a command that opens the store and touches no bytes: what add and download cost beyond it is the file's
    const lists = [];
    for (let i = 0; i < runs; i++)
      lists.push(
        check('file list', timed(process.execPath, cli(db, 'file', 'list', '--json', '-q'))),
      );
    const med = (rs) => median(rs.map((r) => r.seconds));
    const peak = (rs) => Math.max(...rs.map((r) => r.rssMb));
    const bare = med(versions);
    console.log(
      `\nfiles: ${(FILE_BYTES / 1024 / 1024).toFixed(0)} MiB (${FILE_BYTES} bytes), SQLite, median of ${runs}`,
    );
    console.log(
      `  chorus-admin --version     ${bare.toFixed(3)} s   peak RSS ${peak(versions).toFixed(0)} MB`,
    );
    console.log(
      `  file list (no bytes)       ${med(lists).toFixed(3)} s   peak RSS ${peak(lists).toFixed(0)} MB`,
    );
    console.log(
      `  file add                   ${med(adds).toFixed(3)} s   peak RSS ${peak(adds).toFixed(0)} MB   (${(med(adds) - bare).toFixed(3)} s over a bare start)`,
    );
    console.log(
      `  file download -o FILE      ${med(downloads).toFixed(3)} s   peak RSS ${peak(downloads).toFixed(0)} MB   (${(med(downloads) - bare).toFixed(3)} s over a bare start)`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const which = process.argv[2] ?? 'all';
if (which === 'pg')
  await import('./pg.mjs').then(async (m) => (await m.benchPg(), process.exit(0))); // bench/pg.mjs
if (!['all', 'startup', 'structures', 'sync', 'files'].includes(which)) {
  console.error('usage: node bench/run.mjs [startup|structures|sync|files]');
  process.exit(2);
}
console.log(
  `chorus-admin bench — node ${process.version}, ${os.cpus().length} cores, load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
if (which === 'all' || which === 'startup') benchStartup();
if (which === 'all' || which === 'structures') benchStructures();
if (which === 'all' || which === 'sync') benchSync();
if (which === 'all' || which === 'files') benchFiles();
