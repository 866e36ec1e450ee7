import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  addFile,
  CHUNK_BYTES,
  downloadFiles,
  listFiles,
  removeFiles,
  showFiles,
  type FileView,
} from '../../src/app/files.js';
import { initStore } from '../../src/app/init.js';
import { backup } from '../../src/app/store-admin.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ChainVerifier } from '../../src/domain/audit-chain.js';
import { allAuditEntries, readHead } from '../../src/db/audit.repository.js';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  StoreUnavailableError,
} from '../../src/errors.js';
import { bigPdf, DOCUMENTS, sparseFile, writeDocument } from '../helpers/documents.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, addStructure, counts, expectKey } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

/** Files (SPEC 9) through the use cases, on each dialect: storage, refusals, rights, downloads, removal. */

const CORR64 = 'claire.martin@dgfip.finances.gouv.fr';
const CORR33 = 'paul.garcia@dgfip.finances.gouv.fr';
const PAULINE = 'pauline.dufour@mairie-pau.fr';
const BOB = 'bob.durand@mairie-bordeaux.fr';
const NOW = '2025-03-10T09:30:00.000Z';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each(DIALECTS)('files (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  let docs: string;
  let out: string;

  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR64,
      data: { email: CORR64, lastName: 'MARTIN', firstName: 'Claire' },
      scope: ['64'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    const pau = await addStructure(store.db, '21640445700019', '64000', 'Commune de Pau');
    const bordeaux = await addStructure(store.db, '21330063500017', '33000', 'Commune de Bordeaux');
    await addAttachment(
      store.db,
      await addAccount(store.db, PAULINE, { lastName: 'DUFOUR', firstName: 'Pauline' }),
      pau,
      'UTILISATEUR',
      'VALIDEE',
    );
    await addAttachment(
      store.db,
      await addAccount(store.db, BOB, { lastName: 'DURAND', firstName: 'Bob' }),
      bordeaux,
      'UTILISATEUR',
      'VALIDEE',
    );
    const corr33 = await addAccount(store.db, CORR33, { lastName: 'GARCIA', firstName: 'Paul' });
    await store.db
      .insertInto('correspondentScope')
      .values({ accountId: corr33, departement: '33' })
      .execute();
    docs = path.join(fresh.dir, 'documents');
    out = path.join(fresh.dir, 'out');
    fs.mkdirSync(docs);
    fs.mkdirSync(out);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  const doc = (name: string, data: Buffer) => writeDocument(docs, name, data);
  const add = (
    actor: string,
    file: string,
    designation = 'Carte grise Clio',
    type = 'CARTE_GRISE',
  ) => addFile(store, actor, { path: file, designation, type });
  const chunks = (fileId: number) =>
    store.db
      .selectFrom('fileChunk')
      .selectAll()
      .where('fileId', '=', fileId)
      .orderBy('seq')
      .execute();
  const audits = () => store.db.selectFrom('auditLog').selectAll().orderBy('seq').execute();
  const chainIntact = async () => {
    const v = new ChainVerifier();
    for await (const e of allAuditEntries(store.db)) v.next(e);
    return v.end(await readHead(store.db)) === null;
  };
  /** Every byte written to a stream, for `-o -`. */
  const collector = () => {
    const stream = new PassThrough();
    const parts: Buffer[] = [];
    stream.on('data', (b: Buffer) => parts.push(b));
    return { stream, bytes: () => Buffer.concat(parts) };
  };

  describe('addFile', () => {
    it('stores the bytes in chunks with designation, type, name, size, media type and SHA-256, and audits the metadata only', async () => {
      const data = DOCUMENTS.pdf();
      const view = await add(
        PAULINE,
        doc('carte-grise.pdf', data),
        '  Carte grise   Clio ',
        'carte_grise',
      );
      const metadata = {
        account: PAULINE,
        designation: 'Carte grise Clio',
        type: 'CARTE_GRISE',
        name: 'carte-grise.pdf',
        size: data.length,
        mediaType: 'application/pdf',
        sha256: sha(data),
      };
      expect(view).toEqual({ id: expect.any(Number), ...metadata, createdAt: NOW });
      const row = await store.db
        .selectFrom('file')
        .selectAll()
        .where('id', '=', view.id)
        .executeTakeFirstOrThrow();
      const { account: _, ...columns } = metadata;
      expect(row).toMatchObject({ ...columns, createdAt: NOW });
      const stored = await chunks(view.id);
      expect(stored.map((c) => c.seq)).toEqual([0]);
      expect(Buffer.from(stored[0]!.data).equals(data)).toBe(true);

      // BLOB in SQLite, bytea in PostgreSQL
      const kind =
        dialect === 'sqlite'
          ? (await sql<{ t: string }>`select typeof(data) as t from file_chunk`.execute(store.db))
              .rows[0]!.t
          : (
              await sql<{ t: string }>`select pg_typeof(data)::text as t from file_chunk`.execute(
                store.db,
              )
            ).rows[0]!.t;
      expect(kind).toBe(dialect === 'sqlite' ? 'blob' : 'bytea');

      const last = (await audits()).at(-1)!;
      expect(last).toMatchObject({
        actor: PAULINE,
        action: 'file.add',
        target: `file:${view.id}`,
        outcome: 'OK',
        at: NOW,
      });
      // the metadata and the hash, never the bytes
      expect(JSON.parse(last.changes!)).toEqual(metadata);
      expect(last.changes!.length).toBeLessThan(400);
      expect(await chainIntact()).toBe(true);
    });

    it('stores a 9.5 MB file in chunks of at most one chunk size, in order, that give back its bytes', async () => {
      const data = bigPdf(9_500_000);
      const view = await add(PAULINE, doc('scan.pdf', data));
      const stored = await chunks(view.id);
      expect(stored.map((c) => c.seq)).toEqual(
        Array.from({ length: Math.ceil(data.length / CHUNK_BYTES) }, (_, i) => i),
      );
      for (const c of stored) expect(c.data.length).toBeLessThanOrEqual(CHUNK_BYTES);
      expect(Buffer.concat(stored.map((c) => Buffer.from(c.data))).equals(data)).toBe(true);
      expect(view).toMatchObject({ size: 9_500_000, sha256: sha(data) });
    });

    it('takes each kind of real document with its media type', async () => {
      const cases: [string, Buffer, string][] = [
        ['logo.png', DOCUMENTS.png(), 'image/png'],
        ['photo.JPG', DOCUMENTS.jpg(), 'image/jpeg'],
        ['plan.gif', DOCUMENTS.gif(), 'image/gif'],
        [
          'presentation.docx',
          DOCUMENTS.docx(),
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        ],
        ['compte-rendu.odt', DOCUMENTS.odt(), 'application/vnd.oasis.opendocument.text'],
        ['dossier.zip', DOCUMENTS.zip(), 'application/zip'],
        ['ancien.doc', DOCUMENTS.doc(), 'application/msword'],
        ['notes.gz', DOCUMENTS.gz(), 'application/gzip'],
        ['lettre.rtf', DOCUMENTS.rtf(), 'application/rtf'],
        ['rdv.txt', DOCUMENTS.txt(), 'text/plain'],
        ['agents.csv', DOCUMENTS.csvCp1252(), 'text/csv'],
        ['blason.svg', DOCUMENTS.svg(), 'image/svg+xml'],
        ['mairie.xml', DOCUMENTS.xml(), 'application/xml'],
        ['mairie.html', DOCUMENTS.html(), 'text/html'],
      ];
      for (const [name, data, mediaType] of cases) {
        const view = await add(PAULINE, doc(name, data), name, 'AUTRE');
        expect(view, name).toMatchObject({ name, mediaType, size: data.length, sha256: sha(data) });
      }
      expect((await listFiles(store, PAULINE, {})).map((f) => f.name)).toEqual(
        cases.map((c) => c[0]),
      );
    });

    /** Adds `file` and expects a refusal naming `message` (exit 5), with nothing written anywhere. */
    const refused = async (
      file: string,
      message: string,
      options: { designation?: string; type?: string; field?: string } = {},
    ) => {
      const before = await counts(store.db);
      const err = await add(PAULINE, file, options.designation, options.type).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${path.basename(file)}: ${message}`).toBeInstanceOf(InvalidInputError);
      const invalid = err as InvalidInputError;
      expect(invalid.key).toBe('file.refused');
      expect(invalid.issues.map((i) => i.message)).toContain(message);
      if (options.field)
        expect(invalid.issues.find((i) => i.message === message)?.field).toBe(options.field);
      expect(await counts(store.db)).toEqual(before);
      return invalid;
    };

    it('refuses an empty file and a file of 10 MB or more', async () => {
      await refused(doc('vide.pdf', Buffer.alloc(0)), 'file.empty');
      await refused(sparseFile(docs, 'enorme.pdf', 10_000_000), 'file.tooLarge');
      const justUnder = await add(PAULINE, doc('juste.pdf', bigPdf(9_999_999)));
      expect(justUnder.size).toBe(9_999_999);
    });

    it('refuses a name over 50 characters, without an extension, or with an extension outside SPEC 9', async () => {
      await refused(doc('a'.repeat(47) + '.pdf', DOCUMENTS.pdf()), 'file.nameTooLong', {
        field: 'PATH',
      });
      await refused(doc('carte-grise', DOCUMENTS.pdf()), 'file.noExtension');
      await refused(doc('.pdf', DOCUMENTS.pdf()), 'file.noExtension');
      for (const name of ['setup.exe', 'photo.webp', 'script.sh', 'macro.docm'])
        await refused(doc(name, DOCUMENTS.txt()), 'file.extensionRefused');
    });

    it('refuses content whose magic bytes contradict the extension: executables above all', async () => {
      const elf = await refused(doc('facture.pdf', DOCUMENTS.elf()), 'file.executable');
      expect(elf.issues[0]!.params).toMatchObject({ ext: 'pdf' });
      await refused(doc('lisez-moi.txt', DOCUMENTS.exe()), 'file.executable');
      await refused(doc('dossier.zip', DOCUMENTS.exe()), 'file.executable');
      await refused(doc('image.png', DOCUMENTS.pdf()), 'file.contentMismatch');
      await refused(doc('rapport.docx', DOCUMENTS.docm()), 'file.contentMismatch');
      await refused(doc('faux.pdf', DOCUMENTS.txt()), 'file.contentUnrecognised');
      await refused(doc('tableau.csv', DOCUMENTS.binary()), 'file.notText');
    });

    it('refuses a bad designation or an unknown type, naming each', async () => {
      const both = await refused(doc('ok.pdf', DOCUMENTS.pdf()), 'validation.required', {
        designation: '   ',
        type: 'FACTURE',
        field: '--designation',
      });
      expect(both.issues).toContainEqual({ field: '--type', message: 'file.typeUnknown' });
      await refused(doc('ok.pdf', DOCUMENTS.pdf()), 'file.designationLength', {
        designation: 'x'.repeat(101),
      });
      expect(
        (await add(PAULINE, doc('ok.pdf', DOCUMENTS.pdf()), 'é'.repeat(100))).designation,
      ).toBe('é'.repeat(100));
    });

    it('refuses a path that is missing or a folder', async () => {
      await refused(path.join(docs, 'absent.pdf'), 'file.unreadable');
      fs.mkdirSync(path.join(docs, 'dossier.pdf'));
      await refused(path.join(docs, 'dossier.pdf'), 'file.notRegular');
    });
  });

  describe('listFiles and showFiles', () => {
    let carte: FileView;
    let brochure: FileView;
    beforeEach(async () => {
      carte = await add(
        PAULINE,
        doc('carte-grise.pdf', DOCUMENTS.pdf()),
        'Carte grise Clio',
        'CARTE_GRISE',
      );
      brochure = await add(
        PAULINE,
        doc('brochure.pdf', DOCUMENTS.pdf()),
        'Brochure Été culturel',
        'BROCHURE',
      );
      await add(BOB, doc('rib.pdf', DOCUMENTS.pdf()), 'RIB Bob', 'RIB');
    });

    it('lists the holder’s own files only, filtered by type and by words of the designation', async () => {
      expect((await listFiles(store, PAULINE, {})).map((f) => f.id)).toEqual([
        carte.id,
        brochure.id,
      ]);
      expect((await listFiles(store, PAULINE, { type: 'BROCHURE' })).map((f) => f.id)).toEqual([
        brochure.id,
      ]);
      expect(
        (await listFiles(store, PAULINE, { designation: 'ete CULT' })).map((f) => f.id),
      ).toEqual([brochure.id]);
      expect(
        (await listFiles(store, PAULINE, { designation: 'clio', type: 'BROCHURE' })).map(
          (f) => f.id,
        ),
      ).toEqual([]);
      expect((await listFiles(store, BOB, {})).map((f) => f.designation)).toEqual(['RIB Bob']);
    });

    it('lets a correspondent list and show the metadata of accounts in scope, and no other', async () => {
      expect((await listFiles(store, CORR64, { account: PAULINE })).map((f) => f.id)).toEqual([
        carte.id,
        brochure.id,
      ]);
      expect(await showFiles(store, CORR64, [carte.id])).toEqual([carte]);
      await expectKey(
        listFiles(store, CORR64, { account: BOB }),
        ForbiddenError,
        'rights.outOfScope',
      );
      expect((await listFiles(store, CORR33, { account: BOB })).map((f) => f.designation)).toEqual([
        'RIB Bob',
      ]);
      await expectKey(showFiles(store, CORR33, [carte.id]), NotFoundError, 'file.notFound');
    });

    it('another holder cannot list, and finds another account’s file as if it did not exist', async () => {
      await expectKey(
        listFiles(store, BOB, { account: PAULINE }),
        NotFoundError,
        'account.notFound',
      );
      const before = await counts(store.db);
      await expectKey(showFiles(store, BOB, [carte.id]), NotFoundError, 'file.notFound');
      await expectKey(showFiles(store, BOB, [999_999]), NotFoundError, 'file.notFound');
      expect(await counts(store.db)).toEqual(before);
    });
  });

  describe('downloadFiles', () => {
    it('writes exactly the stored bytes to a file, a folder and a stream', async () => {
      const data = bigPdf(9_000_000);
      const { id } = await add(PAULINE, doc('scan.pdf', data));
      const [toFile] = await downloadFiles(store, PAULINE, [id], {
        to: 'file',
        path: path.join(out, 'copie.pdf'),
      });
      expect(toFile!.path).toBe(path.join(out, 'copie.pdf'));
      expect(fs.readFileSync(path.join(out, 'copie.pdf')).equals(data)).toBe(true);

      const [toDir] = await downloadFiles(store, PAULINE, [id], { to: 'dir', path: out });
      expect(toDir!.path).toBe(path.join(out, 'scan.pdf'));
      expect(fs.readFileSync(toDir!.path!).equals(data)).toBe(true);

      const sink = collector();
      const [toStream] = await downloadFiles(store, PAULINE, [id], {
        to: 'stream',
        stream: sink.stream,
      });
      expect(toStream!.path).toBeNull();
      expect(sink.bytes().equals(data)).toBe(true);
    });

    it('writes several files into a folder under unique names, never over an existing file', async () => {
      const a = await add(PAULINE, doc('a/carte grise.pdf', DOCUMENTS.pdf()), 'Carte 1');
      const b = await add(
        PAULINE,
        doc('b/carte grise.pdf', Buffer.concat([DOCUMENTS.pdf(), Buffer.from('%autre\n')])),
        'Carte 2',
      );
      fs.writeFileSync(path.join(out, 'carte grise.pdf'), 'déjà là');
      const written = await downloadFiles(store, PAULINE, [a.id, b.id], { to: 'dir', path: out });
      expect(written.map((w) => path.basename(w.path!))).toEqual([
        'carte grise (2).pdf',
        'carte grise (3).pdf',
      ]);
      expect(fs.readFileSync(path.join(out, 'carte grise.pdf'), 'utf8')).toBe('déjà là');
      expect(sha(fs.readFileSync(written[1]!.path!))).toBe(b.sha256);
    });

    it('makes a stored name that would escape the folder safe', async () => {
      const { id } = await add(PAULINE, doc('ok.pdf', DOCUMENTS.pdf()));
      await store.db
        .updateTable('file')
        .set({ name: '../../evil\n.pdf' })
        .where('id', '=', id)
        .execute();
      const dir = path.join(out, 'inner');
      const [w] = await downloadFiles(store, PAULINE, [id], { to: 'dir', path: dir });
      expect(w!.path).toBe(path.join(dir, '_.._evil_.pdf'));
      expect(fs.readdirSync(out)).toEqual(['inner']);
    });

    it('refuses to overwrite an existing file given with -o (conflict)', async () => {
      const { id } = await add(PAULINE, doc('ok.pdf', DOCUMENTS.pdf()));
      fs.writeFileSync(path.join(out, 'copie.pdf'), 'mien');
      await expectKey(
        downloadFiles(store, PAULINE, [id], { to: 'file', path: path.join(out, 'copie.pdf') }),
        ConflictError,
        'file.outputExists',
      );
      expect(fs.readFileSync(path.join(out, 'copie.pdf'), 'utf8')).toBe('mien');
    });

    it('another account’s file: not found, and nothing written; a correspondent in scope is refused (4, audited)', async () => {
      const { id } = await add(PAULINE, doc('carte.pdf', DOCUMENTS.pdf()));
      const mine = await add(BOB, doc('rib.pdf', DOCUMENTS.pdf()), 'RIB', 'RIB');
      const before = await audits();
      await expectKey(
        downloadFiles(store, BOB, [mine.id, id], { to: 'dir', path: out }),
        NotFoundError,
        'file.notFound',
      );
      expect(fs.readdirSync(out)).toEqual([]);
      expect(await audits()).toEqual(before);

      await expectKey(
        downloadFiles(store, CORR64, [id], { to: 'dir', path: out }),
        ForbiddenError,
        'rights.holderOnly',
      );
      expect(fs.readdirSync(out)).toEqual([]);
      expect((await audits()).at(-1)).toMatchObject({
        actor: CORR64,
        action: 'file.manage',
        target: `file:${id}`,
        outcome: 'REFUSED',
      });
      await expectKey(
        downloadFiles(store, CORR33, [id], { to: 'dir', path: out }),
        NotFoundError,
        'file.notFound',
      );
    });

    it('stored bytes that no longer match the SHA-256: exit 7, and no file left behind, nothing on a stream', async () => {
      const good = await add(PAULINE, doc('bon.pdf', DOCUMENTS.pdf()));
      const data = bigPdf(3_000_000);
      const bad = await add(PAULINE, doc('abime.pdf', data));
      const damaged = Buffer.from(data.subarray(CHUNK_BYTES, 2 * CHUNK_BYTES));
      damaged[10] = damaged[10]! ^ 0xff;
      await store.db
        .updateTable('fileChunk')
        .set({ data: damaged })
        .where('fileId', '=', bad.id)
        .where('seq', '=', 1)
        .execute();

      await expectKey(
        downloadFiles(store, PAULINE, [good.id, bad.id], { to: 'dir', path: out }),
        StoreUnavailableError,
        'file.corrupt',
      );
      expect(fs.readdirSync(out)).toEqual([]);
      await expectKey(
        downloadFiles(store, PAULINE, [bad.id], { to: 'file', path: path.join(out, 'x.pdf') }),
        StoreUnavailableError,
        'file.corrupt',
      );
      expect(fs.readdirSync(out)).toEqual([]);
      const sink = collector();
      await expectKey(
        downloadFiles(store, PAULINE, [bad.id], { to: 'stream', stream: sink.stream }),
        StoreUnavailableError,
        'file.corrupt',
      );
      expect(sink.bytes().length).toBe(0);

      // a missing chunk is caught too
      await store.db.deleteFrom('fileChunk').where('fileId', '=', good.id).execute();
      await expectKey(
        downloadFiles(store, PAULINE, [good.id], { to: 'dir', path: out }),
        StoreUnavailableError,
        'file.corrupt',
      );
      expect(fs.readdirSync(out)).toEqual([]);
    });
  });

  it('db backup carries the files, chunk batches and all, and the copy gives back their bytes', async () => {
    const data = bigPdf(9_500_000);
    const { id } = await add(PAULINE, doc('scan.pdf', data));
    const target = path.join(fresh.dir, 'copie.sqlite');
    await backup(accessTo(fresh.location), target);
    const copy = await openStore(target, { clock: testClock });
    try {
      const [w] = await downloadFiles(copy, PAULINE, [id], { to: 'dir', path: out });
      expect(fs.readFileSync(w!.path!).equals(data)).toBe(true);
    } finally {
      await copy.close();
    }
  });

  describe('removeFiles', () => {
    it('removes metadata and bytes, one audit entry each', async () => {
      const a = await add(PAULINE, doc('a.pdf', bigPdf(2_500_000)));
      const b = await add(PAULINE, doc('b.pdf', DOCUMENTS.pdf()), 'B', 'AUTRE');
      const kept = await add(PAULINE, doc('c.pdf', DOCUMENTS.pdf()), 'C', 'AUTRE');
      const removed = await removeFiles(store, PAULINE, [a.id, b.id]);
      expect(removed.map((f) => f.id)).toEqual([a.id, b.id]);
      expect((await listFiles(store, PAULINE, {})).map((f) => f.id)).toEqual([kept.id]);
      expect(await chunks(a.id)).toEqual([]);
      expect(await chunks(b.id)).toEqual([]);
      expect((await chunks(kept.id)).length).toBe(1);
      const entries = (await audits()).slice(-2);
      expect(entries.map((e) => [e.action, e.target])).toEqual([
        ['file.remove', `file:${a.id}`],
        ['file.remove', `file:${b.id}`],
      ]);
      expect(JSON.parse(entries[0]!.changes!)).toMatchObject({
        account: PAULINE,
        name: 'a.pdf',
        size: 2_500_000,
        sha256: a.sha256,
      });
      expect(await chainIntact()).toBe(true);
    });

    it('removes all or nothing: another account’s file or an unknown id leaves every file in place', async () => {
      const mine = await add(PAULINE, doc('a.pdf', DOCUMENTS.pdf()));
      const bobs = await add(BOB, doc('rib.pdf', DOCUMENTS.pdf()), 'RIB', 'RIB');
      const before = await counts(store.db);
      await expectKey(
        removeFiles(store, PAULINE, [mine.id, bobs.id]),
        NotFoundError,
        'file.notFound',
      );
      await expectKey(
        removeFiles(store, PAULINE, [mine.id, 424242]),
        NotFoundError,
        'file.notFound',
      );
      expect(await counts(store.db)).toEqual(before);
      await expectKey(removeFiles(store, CORR64, [mine.id]), ForbiddenError, 'rights.holderOnly');
      expect((await listFiles(store, PAULINE, {})).map((f) => f.id)).toEqual([mine.id]);
    });
  });
});
