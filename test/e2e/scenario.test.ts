import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { PAULINE, HEAVY, clis, initStore, json } from './fixtures.js';

// The seed's scenario, played as its people would at a terminal (issue 5): Pauline DUFOUR's
// account comes from MADRHAS; she completes it at first login, edits her data, asks to be
// attached to her mairie's cultural service, the mairie's GP approves, she finds her default
// spaces, asks for another one (approved), adds a presentation of her mairie as a file, then
// leaves the service. Every step through the built binary.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = path.join(ROOT, 'fixtures');
const MAIRE = 'maire@mairie-pau.fr';
const PAU = '21640445900010'; // COMMUNE DE PAU in fixtures/annuaire.csv
const CH_PAU = '26640001900011'; // CENTRE HOSPITALIER DE PAU
const NOW = '2025-03-10T09:30:00.000Z';
const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';
const MADRHAS = [
  HEADER,
  `${MAIRE};M.;LASSALLE;Jean;${MAIRE};05 59 27 85 80;SIRET;${PAU};;GESTIONNAIRE_PRINCIPAL;01/01/2024;;ACTIF`,
  `${PAULINE};Mme;DUFOUR;Pauline;${PAULINE};05 59 27 85 81;SIRET;${CH_PAU};PHARMA;UTILISATEUR;01/01/2024;;ACTIF`,
  '',
].join('\r\n');

describe.each(DIALECTS)('the seed scenario: Pauline DUFOUR (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    cli = clis(fresh.location, { now: NOW });
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('from the MADRHAS export to leaving a service, each step told and audited', async () => {
    const ok = (r: { code: number | null; stderr: string }, what: string) =>
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    const corr = cli.corr;
    const pauline = cli.as(PAULINE);
    const maire = cli.as(MAIRE);

    // the correspondent loads the directory and the MADRHAS export
    // (both fixtures hold rejected rows on purpose, other tests' subject: exit 1, the rest imported)
    expect(
      (await corr('structure', 'import', path.join(FIXTURES, 'annuaire.csv'), '-q')).code,
    ).toBe(1);
    expect(
      (await corr('structure', 'import-services', path.join(FIXTURES, 'services.csv'), '-q')).code,
    ).toBe(1);
    const file = path.join(fresh.dir, 'madrhas.csv');
    fs.writeFileSync(file, MADRHAS);
    const sync = await corr('sync', 'madrhas', file, '--json');
    ok(sync, 'sync');
    expect(json(sync)).toMatchObject({
      strategy: 'streamed',
      created: 2,
      attachmentsAdded: 2,
      rejected: 0,
    });

    // first login: she completes her account, then edits her data
    ok(
      await pauline(
        'account',
        'complete',
        '--adresse',
        'Place Royale',
        '--code-postal',
        '64000',
        '--ville',
        'PAU',
      ),
      'complete',
    );
    ok(
      await pauline(
        'account',
        'edit',
        '--telephone',
        '05 59 00 11 22',
        '--notif-facturation',
        'on',
      ),
      'edit',
    );
    const me = json(await pauline('account', 'show', '--json'));
    expect(me).toMatchObject({
      login: PAULINE,
      source: 'MADRHAS',
      phone: '05 59 00 11 22',
      city: 'PAU',
      completedAt: NOW,
    });

    // she asks to be attached to the mairie's cultural service; the mairie's GP decides
    const asked = await pauline(
      'attachment',
      'request',
      PAU,
      '--service',
      'SERV-CULT',
      '--comment',
      'Régisseuse des spectacles',
      '--json',
    );
    ok(asked, 'attachment request');
    const requestId = String(json(asked).id);
    const pending = await maire('attachment', 'pending', '--json');
    ok(pending, 'pending');
    expect(
      json<{ id: number; account: string }[]>(pending).map((p) => [String(p.id), p.account]),
    ).toEqual([[requestId, PAULINE]]);
    ok(await maire('attachment', 'approve', requestId), 'approve');
    const mine = json<{ structure: string; status: string; services: string }[]>(
      await pauline('attachment', 'list', '--json'),
    );
    expect(mine.map((a) => [a.structure, a.status])).toEqual(
      expect.arrayContaining([
        [expect.stringContaining(PAU), 'VALIDEE'],
        [expect.stringContaining(CH_PAU), 'VALIDEE'],
      ]),
    );

    // her default spaces come with her attachments; she asks for another, which the GP approves
    const spaces = json<{ structure: string; space: string; default: boolean }[]>(
      await pauline('subscription', 'list', '--json'),
    );
    // her own lists hold her login on every row: an 80-column table leaves it out, whole
    // identifiers in its place; CSV and --wide keep the column
    for (const list of ['attachment', 'subscription']) {
      expect((await pauline(list, 'list')).stdout, list).not.toContain(PAULINE);
      expect((await pauline(list, 'list', '--format', 'csv')).stdout, list).toContain(PAULINE);
      expect((await pauline('--wide', list, 'list')).stdout, list).toContain(PAULINE);
    }
    expect((await pauline('subscription', 'list')).stdout).toContain(`SIRET:${PAU}`);
    // as is one account's list asked for by the correspondent
    const hers = await corr('attachment', 'list', '--account', PAULINE);
    expect(hers.stdout).not.toContain(PAULINE);
    expect(hers.stdout).toContain('COMMUNE DE PAU');
    const defaultsAt = (id: string) =>
      spaces
        .filter((s) => s.default && String(s.structure).includes(id))
        .map((s) => s.space)
        .sort();
    expect(defaultsAt(PAU)).toEqual(
      expect.arrayContaining(['FACTURES_EMISES', 'FACTURES_RECUES', 'MON_COMPTE']),
    );
    expect(defaultsAt(PAU)).not.toContain('ACTIVITES_GESTIONNAIRE');
    const sub = await pauline(
      'subscription',
      'request',
      PAU,
      'FACTURES_A_VALIDER',
      '--service',
      'SERV-CULT',
      '--json',
    );
    ok(sub, 'subscription request');
    const subId = String(json(sub).id ?? json(sub)[0]?.id);
    ok(await maire('subscription', 'approve', subId), 'subscription approve');
    const after = json<{ space: string; status: string }[]>(
      await pauline('subscription', 'list', '--json'),
    );
    expect(after).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ space: 'FACTURES_A_VALIDER', status: 'VALIDEE' }),
      ]),
    );

    // a presentation of her mairie, kept on her account
    const pdf = path.join(fresh.dir, 'presentation-mairie.pdf');
    fs.writeFileSync(
      pdf,
      Buffer.concat([
        Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
        Buffer.from('1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
      ]),
    );
    ok(
      await pauline(
        'file',
        'add',
        pdf,
        '--designation',
        'Présentation de la mairie',
        '--type',
        'PRESENTATION',
      ),
      'file add',
    );
    const files = json<{ designation: string; type: string }[]>(
      await pauline('file', 'list', '--json'),
    );
    expect(files).toEqual([
      expect.objectContaining({ designation: 'Présentation de la mairie', type: 'PRESENTATION' }),
    ]);

    // she leaves the cultural service: the attachment ends, its default spaces with it
    ok(await pauline('attachment', 'detach', PAU), 'detach');
    const left = json<{ structure: string; default: boolean }[]>(
      await pauline('subscription', 'list', '--json'),
    );
    expect(left.filter((s) => s.default && String(s.structure).includes(PAU))).toEqual([]);

    // each step told her and the GP by e-mail; the correspondent exports the outbox as .eml files
    const outbox = json<{ event: string; toAddress?: string; to?: string }[]>(
      await corr('notification', 'list', '--json'),
    );
    const events = outbox.map((n) => n.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'ATTACHMENT_REQUESTED',
        'ATTACHMENT_APPROVED',
        'SUBSCRIPTION_REQUESTED',
        'SUBSCRIPTION_APPROVED',
      ]),
    );
    const dir = path.join(fresh.dir, 'outbox');
    fs.mkdirSync(dir);
    ok(await corr('notification', 'export', '--to', dir), 'notification export');
    const eml = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(eml.length).toBeGreaterThanOrEqual(4);
    expect(fs.readFileSync(path.join(dir, eml[0]!), 'utf8')).toMatch(
      /^From: .*noreply@dgfip\.finances\.gouv\.fr/m,
    );

    // and the audit chain holds every step
    const verify = await corr('audit', 'verify');
    ok(verify, 'audit verify');
    const log = json<{ action: string; actor: string }[]>(await corr('audit', 'list', '--json'));
    expect(log.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'sync.madrhas',
        'account.complete',
        'account.edit',
        'attachment.request',
        'attachment.approve',
        'subscription.request',
        'subscription.approve',
        'file.add',
        'attachment.detach',
      ]),
    );
  });
});
