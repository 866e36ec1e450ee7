#!/usr/bin/env node
// The README's first command: a whole workflow on a throw-away SQLite store, printed as a
// correspondent would type it: the directory, the MADRHAS sync, the holder's first login. Data:
// fixtures/ and fixtures/demo/. Nothing outside a temp folder is touched; the store is kept there
// so that the next steps printed at the end can be tried on it.
// It speaks the user's language (CHORUS_ADMIN_LANG, then LANG; French by default), and colours
// its titles only on a terminal, never when NO_COLOR is set (any value), always with FORCE_COLOR.
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

/** The program's own rule (resolveLang, src/i18n/index.ts): CHORUS_ADMIN_LANG, then LANG; French by default. */
function language() {
  const pick = (v) =>
    v?.toLowerCase().startsWith('en') ? 'en' : v?.toLowerCase().startsWith('fr') ? 'fr' : undefined;
  return pick(process.env.CHORUS_ADMIN_LANG) ?? pick(process.env.LANG) ?? 'fr';
}
const lang = language();
const colour = (() => {
  const { NO_COLOR, FORCE_COLOR } = process.env;
  if (NO_COLOR !== undefined) return false;
  if (FORCE_COLOR !== undefined)
    return FORCE_COLOR !== '0' && FORCE_COLOR.toLowerCase() !== 'false';
  return Boolean(process.stdout.isTTY);
})();
const bold = (text) => (colour ? `\x1b[1m${text}\x1b[0m` : text);

const WORDS = {
  fr: {
    store: (store) => `Base jetable : ${store}`,
    init: 'Créer la base et son premier correspondant',
    directory: 'Importer l’annuaire des structures publiques (2 lignes fausses, exprès : code 1)',
    services: '…et leurs services',
    search: 'Chercher une structure, avec ou sans accents',
    dryRun: 'L’export MADRHAS, d’abord à blanc (--dry-run : rien n’est enregistré)',
    sync: 'La synchronisation MADRHAS : comptes et rattachements, lignes rejetées dans un rapport (code 1)',
    rejects: 'Le rapport des rejets',
    again: 'Le même fichier une seconde fois ne change rien',
    users: 'Les utilisateurs de la commune de Pau',
    complete: 'Pauline complète son compte à sa première connexion',
    refused: 'Une titulaire ne peut pas désactiver un compte (code 4, journalisé)',
    create: (who) => `La correspondante crée à la main le compte de ${who}`,
    accounts: 'Les comptes de son périmètre',
    audit: 'Le journal',
    verify: 'Sa chaîne de hachage',
    status: 'La base',
    next: 'Et maintenant, à vous',
    nextIntro: (store) =>
      `La base de la démonstration reste ici : ${store}\nPour la reprendre dans ce terminal :`,
    then: 'puis, par exemple :',
    nextSteps: [
      ['le compte de Pauline', ['account', 'show', 'pauline.dufour@mairie-pau.fr']],
      ['la fiche de la commune de Pau', ['structure', 'show', '21640445900010']],
      ['le journal, pour un tableur', ['audit', 'list', '--format', 'csv']],
      ['l’aide d’une commande, ses colonnes, un exemple', ['sync', 'madrhas', '--help']],
    ],
    failed: (want, got) => `démo : code de sortie ${got}, ${want} attendu\n`,
  },
  en: {
    store: (store) => `Throw-away store: ${store}`,
    init: 'Create the store and its first correspondent',
    directory: 'Import the directory of public structures (2 bad rows, by design: exit 1)',
    services: '…and their services',
    search: 'Find a structure, accents or not',
    dryRun: 'The MADRHAS export, first as a dry run (--dry-run: nothing is written)',
    sync: 'The MADRHAS sync: accounts and attachments, rejected rows reported (exit 1)',
    rejects: 'The rejects report',
    again: 'The same file again changes nothing',
    users: 'The users of the commune of Pau',
    complete: 'Pauline completes her account at first login',
    refused: 'A holder cannot deactivate an account (exit 4, audited)',
    create: (who) => `The correspondent creates ${who}'s account by hand`,
    accounts: 'Accounts in scope',
    audit: 'The audit log',
    verify: 'Its hash chain',
    status: 'The store',
    next: 'Now your turn',
    nextIntro: (store) => `The demo’s store stays here: ${store}\nTo pick it up in this terminal:`,
    then: 'then, for instance:',
    nextSteps: [
      ['Pauline’s account', ['account', 'show', 'pauline.dufour@mairie-pau.fr']],
      ['the record of the commune of Pau', ['structure', 'show', '21640445900010']],
      ['the audit log, for a spreadsheet', ['audit', 'list', '--format', 'csv']],
      ['a command’s help, its columns, an example', ['sync', 'madrhas', '--help']],
    ],
    failed: (want, got) => `demo: expected exit ${want}, got ${got}\n`,
  },
}[lang];

const shell = (args) =>
  args.map((a) => (/[\s*'’]/.test(a) ? `'${a.replace(/'/g, "'\\''")}'` : a)).join(' ');

function step(title, args, { as, expect = 0 } = {}) {
  const shown = shell(['chorus-admin', ...(as ? ['--as', as] : []), ...args]);
  process.stdout.write(`\n${bold(`# ${title}`)}\n$ ${shown}\n`);
  const r = spawnSync(process.execPath, [bin, ...(as ? ['--as', as] : []), ...args], {
    env,
    stdio: 'inherit',
  });
  if (r.status !== expect) {
    process.stderr.write(WORDS.failed(expect, r.status));
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }
}

try {
  process.stdout.write(`${WORDS.store(db)}\n`);
  const fx = (f) => path.join(root, 'fixtures', f);
  const rejects = path.join(dir, 'rejets.csv');
  step(WORDS.init, [
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
  step(WORDS.directory, ['structure', 'import', fx('annuaire.csv')], { as: corr, expect: 1 });
  step(WORDS.services, ['structure', 'import-services', fx('services.csv'), '--quiet'], {
    as: corr,
    expect: 1,
  });
  step(WORDS.search, ['structure', 'search', 'chateau', 'de', 'pau'], {
    as: corr,
  });
  step(
    WORDS.dryRun,
    ['sync', 'madrhas', fx('madrhas.csv'), '--dry-run', '--quiet', '--format', 'csv'],
    { as: corr, expect: 1 },
  );
  step(WORDS.sync, ['sync', 'madrhas', fx('madrhas.csv'), '--rejects', rejects], {
    as: corr,
    expect: 1,
  });
  process.stdout.write(`\n${bold(`# ${WORDS.rejects}`)}\n${fs.readFileSync(rejects, 'utf8')}`);
  step(WORDS.again, ['sync', 'madrhas', fx('madrhas.csv'), '--quiet', '--json'], {
    as: corr,
    expect: 1,
  });
  step(WORDS.users, ['structure', 'users', '21640445900010'], { as: corr });
  const pauline = 'pauline.dufour@mairie-pau.fr';
  step(
    WORDS.complete,
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
  step(WORDS.refused, ['account', 'deactivate', 'jean.martin@mairie-pau.fr'], {
    as: pauline,
    expect: 4,
  });
  for (const a of data.accounts.slice(1, 2)) {
    const extra = Object.entries(a)
      .filter(([k]) => !['login', 'email', 'nom', 'prenom'].includes(k))
      .flatMap(([k, v]) => [`--${k}`, v]);
    step(
      WORDS.create(`${a.prenom} ${a.nom}`),
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
  step(WORDS.accounts, ['account', 'list'], { as: corr });
  step(WORDS.audit, ['audit', 'list', '--limit', '8'], { as: corr });
  step(WORDS.verify, ['audit', 'verify'], { as: corr });
  step(WORDS.status, ['db', 'status']);
  process.stdout.write(`\n${bold(`# ${WORDS.next}`)}\n${WORDS.nextIntro(db)}\n`);
  process.stdout.write(`  alias chorus-admin=${shell([`node ${bin}`])}\n`);
  process.stdout.write(`  export ${shell([`CHORUS_ADMIN_DB=${db}`])} CHORUS_ADMIN_AS=${corr}\n`);
  process.stdout.write(`${WORDS.then}\n`);
  for (const [what, args] of WORDS.nextSteps)
    process.stdout.write(`  ${shell(['chorus-admin', ...args])}   # ${what}\n`);
} catch (err) {
  fs.rmSync(dir, { recursive: true, force: true });
  throw err;
}
