#!/usr/bin/env node
// The README's first command: a whole workflow on a throw-away SQLite store, printed as a
// correspondent would type it: the directory, the MADRHAS sync, the holder's first login. Data:
// fixtures/ and fixtures/demo/. Nothing outside a temp folder is touched.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'chorus-admin.js');
const data = JSON.parse(
  fs.readFileSync(path.join(root, 'fixtures', 'demo', 'accounts.json'), 'utf8'),
);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-demo-'));
const db = path.join(dir, 'demo.sqlite');
const env = { ...process.env, CHORUS_ADMIN_DB: db };
const corr = data.correspondent.login;

function step(title, args, { as, expect = 0 } = {}) {
  const shown = ['chorus-admin', ...(as ? ['--as', as] : []), ...args]
    .map((a) => (/[\s*]/.test(a) ? `'${a}'` : a))
    .join(' ');
  process.stdout.write(`\n\x1b[1m# ${title}\x1b[0m\n$ ${shown}\n`);
  const r = spawnSync(process.execPath, [bin, ...(as ? ['--as', as] : []), ...args], {
    env,
    stdio: 'inherit',
  });
  if (r.status !== expect) {
    process.stderr.write(`demo: expected exit ${expect}, got ${r.status}\n`);
    process.exit(1);
  }
}

try {
  process.stdout.write(`Throw-away store: ${db}\n`);
  const fx = (f) => path.join(root, 'fixtures', f);
  const rejects = path.join(dir, 'rejets.csv');
  step('Create the store and its first correspondent', [
    'init',
    '--correspondent',
    corr,
    '--email',
    corr,
    '--nom',
    data.correspondent.nom,
    '--prenom',
    data.correspondent.prenom,
    '--scope',
    data.correspondent.scope,
    '--quiet',
    '--format',
    'csv',
  ]);
  step(
    'Import the directory of public structures (2 bad rows, by design: exit 1)',
    ['structure', 'import', fx('annuaire.csv')],
    { as: corr, expect: 1 },
  );
  step('…and their services', ['structure', 'import-services', fx('services.csv'), '--quiet'], {
    as: corr,
    expect: 1,
  });
  step('Find a structure, accents or not', ['structure', 'search', 'chateau', 'de', 'pau'], {
    as: corr,
  });
  step(
    'The MADRHAS export, first as a dry run',
    ['sync', 'madrhas', fx('madrhas.csv'), '--dry-run', '--quiet', '--format', 'csv'],
    { as: corr, expect: 1 },
  );
  step(
    'The MADRHAS sync: accounts and attachments, rejected rows reported (exit 1)',
    ['sync', 'madrhas', fx('madrhas.csv'), '--rejects', rejects],
    { as: corr, expect: 1 },
  );
  process.stdout.write(`\n\x1b[1m# The rejects report\x1b[0m\n${fs.readFileSync(rejects, 'utf8')}`);
  step(
    'The same file again changes nothing',
    ['sync', 'madrhas', fx('madrhas.csv'), '--quiet', '--json'],
    { as: corr, expect: 1 },
  );
  step('The users of the commune of Pau', ['structure', 'users', '21640445900010'], { as: corr });
  const pauline = 'pauline.dufour@mairie-pau.fr';
  step(
    'Pauline completes her account at first login',
    [
      'account',
      'complete',
      '--adresse',
      'Hôtel de ville, place Royale',
      '--code-postal',
      '64000',
      '--ville',
      'Pau',
      '--quiet',
      '--format',
      'csv',
    ],
    { as: pauline },
  );
  step(
    'A holder cannot deactivate an account (exit 4, audited)',
    ['account', 'deactivate', 'jean.martin@mairie-pau.fr'],
    { as: pauline, expect: 4 },
  );
  for (const a of data.accounts.slice(1, 2)) {
    const extra = Object.entries(a)
      .filter(([k]) => !['login', 'email', 'nom', 'prenom'].includes(k))
      .flatMap(([k, v]) => [`--${k}`, v]);
    step(
      `The correspondent creates ${a.prenom} ${a.nom}'s account by hand`,
      [
        'account',
        'create',
        a.login,
        '--email',
        a.email,
        '--nom',
        a.nom,
        '--prenom',
        a.prenom,
        ...extra,
        '--quiet',
        '--format',
        'csv',
      ],
      { as: corr },
    );
  }
  step('Accounts in scope', ['account', 'list'], { as: corr });
  step('The audit log', ['audit', 'list', '--limit', '8'], { as: corr });
  step('Its hash chain', ['audit', 'verify'], { as: corr });
  step('The store', ['db', 'status']);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
