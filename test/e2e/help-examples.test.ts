import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { run } from '../helpers/cli.js';
import { DOCUMENTS } from '../helpers/documents.js';
import { freshLocation, type FreshLocation } from '../helpers/stores.js';
import { testIo } from '../helpers/cli.js';
import { CORR, json } from './fixtures.js';
import { MADRHAS_COLUMNS } from '../../src/domain/madrhas.js';
import { textWidth } from '../../src/ui/table.js';
import { SERVICE_COLUMNS, STRUCTURE_COLUMNS } from '../../src/domain/structure.js';

/**
 * Every example the help shows works (issue 15, point 9): each `$ chorus-admin …` line of every
 * command's help, in each language, is run in-process against a copy of the seeded template store
 * (the directory and its services) where the accounts the examples name exist, the actor each
 * example gives with `--as`. It must exit 0, or the code listed below with the reason (an id the
 * store does not hold). The files the examples name are put in the working folder, and a path
 * under /srv or /var, or in ~, is taken inside the test's folder.
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const PAU = '21640445900010'; // COMMUNE DE PAU in fixtures/annuaire.csv
const NOW = '2026-12-10T09:30:00.000Z';

/** The cast of the examples: each login, what it is in the prepared store. */
const CAST = {
  corr: 'corr@dgfip.fr',
  gp: 'gp@mairie-pau.fr',
  gs: 'gs@mairie-pau.fr',
  agent: 'agent@mairie-pau.fr',
  pauline: 'pauline.dufour@mairie-pau.fr',
};

/**
 * Examples that exit with another code than 0 on the prepared store, and why. Keyed by the
 * example's text (the same in both languages).
 */
const EXPECTED: Record<string, { code: number; why: string }> = {};
const expect3 = (why: string, ...lines: string[]) =>
  lines.forEach((l) => (EXPECTED[`chorus-admin ${l}`] = { code: 3, why }));
const expect1 = (why: string, ...lines: string[]) =>
  lines.forEach((l) => (EXPECTED[`chorus-admin ${l}`] = { code: 1, why }));
// the fixtures of the directory and of the services hold rejected rows on purpose (their tests)
expect1(
  'fixture rows rejected on purpose',
  '--as corr@dgfip.fr structure import annuaire.csv --rejects rejets.csv',
  '--as corr@dgfip.fr structure import-services services.csv --rejects rejets.csv',
);
EXPECTED['chorus-admin --as corr@dgfip.fr account reactivate pauline.dufour@mairie-pau.fr'] = {
  code: 6,
  why: 'Pauline’s account is active in the prepared store',
};
// the ids of requests, habilitations and files the examples name are not those of the store:
// one id not found is 3, a bulk command where each id fails is 1 (each reported)
expect3(
  'no such id in the prepared store',
  '--as gp@mairie-pau.fr attachment reject 15 --reason "Agent inconnu du service"',
  '--as gp@mairie-pau.fr habilitation edit 7 --profile MODIFICATION_STRUCTURE',
  '--as gp@mairie-pau.fr habilitation edit 7 --service ""',
  '--as gp@mairie-pau.fr habilitation reject 7 --reason "Profil non justifié"',
  '--as pauline.dufour@mairie-pau.fr file show 12 --json',
  '--as pauline.dufour@mairie-pau.fr file download 12 -o carte-grise.pdf',
  '--as pauline.dufour@mairie-pau.fr file download 12 13 14 -o ~/pieces/',
  '--as pauline.dufour@mairie-pau.fr file download 12 -o - > copie.pdf',
  '--as pauline.dufour@mairie-pau.fr file remove 12 13 --yes',
);
expect1(
  'no such ids in the prepared store',
  '--as gp@mairie-pau.fr attachment approve 12 13 14',
  '--as gp@mairie-pau.fr habilitation approve 7 8',
  '--as pauline.dufour@mairie-pau.fr habilitation remove 7 8',
  '--as gp@mairie-pau.fr subscription approve 12 13 14',
  '--as gp@mairie-pau.fr subscription reject 12 13 14',
  '--as pauline.dufour@mairie-pau.fr subscription remove 12 13',
);

/** A shell line as words: quotes '…' and "…", and a final `> FILE` / `>> FILE`. */
function words(line: string): { argv: string[]; redirect?: { file: string; append: boolean } } {
  const argv: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(>>|>)|(\S+)/g;
  let m: RegExpExecArray | null;
  let redirect: { file: string; append: boolean } | undefined;
  let pending: string | undefined;
  while ((m = re.exec(line))) {
    const word = m[1] ?? m[2] ?? m[4];
    if (m[3]) pending = m[3];
    else if (pending) {
      redirect = { file: word!, append: pending === '>>' };
      pending = undefined;
    } else argv.push(word!);
  }
  return { argv, redirect };
}

/** Every command path of the program, root first. */
function commandPaths(cmd: Command, prefix: string[] = []): string[][] {
  return [prefix, ...cmd.commands.flatMap((c) => commandPaths(c, [...prefix, c.name()]))];
}

/** Each command's help text, by command path (`sync madrhas`; the root is `(root)`). */
const helps = { fr: new Map<string, string>(), en: new Map<string, string>() };

async function helpExamples(lang: 'fr' | 'en'): Promise<Map<string, string[]>> {
  const program = await buildProgram(lang, testIo().io);
  const found = new Map<string, string[]>();
  for (const p of commandPaths(program)) {
    const r = await run(['--lang', lang, ...p, '--help']);
    expect(r.code, `${p.join(' ')} --help`).toBe(0);
    // an example too long for 80 columns goes on across lines, each but the last ending in ` \`
    const lines = r.stdout
      .replace(/ \\\n +/g, ' ')
      .split('\n')
      .filter((l) => l.startsWith('  $ chorus-admin '))
      .map((l) => l.slice('  $ '.length));
    found.set(p.join(' ') || '(root)', lines);
    helps[lang].set(p.join(' ') || '(root)', r.stdout);
  }
  return found;
}

let prepared: FreshLocation;
let work: string;
/** The mairie's MADRHAS export, as the prepared store holds it (`export-64.csv` of the examples). */
let madrhasExport: string;
/** The prepared store's audit head (`audit head --json`), the anchor of `audit verify --anchor`. */
let anchor: string;

beforeAll(async () => {
  prepared = await freshLocation('sqlite', 'seeded');
  work = path.join(prepared.dir, 'work');
  fs.mkdirSync(work);
  const as =
    (login: string) =>
    async (...args: string[]) => {
      const r = await run(['--db', prepared.location, '--as', login, '--yes', ...args], {
        now: NOW,
      });
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    };
  const corr = as(CORR);
  const account = (login: string, nom: string, prenom: string, ...extra: string[]) =>
    corr('account', 'create', login, '--email', login, '--nom', nom, '--prenom', prenom, ...extra);
  await account(CAST.corr, 'MARTIN', 'Jean', '--correspondent', '--scope', '64,40');
  await account(CAST.agent, 'DURAND', 'Paul');
  // the mairie's people come from MADRHAS, its GP with them (a correspondent names none by hand)
  const madrhas = path.join(prepared.dir, 'madrhas.csv');
  const row = (login: string, nom: string, prenom: string, role: string) =>
    `${login};${nom};${prenom};${login};SIRET;${PAU};${role};01/01/2026;ACTIF`;
  madrhasExport = [
    'IDENTIFIANT_CONNEXION;NOM;PRENOM;COURRIEL_CONTACT;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;ROLE;DATE_DEBUT;STATUT_COMPTE',
    row(CAST.gp, 'LASSALLE', 'Jean', 'GESTIONNAIRE_PRINCIPAL'),
    row(CAST.gs, 'BERNARD', 'Sophie', 'GESTIONNAIRE_SECONDAIRE'),
    row(CAST.pauline, 'DUFOUR', 'Pauline', 'UTILISATEUR'),
    '',
  ].join('\r\n');
  fs.writeFileSync(madrhas, madrhasExport);
  await corr('sync', 'madrhas', madrhas, '--mode', 'delta');
  const doc = path.join(prepared.dir, 'presentation.pdf');
  fs.writeFileSync(doc, DOCUMENTS.pdf());
  await as(CAST.pauline)(
    'file',
    'add',
    doc,
    '--designation',
    'Présentation',
    '--type',
    'PRESENTATION',
  );
  anchor = (await corr('audit', 'head', '--json')).stdout;
  void json;
});

afterAll(async () => {
  await prepared.cleanup();
});

/** Runs one example on its own copy of the prepared store, in its own working folder. */
async function runExample(line: string, n: number) {
  const dir = path.join(work, String(n));
  fs.mkdirSync(dir);
  const home = path.join(dir, 'home');
  fs.mkdirSync(path.join(home, 'Documents'), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'annuaire.csv'), path.join(dir, 'annuaire.csv'));
  fs.copyFileSync(path.join(FIXTURES, 'services.csv'), path.join(dir, 'services.csv'));
  fs.writeFileSync(path.join(dir, 'export-64.csv'), madrhasExport);
  fs.mkdirSync(path.join(dir, 'srv', 'ancres'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'srv', 'ancres', 'chorus.jsonl'), anchor);
  fs.writeFileSync(path.join(dir, 'carte-grise.pdf'), DOCUMENTS.pdf());
  fs.writeFileSync(path.join(home, 'Documents', 'carte-grise.pdf'), DOCUMENTS.pdf());
  const store = path.join(dir, 'store.sqlite');
  fs.copyFileSync(prepared.location, store);
  // a configuration file of the example's own, with the profiles the `config` examples read
  const config = path.join(dir, 'config.toml');
  const profiles =
    '[profiles.default]\ndb = "chorus.sqlite"\n[profiles.essai]\nas = "corr@dgfip.fr"\n';
  fs.writeFileSync(config, profiles, { mode: 0o600 });

  const local = (p: string) => {
    const expanded = p.replace(/^~(?=\/)/, home).replace(/\$\(date \+%F\)/, '2026-12-10');
    if (!/^\/(srv|var)\//.test(expanded)) return expanded;
    const inside = path.join(dir, expanded);
    fs.mkdirSync(path.dirname(inside), { recursive: true });
    return inside;
  };
  const { argv, redirect } = words(line.replace('$(date +%F)', '2026-12-10'));
  const args = argv.slice(1).map(local);
  // the example's own --db (a server of its own) gives way to the copy
  const dbAt = args.indexOf('--db');
  if (dbAt >= 0) args.splice(dbAt, 2);
  const isInit = args.includes('init');
  // `sync apply PLAN`: the plan its planner wrote on this store first
  if (args.includes('apply'))
    await run(
      [
        '--db',
        store,
        '--as',
        'corr@dgfip.fr',
        'sync',
        'madrhas',
        'export-64.csv',
        '--plan',
        'plan-64.json',
      ],
      { now: NOW, cwd: dir },
    );
  const r = await run(['--db', isInit ? path.join(dir, 'new.sqlite') : store, ...args], {
    now: NOW,
    cwd: dir,
    env: { HOME: home, CHORUS_ADMIN_CONFIG: config },
  });
  if (redirect) {
    const target = path.resolve(dir, local(redirect.file));
    // as a user would have it: a completion script goes to a folder of their own (~/.zfunc)
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (redirect.append) fs.appendFileSync(target, r.stdoutBytes);
    else fs.writeFileSync(target, r.stdoutBytes);
  }
  return r;
}

let counter = 0;

describe.each(['fr', 'en'] as const)('the examples of the help (%s)', (lang) => {
  let examples: Map<string, string[]>;
  beforeAll(async () => {
    examples = await helpExamples(lang);
  });

  it('every command’s help shows an example, and each example works', async () => {
    const missing = [...examples].filter(([, lines]) => lines.length === 0).map(([p]) => p);
    expect(missing, 'commands whose help has no example').toEqual([]);
    const failures: string[] = [];
    for (const [where, lines] of examples)
      for (const line of lines) {
        const r = await runExample(line, (counter += 1));
        const want = EXPECTED[line]?.code ?? 0;
        if (r.code !== want)
          failures.push(`${where}: ${line}\n  exit ${r.code} (want ${want}) ${r.stderr.trim()}`);
      }
    expect(failures.join('\n')).toBe('');
  });

  it('fits an 80-column terminal: no line of any help is wider', () => {
    const wide: string[] = [];
    for (const [where, text] of helps[lang])
      for (const line of text.split('\n')) if (textWidth(line) > 80) wide.push(`${where}: ${line}`);
    expect(wide.join('\n')).toBe('');
  });

  it('names every exit code of SPEC 5 in the program’s help', () => {
    const root = helps[lang].get('(root)')!;
    for (const code of [0, 1, 2, 3, 4, 5, 6, 7, 8, 70])
      expect(root, `exit code ${code}`).toMatch(new RegExp(`[ :,]${code} [a-zé]`));
  });

  it('sends nobody to a document they lack (SPEC, docs/)', () => {
    for (const [where, text] of helps[lang]) expect(text, where).not.toMatch(/\bSPEC\b|docs\//);
  });

  it.each([
    ['sync madrhas', MADRHAS_COLUMNS],
    ['structure import', STRUCTURE_COLUMNS],
    ['structure import-services', SERVICE_COLUMNS],
  ] as const)('%s lists the columns it reads, required and optional', (where, columns) => {
    const text = helps[lang].get(where)!;
    const required = lang === 'fr' ? 'obligatoires :' : 'required:';
    const optional = lang === 'fr' ? 'facultatives :' : 'optional:';
    const req = text.slice(text.indexOf(required), text.indexOf(optional));
    const opt = text.slice(text.indexOf(optional)).split('\n\n')[0]!;
    for (const c of columns)
      expect(c.required ? req : opt, `${where}: ${c.name}`).toMatch(new RegExp(`\\b${c.name}\\b`));
  });
});
