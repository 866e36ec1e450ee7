#!/usr/bin/env node
// The README's first command: a whole workflow on a throw-away SQLite store, printed as a
// correspondent would type it. Data: fixtures/demo/. Nothing outside a temp folder is touched.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'chorus-admin.js');
const data = JSON.parse(fs.readFileSync(path.join(root, 'fixtures', 'demo', 'accounts.json'), 'utf8'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-admin-demo-'));
const db = path.join(dir, 'demo.sqlite');
const env = { ...process.env, CHORUS_ADMIN_DB: db };
const corr = data.correspondent.login;

function step(title, args, { as, expect = 0 } = {}) {
  const shown = ['chorus-admin', ...(as ? ['--as', as] : []), ...args].map((a) => (/[\s*]/.test(a) ? `'${a}'` : a)).join(' ');
  process.stdout.write(`\n\x1b[1m# ${title}\x1b[0m\n$ ${shown}\n`);
  const r = spawnSync(process.execPath, [bin, ...(as ? ['--as', as] : []), ...args], { env, stdio: 'inherit' });
  if (r.status !== expect) {
    process.stderr.write(`demo: expected exit ${expect}, got ${r.status}\n`);
    process.exit(1);
  }
}

try {
  process.stdout.write(`Throw-away store: ${db}\n`);
  step('Create the store and its first correspondent', ['init', '--correspondent', corr, '--email', corr, '--nom', data.correspondent.nom, '--prenom', data.correspondent.prenom, '--scope', data.correspondent.scope, '--quiet', '--format', 'csv']);
  for (const a of data.accounts) {
    const extra = Object.entries(a).filter(([k]) => !['login', 'email', 'nom', 'prenom'].includes(k)).flatMap(([k, v]) => [`--${k}`, v]);
    step(`Create ${a.prenom} ${a.nom}'s account`, ['account', 'create', a.login, '--email', a.email, '--nom', a.nom, '--prenom', a.prenom, ...extra, '--quiet', '--format', 'csv'], { as: corr });
  }
  const pauline = data.accounts[0].login;
  step('Pauline completes her account at first login', ['account', 'complete', '--adresse', 'Hôtel de ville, place Royale', '--code-postal', '64000', '--ville', 'Pau', '--quiet', '--format', 'csv'], { as: pauline });
  step('…and turns off the news e-mails', ['account', 'edit', '--notif-actualite', 'off', '--mobile', '06 12 34 56 78', '--quiet', '--format', 'csv'], { as: pauline });
  step('A holder cannot touch another account (exit 4, audited)', ['account', 'deactivate', data.accounts[1].login], { as: pauline, expect: 4 });
  step('The correspondent deactivates an account', ['account', 'deactivate', data.accounts[2].login, '--quiet', '--format', 'csv'], { as: corr });
  step('Accounts in scope', ['account', 'list'], { as: corr });
  step('The audit log', ['audit', 'list'], { as: corr });
  step('Its hash chain', ['audit', 'verify'], { as: corr });
  step('The store', ['db', 'status']);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
