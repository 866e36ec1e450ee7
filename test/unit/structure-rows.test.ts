import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../../src/domain/text.js';
import {
  STRUCTURE_FLAGS,
  parseServiceRow,
  parseStructureRow,
  readFlag,
  readPostalCode,
  structureSearchKey,
  type RowCells,
} from '../../src/domain/structure.js';

/** A row as the importer hands it over: SPEC column name → cell text. */
const row = (cells: Record<string, string>): RowCells => new Map(Object.entries(cells));

/** The minimal directory row: a commune identified by its SIRET. */
const MAIRIE_DE_PAU = {
  TypeIdentifiant: 'SIRET',
  Identifiant: '21640445900010',
  RaisonSociale: 'Commune de Pau',
};

describe('readFlag', () => {
  it.each(['true', 'TRUE', 'True', '1', 'oui', 'OUI', 'Oui', ' oui '])('reads %j as 1', (raw) => {
    expect(readFlag(raw, 0)).toBe(1);
  });

  it.each(['false', 'FALSE', 'False', '0', 'non', 'NON', 'Non', ' 0 '])('reads %j as 0', (raw) => {
    expect(readFlag(raw, 1)).toBe(0);
  });

  it('reads an empty or blank cell as the fallback', () => {
    expect(readFlag('', 0)).toBe(0);
    expect(readFlag('', 1)).toBe(1);
    expect(readFlag('   ', 1)).toBe(1);
  });

  it.each(['2', '-1', 'peut-être', 'ouii', 'truee', '1.0', 'x'])(
    'reads %j as null (not a flag)',
    (raw) => {
      expect(readFlag(raw, 0)).toBeNull();
      expect(readFlag(raw, 1)).toBeNull();
    },
  );
});

describe('readPostalCode', () => {
  it('keeps a French code of 5 digits', () => {
    expect(readPostalCode('64000', 'FR')).toBe('64000');
    expect(readPostalCode(' 33000 ', undefined)).toBe('33000');
  });

  it('pads back a French code that lost its leading zero (1000 → 01000)', () => {
    expect(readPostalCode('1000', 'FR')).toBe('01000');
    expect(readPostalCode('6000', null)).toBe('06000');
    expect(readPostalCode('1000', 'fr')).toBe('01000');
  });

  it.each(['123', '123456', '64 000', 'ABCDE', '6400A'])('rejects the French code %j', (raw) => {
    expect(readPostalCode(raw, 'FR')).toBe(false);
    expect(readPostalCode(raw, undefined)).toBe(false);
  });

  it('takes other countries’ codes free-form up to 10 characters', () => {
    expect(readPostalCode('SW1A 1AA', 'GB')).toBe('SW1A 1AA');
    expect(readPostalCode('1000', 'BE')).toBe('1000');
    expect(readPostalCode('1234567890', 'DE')).toBe('1234567890');
    expect(readPostalCode('12345678901', 'DE')).toBe(false);
  });

  it('reads an empty cell as no code', () => {
    expect(readPostalCode('', 'FR')).toBeNull();
    expect(readPostalCode('  ', 'GB')).toBeNull();
  });

  it('property: in France, a 4- or 5-digit code comes back as 5 digits ending with what was given', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 4, maxLength: 5 }),
        (pc) => {
          const r = readPostalCode(pc, 'FR');
          expect(r).toBe(pc.padStart(5, '0'));
        },
      ),
    );
  });
});

describe('parseStructureRow', () => {
  it('reads a minimal row: only the columns the file has appear in the value', () => {
    const r = parseStructureRow(row(MAIRIE_DE_PAU));
    expect(r).toStrictEqual({
      ok: true,
      value: { idType: 'SIRET', identifier: '21640445900010', companyName: 'Commune de Pau' },
      padded: false,
    });
  });

  it('takes SIRET when TypeIdentifiant is absent or empty, and reads the type case-insensitively', () => {
    expect(
      parseStructureRow(row({ Identifiant: '21640445900010', RaisonSociale: 'Commune de Pau' })),
    ).toStrictEqual({
      ok: true,
      value: { idType: 'SIRET', identifier: '21640445900010', companyName: 'Commune de Pau' },
      padded: false,
    });
    expect(parseStructureRow(row({ ...MAIRIE_DE_PAU, TypeIdentifiant: '' })).ok).toBe(true);
    expect(
      parseStructureRow(
        row({
          TypeIdentifiant: 'tahiti',
          Identifiant: '003970-001',
          RaisonSociale: 'Commune de Papeete',
        }),
      ),
    ).toStrictEqual({
      ok: true,
      value: { idType: 'TAHITI', identifier: '003970001', companyName: 'Commune de Papeete' },
      padded: false,
    });
  });

  it('reads a full row: flags, texts, postal code and its département', () => {
    const r = parseStructureRow(
      row({
        TypeIdentifiant: 'SIRET',
        Identifiant: '216 404 459 00010',
        RaisonSociale: '  Commune de Pau  ',
        EmetteurEdi: 'oui',
        RecepteurEdi: 'non',
        GestionStatutMiseEnPaiement: 'true',
        GestionEngagement: '1',
        GestionService: 'FALSE',
        GestionServiceEngagement: '0',
        EstMOA: '',
        EstMOAUniquement: 'Non',
        StructureActive: '',
        Adresse: 'Place Royale',
        ComplementAdresse1: '',
        ComplementAdresse2: '  ',
        CodePostal: '64000',
        Ville: 'Pau',
        NumTelephone: '05 59 27 85 80',
        Courriel: 'mairie@ville-pau.fr',
        CodePays: 'fr',
        LibellePays: 'France',
      }),
    );
    expect(r).toStrictEqual({
      ok: true,
      padded: false,
      value: {
        idType: 'SIRET',
        identifier: '21640445900010',
        companyName: 'Commune de Pau',
        ediSender: 1,
        ediReceiver: 0,
        managesPaymentStatus: 1,
        managesCommitment: 1,
        managesService: 0,
        managesServiceCommitment: 0,
        isMoa: 0,
        isMoaOnly: 0,
        active: 1,
        address: 'Place Royale',
        addressComplement1: null,
        addressComplement2: null,
        city: 'Pau',
        phone: '05 59 27 85 80',
        email: 'mairie@ville-pau.fr',
        countryCode: 'FR',
        countryLabel: 'France',
        postalCode: '64000',
        departement: '64',
      },
    });
  });

  it('an empty flag takes its default: active 1, the others 0', () => {
    const cells: Record<string, string> = { ...MAIRIE_DE_PAU };
    for (const column of Object.keys(STRUCTURE_FLAGS)) cells[column] = '';
    const r = parseStructureRow(row(cells));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({
      ediSender: 0,
      ediReceiver: 0,
      managesPaymentStatus: 0,
      managesCommitment: 0,
      managesService: 0,
      managesServiceCommitment: 0,
      isMoa: 0,
      isMoaOnly: 0,
      active: 1,
    });
  });

  it('pads back a SIRET that lost its leading zeros and says so', () => {
    expect(parseStructureRow(row({ ...MAIRIE_DE_PAU, Identifiant: '123456600014' }))).toStrictEqual(
      {
        ok: true,
        value: { idType: 'SIRET', identifier: '00123456600014', companyName: 'Commune de Pau' },
        padded: true,
      },
    );
  });

  it.each([
    ['64000', '64'],
    ['1000', '01'],
    ['20000', '2A'],
    ['20200', '2B'],
    ['98714', '987'],
    ['97100', '971'],
  ])('derives the département of the postal code %s: %s', (pc, dep) => {
    const r = parseStructureRow(row({ ...MAIRIE_DE_PAU, CodePostal: pc }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.postalCode).toBe(pc.padStart(5, '0'));
    expect(r.value.departement).toBe(dep);
  });

  it('an empty postal code clears the code and the département', () => {
    const r = parseStructureRow(row({ ...MAIRIE_DE_PAU, CodePostal: '' }));
    expect(r).toStrictEqual({
      ok: true,
      value: {
        idType: 'SIRET',
        identifier: '21640445900010',
        companyName: 'Commune de Pau',
        postalCode: null,
        departement: null,
      },
      padded: false,
    });
  });

  it('a foreign postal code is kept free-form and places no département', () => {
    const r = parseStructureRow(
      row({
        ...MAIRIE_DE_PAU,
        TypeIdentifiant: 'UE_HORS_FRANCE',
        Identifiant: 'BE0123456789',
        CodePostal: '1000',
        CodePays: 'BE',
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.postalCode).toBe('1000');
    expect(r.value.departement).toBeNull();
    expect(r.value.countryCode).toBe('BE');
  });

  it.each([
    [
      { Identifiant: '21640445900011' },
      { column: 'Identifiant', message: 'identifier.siret', params: { value: '21640445900011' } },
    ],
    [
      { Identifiant: '' },
      { column: 'Identifiant', message: 'identifier.required', params: { value: '' } },
    ],
    [
      { TypeIdentifiant: 'TVA' },
      { column: 'TypeIdentifiant', message: 'row.idType', params: { value: 'TVA' } },
    ],
    [
      { EstMOA: 'peut-être' },
      { column: 'EstMOA', message: 'row.flag', params: { value: 'peut-être' } },
    ],
    [
      { StructureActive: '2' },
      { column: 'StructureActive', message: 'row.flag', params: { value: '2' } },
    ],
    [
      { CodePostal: '640' },
      { column: 'CodePostal', message: 'row.postalCode', params: { value: '640' } },
    ],
    [
      { Courriel: 'mairie.ville-pau.fr' },
      { column: 'Courriel', message: 'row.email', params: { value: 'mairie.ville-pau.fr' } },
    ],
    [
      { Courriel: 'mairie@pau' },
      { column: 'Courriel', message: 'row.email', params: { value: 'mairie@pau' } },
    ],
    [{ RaisonSociale: '' }, { column: 'RaisonSociale', message: 'row.required' }],
    [{ RaisonSociale: '   ' }, { column: 'RaisonSociale', message: 'row.required' }],
    [
      { RaisonSociale: 'x'.repeat(201) },
      { column: 'RaisonSociale', message: 'row.tooLong', params: { max: 200 } },
    ],
    [{ Ville: 'x'.repeat(101) }, { column: 'Ville', message: 'row.tooLong', params: { max: 100 } }],
    [{ CodePays: 'FRA1' }, { column: 'CodePays', message: 'row.tooLong', params: { max: 3 } }],
  ])('rejects %j with its column and reason', (change, issue) => {
    expect(parseStructureRow(row({ ...MAIRIE_DE_PAU, ...change }))).toStrictEqual({
      ok: false,
      issues: [issue],
    });
  });

  it('lists every reason of a row, each with its column', () => {
    const r = parseStructureRow(
      row({
        TypeIdentifiant: 'SIRET',
        Identifiant: '21640445900011',
        RaisonSociale: '',
        EstMOA: 'peut-être',
        CodePostal: 'ABCDE',
        Courriel: 'pas une adresse',
      }),
    );
    expect(r).toStrictEqual({
      ok: false,
      issues: [
        { column: 'Identifiant', message: 'identifier.siret', params: { value: '21640445900011' } },
        { column: 'RaisonSociale', message: 'row.required' },
        { column: 'EstMOA', message: 'row.flag', params: { value: 'peut-être' } },
        { column: 'Courriel', message: 'row.email', params: { value: 'pas une adresse' } },
        { column: 'CodePostal', message: 'row.postalCode', params: { value: 'ABCDE' } },
      ],
    });
  });
});

describe('parseServiceRow', () => {
  const SERVICE = {
    ...MAIRIE_DE_PAU,
    CodeService: 'SRV-FIN',
    LibelleService: 'Service des finances',
  };
  const { RaisonSociale: _unused, ...serviceCells } = SERVICE;

  it('reads a minimal row: label, key and code', () => {
    expect(parseServiceRow(row(serviceCells))).toStrictEqual({
      ok: true,
      value: {
        idType: 'SIRET',
        identifier: '21640445900010',
        code: 'SRV-FIN',
        label: 'Service des finances',
      },
      padded: false,
    });
  });

  it('reads the flag and both date spellings (JJ/MM/AAAA and AAAA-MM-JJ) as ISO dates', () => {
    expect(
      parseServiceRow(
        row({ ...serviceCells, Actif: 'non', DateDebut: '01/02/2024', DateFin: '2024-12-31' }),
      ),
    ).toStrictEqual({
      ok: true,
      value: {
        idType: 'SIRET',
        identifier: '21640445900010',
        code: 'SRV-FIN',
        label: 'Service des finances',
        active: 0,
        dateStart: '2024-02-01',
        dateEnd: '2024-12-31',
      },
      padded: false,
    });
  });

  it('reads empty dates as none, an empty Actif as active, and keeps the code as written', () => {
    expect(
      parseServiceRow(
        row({ ...serviceCells, CodeService: ' srv-fin ', Actif: '', DateDebut: '', DateFin: ' ' }),
      ),
    ).toStrictEqual({
      ok: true,
      value: {
        idType: 'SIRET',
        identifier: '21640445900010',
        code: 'srv-fin',
        label: 'Service des finances',
        active: 1,
        dateStart: null,
        dateEnd: null,
      },
      padded: false,
    });
  });

  it('accepts an end date equal to the start date', () => {
    const r = parseServiceRow(
      row({ ...serviceCells, DateDebut: '29/02/2024', DateFin: '2024-02-29' }),
    );
    expect(r.ok && [r.value.dateStart, r.value.dateEnd]).toEqual(['2024-02-29', '2024-02-29']);
  });

  it.each([
    [
      { DateDebut: '31/02/2024' },
      { column: 'DateDebut', message: 'row.date', params: { value: '31/02/2024' } },
    ],
    [
      { DateFin: '2023-02-29' },
      { column: 'DateFin', message: 'row.date', params: { value: '2023-02-29' } },
    ],
    [
      { DateDebut: '1/2/2024' },
      { column: 'DateDebut', message: 'row.date', params: { value: '1/2/2024' } },
    ],
    [
      { DateDebut: '01/03/2024', DateFin: '29/02/2024' },
      {
        column: 'DateFin',
        message: 'row.dateOrder',
        params: { start: '2024-03-01', end: '2024-02-29' },
      },
    ],
    [{ CodeService: '' }, { column: 'CodeService', message: 'row.required' }],
    [{ CodeService: '  ' }, { column: 'CodeService', message: 'row.required' }],
    [{ CodeService: 'x'.repeat(101) }, { column: 'CodeService', message: 'row.serviceCode' }],
    [{ CodeService: 'SRV\u0007' }, { column: 'CodeService', message: 'row.serviceCode' }],
    [{ LibelleService: '' }, { column: 'LibelleService', message: 'row.required' }],
    [{ Actif: 'bof' }, { column: 'Actif', message: 'row.flag', params: { value: 'bof' } }],
    [
      { Identifiant: '21640445900011' },
      { column: 'Identifiant', message: 'identifier.siret', params: { value: '21640445900011' } },
    ],
  ])('rejects %j with its column and reason', (change, issue) => {
    expect(parseServiceRow(row({ ...serviceCells, ...change }))).toStrictEqual({
      ok: false,
      issues: [issue],
    });
  });

  it('lists every reason of a row', () => {
    expect(
      parseServiceRow(
        row({ Identifiant: '', CodeService: '', LibelleService: '', DateDebut: '31/02/2024' }),
      ),
    ).toStrictEqual({
      ok: false,
      issues: [
        { column: 'Identifiant', message: 'identifier.required', params: { value: '' } },
        { column: 'CodeService', message: 'row.required' },
        { column: 'LibelleService', message: 'row.required' },
        { column: 'DateDebut', message: 'row.date', params: { value: '31/02/2024' } },
      ],
    });
  });
});

describe('structureSearchKey', () => {
  const pau = { identifier: '21640445900010', companyName: 'Commune de PAU — Hôtel de Ville' };

  it('folds the name and adds the identifier', () => {
    expect(structureSearchKey(pau)).toBe('commune de pau hotel de ville 21640445900010');
  });

  it('adds the services’ codes and labels, sorted by code', () => {
    const services = [
      { code: 'SRV-TECH', label: 'Services techniques' },
      { code: 'SRV-FIN', label: 'Finances' },
      { code: 'ECOLE', label: 'École Château' },
    ];
    expect(structureSearchKey(pau, services)).toBe(
      'commune de pau hotel de ville 21640445900010 ecole ecole chateau srv fin finances srv tech services techniques',
    );
  });

  it('leaves the caller’s array as it was', () => {
    const services = [
      { code: 'B', label: 'Bibliothèque' },
      { code: 'A', label: 'Archives' },
    ];
    structureSearchKey(pau, services);
    expect(services.map((s) => s.code)).toEqual(['B', 'A']);
  });

  it('property: the order services are given in does not matter', () => {
    const service = fc.record({
      code: fc.string({ minLength: 1, maxLength: 12 }),
      label: fc.string({ maxLength: 20 }),
    });
    fc.assert(
      fc.property(
        fc
          .uniqueArray(service, { selector: (s) => s.code, maxLength: 6 })
          .chain((list) =>
            fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
          ),
        ([list, shuffled]) => {
          expect(structureSearchKey(pau, shuffled)).toBe(structureSearchKey(pau, list));
          const sorted = [...list].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
          expect(structureSearchKey(pau, list)).toBe(
            fold(
              [pau.companyName, pau.identifier, ...sorted.flatMap((s) => [s.code, s.label])].join(
                ' ',
              ),
            ),
          );
        },
      ),
    );
  });
});
