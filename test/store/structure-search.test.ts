import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccount } from '../../src/app/accounts.js';
import { initStore } from '../../src/app/init.js';
import { importServices, importStructures } from '../../src/app/structure-import.js';
import { searchStructures, showStructure, type SearchInput } from '../../src/app/structures.js';
import { openStore, type Store } from '../../src/db/store.js';
import { InvalidInputError, NotFoundError } from '../../src/errors.js';
import { DIALECTS, freshLocation, type FreshLocation, accessTo } from '../helpers/stores.js';
import { addAccount, addAttachment, count } from './support/seed.js';
import { testClock } from '../helpers/clock.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const CORR = 'claire.martin@dgfip.finances.gouv.fr';
const PLAIN = 'jean.dufour@mairie-pau.fr';
const NOW = '2025-03-10T09:30:00.000Z';

// The directory the fixtures build: annuaire.csv (12 valid rows), annuaire-cp1252.csv (2 more), services.csv.
const PAU = '21640445900010';
const MUSEE = '19640001400011';
const CH_PAU = '26640001900011';
const MDM = '21400192700018';
const CH_MDM = '26400001900010';
const BORDEAUX = '21330063500017';
const AIN = '00123456600014';
const POSTE = '35600000012346';
const PAPEETE = '003970-001';
const PROVINCE_SUD = '1234567001';
const BRUXELLES = 'BE0207373429';
const OEUVRE = '21640422800019'; // inactive
const LEON = '21400150500012';
const ADOUR = '20004090500016';
const ALL = [
  PAU,
  MUSEE,
  CH_PAU,
  MDM,
  CH_MDM,
  BORDEAUX,
  AIN,
  POSTE,
  PAPEETE,
  PROVINCE_SUD,
  BRUXELLES,
  OEUVRE,
  LEON,
  ADOUR,
];

/** Queries and the one ordered answer both dialects must give (identifiers as displayed). */
const SAME_ANSWER: [Partial<SearchInput>, string[]][] = [
  // a word of every name: rank 3 for all, then active first, then the name
  [{ text: 'pau' }, [CH_PAU, PAU, POSTE, MUSEE]],
  // names that start with the text (rank 2), by name
  [{ text: 'commune' }, [BORDEAUX, LEON, MDM, PAPEETE, PAU]],
  [
    { text: 'de' },
    [
      CH_MDM,
      CH_PAU,
      BORDEAUX,
      LEON,
      MDM,
      PAPEETE,
      PAU,
      POSTE,
      MUSEE,
      AIN,
      ADOUR,
      BRUXELLES,
      OEUVRE,
    ],
  ],
  [{ text: 'mont marsan' }, [CH_MDM, MDM]],
  [{ text: 'centre hospitalier' }, [CH_MDM, CH_PAU]],
  // the name itself first
  [{ text: 'commune de pau' }, [PAU]],
  // matched by a service only (rank 4)
  [{ text: 'service' }, [PAPEETE, PAU]],
  // names with a word starting with `e` before a match in a service; the inactive one last of its rank
  [{ text: 'e' }, [AIN, ADOUR, OEUVRE, PAU]],
  [{ text: '2164' }, [PAU, OEUVRE]],
  [{ text: PAPEETE }, [PAPEETE]],
  [{ text: 'ÉCOLES' }, [OEUVRE]],
  [{ text: 'pau', codePostal: '64000' }, [PAU, POSTE, MUSEE]],
  [{ raisonSociale: 'commune' }, [BORDEAUX, LEON, MDM, PAPEETE, PAU]],
  // no text: active first, then the name
  [{ ville: 'pau' }, [CH_PAU, PAU, POSTE, MUSEE]],
  [{ codePostal: '64' }, [CH_PAU, PAU, POSTE, MUSEE, OEUVRE]],
  [{ type: 'SIRET', codePostal: '40' }, [CH_MDM, LEON, MDM, ADOUR]],
  [{ identifiant: '2164' }, [PAU, OEUVRE]],
  [
    {},
    [
      CH_MDM,
      CH_PAU,
      BORDEAUX,
      LEON,
      MDM,
      PAPEETE,
      PAU,
      POSTE,
      MUSEE,
      PROVINCE_SUD,
      AIN,
      ADOUR,
      BRUXELLES,
      OEUVRE,
    ],
  ],
];

describe.each(DIALECTS)('structure search and card (%s)', (dialect) => {
  let fresh: FreshLocation;
  let store: Store;
  beforeEach(async () => {
    testClock.set(NOW);
    fresh = await freshLocation(dialect, 'migrated');
    await initStore({
      store: accessTo(fresh.location),
      login: CORR,
      data: { email: CORR, lastName: 'MARTIN', firstName: 'Claire' },
      // national: it imports the whole directory and its services (SPEC 8.2)
      scope: ['*'],
    });
    store = await openStore(fresh.location, { clock: testClock });
    await createAccount(store, CORR, {
      login: PLAIN,
      data: { email: PLAIN, lastName: 'DUFOUR', firstName: 'Jean' },
    });
    for (const f of ['annuaire.csv', 'annuaire-cp1252.csv'])
      await importStructures(store, CORR, {
        file: path.join(FIXTURES, f),
        encoding: 'auto',
        lang: 'fr',
      });
    await importServices(store, CORR, {
      file: path.join(FIXTURES, 'services.csv'),
      encoding: 'auto',
      lang: 'fr',
    });
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await store.close();
    await fresh.cleanup();
  });

  const search = (input: Partial<SearchInput>, actor = CORR) =>
    searchStructures(store, actor, { limit: 0, page: 1, ...input });
  const ids = async (input: Partial<SearchInput>) =>
    (await search(input)).items.map((i) => i.identifier);
  const names = async (input: Partial<SearchInput>) =>
    (await search(input)).items.map((i) => i.companyName);

  describe('searchStructures', () => {
    it('finds names without accents or ligatures, identifiers as typed, and services by their labels', async () => {
      expect(await names({ text: 'chateau' })).toEqual(['MUSÉE NATIONAL DU CHÂTEAU DE PAU']);
      expect(await names({ text: 'CHÂTEAU' })).toEqual(['MUSÉE NATIONAL DU CHÂTEAU DE PAU']);
      expect(await names({ text: 'oeuvre' })).toEqual(['ŒUVRE DES ÉCOLES DE LESCAR']);
      expect(await names({ text: 'œuvre' })).toEqual(['ŒUVRE DES ÉCOLES DE LESCAR']);
      const tahiti = await search({ text: '003970-001' });
      expect(tahiti.items).toHaveLength(1);
      expect(tahiti.items[0]).toMatchObject({
        idType: 'TAHITI',
        identifier: '003970-001',
        companyName: 'COMMUNE DE PAPEETE',
      });
      expect(await names({ text: '003970001' })).toEqual(['COMMUNE DE PAPEETE']);
      expect(await names({ text: '216 404 459 00010' })).toEqual(['COMMUNE DE PAU']);
      expect(await names({ text: 'culturel' })).toEqual(['COMMUNE DE PAU']);
      expect(await names({ text: 'dépenses' })).toEqual(['COMMUNE DE PAU']);
      expect(await names({ text: 'pharma' })).toEqual(['CENTRE HOSPITALIER DE PAU']);
      expect(await names({ text: 'LÉON' })).toEqual(['COMMUNE DE LÉON']);
      // several words: each must start a word of the name, identifier or services
      expect(await names({ text: 'hosp mont' })).toEqual(['CENTRE HOSPITALIER DE MONT-DE-MARSAN']);
      expect(await names({ text: 'chateau bordeaux' })).toEqual([]);
      // a word matches from its start only
      expect(await names({ text: 'ateau' })).toEqual([]);
    });

    it('returns the view of each structure: display identifier, booleans, address', async () => {
      const { items, total } = await search({ text: 'chateau' });
      expect(total).toBe(1);
      expect(items[0]).toEqual({
        idType: 'SIRET',
        identifier: MUSEE,
        companyName: 'MUSÉE NATIONAL DU CHÂTEAU DE PAU',
        active: true,
        address: 'Rue du Château; bâtiment B',
        addressComplement1: null,
        addressComplement2: null,
        postalCode: '64000',
        city: 'PAU',
        departement: '64',
        countryCode: 'FR',
        countryLabel: 'France',
        phone: null,
        email: null,
        ediSender: false,
        ediReceiver: false,
        managesPaymentStatus: false,
        managesCommitment: false,
        managesService: false,
        managesServiceCommitment: false,
        isMoa: false,
        isMoaOnly: false,
        updatedAt: NOW,
      });
      expect((await search({ text: 'oeuvre' })).items[0]!.active).toBe(false);
    });

    it('filters by identifier prefix, type, company name, postal code prefix, city and (non-SIRET) name', async () => {
      expect(await ids({ identifiant: '2164' })).toEqual([PAU, OEUVRE]);
      expect(await ids({ identifiant: '216 404 4' })).toEqual([PAU]);
      expect(await ids({ identifiant: '003970-001' })).toEqual([PAPEETE]);
      expect(await ids({ identifiant: '0012345' })).toEqual([AIN]);
      expect(await ids({ identifiant: '45900010' })).toEqual([]);

      expect(await ids({ type: 'TAHITI' })).toEqual([PAPEETE]);
      expect(await ids({ type: 'RIDET' })).toEqual([PROVINCE_SUD]);
      expect((await search({ type: 'SIRET' })).total).toBe(11);
      expect(await ids({ type: 'PARTICULIER' })).toEqual([]);

      expect(await ids({ raisonSociale: 'hospitalier pau' })).toEqual([CH_PAU]);
      expect(await ids({ raisonSociale: 'Château' })).toEqual([MUSEE]);
      // the name only: not the services, not the identifier
      expect(await ids({ raisonSociale: 'culturel' })).toEqual([]);
      expect(await ids({ raisonSociale: '2164' })).toEqual([]);

      expect(await ids({ codePostal: '64' })).toEqual([CH_PAU, PAU, POSTE, MUSEE, OEUVRE]);
      expect(await ids({ codePostal: '640' })).toEqual([CH_PAU, PAU, POSTE, MUSEE]);
      expect(await ids({ codePostal: '64230' })).toEqual([OEUVRE]);
      expect(await ids({ codePostal: '01' })).toEqual([AIN]);
      expect(await ids({ codePostal: '4000' })).toEqual([MDM]);

      expect(await ids({ ville: 'mont de marsan' })).toEqual([CH_MDM, MDM]);
      expect(await ids({ ville: 'MONT-DE-MARSAN CEDEX' })).toEqual([CH_MDM]);
      expect(await ids({ ville: 'marsan' })).toEqual([CH_MDM, MDM]);
      expect(await ids({ ville: 'arsan' })).toEqual([]);
      expect(await ids({ ville: 'noumea' })).toEqual([PROVINCE_SUD]);

      // --nom/--prenom look for a person's name: never a SIRET structure
      expect(await ids({ nom: 'papeete' })).toEqual([PAPEETE]);
      expect(await ids({ nom: 'commune' })).toEqual([PAPEETE]);
      expect(await ids({ nom: 'pau' })).toEqual([]);
      expect(await ids({ nom: 'province', prenom: 'sud' })).toEqual([PROVINCE_SUD]);
      expect(await ids({ prenom: 'bruxelles' })).toEqual([BRUXELLES]);
      expect(await ids({ nom: 'province', prenom: 'nord' })).toEqual([]);

      // filters combine with the text and with each other
      expect(await ids({ text: 'commune', codePostal: '40' })).toEqual([LEON, MDM]);
      expect(await ids({ text: 'pau', type: 'SIRET', ville: 'pau cedex' })).toEqual([CH_PAU]);
      expect(await ids({ codePostal: '64', identifiant: '1964' })).toEqual([MUSEE]);
    });

    it('pages through the results with limit and page, and counts them all', async () => {
      const all = await search({ text: 'commune' });
      expect(all.total).toBe(5);
      const pages = [];
      for (let page = 1; page <= 3; page++) {
        const p = await search({ text: 'commune', limit: 2, page });
        expect(p.total).toBe(5);
        pages.push(p.items.map((i) => i.identifier));
      }
      expect(pages).toEqual([[BORDEAUX, LEON], [MDM, PAPEETE], [PAU]]);
      expect(pages.flat()).toEqual(all.items.map((i) => i.identifier));
      expect(await search({ text: 'commune', limit: 2, page: 4 })).toEqual({ items: [], total: 5 });
      expect(await search({ limit: 5, page: 3 })).toMatchObject({ total: ALL.length });
      expect((await search({ limit: 5, page: 3 })).items.map((i) => i.identifier)).toEqual([
        AIN,
        ADOUR,
        BRUXELLES,
        OEUVRE,
      ]);
    });

    it('gives the same ordered answer to every query on this dialect as the literal one both dialects share', async () => {
      const answers = [];
      for (const [input] of SAME_ANSWER) answers.push(await ids(input));
      expect(answers).toEqual(SAME_ANSWER.map(([, expected]) => expected));
    });

    it('takes hostile text as text: no error, no row it should not find, the table intact', async () => {
      const before = await store.db.selectFrom('structure').selectAll().orderBy('id').execute();
      const pau = [CH_PAU, PAU, POSTE, MUSEE];
      const cases: [string, string[]][] = [
        ["x' OR 1=1 --", []],
        ['"', []],
        ['*', []],
        ['%', []],
        ['_', []],
        ['NEAR(', []],
        ["')--", []],
        ['"; drop table structure; --', []],
        ["'); delete from structure where ('1'='1", []],
        ['NEAR(pau commune)', []],
        ['pau OR bordeaux', []],
        ['NOT pau', []],
        ['pau AND commune', []],
        ['structure_fts', []],
        ['^pau', pau],
        ['pau*', pau],
        ['"pau"', pau],
        ['%pau%', pau],
        ['p_u', []],
        ['-pau', pau],
        // (no NUL: a command line cannot carry one, and PostgreSQL refuses it in any text)
        ['pau\u0001\u0007', pau],
        ['\u202epau', pau],
        ['ＰＡＵ', pau],
        ['ⓟⓐⓤ', pau],
        ['p\u0301a\u0300u', pau],
        ['🏛️', []],
        ['\u200b', []],
        ['a'.repeat(500), []],
        ['東京', []],
        ['ΟΔΟΣ', []],
      ];
      for (const [text, expected] of cases) {
        const result = await search({ text });
        expect(
          result.items.map((i) => i.identifier),
          JSON.stringify(text),
        ).toEqual(expected);
        expect(result.total, JSON.stringify(text)).toBe(expected.length);
      }
      // the filters take such text as text too: LIKE's wildcards are escaped
      const filters: [Partial<SearchInput>, string[]][] = [
        [{ identifiant: '%' }, []],
        [{ identifiant: '_1640445900010' }, []],
        [{ identifiant: '2164%' }, []],
        [{ identifiant: "' or 1=1 --" }, []],
        [{ codePostal: '6_000' }, []],
        [{ codePostal: '%' }, []],
        [{ codePostal: "64' or '1'='1" }, []],
        [{ raisonSociale: 'château%' }, [MUSEE]],
        [{ raisonSociale: '%hateau' }, []],
        [{ ville: "pau' --" }, [CH_PAU, PAU, POSTE, MUSEE]],
        [{ nom: "x' OR 1=1 --" }, []],
      ];
      for (const [input, expected] of filters)
        expect(await ids(input), JSON.stringify(input)).toEqual(expected);

      expect(await store.db.selectFrom('structure').selectAll().orderBy('id').execute()).toEqual(
        before,
      );
      expect(await count(store.db, 'structure')).toBe(ALL.length);
      if (dialect === 'sqlite')
        await expect(
          sql`insert into structure_fts(structure_fts) values ('integrity-check')`.execute(
            store.db,
          ),
        ).resolves.toBeDefined();
    });

    it('finds nothing for text or filters without a letter or digit, rather than everything', async () => {
      for (const text of ["'--", '...', '-', ' ', '--', '()', '« »', '/', '\\', '"*"']) {
        expect(await search({ text }), JSON.stringify(text)).toEqual({ items: [], total: 0 });
      }
      expect(await search({ raisonSociale: '%' })).toEqual({ items: [], total: 0 });
      expect(await search({ raisonSociale: "'--" })).toEqual({ items: [], total: 0 });
      expect(await search({ ville: '_' })).toEqual({ items: [], total: 0 });
      expect(await search({ nom: '--', prenom: '*' })).toEqual({ items: [], total: 0 });
      expect(await search({ identifiant: '-' })).toEqual({ items: [], total: 0 });
      expect(await search({ identifiant: ' . ' })).toEqual({ items: [], total: 0 });
    });

    it('finds a foreign name the same way on both dialects, whichever sigma the user types', async () => {
      const file = path.join(fresh.dir, 'ue.csv');
      fs.writeFileSync(
        file,
        'TypeIdentifiant;Identifiant;RaisonSociale;CodePostal;Ville;CodePays\nUE_HORS_FRANCE;EL090025537;ΔΗΜΟΣ ΑΘΗΝΑΙΩΝ;10438;ΑΘΗΝΑ;GR\n',
      );
      await importStructures(store, CORR, { file, encoding: 'auto', lang: 'fr' });
      // toLowerCase writes the final Σ as ς; FTS5 would fold ς and σ together, LIKE would not
      for (const text of ['ΔΗΜΟΣ', 'δημος', 'δημοσ', 'Δήμος', 'δημ', 'αθηναιων'])
        expect(await ids({ text }), text).toEqual(['EL090025537']);
      expect(await ids({ raisonSociale: 'δημοσ' })).toEqual(['EL090025537']);
      expect(await ids({ ville: 'Αθηνα' })).toEqual(['EL090025537']);
    });

    it('is open to every active account, and writes nothing', async () => {
      const audits = await count(store.db, 'auditLog');
      expect(await search({ text: 'chateau' }, PLAIN)).toMatchObject({ total: 1 });
      expect(await count(store.db, 'auditLog')).toBe(audits);
    });

    it('follows later imports: a renamed structure is found by its new name only', async () => {
      const text = fs
        .readFileSync(path.join(FIXTURES, 'annuaire.csv'), 'utf8')
        .replace('COMMUNE DE BORDEAUX', 'MAIRIE DE BORDEAUX');
      const file = path.join(fresh.dir, 'annuaire.csv');
      fs.writeFileSync(file, text);
      await importStructures(store, CORR, { file, encoding: 'auto', lang: 'fr' });
      expect(await ids({ text: 'mairie' })).toEqual([BORDEAUX]);
      expect(await ids({ text: 'commune bordeaux' })).toEqual([]);
      expect(await ids({ raisonSociale: 'mairie' })).toEqual([BORDEAUX]);
    });
  });

  describe('showStructure', () => {
    const structureId = async (identifier: string) =>
      (
        await store.db
          .selectFrom('structure')
          .select('id')
          .where('identifier', '=', identifier)
          .executeTakeFirstOrThrow()
      ).id;

    it('finds a structure by its bare identifier, TYPE:identifier, or a SIRET without its leading zeros', async () => {
      const card = await showStructure(store, CORR, PAU);
      expect(card).toMatchObject({
        idType: 'SIRET',
        identifier: PAU,
        companyName: 'COMMUNE DE PAU',
        addressComplement1: 'Hôtel de ville',
        ediSender: true,
        principalManager: null,
        attachments: {},
      });
      expect(card.services).toEqual([
        {
          code: 'FACTURES',
          label: 'Service facturier; dépenses',
          active: true,
          dateStart: null,
          dateEnd: null,
        },
        {
          code: 'SERV-CULT',
          label: 'Service culturel',
          active: true,
          dateStart: '2020-01-01',
          dateEnd: null,
        },
        {
          code: 'SERV-ETAT-CIVIL',
          label: 'État civil',
          active: true,
          dateStart: '2019-01-01',
          dateEnd: null,
        },
      ]);
      expect(await showStructure(store, CORR, `SIRET:${PAU}`)).toEqual(card);
      expect(await showStructure(store, CORR, `siret:${PAU}`)).toEqual(card);
      expect(await showStructure(store, CORR, '216 404 459 00010')).toEqual(card);

      const ain = await showStructure(store, CORR, '123456600014');
      expect(ain).toMatchObject({
        identifier: AIN,
        companyName: "SYNDICAT INTERCOMMUNAL DES EAUX DE L'AIN",
        services: [
          {
            code: 'ADMIN',
            label: 'Administration générale',
            active: false,
            dateStart: null,
            dateEnd: null,
          },
        ],
      });
      expect(await showStructure(store, CORR, 'SIRET:123456600014')).toEqual(ain);
      expect(await showStructure(store, CORR, AIN)).toEqual(ain);

      const tahiti = await showStructure(store, CORR, '003970-001');
      expect(tahiti).toMatchObject({
        idType: 'TAHITI',
        identifier: '003970-001',
        services: [{ code: 'TECH' }],
      });
      expect(await showStructure(store, CORR, 'TAHITI:003970001')).toEqual(tahiti);
      expect(await showStructure(store, CORR, 'RIDET:1234567001')).toMatchObject({
        companyName: 'PROVINCE SUD',
        departement: '988',
      });
      // any active account may read a structure's card, and reading writes nothing
      const audits = await count(store.db, 'auditLog');
      expect(await showStructure(store, PLAIN, PAU)).toEqual(card);
      expect(await count(store.db, 'auditLog')).toBe(audits);
    });

    it('says not found (exit 3) for an unknown structure, or a known identifier under another type', async () => {
      for (const ref of [
        '21640445900028',
        'RIDET:21640445900010',
        'AUTRE:inconnue',
        'TAHITI:003970-002',
        '123456600015',
      ]) {
        const err = await showStructure(store, CORR, ref).catch((e: unknown) => e);
        expect(err, ref).toBeInstanceOf(NotFoundError);
        expect((err as NotFoundError).exitCode).toBe(3);
        expect((err as NotFoundError).key).toBe('structure.notFound');
      }
    });

    it('asks for the type when a bare identifier names structures of two types', async () => {
      const file = path.join(fresh.dir, 'autre.csv');
      fs.writeFileSync(file, `TypeIdentifiant;Identifiant;RaisonSociale\nAUTRE;${PAU};HOMONYME\n`);
      await importStructures(store, CORR, { file, encoding: 'auto', lang: 'fr' });
      const err = await showStructure(store, CORR, PAU).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).exitCode).toBe(5);
      expect((err as InvalidInputError).key).toBe('structure.ambiguous');
      expect(await showStructure(store, CORR, `SIRET:${PAU}`)).toMatchObject({
        companyName: 'COMMUNE DE PAU',
      });
      expect(await showStructure(store, CORR, `AUTRE:${PAU}`)).toMatchObject({
        companyName: 'HOMONYME',
      });
    });

    it('counts the attached accounts by status and names the principal manager', async () => {
      const pau = await structureId(PAU);
      const musee = await structureId(MUSEE);
      const gp = await addAccount(store.db, 'gp@ville-pau.fr', {
        lastName: 'LAFFITTE',
        firstName: 'Anne',
      });
      await addAttachment(store.db, gp, pau, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');
      await addAttachment(
        store.db,
        await addAccount(store.db, 'gs@ville-pau.fr'),
        pau,
        'GESTIONNAIRE_SECONDAIRE',
        'VALIDEE',
      );
      await addAttachment(
        store.db,
        await addAccount(store.db, 'u1@ville-pau.fr'),
        pau,
        'UTILISATEUR',
        'VALIDEE',
      );
      await addAttachment(
        store.db,
        await addAccount(store.db, 'u2@ville-pau.fr'),
        pau,
        'UTILISATEUR',
        'EN_COURS_DE_VALIDATION',
      );
      await addAttachment(
        store.db,
        await addAccount(store.db, 'u3@ville-pau.fr'),
        pau,
        'UTILISATEUR',
        'EN_COURS_DE_VALIDATION',
      );
      await addAttachment(
        store.db,
        await addAccount(store.db, 'u4@ville-pau.fr'),
        pau,
        'UTILISATEUR',
        'REFUSEE',
      );
      // an earlier principal manager, deactivated: counted, but no longer the GP
      const former = await addAccount(store.db, 'ancien@ville-pau.fr');
      await addAttachment(store.db, former, pau, 'GESTIONNAIRE_PRINCIPAL', 'DESACTIVEE');
      // attachments to another structure do not count
      await addAttachment(store.db, former, musee, 'GESTIONNAIRE_PRINCIPAL', 'VALIDEE');

      const card = await showStructure(store, PLAIN, PAU);
      expect(card.attachments).toEqual({
        VALIDEE: 3,
        EN_COURS_DE_VALIDATION: 2,
        REFUSEE: 1,
        DESACTIVEE: 1,
      });
      expect(card.principalManager).toEqual({
        login: 'gp@ville-pau.fr',
        lastName: 'LAFFITTE',
        firstName: 'Anne',
        email: 'gp@ville-pau.fr',
      });
      expect(await showStructure(store, PLAIN, MUSEE)).toMatchObject({
        attachments: { VALIDEE: 1 },
        principalManager: { login: 'ancien@ville-pau.fr' },
      });
      expect(await showStructure(store, PLAIN, CH_PAU)).toMatchObject({
        attachments: {},
        principalManager: null,
      });
    });
  });
});
