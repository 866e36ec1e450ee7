import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import {
  importServices,
  importStructures,
  type ImportOptions,
  type ImportSummary,
} from '../../src/app/structure-import.js';
import { openStore, type Store } from '../../src/db/store.js';
import { ForbiddenError, InvalidInputError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { count, counts } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const ANNUAIRE = path.join(FIXTURES, 'annuaire.csv');
const CP1252 = path.join(FIXTURES, 'annuaire-cp1252.csv');
const MISSING = path.join(FIXTURES, 'annuaire-missing-column.csv');
const SERVICES = path.join(FIXTURES, 'services.csv');

const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PLAIN = 'jean.dufour@mairie-pau.fr';
const NOW = '2025-03-10T09:30:00.000Z';

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Every structure (its stored identifier) the valid rows of annuaire.csv create. */
const ANNUAIRE_IDENTIFIERS = [
  '00123456600014',
  '003970001',
  '1234567001',
  '19640001400011',
  '21330063500017',
  '21400192700018',
  '21640422800019',
  '21640445900010',
  '26400001900010',
  '26640001900011',
  '35600000012346',
  'BE0207373429',
];

describe.each(DIALECTS)('structure import (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      // national: the mechanics of the import (scopes: test/e2e/scope.test.ts)
      scope: ['*'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    await createAccount(store, CORR, {
      login: PLAIN,
      data: { email: PLAIN, lastName: 'DUFOUR', firstName: 'Jean' },
    });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  const opts = (file: string, over: Partial<ImportOptions> = {}): ImportOptions => ({
    file,
    encoding: 'auto',
    lang: 'fr',
    ...over,
  });
  const tmp = (name: string) => path.join(fresh.dir, name);
  const structure = (identifier: string) =>
    store.db
      .selectFrom('structure')
      .selectAll()
      .where('identifier', '=', identifier)
      .executeTakeFirstOrThrow();
  const services = (identifier: string) =>
    store.db
      .selectFrom('service')
      .innerJoin('structure', 'structure.id', 'service.structureId')
      .select([
        'service.code',
        'service.label',
        'service.active',
        'service.dateStart',
        'service.dateEnd',
      ])
      .where('structure.identifier', '=', identifier)
      .orderBy('service.code')
      .execute();
  const audits = () => store.db.selectFrom('auditLog').selectAll().orderBy('seq').execute();
  const lastAudit = () =>
    store.db.selectFrom('auditLog').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
  /** A copy of a fixture with some text replaced, in the temp folder. */
  const edited = (source: string, name: string, from: string, to: string) => {
    const text = fs.readFileSync(source, 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(tmp(name), text.replace(from, to));
    return tmp(name);
  };

  /** The run's single audit entry, checked against the summary and the file, and its run row. */
  async function expectAudited(
    summary: ImportSummary,
    file: string,
    action: 'structure.import' | 'structure.importServices',
  ) {
    const entry = await lastAudit();
    expect(entry).toMatchObject({
      actor: CORR,
      action,
      target: `file:${path.basename(file)}`,
      outcome: 'OK',
      at: testClock.now().toISOString(),
    });
    const changes = JSON.parse(entry.changes!);
    const countsOf = {
      rows: summary.rows,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected,
      outOfScope: summary.outOfScope,
      padded: summary.padded,
    };
    expect(changes).toEqual({ sha256: sha256(file), encoding: summary.encoding, ...countsOf });
    expect(entry.runId).not.toBeNull();
    const run = await store.db
      .selectFrom('run')
      .selectAll()
      .where('id', '=', entry.runId!)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({
      kind: action,
      actor: CORR,
      fileName: path.basename(file),
      fileSha256: sha256(file),
      startedAt: testClock.now().toISOString(),
    });
    expect(run.finishedAt).not.toBeNull();
    expect(JSON.parse(run.counts!)).toEqual(countsOf);
  }

  describe('importStructures', () => {
    it('creates the valid rows, rejects the others, pads a SIRET that lost its zeros, and audits the run once', async () => {
      const auditsBefore = (await audits()).length;
      const summary = await importStructures(store, CORR, opts(ANNUAIRE));
      expect(summary).toMatchObject({
        file: 'annuaire.csv',
        sha256: sha256(ANNUAIRE),
        encoding: 'utf8',
        rows: 14,
        created: 12,
        updated: 0,
        unchanged: 0,
        rejected: 2,
        padded: 1,
        unknownColumns: [],
        rejectsFile: null,
      });
      expect(summary.sample.map((r) => r.line)).toEqual([14, 16]);
      expect(summary.sample[0]!.errors).toEqual([
        'Identifiant : SIRET invalide « 21640445900011 » (14 chiffres, clé de Luhn)',
      ]);
      expect(summary.sample[1]!.errors).toEqual([
        'EmetteurEdi : valeur « peut-être » : true/false, 1/0 ou oui/non attendu',
      ]);

      const rows = await store.db
        .selectFrom('structure')
        .select('identifier')
        .orderBy('identifier')
        .execute();
      expect(rows.map((r) => r.identifier)).toEqual(ANNUAIRE_IDENTIFIERS);
      expect(
        await store.db
          .selectFrom('structure')
          .select('id')
          .where('identifier', 'in', ['21640445900011', '26400001900028'])
          .execute(),
      ).toEqual([]);

      expect((await audits()).length).toBe(auditsBefore + 1);
      await expectAudited(summary, ANNUAIRE, 'structure.import');
      expect(await count(store.db, 'run')).toBe(1);
    });

    it('stores each column as the store keeps it: flags as 0/1, quoted separators, keys folded, département derived', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));

      expect(await structure('21640445900010')).toMatchObject({
        idType: 'SIRET',
        companyName: 'COMMUNE DE PAU',
        ediSender: 1,
        ediReceiver: 0,
        managesPaymentStatus: 1,
        managesCommitment: 1,
        managesService: 1,
        managesServiceCommitment: 0,
        isMoa: 0,
        isMoaOnly: 0,
        active: 1,
        address: 'Place Royale',
        addressComplement1: 'Hôtel de ville',
        addressComplement2: null,
        postalCode: '64000',
        city: 'PAU',
        phone: '05 59 27 85 80',
        email: 'mairie@ville-pau.fr',
        countryCode: 'FR',
        countryLabel: 'France',
        departement: '64',
        nameKey: 'commune de pau',
        cityKey: 'pau',
        searchKey: 'commune de pau 21640445900010',
        createdAt: NOW,
        updatedAt: NOW,
      });
      // `true/false` flags, and a `;` inside a quoted address
      expect(await structure('19640001400011')).toMatchObject({
        companyName: 'MUSÉE NATIONAL DU CHÂTEAU DE PAU',
        ediSender: 0,
        ediReceiver: 0,
        isMoa: 0,
        active: 1,
        address: 'Rue du Château; bâtiment B',
        nameKey: 'musee national du chateau de pau',
        departement: '64',
      });
      // `1/0` flags
      expect(await structure('26640001900011')).toMatchObject({
        ediSender: 1,
        ediReceiver: 1,
        managesPaymentStatus: 0,
        managesCommitment: 1,
        managesService: 1,
        managesServiceCommitment: 0,
        isMoa: 0,
        isMoaOnly: 0,
        active: 1,
        postalCode: '64046',
        city: 'PAU CEDEX',
        cityKey: 'pau cedex',
      });
      // inactive, with a doubled quote in its address; the ligature folded
      expect(await structure('21640422800019')).toMatchObject({
        companyName: 'ŒUVRE DES ÉCOLES DE LESCAR',
        active: 0,
        address: 'Place "Royale"',
        nameKey: 'oeuvre des ecoles de lescar',
      });
      // the SIRET and the postal code a spreadsheet had stripped of their leading zeros
      expect(await structure('00123456600014')).toMatchObject({
        idType: 'SIRET',
        companyName: "SYNDICAT INTERCOMMUNAL DES EAUX DE L'AIN",
        postalCode: '01000',
        departement: '01',
      });
      expect(
        await store.db
          .selectFrom('structure')
          .select('id')
          .where('identifier', '=', '123456600014')
          .execute(),
      ).toEqual([]);
      // La Poste's exception to Luhn
      expect(await structure('35600000012346')).toMatchObject({
        idType: 'SIRET',
        companyName: 'LA POSTE - AGENCE DE PAU',
        departement: '64',
      });
      // TAHITI in its canonical form, overseas départements on three digits
      expect(await structure('003970001')).toMatchObject({
        idType: 'TAHITI',
        companyName: 'COMMUNE DE PAPEETE',
        postalCode: '98714',
        departement: '987',
        countryCode: 'PF',
        countryLabel: 'Polynésie française',
        ediSender: 1,
      });
      expect(
        await store.db
          .selectFrom('structure')
          .select('id')
          .where('identifier', '=', '003970-001')
          .execute(),
      ).toEqual([]);
      expect(await structure('1234567001')).toMatchObject({
        idType: 'RIDET',
        city: 'NOUMÉA',
        departement: '988',
      });
      // a foreign postal code is kept as written and places no département
      expect(await structure('BE0207373429')).toMatchObject({
        idType: 'UE_HORS_FRANCE',
        postalCode: '1000',
        departement: null,
        countryCode: 'BE',
      });
    });

    it('changes nothing when the same file is imported again: every row unchanged, no duplicate, one more audit entry', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      const before = await store.db.selectFrom('structure').selectAll().orderBy('id').execute();
      const auditsBefore = (await audits()).length;
      testClock.set('2025-03-11T10:00:00.000Z');

      const again = await importStructures(store, CORR, opts(ANNUAIRE));
      expect(again).toMatchObject({
        rows: 14,
        created: 0,
        updated: 0,
        unchanged: 12,
        rejected: 2,
        padded: 1,
      });
      expect(await store.db.selectFrom('structure').selectAll().orderBy('id').execute()).toEqual(
        before,
      );
      expect(await count(store.db, 'structure')).toBe(12);
      expect((await audits()).length).toBe(auditsBefore + 1);
      await expectAudited(again, ANNUAIRE, 'structure.import');
      expect(await count(store.db, 'run')).toBe(2);
    });

    it('updates a renamed structure only, and its name and search keys follow', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      const before = await structure('21330063500017');
      const modified = edited(
        ANNUAIRE,
        'annuaire-modifie.csv',
        'COMMUNE DE BORDEAUX',
        'VILLE DE BORDEAUX – Hôtel',
      );
      testClock.set('2025-03-11T10:00:00.000Z');

      const summary = await importStructures(store, CORR, opts(modified));
      expect(summary).toMatchObject({
        rows: 14,
        created: 0,
        updated: 1,
        unchanged: 11,
        rejected: 2,
      });
      expect(await structure('21330063500017')).toEqual({
        ...before,
        companyName: 'VILLE DE BORDEAUX – Hôtel',
        nameKey: 'ville de bordeaux hotel',
        searchKey: 'ville de bordeaux hotel 21330063500017',
        updatedAt: '2025-03-11T10:00:00.000Z',
      });
      expect(await count(store.db, 'structure')).toBe(12);
      expect((await structure('21640445900010')).updatedAt).toBe(NOW);
      await expectAudited(summary, modified, 'structure.import');
    });

    it('updates a structure whose city changed, and its city key follows', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      const modified = edited(
        ANNUAIRE,
        'annuaire-ville.csv',
        '64046;PAU CEDEX;',
        '64046;Pau Cédex 9;',
      );
      const summary = await importStructures(store, CORR, opts(modified));
      expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 11 });
      expect(await structure('26640001900011')).toMatchObject({
        city: 'Pau Cédex 9',
        cityKey: 'pau cedex 9',
        nameKey: 'centre hospitalier de pau',
      });
    });

    it('writes the rejected rows with their line and reasons, in the input encoding (UTF-8 with its BOM)', async () => {
      const rejects = tmp('rejets.csv');
      const summary = await importStructures(store, CORR, opts(ANNUAIRE, { rejects }));
      expect(summary.rejectsFile).toBe(rejects);

      const bytes = fs.readFileSync(rejects);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      expect(lines.at(-1)).toBe('');
      expect(lines).toHaveLength(4);
      const header = lines[0]!.split(';');
      const inputHeader = fs
        .readFileSync(ANNUAIRE, 'utf8')
        .replace(/^\uFEFF/, '')
        .split('\r\n')[0]!
        .split(';');
      expect(header).toEqual([...inputHeader, 'LIGNE', 'ERREURS']);
      const row14 = lines[1]!.split(';');
      expect(row14.slice(0, 3)).toEqual(['SIRET', '21640445900011', 'COMMUNE MAL SAISIE']);
      expect(row14.at(-2)).toBe('14');
      expect(row14.at(-1)).toBe(
        'Identifiant : SIRET invalide « 21640445900011 » (14 chiffres, clé de Luhn)',
      );
      const row16 = lines[2]!.split(';');
      expect(row16.slice(0, 4)).toEqual([
        'SIRET',
        '26400001900028',
        'CLINIQUE DES LANDES',
        'peut-être',
      ]);
      expect(row16.at(-2)).toBe('16');
      expect(row16.at(-1)).toBe(
        'EmetteurEdi : valeur « peut-être » : true/false, 1/0 ou oui/non attendu',
      );
      expect(row16).toHaveLength(header.length);
    });

    it('joins several reasons of one row with |', async () => {
      const bad = edited(
        ANNUAIRE,
        'deux-erreurs.csv',
        'SIRET;21640445900011;COMMUNE MAL SAISIE;oui',
        'SIRET;21640445900011;;oui',
      );
      const rejects = tmp('rejets.csv');
      await importStructures(store, CORR, opts(bad, { rejects }));
      const lines = fs.readFileSync(rejects).subarray(3).toString('utf8').split('\r\n');
      const row = lines[1]!.split(';');
      expect(row.at(-2)).toBe('14');
      expect(row.at(-1)!.split(' | ').sort()).toEqual(
        [
          'Identifiant : SIRET invalide « 21640445900011 » (14 chiffres, clé de Luhn)',
          'RaisonSociale : obligatoire',
        ].sort(),
      );
    });

    it('reads a Windows-1252 file, detected or named, and updates a structure it already has', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      const summary = await importStructures(store, CORR, opts(CP1252));
      // COMMUNE DE PAU is the same in both files
      expect(summary).toMatchObject({
        file: 'annuaire-cp1252.csv',
        encoding: 'cp1252',
        rows: 3,
        created: 2,
        updated: 0,
        unchanged: 1,
        rejected: 0,
      });
      expect(await structure('21400150500012')).toMatchObject({
        companyName: 'COMMUNE DE LÉON',
        city: 'LÉON',
        address: "Place de l'Église",
        nameKey: 'commune de leon',
        cityKey: 'leon',
        departement: '40',
      });
      expect(await structure('20004090500016')).toMatchObject({
        companyName: "SYNDICAT MIXTE DU BASSIN DE L'ADOUR « ÉTÉ »",
        address: 'Allée des Pins; porte 2',
      });
      await expectAudited(summary, CP1252, 'structure.import');

      // named rather than detected: the same values
      const named = await importStructures(store, CORR, opts(CP1252, { encoding: 'cp1252' }));
      expect(named).toMatchObject({ encoding: 'cp1252', created: 0, updated: 0, unchanged: 3 });
    });

    it('honours --encoding over detection: a UTF-8 file read as cp1252 is decoded as cp1252', async () => {
      const summary = await importStructures(store, CORR, opts(ANNUAIRE, { encoding: 'cp1252' }));
      expect(summary.encoding).toBe('cp1252');
      expect((await structure('19640001400011')).companyName).toBe(
        iconv.decode(Buffer.from('MUSÉE NATIONAL DU CHÂTEAU DE PAU', 'utf8'), 'cp1252'),
      );
    });

    it('writes the rejects of a Windows-1252 file in Windows-1252', async () => {
      const text =
        iconv.decode(fs.readFileSync(CP1252), 'cp1252') +
        'SIRET;21400150500013;COMMUNE DE SÈTE;oui;non;non;non;non;non;non;non;oui;Quai d’Alger;;;34200;SÈTE;;;FR;France\r\n';
      const input = tmp('annuaire-1252-rejet.csv');
      fs.writeFileSync(input, iconv.encode(text, 'cp1252'));
      const rejects = tmp('rejets-1252.csv');

      const summary = await importStructures(store, CORR, opts(input, { rejects }));
      expect(summary).toMatchObject({ encoding: 'cp1252', rows: 4, created: 3, rejected: 1 });
      const bytes = fs.readFileSync(rejects);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
      const lines = iconv.decode(bytes, 'cp1252').split('\r\n');
      expect(lines[0]!.split(';').slice(-2)).toEqual(['LIGNE', 'ERREURS']);
      const row = lines[1]!.split(';');
      expect(row.slice(1, 3)).toEqual(['21400150500013', 'COMMUNE DE SÈTE']);
      expect(row).toContain('Quai d’Alger');
      expect(row.at(-2)).toBe('5');
      expect(row.at(-1)).toBe(
        'Identifiant : SIRET invalide « 21400150500013 » (14 chiffres, clé de Luhn)',
      );
    });

    it('refuses a file without a required column: exit 5, nothing written, no rejects file', async () => {
      const before = await counts(store.db);
      const rejects = tmp('rejets.csv');
      const err = await importStructures(store, CORR, opts(MISSING, { rejects })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).exitCode).toBe(5);
      expect((err as InvalidInputError).key).toBe('csv.unusable');
      expect((err as InvalidInputError).issues).toEqual([
        { field: 'RaisonSociale', message: 'csv.missingColumn', line: 1 },
      ]);
      expect(await counts(store.db)).toEqual(before);
      expect(await count(store.db, 'structure')).toBe(0);
      expect(fs.existsSync(rejects)).toBe(false);
    });

    it('refuses a rejects file in a folder that does not exist, before reading anything', async () => {
      const before = await counts(store.db);
      const err = await importStructures(
        store,
        CORR,
        opts(ANNUAIRE, { rejects: tmp('absent/rejets.csv') }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).issues[0]).toMatchObject({
        field: '--rejects',
        message: 'csv.rejectsDir',
      });
      expect(await counts(store.db)).toEqual(before);
    });

    it('refuses an account that is not a correspondent: exit 4, nothing imported, the refusal audited', async () => {
      const before = await counts(store.db);
      const rejects = tmp('rejets.csv');
      const err = await importStructures(store, PLAIN, opts(ANNUAIRE, { rejects })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as ForbiddenError).exitCode).toBe(4);
      expect((err as ForbiddenError).key).toBe('rights.correspondentOnly');

      expect(await count(store.db, 'structure')).toBe(0);
      expect(await count(store.db, 'run')).toBe(0);
      expect(fs.existsSync(rejects)).toBe(false);
      const after = await counts(store.db);
      expect(after).toEqual({ ...before, auditLog: before.auditLog! + 1 });
      const refusal = await lastAudit();
      expect(refusal).toMatchObject({
        actor: PLAIN,
        action: 'structure.import',
        target: 'file:annuaire.csv',
        outcome: 'REFUSED',
        runId: null,
      });
      expect(JSON.parse(refusal.changes!)).toEqual({ reason: 'rights.correspondentOnly' });
    });
  });

  describe('importServices', () => {
    it('imports the services of known structures after the directory, and audits the run once', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      const auditsBefore = (await audits()).length;
      const rejects = tmp('rejets-services.csv');

      const summary = await importServices(store, CORR, opts(SERVICES, { rejects }));
      expect(summary).toMatchObject({
        file: 'services.csv',
        sha256: sha256(SERVICES),
        encoding: 'utf8',
        rows: 9,
        created: 6,
        updated: 0,
        unchanged: 0,
        rejected: 3,
        padded: 1,
      });
      expect(summary.sample.map((r) => r.line).sort((a, b) => a - b)).toEqual([7, 8, 9]);
      const reasons = Object.fromEntries(summary.sample.map((r) => [r.line, r.errors]));
      expect(reasons[7]).toEqual([
        'Identifiant : structure inconnue SIRET:21640445900028 : importez d’abord l’annuaire',
      ]);
      expect(reasons[8]).toEqual([
        'DateDebut : date invalide ou inexistante « 31/02/2024 » (JJ/MM/AAAA ou AAAA-MM-JJ)',
      ]);
      expect(reasons[9]).toEqual([
        'DateFin : la date de fin (2024-01-01) précède la date de début (2024-06-01)',
      ]);

      expect(await services('21640445900010')).toEqual([
        {
          code: 'FACTURES',
          label: 'Service facturier; dépenses',
          active: 1,
          dateStart: null,
          dateEnd: null,
        },
        {
          code: 'SERV-CULT',
          label: 'Service culturel',
          active: 1,
          dateStart: '2020-01-01',
          dateEnd: null,
        },
        {
          code: 'SERV-ETAT-CIVIL',
          label: 'État civil',
          active: 1,
          dateStart: '2019-01-01',
          dateEnd: null,
        },
      ]);
      expect(await services('26640001900011')).toEqual([
        { code: 'PHARMA', label: 'Pharmacie centrale', active: 1, dateStart: null, dateEnd: null },
      ]);
      expect(await services('003970001')).toEqual([
        { code: 'TECH', label: 'Services techniques', active: 1, dateStart: null, dateEnd: null },
      ]);
      // found by the SIRET padded back to 14 digits
      expect(await services('00123456600014')).toEqual([
        {
          code: 'ADMIN',
          label: 'Administration générale',
          active: 0,
          dateStart: null,
          dateEnd: null,
        },
      ]);
      expect(await count(store.db, 'service')).toBe(6);

      // the structures' search keys now hold their services' codes and labels, folded
      expect((await structure('21640445900010')).searchKey).toBe(
        'commune de pau 21640445900010 factures service facturier depenses serv cult service culturel serv etat civil etat civil',
      );
      expect((await structure('00123456600014')).searchKey).toBe(
        'syndicat intercommunal des eaux de l ain 00123456600014 admin administration generale',
      );
      expect((await structure('003970001')).searchKey).toBe(
        'commune de papeete 003970001 tech services techniques',
      );
      expect((await structure('19640001400011')).searchKey).toBe(
        'musee national du chateau de pau 19640001400011',
      );

      expect((await audits()).length).toBe(auditsBefore + 1);
      await expectAudited(summary, SERVICES, 'structure.importServices');

      const lines = fs.readFileSync(rejects, 'utf8').split('\r\n');
      expect(lines[0]).toBe(
        'TypeIdentifiant;Identifiant;CodeService;LibelleService;Actif;DateDebut;DateFin;LIGNE;ERREURS',
      );
      expect(
        lines
          .slice(1, -1)
          .map((l) => l.split(';').at(-2))
          .sort(),
      ).toEqual(['7', '8', '9']);
    });

    it('changes nothing on a second run, and updates a relabelled service and its structure’s search key', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      await importServices(store, CORR, opts(SERVICES));
      const before = await store.db.selectFrom('service').selectAll().orderBy('id').execute();

      const again = await importServices(store, CORR, opts(SERVICES));
      expect(again).toMatchObject({ rows: 9, created: 0, updated: 0, unchanged: 6, rejected: 3 });
      expect(await store.db.selectFrom('service').selectAll().orderBy('id').execute()).toEqual(
        before,
      );
      await expectAudited(again, SERVICES, 'structure.importServices');

      const relabelled = edited(
        SERVICES,
        'services-modifies.csv',
        'Service culturel',
        'Service de la culture',
      );
      const summary = await importServices(store, CORR, opts(relabelled));
      expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: 5, rejected: 3 });
      expect(await services('21640445900010')).toContainEqual({
        code: 'SERV-CULT',
        label: 'Service de la culture',
        active: 1,
        dateStart: '2020-01-01',
        dateEnd: null,
      });
      const key = (await structure('21640445900010')).searchKey;
      expect(key).toContain('serv cult service de la culture');
      expect(key).not.toContain('culturel');
    });

    it('keeps the services in the search key when the structure is renamed by a later directory import', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      await importServices(store, CORR, opts(SERVICES));
      const renamed = edited(ANNUAIRE, 'annuaire-pau.csv', ';COMMUNE DE PAU;', ';VILLE DE PAU;');
      const summary = await importStructures(store, CORR, opts(renamed));
      expect(summary).toMatchObject({ updated: 1, unchanged: 11 });
      expect(await structure('21640445900010')).toMatchObject({
        companyName: 'VILLE DE PAU',
        nameKey: 'ville de pau',
        searchKey:
          'ville de pau 21640445900010 factures service facturier depenses serv cult service culturel serv etat civil etat civil',
      });
    });

    it('rejects every row whose structure is not in the directory yet', async () => {
      const summary = await importServices(store, CORR, opts(SERVICES));
      expect(summary).toMatchObject({ rows: 9, created: 0, rejected: 9 });
      expect(await count(store.db, 'service')).toBe(0);
    });

    it('refuses an account that is not a correspondent: exit 4, nothing imported, the refusal audited', async () => {
      await importStructures(store, CORR, opts(ANNUAIRE));
      const before = await counts(store.db);
      const err = await importServices(store, PLAIN, opts(SERVICES)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForbiddenError);
      expect((err as ForbiddenError).exitCode).toBe(4);
      expect(await counts(store.db)).toEqual({ ...before, auditLog: before.auditLog! + 1 });
      expect(await lastAudit()).toMatchObject({
        actor: PLAIN,
        target: 'file:services.csv',
        outcome: 'REFUSED',
      });
    });
  });
});
