import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli.js';
import { run, testIo } from '../helpers/cli.js';
import { DIALECTS, PG_URL, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  CORR,
  PAULINE,
  auditLog,
  clis,
  createAccount,
  initStore,
  json,
} from './fixtures.js';

/** SPEC 4–5: what every command of the account, audit and db groups has in common. */

describe.each(DIALECTS)('conventions (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('needs an acting account: without --as exit 2; CHORUS_ADMIN_AS and CHORUS_ADMIN_DB stand for --as and --db', async () => {
    const { cli } = clis(fresh.location);
    const missing = await cli('account', 'list');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(
      'Indiquez le compte agissant avec --as LOGIN (ou CHORUS_ADMIN_AS).',
    );

    const byEnv = await run(['account', 'list', '--json'], {
      env: { CHORUS_ADMIN_DB: fresh.location, CHORUS_ADMIN_AS: CORR },
    });
    expect(byEnv.stderr).toBe('');
    expect(byEnv.code).toBe(0);
    expect(json(byEnv).map((a: { login: string }) => a.login)).toEqual([CORR]);

    // the option wins over the variable
    const both = await run(['--as', CORR, 'account', 'show', '--json'], {
      env: { CHORUS_ADMIN_DB: fresh.location, CHORUS_ADMIN_AS: 'ghost@nowhere.fr' },
    });
    expect(both.code).toBe(0);
    expect(json(both).login).toBe(CORR);
  });

  it('refuses an unknown acting account with 4 and writes the refusal to the audit log', async () => {
    const { as } = clis(fresh.location);
    const r = await as('Ghost@Nowhere.fr')('account', 'list');
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Compte agissant inconnu : ghost@nowhere.fr.');

    const refused = (await auditLog(fresh.location)).filter((e) => e.outcome === 'REFUSED');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      actor: 'ghost@nowhere.fr',
      action: 'account.list',
      outcome: 'REFUSED',
      changes: { reason: 'rights.unknownActor' },
    });
  });

  it('refuses a deactivated acting account with 4', async () => {
    await createAccount(fresh.location, PAULINE);
    const { as, corr } = clis(fresh.location);
    expect((await as(PAULINE)('account', 'show')).code).toBe(0);
    const off = await corr('account', 'deactivate', PAULINE);
    expect(off.code).toBe(0);

    const r = await as(PAULINE)('account', 'show');
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Le compte agissant ${PAULINE} n’est pas actif.`);
  });

  it('speaks French by default, English with --lang en, CHORUS_ADMIN_LANG=en or an English LANG', async () => {
    const args = ['--db', fresh.location, '--as', CORR, 'account', 'show', 'nobody@nowhere.fr'];
    const fr = await run(args);
    expect(fr.code).toBe(3);
    expect(fr.stderr).toContain('Erreur : Compte introuvable : nobody@nowhere.fr.');

    const flag = await run(['--lang', 'en', ...args]);
    expect(flag.code).toBe(3);
    expect(flag.stderr).toContain('Error: Account not found: nobody@nowhere.fr.');
    expect(flag.stderr).not.toContain('introuvable');

    const env = await run(args, { env: { CHORUS_ADMIN_LANG: 'en' } });
    expect(env.code).toBe(3);
    expect(env.stderr).toContain('Account not found: nobody@nowhere.fr.');

    const lang = await run(args, { env: { LANG: 'en_GB.UTF-8' } });
    expect(lang.stderr).toContain('Account not found: nobody@nowhere.fr.');

    // --lang beats the environment
    const back = await run(['--lang', 'fr', ...args], { env: { CHORUS_ADMIN_LANG: 'en' } });
    expect(back.stderr).toContain('Compte introuvable');

    const created = await run([
      '--db',
      fresh.location,
      '--as',
      CORR,
      '--lang',
      'en',
      'account',
      'create',
      PAULINE,
      '--email',
      PAULINE,
      '--nom',
      'DUFOUR',
      '--prenom',
      'Pauline',
    ]);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(`Account ${PAULINE} created; credentials message queued.`);
    expect(created.stdout).toContain('Last name');
  });

  it('writes results to stdout and messages to stderr; --json has English keys; --quiet keeps the result', async () => {
    const { corr } = clis(fresh.location);
    const r = await corr(
      'account',
      'create',
      PAULINE,
      '--email',
      PAULINE,
      '--nom',
      'DUFOUR',
      '--prenom',
      'Pauline',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `✔ Compte ${PAULINE} créé ; message d’identifiants mis en file d’envoi.\n`,
    );
    const account = json(r);
    expect(Object.keys(account)).toEqual(
      expect.arrayContaining([
        'login',
        'status',
        'kind',
        'scope',
        'lastName',
        'firstName',
        'email',
        'phone',
        'postalCode',
        'city',
        'completedAt',
        'createdAt',
      ]),
    );
    expect(account).toMatchObject({
      login: PAULINE,
      status: 'ACTIF',
      kind: 'user',
      lastName: 'DUFOUR',
    });
    expect(account.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const table = await corr('account', 'show', PAULINE);
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    expect(table.stdout).toContain(PAULINE);
    expect(table.stdout).toContain('Identifiant');

    const quiet = await corr(
      '--quiet',
      'account',
      'create',
      'helene.lefevre@mairie-pau.fr',
      '--email',
      'helene.lefevre@mairie-pau.fr',
      '--nom',
      'LEFÈVRE',
      '--prenom',
      'Hélène',
      '--json',
    );
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(json(quiet).login).toBe('helene.lefevre@mairie-pau.fr');

    // --quiet never hides an error
    const error = await corr('-q', 'account', 'show', 'nobody@nowhere.fr');
    expect(error.code).toBe(3);
    expect(error.stderr).toContain('Compte introuvable');
  });

  it('writes CSV with a header row and ; separators', async () => {
    await createAccount(fresh.location, PAULINE);
    const r = await clis(fresh.location).corr('account', 'list', '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split(/\r?\n/);
    // the JSON keys, whatever the language (issue 15)
    expect(lines[0]).toBe('login;status;kind;lastName;firstName;email;postalCode;city;completedAt');
    expect(lines.slice(1)).toEqual([
      `${CORR};ACTIF;correspondent;MARTIN;Claire;${CORR};;;`,
      `${PAULINE};ACTIF;user;DUFOUR;Pauline;${PAULINE};;;`,
    ]);
  });

  it('exits 7 when the store does not exist, and creates nothing', async () => {
    const location =
      dialect === 'sqlite'
        ? path.join(fresh.dir, 'nowhere', 'missing.sqlite')
        : missingDatabaseUrl();
    for (const args of [
      ['--as', CORR, 'account', 'list'],
      ['--as', CORR, 'audit', 'verify'],
      ['db', 'status'],
    ]) {
      const r = await run(['--db', location, ...args]);
      expect(r.code, args.join(' ')).toBe(7);
      expect(r.stdout).toBe('');
      if (dialect === 'sqlite')
        expect(r.stderr).toContain(
          `Pas de base à ${location} : créez-la avec « chorus-admin init ».`,
        );
      else expect(r.stderr).toContain('Impossible d’ouvrir la base');
    }
    if (dialect === 'sqlite') expect(fs.existsSync(path.dirname(location))).toBe(false);
  });
});

function missingDatabaseUrl(): string {
  const url = new URL(PG_URL!);
  url.pathname = '/ca_test_no_such_database';
  return url.toString();
}

describe('usage', HEAVY, () => {
  /** Every command and subcommand of the program, as built: none forgotten by a hand-kept list. */
  async function allCommands(): Promise<string[][]> {
    const program = await buildProgram('fr', testIo().io);
    const paths: string[][] = [];
    const walk = (cmd: Command, at: string[]) => {
      paths.push(at);
      for (const sub of cmd.commands) walk(sub, [...at, sub.name()]);
    };
    walk(program, []);
    return paths;
  }

  it('shows help with an example on every command and subcommand, exit 0', async () => {
    const commands = await allCommands();
    // every group, and the commands of each: account, audit, db, file, sync, structure…
    expect(commands.length).toBeGreaterThan(60);
    const results = await Promise.all(commands.map((c) => run([...c, '--help'])));
    results.forEach((r, i) => {
      const name = ['chorus-admin', ...commands[i]!].join(' ');
      expect(r.code, name).toBe(0);
      expect(r.stderr, name).toBe('');
      expect(r.stdout, name).toContain(`Utilisation : ${name}`);
      expect(r.stdout, name).toContain('Exemples :');
      expect(r.stdout, name).toMatch(/^ {2}\$ chorus-admin /m);
    });
  });

  it('shows help in English with --lang en', async () => {
    const r = await run(['--lang', 'en', 'account', 'list', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: chorus-admin account list');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('$ chorus-admin --as');
  });

  it('exits 2 on an unknown command or subcommand', async () => {
    const top = await run(['frobnicate']);
    expect(top.code).toBe(2);
    expect(top.stdout).toBe('');
    expect(top.stderr).toContain('Commande inconnue : frobnicate');

    const sub = await run(['account', 'frobnicate']);
    expect(sub.code).toBe(2);
    expect(sub.stdout).toBe('');
    expect(sub.stderr).toContain('Commande inconnue : frobnicate');
  });

  it('exits 2 on a missing argument, 5 on a value outside an option’s choices', async () => {
    const missing = await run(['--as', CORR, 'account', 'delete']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Argument manquant : <identifiant>.');

    const choice = await run(['--format', 'xml', 'account', 'list']);
    expect(choice.code).toBe(5);
    expect(choice.stderr).toContain('xml');
    const status = await run(['--as', CORR, 'account', 'list', '--status', 'PERDU']);
    expect(status.code).toBe(5);
    expect(status.stderr).toContain('PERDU');
  });
});
