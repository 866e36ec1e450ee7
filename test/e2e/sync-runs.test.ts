import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run as runProgram } from '../../src/cli.js';
import { testIo } from '../helpers/cli.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, CORR, clis, createAccount, json } from './fixtures.js';

/** `sync runs`, `sync show RUN`, `sync revert RUN` end to end (SPEC 7, 8.1 "Runs"). */

const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';
const PAU = '21640445900010';
const ALICE = 'alice@mairie-pau.fr';
const BOB = 'bob@mairie-pau.fr';
const PLAIN = 'plain@mairie-pau.fr';
const NOW = '2026-03-11T10:00:00.000Z';

const row = (login: string, nom: string, service = '') =>
  [
    login,
    'Mme',
    nom,
    'Prénom',
    login,
    '',
    'SIRET',
    PAU,
    service,
    'UTILISATEUR',
    '01/01/2024',
    '',
    'ACTIF',
  ].join(';');

type Run = {
  id: number;
  kind: string;
  actor: string;
  file: string | null;
  sha256: string | null;
  counts: Record<string, number>;
  revertedBy: number | null;
};

describe.each(DIALECTS)('sync runs, show, revert (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  let runId: number;
  beforeEach(async () => {
    // init, then the fixture directory and its services imported (test/helpers/templates.ts)
    fresh = await freshLocation(dialect, 'seeded');
    cli = clis(fresh.location, { now: NOW });
    const file = path.join(fresh.dir, 'export.csv');
    fs.writeFileSync(
      file,
      [HEADER, row(ALICE, 'ALICE', 'SERV-CULT'), row(BOB, 'BOB')].map((l) => `${l}\r\n`).join(''),
    );
    const r = await cli.corr('sync', 'madrhas', file, '--mode', 'delta');
    expect(r.code, r.stderr).toBe(0);
    runId = json<Run[]>(await cli.corr('--json', 'sync', 'runs'))[0]!.id;
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  const statuses = async () =>
    Object.fromEntries(
      json<{ login: string; status: string }[]>(await cli.corr('account', 'list', '--json')).map(
        (a) => [a.login, a.status],
      ),
    );

  it('sync runs: the runs, newest first, as a table and as JSON', async () => {
    const list = json<Run[]>(await cli.corr('--json', 'sync', 'runs'));
    expect(list.map((r) => r.kind)).toEqual([
      'sync.madrhas',
      'structure.importServices',
      'structure.import',
    ]);
    expect(list[0]).toMatchObject({
      id: runId,
      actor: CORR,
      file: 'export.csv',
      counts: expect.objectContaining({ created: 2, attachmentsAdded: 2 }),
      revertedBy: null,
    });
    const table = await cli.corr('--wide', 'sync', 'runs');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^N° +Type +Auteur/m);
    expect(table.stdout).toContain('export.csv');
    // each run's counts in the words of its own command's summary, not the JSON keys
    expect(table.stdout).toContain('Créés 2, Rattachements ajoutés 2');
    expect(table.stdout).not.toContain('created');
    // the kind of each run in words too
    expect(table.stdout).toMatch(/^\d+ +Synchronisation MADRHAS +/m);
    expect(table.stdout).toMatch(/Import de l’annuaire .*Créées \d+/);
    expect(table.stdout).toContain('Import des services');
    const english = await cli.corr('--lang', 'en', '--wide', 'sync', 'runs');
    expect(english.stdout).toContain('Created 2, Attachments added 2');
  });

  it('sync show: what the run did, account by account; 3 for no such run', async () => {
    const r = await cli.corr('--json', 'sync', 'show', String(runId));
    expect(r.code, r.stderr).toBe(0);
    const detail = json<{ run: Run; changes: { target: string; kind: string }[]; total: number }>(
      r,
    );
    expect(detail.run.id).toBe(runId);
    expect(detail.total).toBe(2);
    expect(detail.changes.map((c) => [c.target, c.kind])).toEqual([
      [`account:${ALICE}`, 'created'],
      [`account:${BOB}`, 'created'],
    ]);
    const table = await cli.corr('--wide', 'sync', 'show', String(runId));
    expect(table.stdout).toContain(`account:${ALICE}`);
    expect(table.stdout).toMatch(new RegExp(`^account:${ALICE} — Création$`, 'm'));
    // a creation's values alone, codes in words (as audit list shows them)
    expect(table.stdout).toMatch(/^ +Nom : ALICE$/m);
    expect(table.stdout).toMatch(/^ +Statut : Actif$/m);
    expect(table.stdout).toContain(`+ rattachement SIRET:${PAU} (Utilisateur)`);
    const missing = await cli.corr('sync', 'show', '999');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Exécution 999 introuvable');
  });

  it('sync revert: 2 without --yes and no terminal; --dry-run writes nothing; --yes reverts, once', async () => {
    const refused = await cli.corr('sync', 'revert', String(runId));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(await statuses()).toMatchObject({ [ALICE]: 'ACTIF', [BOB]: 'ACTIF' });

    const dry = await cli.corr('--json', 'sync', 'revert', String(runId), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(json(dry)).toMatchObject({ dryRun: true, deleted: 2, conflicts: [] });
    expect(dry.stderr).toContain('Simulation');
    expect(await statuses()).toMatchObject({ [ALICE]: 'ACTIF', [BOB]: 'ACTIF' });

    const done = await cli.corr('sync', 'revert', String(runId), '--yes');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/^Supprimés +2$/m);
    expect(done.stderr).toContain(`Exécution ${runId} annulée`);
    const after = await statuses();
    expect(after[ALICE]).toBe('SUPPRIME');
    expect(after[BOB]).toBe('SUPPRIME');
    const runs = json<Run[]>(await cli.corr('--json', 'sync', 'runs'));
    expect(runs[0]).toMatchObject({ kind: 'sync.revert' });
    const shown = await cli.corr('sync', 'show', String(runs[0]!.id));
    expect(shown.stdout).toMatch(/^Bilan +Éléments modifiés par l’exécution 2, Supprimés 2$/m);
    expect(runs.find((r) => r.id === runId)?.revertedBy).toBe(runs[0]!.id);

    const again = await cli.corr('sync', 'revert', String(runId), '--yes');
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('déjà été annulée');
  });

  it('sync revert lists its conflicts under their targets, in words, within 80 columns', async () => {
    // a second run deactivates Alice (absent from the file), who is then deleted in the tool
    const file = path.join(fresh.dir, 'export-bob.csv');
    fs.writeFileSync(file, [HEADER, row(BOB, 'BOB')].map((l) => `${l}\r\n`).join(''));
    const second = await cli.corr('sync', 'madrhas', file, '--max-deactivations', '100%');
    expect(second.code, second.stderr).toBe(0);
    const secondId = json<Run[]>(await cli.corr('--json', 'sync', 'runs'))[0]!.id;
    expect((await cli.corr('account', 'delete', ALICE, '--yes')).code).toBe(0);

    const dry = await cli.corr('sync', 'revert', String(secondId), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    const lines = dry.stdout.split('\n');
    const at = lines.indexOf(`account:${ALICE}`);
    expect(at, dry.stdout).toBeGreaterThan(0);
    expect(lines.slice(at + 1).join('\n')).toMatch(
      /^ {2}Statut : « Supprimé » depuis, conservé \(l’exécution avait mis « Inactif »\)$/m,
    );
    expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
    expect(dry.stderr).toContain('ont changé depuis l’exécution');
  });

  it('on a terminal, sync revert asks first; no keeps everything', async () => {
    const asked: string[] = [];
    const { io, result } = testIo({
      now: NOW,
      prompter: {
        confirm: (message: string) => {
          asked.push(message);
          return Promise.resolve(false);
        },
        input: () => Promise.reject(new Error('no input expected')),
        select: () => Promise.reject(new Error('no select expected')),
        checkbox: () => Promise.reject(new Error('no checkbox expected')),
      },
    });
    Object.assign(io.stdin, { isTTY: true });
    Object.assign(io.stderr, { isTTY: true });
    const code = await runProgram(
      ['--db', fresh.location, '--as', CORR, 'sync', 'revert', String(runId)],
      io,
    );
    expect(result(code).code).toBe(0);
    expect(asked).toEqual([
      `Annuler l’exécution ${runId} ? Les valeurs qu’elle a remplacées reviennent, les comptes qu’elle a créés sont supprimés.`,
    ]);
    expect(result(code).stderr).toContain('rien n’a été modifié');
    expect(await statuses()).toMatchObject({ [ALICE]: 'ACTIF', [BOB]: 'ACTIF' });
  });

  it('a plain account may not list, show nor revert runs (4)', async () => {
    await createAccount(fresh.location, PLAIN);
    for (const args of [
      ['sync', 'runs'],
      ['sync', 'show', String(runId)],
      ['sync', 'revert', String(runId), '--yes'],
    ]) {
      const r = await cli.as(PLAIN)(...args);
      expect(r.code, args.join(' ')).toBe(4);
    }
    expect(await statuses()).toMatchObject({ [ALICE]: 'ACTIF', [BOB]: 'ACTIF' });
  });
});
