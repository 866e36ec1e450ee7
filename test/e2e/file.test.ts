import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bigPdf, DOCUMENTS, sparseFile, writeDocument } from '../helpers/documents.js';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import {
  HEAVY,
  CORR,
  PAULINE,
  attach,
  auditLog,
  clis,
  createAccount,
  initStore,
  insertStructures,
  json,
  withDb,
} from './fixtures.js';

/** `file …` end to end (SPEC 7, 9): real documents in and back out byte for byte, bad files, other accounts. */

const BOB = 'bob.durand@mairie-pau.fr';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type FileJson = {
  id: number;
  account: string;
  designation: string;
  type: string;
  name: string;
  size: number;
  mediaType: string;
  sha256: string;
  createdAt: string;
};

describe.each(DIALECTS)('file (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  let docs: string;
  let out: string;
  const pauline = (...args: string[]) => cli.as(PAULINE)(...args);
  const bob = (...args: string[]) => cli.as(BOB)(...args);
  const doc = (name: string, data: Buffer) => writeDocument(docs, name, data);
  const storedFiles = () =>
    withDb(fresh.location, (db) =>
      db.selectFrom('file').select(['id', 'name']).orderBy('id').execute(),
    );
  const chunkCount = () =>
    withDb(fresh.location, async (db) =>
      Number(
        (
          await db
            .selectFrom('fileChunk')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );

  beforeEach(async () => {
    fresh = await freshLocation(dialect);
    await initStore(fresh.location);
    cli = clis(fresh.location);
    await createAccount(fresh.location, PAULINE);
    await createAccount(fresh.location, BOB, '--nom', 'DURAND', '--prenom', 'Bob');
    const { pau } = await insertStructures(fresh.location);
    await withDb(fresh.location, async (db) => {
      await attach(db, PAULINE, pau);
      await attach(db, BOB, pau);
    });
    docs = path.join(fresh.dir, 'documents');
    out = path.join(fresh.dir, 'out');
    fs.mkdirSync(docs);
    fs.mkdirSync(out);
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('adds real documents, lists and shows them, and downloads them back byte for byte', async () => {
    const scan = bigPdf(9_000_000);
    const added = await pauline(
      'file',
      'add',
      doc('carte-grise.pdf', scan),
      '--designation',
      'Carte grise Clio',
      '--type',
      'CARTE_GRISE',
      '--json',
    );
    expect(added.stderr).toMatch(
      /^✔ Pièce jointe n° \d+ ajoutée : carte-grise\.pdf \(9000000 octets\)\.\n$/,
    );
    expect(added.code).toBe(0);
    const carte = json<FileJson>(added);
    expect(carte).toEqual({
      id: carte.id,
      account: PAULINE,
      designation: 'Carte grise Clio',
      type: 'CARTE_GRISE',
      name: 'carte-grise.pdf',
      size: 9_000_000,
      mediaType: 'application/pdf',
      sha256: sha(scan),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const docx = DOCUMENTS.docx();
    const csv = DOCUMENTS.csvCp1252();
    const presentation = json<FileJson>(
      await pauline(
        'file',
        'add',
        doc('présentation mairie.docx', docx),
        '--designation',
        'Présentation de la mairie',
        '--type',
        'presentation',
        '--json',
      ),
    );
    const agents = json<FileJson>(
      await pauline(
        '-q',
        'file',
        'add',
        doc('agents.csv', csv),
        '--designation',
        'Agents (export tableur)',
        '--type',
        'AUTRE',
        '--json',
      ),
    );
    expect(presentation.mediaType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(agents.mediaType).toBe('text/csv');

    const table = await pauline('file', 'list');
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    for (const heading of ['Désignation', 'Type', 'Nom', 'Taille', 'Créé le'])
      expect(table.stdout).toContain(heading);
    expect(table.stdout).toContain('Carte grise Clio');
    expect(json<FileJson[]>(await pauline('file', 'list', '--json')).map((f) => f.id)).toEqual([
      carte.id,
      presentation.id,
      agents.id,
    ]);
    expect(
      json<FileJson[]>(await pauline('file', 'list', '--type', 'CARTE_GRISE', '--json')).map(
        (f) => f.id,
      ),
    ).toEqual([carte.id]);
    expect(
      json<FileJson[]>(
        await pauline('file', 'list', '--designation', 'presentation MAIRIE', '--json'),
      ).map((f) => f.id),
    ).toEqual([presentation.id]);
    const csvList = await pauline('file', 'list', '--format', 'csv');
    expect(csvList.stdout.split('\r\n')[0]).toBe('id;designation;type;name;size;createdAt');

    expect(
      json<FileJson>(await pauline('file', 'show', String(presentation.id), '--json')),
    ).toEqual(presentation);

    // one file to a path, several into a folder, one to standard output
    const one = await pauline(
      'file',
      'download',
      String(carte.id),
      '-o',
      path.join(out, 'copie.pdf'),
    );
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('1 pièce jointe écrite, octets vérifiés (SHA-256).');
    expect(fs.readFileSync(path.join(out, 'copie.pdf')).equals(scan)).toBe(true);

    const many = await pauline(
      'file',
      'download',
      String(presentation.id),
      String(agents.id),
      '-o',
      path.join(out, 'dossier'),
      '--json',
    );
    expect(many.code).toBe(0);
    expect(json<{ path: string }[]>(many).map((w) => path.basename(w.path))).toEqual([
      'présentation mairie.docx',
      'agents.csv',
    ]);
    expect(
      fs.readFileSync(path.join(out, 'dossier', 'présentation mairie.docx')).equals(docx),
    ).toBe(true);
    expect(fs.readFileSync(path.join(out, 'dossier', 'agents.csv')).equals(csv)).toBe(true);

    const stdout = await pauline('file', 'download', String(carte.id), '-o', '-');
    expect(stdout.code).toBe(0);
    expect(stdout.stdoutBytes.equals(scan)).toBe(true);

    // without -o, into the current folder, never over a file already there
    const cwdRun = await clis(fresh.location, { cwd: out }).as(PAULINE)(
      'file',
      'download',
      String(carte.id),
    );
    expect(cwdRun.code).toBe(0);
    const again = await clis(fresh.location, { cwd: out }).as(PAULINE)(
      'file',
      'download',
      String(carte.id),
    );
    expect(again.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([
      'carte-grise (2).pdf',
      'carte-grise.pdf',
      'copie.pdf',
      'dossier',
    ]);
    expect(fs.readFileSync(path.join(out, 'carte-grise (2).pdf')).equals(scan)).toBe(true);

    const audit = await auditLog(fresh.location);
    const adds = audit.filter((e) => e.action === 'file.add');
    expect(adds.map((e) => e.target)).toEqual([
      `file:${agents.id}`,
      `file:${presentation.id}`,
      `file:${carte.id}`,
    ]);
    expect(adds[2]!.changes).toEqual({
      account: PAULINE,
      designation: 'Carte grise Clio',
      type: 'CARTE_GRISE',
      name: 'carte-grise.pdf',
      size: 9_000_000,
      mediaType: 'application/pdf',
      sha256: sha(scan),
    });
  });

  it('refuses bad files as a holder would try them: exit 5, a clear message, nothing stored', async () => {
    const before = await auditLog(fresh.location);
    const tries: [string[], string][] = [
      [
        [doc('facture.pdf', DOCUMENTS.elf())],
        'le contenu est un programme (elf), pas un fichier .pdf',
      ],
      [
        [doc('lisez-moi.txt', DOCUMENTS.exe())],
        'le contenu est un programme (exe), pas un fichier .txt',
      ],
      [[doc('photo.png', DOCUMENTS.pdf())], 'le contenu est un fichier pdf, pas un fichier .png'],
      [[doc('vide.pdf', Buffer.alloc(0))], 'le fichier est vide'],
      [
        [sparseFile(docs, 'enorme.pdf', 10_000_000)],
        'le fichier fait 10000000 octets : il doit faire moins de 10 Mo (10000000 octets)',
      ],
      [
        [doc('a'.repeat(47) + '.pdf', DOCUMENTS.pdf())],
        'nom trop long : 51 caractères, 50 au plus extension comprise',
      ],
      [[doc('carte-grise', DOCUMENTS.pdf())], 'le nom n’a pas d’extension (ex. carte-grise.pdf)'],
      [
        [doc('installer.exe', DOCUMENTS.exe())],
        'extension .exe non autorisée ; autorisées : bmp bz2 csv doc docx',
      ],
      [
        [doc('ok.pdf', DOCUMENTS.pdf()), '--designation', 'x'.repeat(101)],
        '- --designation: 100 caractères au plus',
      ],
      [[doc('ok.pdf', DOCUMENTS.pdf()), '--designation', '   '], '- --designation: obligatoire'],
      [[doc('ok.pdf', DOCUMENTS.pdf()), '--type', 'FACTURE'], '- --type: type inconnu'],
      [[path.join(docs, 'absent.pdf')], 'lecture impossible (fichier introuvable)'],
    ];
    for (const [args, message] of tries) {
      const withDefaults = [...args];
      if (!withDefaults.includes('--designation')) withDefaults.push('--designation', 'Essai');
      if (!withDefaults.includes('--type')) withDefaults.push('--type', 'AUTRE');
      const r = await pauline('file', 'add', ...withDefaults);
      expect(r.code, message).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Erreur : Fichier .+ refusé : rien n’a été enregistré\.\n/);
      expect(r.stderr).toContain(message);
    }
    expect(await storedFiles()).toEqual([]);
    expect(await chunkCount()).toBe(0);
    expect(await auditLog(fresh.location)).toEqual(before);

    const en = await pauline(
      '--lang',
      'en',
      'file',
      'add',
      doc('invoice.pdf', DOCUMENTS.exe()),
      '--designation',
      'x',
      '--type',
      'AUTRE',
    );
    expect(en.code).toBe(5);
    expect(en.stderr).toContain('File invoice.pdf refused: nothing was written.');
    expect(en.stderr).toContain('the content is a program (exe), not a .pdf file');

    // without a terminal, a missing designation or type is a usage error, not a question
    const missing = await pauline('file', 'add', doc('ok.pdf', DOCUMENTS.pdf()), '--type', 'AUTRE');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Valeur manquante : --designation');
  });

  it('another account’s file answers as if it did not exist, and nothing is written', async () => {
    const carte = json<FileJson>(
      await pauline(
        'file',
        'add',
        doc('carte-grise.pdf', DOCUMENTS.pdf()),
        '--designation',
        'Carte grise',
        '--type',
        'CARTE_GRISE',
        '--json',
      ),
    );
    const id = String(carte.id);
    const before = await auditLog(fresh.location);
    const ghost = await bob('file', 'show', '424242');
    expect(ghost.code).toBe(3);
    expect(ghost.stderr).toBe('Erreur : Pièce jointe introuvable : n° 424242.\n');
    for (const args of [
      ['show', id],
      ['download', id, '-o', out],
      ['download', id, '-o', '-'],
      ['remove', id, '--yes'],
    ]) {
      const r = await bob('file', ...args);
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`Erreur : Pièce jointe introuvable : n° ${id}.\n`);
    }
    expect(fs.readdirSync(out)).toEqual([]);
    expect(await storedFiles()).toEqual([{ id: carte.id, name: 'carte-grise.pdf' }]);
    expect(await auditLog(fresh.location)).toEqual(before);
    expect(json<FileJson[]>(await bob('file', 'list', '--json'))).toEqual([]);

    const list = await bob('file', 'list', '--account', PAULINE);
    expect(list.code).toBe(3);
    expect(list.stderr).toBe(`Erreur : Compte introuvable : ${PAULINE}.\n`);

    // the correspondent of the account's département lists the metadata, and no more
    const corrList = await cli.corr('file', 'list', '--account', PAULINE, '--json');
    expect(corrList.code).toBe(0);
    expect(json<FileJson[]>(corrList)).toEqual([carte]);
    const corrDownload = await cli.corr('file', 'download', id, '-o', out);
    expect(corrDownload.code).toBe(4);
    expect(corrDownload.stderr).toContain('Seul le titulaire du compte peut faire cela.');
    expect(fs.readdirSync(out)).toEqual([]);
    expect((await auditLog(fresh.location))[0]).toMatchObject({
      actor: CORR,
      action: 'file.manage',
      target: `file:${id}`,
      outcome: 'REFUSED',
    });
  });

  it('downloads several files into a folder under safe unique names; -o - takes one file; ids are needed without a terminal', async () => {
    const a = json<FileJson>(
      await pauline(
        'file',
        'add',
        doc('a/rib.pdf', DOCUMENTS.pdf()),
        '--designation',
        'RIB 1',
        '--type',
        'RIB',
        '--json',
      ),
    );
    const b = json<FileJson>(
      await pauline(
        'file',
        'add',
        doc('b/rib.pdf', bigPdf(5000)),
        '--designation',
        'RIB 2',
        '--type',
        'RIB',
        '--json',
      ),
    );
    fs.writeFileSync(path.join(out, 'rib.pdf'), 'à moi');
    const r = await pauline('file', 'download', String(a.id), String(b.id), '-o', out, '--json');
    expect(r.code).toBe(0);
    expect(
      json<{ path: string; sha256: string }[]>(r).map((w) => [path.basename(w.path), w.sha256]),
    ).toEqual([
      ['rib (2).pdf', a.sha256],
      ['rib (3).pdf', b.sha256],
    ]);
    expect(fs.readFileSync(path.join(out, 'rib.pdf'), 'utf8')).toBe('à moi');
    expect(sha(fs.readFileSync(path.join(out, 'rib (3).pdf')))).toBe(b.sha256);

    // a file named with -o is never overwritten (only a folder gives numbered names)
    const exists = await pauline('file', 'download', String(a.id), '-o', path.join(out, 'rib.pdf'));
    expect(exists.code).toBe(6);
    expect(exists.stderr).toContain(`Le fichier ${path.join(out, 'rib.pdf')} existe déjà`);
    expect(fs.readFileSync(path.join(out, 'rib.pdf'), 'utf8')).toBe('à moi');
    const twoOnStdout = await pauline('file', 'download', String(a.id), String(b.id), '-o', '-');
    expect(twoOnStdout.code).toBe(2);
    expect(twoOnStdout.stdout).toBe('');
    expect(twoOnStdout.stderr).toContain('-o - (sortie standard) ne prend qu’une pièce jointe');
    const none = await pauline('file', 'download');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Valeur manquante : ID');
    const bad = await pauline('file', 'show', 'abc');
    expect(bad.code).toBe(5);
  });

  it('removes files with --yes, after a confirmation otherwise (exit 2 without a terminal), and audits each', async () => {
    const a = json<FileJson>(
      await pauline(
        'file',
        'add',
        doc('a.pdf', bigPdf(2_500_000)),
        '--designation',
        'A',
        '--type',
        'AUTRE',
        '--json',
      ),
    );
    const b = json<FileJson>(
      await pauline(
        'file',
        'add',
        doc('b.txt', DOCUMENTS.txt()),
        '--designation',
        'B',
        '--type',
        'AUTRE',
        '--json',
      ),
    );
    const noTty = await pauline('file', 'remove', String(a.id));
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('Confirmation nécessaire : relancez avec --yes');
    expect((await storedFiles()).map((f) => f.id)).toEqual([a.id, b.id]);

    const r = await pauline('--yes', 'file', 'remove', String(a.id));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`✔ 1 pièce jointe supprimée : a.pdf (${a.id}).\n`);
    expect((await storedFiles()).map((f) => f.id)).toEqual([b.id]);
    expect(await chunkCount()).toBe(1);
    const [last] = await auditLog(fresh.location);
    expect(last).toMatchObject({
      actor: PAULINE,
      action: 'file.remove',
      target: `file:${a.id}`,
      outcome: 'OK',
    });
    expect(last!.changes).toMatchObject({ name: 'a.pdf', size: 2_500_000, sha256: a.sha256 });

    const gone = await pauline('file', 'show', String(a.id));
    expect(gone.code).toBe(3);
    const status = await cli.cli('db', 'status', '--json');
    expect(json(status)).toMatchObject({ files: 1 });
  });
});
