import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MADRHAS_COLUMNS,
  deactivationLimit,
  parseMadrhasRow,
  personalFingerprint,
  type MadrhasRow,
} from '../../src/domain/madrhas.js';
import {
  planAccount,
  planIsEmpty,
  type AccountPlan,
  type CurrentAccount,
  type CurrentAttachment,
  type WantedAttachment,
} from '../../src/domain/account-plan.js';

/** The MADRHAS export's rows (SPEC 8.1): one row read and checked, one account planned, the deactivation limit. */

/** A valid row of the export, as the file gives it (SPEC column name → cell text). */
const VALID: Record<string, string> = {
  IDENTIFIANT_CONNEXION: 'Pauline.Dufour@Mairie-Pau.FR',
  CIVILITE: 'Mme',
  NOM: 'DUFOUR',
  PRENOM: 'Pauline',
  COURRIEL_CONTACT: ' PAULINE.DUFOUR@mairie-pau.fr ',
  TELEPHONE: '05 59 27 85 80',
  TYPE_IDENTIFIANT_STRUCTURE: 'SIRET',
  IDENTIFIANT_STRUCTURE: '21640445900010',
  CODE_SERVICE: '',
  ROLE: 'GESTIONNAIRE_PRINCIPAL',
  DATE_DEBUT: '01/01/2024',
  DATE_FIN: '',
  STATUT_COMPTE: 'ACTIF',
};

const cells = (overrides: Record<string, string> = {}) =>
  new Map(Object.entries({ ...VALID, ...overrides }));

/** What VALID reads as. */
const PAULINE: MadrhasRow = {
  login: 'pauline.dufour@mairie-pau.fr',
  title: 'Mme',
  lastName: 'DUFOUR',
  firstName: 'Pauline',
  email: 'pauline.dufour@mairie-pau.fr',
  phone: '05 59 27 85 80',
  idType: 'SIRET',
  identifier: '21640445900010',
  serviceCode: null,
  role: 'GESTIONNAIRE_PRINCIPAL',
  dateStart: '2024-01-01',
  dateEnd: null,
  accountStatus: 'ACTIF',
};

function valid(overrides: Record<string, string> = {}): MadrhasRow {
  const r = parseMadrhasRow(cells(overrides));
  if (!r.ok) throw new Error(`expected a valid row, got ${JSON.stringify(r.issues)}`);
  expect(r.padded).toBe(false);
  return r.value;
}

function issues(overrides: Record<string, string>) {
  const r = parseMadrhasRow(cells(overrides));
  if (r.ok) throw new Error(`expected a rejected row, got ${JSON.stringify(r.value)}`);
  return r.issues;
}

describe('MADRHAS_COLUMNS', () => {
  it('lists the 13 columns of SPEC 8.1 in order; login, names, e-mail, structure and start date required', () => {
    expect(MADRHAS_COLUMNS.map((c) => c.name)).toEqual([
      'IDENTIFIANT_CONNEXION',
      'CIVILITE',
      'NOM',
      'PRENOM',
      'COURRIEL_CONTACT',
      'TELEPHONE',
      'TYPE_IDENTIFIANT_STRUCTURE',
      'IDENTIFIANT_STRUCTURE',
      'CODE_SERVICE',
      'ROLE',
      'DATE_DEBUT',
      'DATE_FIN',
      'STATUT_COMPTE',
    ]);
    expect(MADRHAS_COLUMNS.filter((c) => c.required).map((c) => c.name)).toEqual([
      'IDENTIFIANT_CONNEXION',
      'NOM',
      'PRENOM',
      'COURRIEL_CONTACT',
      'IDENTIFIANT_STRUCTURE',
      'DATE_DEBUT',
    ]);
  });
});

describe('parseMadrhasRow: valid rows', () => {
  it('reads a full row: login and e-mail trimmed and lower-cased, date in ISO, not padded', () => {
    const r = parseMadrhasRow(cells());
    expect(r).toEqual({ ok: true, padded: false, value: PAULINE });
  });

  it.each([
    ['M', 'M.'],
    ['M.', 'M.'],
    ['Monsieur', 'M.'],
    ['MONSIEUR', 'M.'],
    ['mme', 'Mme'],
    ['Mme.', 'Mme'],
    ['Madame', 'Mme'],
    [' MME ', 'Mme'],
  ])('CIVILITE %j → %j', (raw, title) => {
    expect(valid({ CIVILITE: raw }).title).toBe(title);
  });

  it('an empty CIVILITE is no title', () => {
    expect(valid({ CIVILITE: '' }).title).toBeNull();
    expect(valid({ CIVILITE: '   ' }).title).toBeNull();
  });

  it.each([
    ['05.59.82.38.00', '05 59 82 38 00'],
    ['+33 5 58 05 87 00', '05 58 05 87 00'],
    ['0559278580', '05 59 27 85 80'],
    ['0033 5 59 27 85 80', '05 59 27 85 80'],
  ])('TELEPHONE %j → national form %j', (raw, phone) => {
    expect(valid({ TELEPHONE: raw }).phone).toBe(phone);
  });

  it('an empty TELEPHONE is no phone', () => {
    expect(valid({ TELEPHONE: '' }).phone).toBeNull();
    expect(valid({ TELEPHONE: '  ' }).phone).toBeNull();
  });

  it('defaults: TYPE empty → SIRET, CODE_SERVICE empty → null, ROLE empty → UTILISATEUR, STATUT_COMPTE empty → ACTIF', () => {
    const r = valid({
      TYPE_IDENTIFIANT_STRUCTURE: '',
      CODE_SERVICE: '  ',
      ROLE: '',
      STATUT_COMPTE: '',
    });
    expect(r).toEqual({
      ...PAULINE,
      idType: 'SIRET',
      serviceCode: null,
      role: 'UTILISATEUR',
      accountStatus: 'ACTIF',
    });
  });

  it('absent optional columns take the same defaults as empty cells', () => {
    const m = cells();
    for (const c of [
      'CIVILITE',
      'TELEPHONE',
      'TYPE_IDENTIFIANT_STRUCTURE',
      'CODE_SERVICE',
      'ROLE',
      'DATE_FIN',
      'STATUT_COMPTE',
    ])
      m.delete(c);
    expect(parseMadrhasRow(m)).toEqual({
      ok: true,
      padded: false,
      value: { ...PAULINE, title: null, phone: null, role: 'UTILISATEUR' },
    });
  });

  it('values are case-insensitive: type, role and status upper-cased', () => {
    const r = valid({
      TYPE_IDENTIFIANT_STRUCTURE: 'siret',
      ROLE: 'gestionnaire_secondaire',
      STATUT_COMPTE: 'inactif',
    });
    expect([r.idType, r.role, r.accountStatus]).toEqual([
      'SIRET',
      'GESTIONNAIRE_SECONDAIRE',
      'INACTIF',
    ]);
  });

  it('a SIRET that lost its leading zeros is padded back, with padded: true', () => {
    const r = parseMadrhasRow(cells({ IDENTIFIANT_STRUCTURE: '123456600014' }));
    expect(r).toEqual({
      ok: true,
      padded: true,
      value: { ...PAULINE, identifier: '00123456600014' },
    });
  });

  it('other identifier types: TAHITI without its dash, RIDET', () => {
    expect(
      valid({ TYPE_IDENTIFIANT_STRUCTURE: 'TAHITI', IDENTIFIANT_STRUCTURE: '003970-001' }),
    ).toMatchObject({ idType: 'TAHITI', identifier: '003970001' });
    expect(
      valid({ TYPE_IDENTIFIANT_STRUCTURE: 'RIDET', IDENTIFIANT_STRUCTURE: '1234567001' }),
    ).toMatchObject({ idType: 'RIDET', identifier: '1234567001' });
  });

  it('a service code is kept trimmed', () => {
    expect(valid({ CODE_SERVICE: ' SERV-CULT ' }).serviceCode).toBe('SERV-CULT');
  });

  it('dates as JJ/MM/AAAA and AAAA-MM-JJ; DATE_FIN equal to DATE_DEBUT is allowed', () => {
    expect(valid({ DATE_DEBUT: '2024-03-01', DATE_FIN: '31/12/2026' })).toMatchObject({
      dateStart: '2024-03-01',
      dateEnd: '2026-12-31',
    });
    expect(valid({ DATE_DEBUT: '29/02/2024', DATE_FIN: '2024-02-29' })).toMatchObject({
      dateStart: '2024-02-29',
      dateEnd: '2024-02-29',
    });
  });

  it('names: spaces collapsed, accents, hyphens and apostrophes allowed', () => {
    const r = valid({ NOM: '  LE   GALL ', PRENOM: 'Anne-Marie', CIVILITE: 'Mme' });
    expect([r.lastName, r.firstName]).toEqual(['LE GALL', 'Anne-Marie']);
    expect(valid({ NOM: "D'ARTAGNAN", PRENOM: 'Zoé' })).toMatchObject({
      lastName: "D'ARTAGNAN",
      firstName: 'Zoé',
    });
    expect(valid({ NOM: 'N’GUYEN', PRENOM: 'Ève' })).toMatchObject({
      lastName: 'N’GUYEN',
      firstName: 'Ève',
    });
  });

  it('names are normalised to NFC: a decomposed é reads as the composed one', () => {
    expect(valid({ PRENOM: 'Ze\u0301lie' }).firstName).toBe('Z\u00e9lie');
  });
});

describe('parseMadrhasRow: invalid rows, each reason with its column', () => {
  it.each([
    [
      'bad login',
      { IDENTIFIANT_CONNEXION: 'pauline.dufour' },
      [
        {
          column: 'IDENTIFIANT_CONNEXION',
          message: 'row.email',
          params: { value: 'pauline.dufour' },
        },
      ],
    ],
    [
      'missing login',
      { IDENTIFIANT_CONNEXION: '  ' },
      [{ column: 'IDENTIFIANT_CONNEXION', message: 'row.required', params: { value: '  ' } }],
    ],
    [
      'bad CIVILITE',
      { CIVILITE: 'Mlle' },
      [{ column: 'CIVILITE', message: 'row.civilite', params: { value: 'Mlle' } }],
    ],
    ['missing NOM', { NOM: '' }, [{ column: 'NOM', message: 'row.required' }]],
    ['blank PRENOM', { PRENOM: '   ' }, [{ column: 'PRENOM', message: 'row.required' }]],
    [
      'NOM with a digit',
      { NOM: 'DUF0UR' },
      [{ column: 'NOM', message: 'row.name', params: { value: 'DUF0UR' } }],
    ],
    [
      'PRENOM starting with a hyphen',
      { PRENOM: '-Pauline' },
      [{ column: 'PRENOM', message: 'row.name', params: { value: '-Pauline' } }],
    ],
    [
      'NOM of 101 letters',
      { NOM: 'A'.repeat(101) },
      [{ column: 'NOM', message: 'row.tooLong', params: { max: 100 } }],
    ],
    [
      'bad e-mail',
      { COURRIEL_CONTACT: 'pauline@' },
      [{ column: 'COURRIEL_CONTACT', message: 'row.email', params: { value: 'pauline@' } }],
    ],
    [
      'missing e-mail',
      { COURRIEL_CONTACT: '' },
      [{ column: 'COURRIEL_CONTACT', message: 'row.required', params: { value: '' } }],
    ],
    [
      'bad phone',
      { TELEPHONE: '12 34' },
      [{ column: 'TELEPHONE', message: 'row.phone', params: { value: '12 34' } }],
    ],
    [
      'bad French phone',
      { TELEPHONE: '+33 5 59' },
      [{ column: 'TELEPHONE', message: 'row.phone', params: { value: '+33 5 59' } }],
    ],
    [
      'unknown type',
      { TYPE_IDENTIFIANT_STRUCTURE: 'SIREN' },
      [{ column: 'TYPE_IDENTIFIANT_STRUCTURE', message: 'row.idType', params: { value: 'SIREN' } }],
    ],
    [
      'bad SIRET (Luhn)',
      { IDENTIFIANT_STRUCTURE: '21640445900011' },
      [
        {
          column: 'IDENTIFIANT_STRUCTURE',
          message: 'identifier.siret',
          params: { value: '21640445900011' },
        },
      ],
    ],
    [
      'missing identifier',
      { IDENTIFIANT_STRUCTURE: '' },
      [{ column: 'IDENTIFIANT_STRUCTURE', message: 'identifier.required', params: { value: '' } }],
    ],
    [
      'bad TAHITI',
      { TYPE_IDENTIFIANT_STRUCTURE: 'TAHITI', IDENTIFIANT_STRUCTURE: '12345' },
      [
        {
          column: 'IDENTIFIANT_STRUCTURE',
          message: 'identifier.tahiti',
          params: { value: '12345' },
        },
      ],
    ],
    [
      'bad service code',
      { CODE_SERVICE: 'A'.repeat(101) },
      [{ column: 'CODE_SERVICE', message: 'row.serviceCode' }],
    ],
    [
      'bad role',
      { ROLE: 'CHEF' },
      [{ column: 'ROLE', message: 'row.role', params: { value: 'CHEF' } }],
    ],
    [
      'missing DATE_DEBUT',
      { DATE_DEBUT: '' },
      [{ column: 'DATE_DEBUT', message: 'row.required', params: { value: '' } }],
    ],
    [
      '30/02/2024',
      { DATE_DEBUT: '30/02/2024' },
      [{ column: 'DATE_DEBUT', message: 'row.date', params: { value: '30/02/2024' } }],
    ],
    [
      'DATE_DEBUT as 1/1/2024',
      { DATE_DEBUT: '1/1/2024' },
      [{ column: 'DATE_DEBUT', message: 'row.date', params: { value: '1/1/2024' } }],
    ],
    [
      'bad DATE_FIN',
      { DATE_FIN: '2024-13-01' },
      [{ column: 'DATE_FIN', message: 'row.date', params: { value: '2024-13-01' } }],
    ],
    [
      'DATE_FIN before DATE_DEBUT',
      { DATE_DEBUT: '01/06/2024', DATE_FIN: '2024-05-31' },
      [
        {
          column: 'DATE_FIN',
          message: 'row.dateOrder',
          params: { start: '2024-06-01', end: '2024-05-31' },
        },
      ],
    ],
    [
      'bad STATUT_COMPTE',
      { STATUT_COMPTE: 'SUSPENDU' },
      [{ column: 'STATUT_COMPTE', message: 'row.accountStatus', params: { value: 'SUSPENDU' } }],
    ],
  ] as const)('%s', (_, overrides, expected) => {
    expect(issues(overrides)).toEqual(expected);
  });

  it('every reason of one row, in column order, in one result', () => {
    expect(
      issues({
        IDENTIFIANT_CONNEXION: 'pas un courriel',
        CIVILITE: 'Dr',
        NOM: '',
        PRENOM: 'J3an',
        COURRIEL_CONTACT: 'x@',
        TELEPHONE: '12',
        TYPE_IDENTIFIANT_STRUCTURE: 'SIREN',
        IDENTIFIANT_STRUCTURE: 'anything',
        ROLE: 'CHEF',
        DATE_DEBUT: '',
        DATE_FIN: '2024-01-01',
        STATUT_COMPTE: 'SUSPENDU',
      }),
    ).toEqual([
      {
        column: 'IDENTIFIANT_CONNEXION',
        message: 'row.email',
        params: { value: 'pas un courriel' },
      },
      { column: 'CIVILITE', message: 'row.civilite', params: { value: 'Dr' } },
      { column: 'NOM', message: 'row.required' },
      { column: 'PRENOM', message: 'row.name', params: { value: 'J3an' } },
      { column: 'COURRIEL_CONTACT', message: 'row.email', params: { value: 'x@' } },
      { column: 'TELEPHONE', message: 'row.phone', params: { value: '12' } },
      // an unknown type: the identifier is not checked against a type
      { column: 'TYPE_IDENTIFIANT_STRUCTURE', message: 'row.idType', params: { value: 'SIREN' } },
      { column: 'ROLE', message: 'row.role', params: { value: 'CHEF' } },
      // no start date: the end date cannot be out of order
      { column: 'DATE_DEBUT', message: 'row.required', params: { value: '' } },
      { column: 'STATUT_COMPTE', message: 'row.accountStatus', params: { value: 'SUSPENDU' } },
    ]);
  });

  it('a bad SIRET with an impossible start date: two reasons (the order is not checked); with a bad role and an end before the start: three', () => {
    expect(
      issues({
        IDENTIFIANT_STRUCTURE: '12345678901234',
        DATE_DEBUT: '30/02/2024',
        DATE_FIN: '01/01/2020',
      }),
    ).toEqual([
      {
        column: 'IDENTIFIANT_STRUCTURE',
        message: 'identifier.siret',
        params: { value: '12345678901234' },
      },
      { column: 'DATE_DEBUT', message: 'row.date', params: { value: '30/02/2024' } },
    ]);
    expect(
      issues({
        IDENTIFIANT_STRUCTURE: '12345678901234',
        DATE_DEBUT: '2024-02-01',
        DATE_FIN: '01/01/2020',
        ROLE: 'X',
      }),
    ).toEqual([
      {
        column: 'IDENTIFIANT_STRUCTURE',
        message: 'identifier.siret',
        params: { value: '12345678901234' },
      },
      { column: 'ROLE', message: 'row.role', params: { value: 'X' } },
      {
        column: 'DATE_FIN',
        message: 'row.dateOrder',
        params: { start: '2024-02-01', end: '2020-01-01' },
      },
    ]);
  });

  it('an empty row: the six required columns, nothing else', () => {
    const r = parseMadrhasRow(new Map());
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => `${i.column} ${i.message}`)).toEqual([
      'IDENTIFIANT_CONNEXION row.required',
      'NOM row.required',
      'PRENOM row.required',
      'COURRIEL_CONTACT row.required',
      'IDENTIFIANT_STRUCTURE identifier.required',
      'DATE_DEBUT row.required',
    ]);
  });

  it('property: any case of a valid login reads as the same lower-cased login', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), {
          minLength: VALID.IDENTIFIANT_CONNEXION!.length,
          maxLength: VALID.IDENTIFIANT_CONNEXION!.length,
        }),
        (upper) => {
          const login = [...'pauline.dufour@mairie-pau.fr']
            .map((c, i) => (upper[i] ? c.toUpperCase() : c))
            .join('');
          expect(valid({ IDENTIFIANT_CONNEXION: login }).login).toBe(
            'pauline.dufour@mairie-pau.fr',
          );
        },
      ),
    );
  });
});

describe('personalFingerprint', () => {
  it('is equal for rows with the same personal fields, whatever their structure, service, role and dates', () => {
    const other = valid({
      IDENTIFIANT_STRUCTURE: '26640001900011',
      CODE_SERVICE: 'PHARMA',
      ROLE: 'UTILISATEUR',
      DATE_DEBUT: '2025-01-01',
      DATE_FIN: '2026-01-01',
      TYPE_IDENTIFIANT_STRUCTURE: '',
    });
    expect(personalFingerprint(other)).toBe(personalFingerprint(PAULINE));
    // the same values written differently read the same
    expect(
      personalFingerprint(
        valid({
          CIVILITE: 'madame',
          TELEPHONE: '05.59.27.85.80',
          COURRIEL_CONTACT: 'Pauline.Dufour@Mairie-Pau.fr',
        }),
      ),
    ).toBe(personalFingerprint(PAULINE));
  });

  it.each([
    ['title', { title: 'M.' }],
    ['title (none)', { title: null }],
    ['last name', { lastName: 'DUFOURT' }],
    ['first name', { firstName: 'Paula' }],
    ['e-mail', { email: 'p.dufour@mairie-pau.fr' }],
    ['phone', { phone: '05 59 27 85 81' }],
    ['phone (none)', { phone: null }],
    ['status', { accountStatus: 'INACTIF' }],
  ] as const)('differs when the %s differs', (_, change) => {
    expect(personalFingerprint({ ...PAULINE, ...change })).not.toBe(personalFingerprint(PAULINE));
  });

  it('fields do not run into each other: NOM "AB" + PRENOM "C" ≠ NOM "A" + PRENOM "BC"', () => {
    expect(personalFingerprint({ ...PAULINE, lastName: 'AB', firstName: 'C' })).not.toBe(
      personalFingerprint({ ...PAULINE, lastName: 'A', firstName: 'BC' }),
    );
  });
});

// ---- planAccount ----------------------------------------------------------------------------

const PAU = 11;
const CH_PAU = 12;
const MUSEE = 13;
const refOf = (id: number) =>
  ({
    [PAU]: 'SIRET:21640445900010',
    [CH_PAU]: 'SIRET:26640001900011',
    [MUSEE]: 'SIRET:19640001400011',
  })[id] ?? `#${id}`;

const ACCOUNT: CurrentAccount = {
  id: 7,
  login: PAULINE.login,
  status: 'ACTIF',
  source: 'MADRHAS',
  completedAt: null,
  title: 'Mme',
  lastName: 'DUFOUR',
  firstName: 'Pauline',
  email: 'pauline.dufour@mairie-pau.fr',
  phone: '05 59 27 85 80',
};

const wantPau: WantedAttachment = {
  structureId: PAU,
  structureRef: 'SIRET:21640445900010',
  role: 'GESTIONNAIRE_PRINCIPAL',
  dateStart: '2024-01-01',
  dateEnd: null,
  services: [],
};
const wantCh: WantedAttachment = {
  structureId: CH_PAU,
  structureRef: 'SIRET:26640001900011',
  role: 'UTILISATEUR',
  dateStart: '2024-01-01',
  dateEnd: null,
  services: [41],
};

/** The store's attachment matching wantPau. */
const atPau: CurrentAttachment = {
  id: 100,
  structureId: PAU,
  role: 'GESTIONNAIRE_PRINCIPAL',
  status: 'VALIDEE',
  source: 'MADRHAS',
  dateStart: '2024-01-01',
  dateEnd: null,
  services: [],
};
const atCh: CurrentAttachment = {
  id: 101,
  structureId: CH_PAU,
  role: 'UTILISATEUR',
  status: 'VALIDEE',
  source: 'MADRHAS',
  dateStart: '2024-01-01',
  dateEnd: null,
  services: [41],
};

const EMPTY: AccountPlan = {
  fields: {},
  kept: [],
  status: null,
  add: [],
  change: [],
  end: [],
  gpKept: [],
  keptLocal: [],
  overridden: [],
};

describe('planAccount', () => {
  it('a new account (current null): its wanted attachments added, nothing else', () => {
    expect(planAccount(PAULINE, [wantPau, wantCh], null, [], true, refOf)).toEqual({
      ...EMPTY,
      add: [wantPau, wantCh],
    });
  });

  it('a new attachment for an existing account: add', () => {
    const plan = planAccount(PAULINE, [wantPau, wantCh], ACCOUNT, [atPau], true, refOf);
    expect(plan).toEqual({ ...EMPTY, add: [wantCh] });
    expect(planIsEmpty(plan)).toBe(false);
  });

  it('the same data and attachments: an empty plan', () => {
    const plan = planAccount(
      PAULINE,
      [wantPau, wantCh],
      ACCOUNT,
      [atPau, { ...atCh, services: [41] }],
      true,
      refOf,
    );
    expect(plan).toEqual(EMPTY);
    expect(planIsEmpty(plan)).toBe(true);
  });

  it('services compared as sets: [42, 41] is [41, 42]', () => {
    const plan = planAccount(
      PAULINE,
      [{ ...wantCh, services: [41, 42] }],
      ACCOUNT,
      [{ ...atCh, services: [42, 41] }],
      false,
      refOf,
    );
    expect(plan).toEqual(EMPTY);
  });

  it('a role change: change with set { role }', () => {
    const before = { ...atPau, role: 'UTILISATEUR' as const };
    const plan = planAccount(PAULINE, [wantPau], ACCOUNT, [before], true, refOf);
    expect(plan).toEqual({
      ...EMPTY,
      change: [
        {
          id: 100,
          structureRef: 'SIRET:21640445900010',
          set: { role: 'GESTIONNAIRE_PRINCIPAL' },
          services: null,
          before,
        },
      ],
    });
  });

  it('date changes: change with set { dateStart, dateEnd }', () => {
    const plan = planAccount(
      PAULINE,
      [{ ...wantPau, dateStart: '2024-02-01', dateEnd: '2026-12-31' }],
      ACCOUNT,
      [atPau],
      true,
      refOf,
    );
    expect(plan.change).toEqual([
      {
        id: 100,
        structureRef: 'SIRET:21640445900010',
        set: { dateStart: '2024-02-01', dateEnd: '2026-12-31' },
        services: null,
        before: atPau,
      },
    ]);
    expect(plan.add).toEqual([]);
    expect(plan.end).toEqual([]);
  });

  it('an end date removed: set { dateEnd: null }', () => {
    const before = { ...atPau, dateEnd: '2025-12-31' };
    const plan = planAccount(PAULINE, [wantPau], ACCOUNT, [before], true, refOf);
    expect(plan.change).toEqual([
      {
        id: 100,
        structureRef: 'SIRET:21640445900010',
        set: { dateEnd: null },
        services: null,
        before,
      },
    ]);
  });

  it('a DESACTIVEE attachment listed again: set { status: VALIDEE }, not a second attachment', () => {
    const before = { ...atPau, status: 'DESACTIVEE' as const };
    const plan = planAccount(PAULINE, [wantPau], ACCOUNT, [before], true, refOf);
    expect(plan).toEqual({
      ...EMPTY,
      change: [
        {
          id: 100,
          structureRef: 'SIRET:21640445900010',
          set: { status: 'VALIDEE' },
          services: null,
          before,
        },
      ],
    });
  });

  it('a pending request (EN_COURS_DE_VALIDATION) the file lists: validated', () => {
    const before = {
      ...atPau,
      status: 'EN_COURS_DE_VALIDATION' as const,
      source: 'MANUEL' as const,
    };
    expect(planAccount(PAULINE, [wantPau], ACCOUNT, [before], true, refOf).change).toEqual([
      {
        id: 100,
        structureRef: 'SIRET:21640445900010',
        set: { status: 'VALIDEE' },
        services: null,
        before,
      },
    ]);
  });

  it('a REFUSEE or SUPPRIMEE attachment is not live: the file’s attachment is added anew', () => {
    for (const status of ['REFUSEE', 'SUPPRIMEE'] as const) {
      expect(
        planAccount(PAULINE, [wantPau], ACCOUNT, [{ ...atPau, status }], true, refOf),
        status,
      ).toEqual({ ...EMPTY, add: [wantPau] });
    }
  });

  it('a services set change: change with the new services and an empty set', () => {
    const plan = planAccount(
      PAULINE,
      [{ ...wantCh, services: [41, 43] }],
      ACCOUNT,
      [atCh],
      false,
      refOf,
    );
    expect(plan).toEqual({
      ...EMPTY,
      change: [
        {
          id: 101,
          structureRef: 'SIRET:26640001900011',
          set: {},
          services: [41, 43],
          before: atCh,
        },
      ],
    });
  });

  it('services to the whole structure: services []', () => {
    const plan = planAccount(PAULINE, [{ ...wantCh, services: [] }], ACCOUNT, [atCh], false, refOf);
    expect(plan.change).toEqual([
      { id: 101, structureRef: 'SIRET:26640001900011', set: {}, services: [], before: atCh },
    ]);
  });

  it('full mode ends a MADRHAS VALIDEE attachment the file no longer lists, not a MANUEL one', () => {
    const manual: CurrentAttachment = { ...atPau, id: 102, structureId: MUSEE, source: 'MANUEL' };
    const plan = planAccount(PAULINE, [wantPau], ACCOUNT, [atPau, atCh, manual], true, refOf);
    expect(plan).toEqual({ ...EMPTY, end: [{ id: 101, structureRef: 'SIRET:26640001900011' }] });
  });

  it('full mode keeps a validated GP attachment the file no longer lists: the structure would lose its GP', () => {
    const plan = planAccount(PAULINE, [wantCh], ACCOUNT, [atPau, atCh], true, refOf);
    expect(plan).toEqual({ ...EMPTY, gpKept: ['SIRET:21640445900010'] });
    expect(planIsEmpty(plan)).toBe(true);
    // delta mode ends nothing, so keeps nothing either
    expect(planAccount(PAULINE, [wantCh], ACCOUNT, [atPau, atCh], false, refOf)).toEqual(EMPTY);
  });

  it('full mode does not end what is already DESACTIVEE or still pending', () => {
    const plan = planAccount(
      PAULINE,
      [wantPau],
      ACCOUNT,
      [
        atPau,
        { ...atCh, status: 'DESACTIVEE' },
        { ...atCh, id: 103, structureId: MUSEE, status: 'EN_COURS_DE_VALIDATION' },
      ],
      true,
      refOf,
    );
    expect(plan).toEqual(EMPTY);
  });

  it('delta mode (full = false) ends nothing', () => {
    const plan = planAccount(PAULINE, [wantPau], ACCOUNT, [atPau, atCh], false, refOf);
    expect(plan).toEqual(EMPTY);
    expect(planIsEmpty(plan)).toBe(true);
  });

  it('personal fields that differ: each with its before and after', () => {
    const row: MadrhasRow = {
      ...PAULINE,
      title: null,
      lastName: 'MARTIN',
      email: 'p.martin@mairie-pau.fr',
      phone: null,
    };
    const plan = planAccount(row, [wantPau], ACCOUNT, [atPau], true, refOf);
    expect(plan).toEqual({
      ...EMPTY,
      fields: {
        title: { before: 'Mme', after: null },
        lastName: { before: 'DUFOUR', after: 'MARTIN' },
        email: { before: 'pauline.dufour@mairie-pau.fr', after: 'p.martin@mairie-pau.fr' },
        phone: { before: '05 59 27 85 80', after: null },
      },
    });
  });

  it('a completed account keeps its e-mail and phone (kept) but takes the new last name', () => {
    const completed = {
      ...ACCOUNT,
      completedAt: '2025-03-01T10:00:00.000Z',
      email: 'pauline@perso.fr',
      phone: '06 12 34 56 78',
    };
    const plan = planAccount(
      { ...PAULINE, lastName: 'MARTIN' },
      [wantPau],
      completed,
      [atPau],
      true,
      refOf,
    );
    expect(plan).toEqual({
      ...EMPTY,
      fields: { lastName: { before: 'DUFOUR', after: 'MARTIN' } },
      kept: ['email', 'phone'],
    });
  });

  it('a completed account whose e-mail and phone agree with the file: nothing kept, an empty plan', () => {
    const plan = planAccount(
      PAULINE,
      [wantPau],
      { ...ACCOUNT, completedAt: '2025-03-01T10:00:00.000Z' },
      [atPau],
      true,
      refOf,
    );
    expect(plan).toEqual(EMPTY);
  });

  it('a kept field alone does not make the plan non-empty', () => {
    const completed = {
      ...ACCOUNT,
      completedAt: '2025-03-01T10:00:00.000Z',
      phone: '06 12 34 56 78',
    };
    const plan = planAccount(PAULINE, [wantPau], completed, [atPau], true, refOf);
    expect(plan).toEqual({ ...EMPTY, kept: ['phone'] });
    expect(planIsEmpty(plan)).toBe(true);
  });

  it('a status change: INACTIF → ACTIF and ACTIF → INACTIF', () => {
    const back = planAccount(
      PAULINE,
      [wantPau],
      { ...ACCOUNT, status: 'INACTIF' },
      [atPau],
      true,
      refOf,
    );
    expect(back).toEqual({ ...EMPTY, status: { before: 'INACTIF', after: 'ACTIF' } });
    // a plain user: a GP stays active (test/unit/madrhas-gp-status.test.ts)
    const off = planAccount(
      { ...PAULINE, accountStatus: 'INACTIF' },
      [{ ...wantPau, role: 'UTILISATEUR' }],
      ACCOUNT,
      [{ ...atPau, role: 'UTILISATEUR' }],
      true,
      refOf,
    );
    expect(off).toEqual({ ...EMPTY, status: { before: 'ACTIF', after: 'INACTIF' } });
    expect(planIsEmpty(off)).toBe(false);
  });

  it('an account deactivated by an earlier run and listed again: reactivated, its attachment re-validated', () => {
    const before = { ...atPau, status: 'DESACTIVEE' as const };
    const plan = planAccount(
      PAULINE,
      [wantPau],
      { ...ACCOUNT, status: 'INACTIF' },
      [before],
      true,
      refOf,
    );
    expect(plan).toEqual({
      ...EMPTY,
      status: { before: 'INACTIF', after: 'ACTIF' },
      change: [
        {
          id: 100,
          structureRef: 'SIRET:21640445900010',
          set: { status: 'VALIDEE' },
          services: null,
          before,
        },
      ],
    });
  });
});

describe('planIsEmpty', () => {
  it('true for the empty plan and for a plan with only kept fields', () => {
    expect(planIsEmpty(EMPTY)).toBe(true);
    expect(planIsEmpty({ ...EMPTY, kept: ['email'] })).toBe(true);
  });

  it.each([
    ['fields', { fields: { lastName: { before: 'A', after: 'B' } } }],
    ['status', { status: { before: 'ACTIF', after: 'INACTIF' } }],
    ['add', { add: [wantPau] }],
    ['change', { change: [{ id: 1, structureRef: 'x', set: {}, services: [], before: atPau }] }],
    ['end', { end: [{ id: 1, structureRef: 'x' }] }],
  ] as const)('false with %s', (_, part) => {
    expect(planIsEmpty({ ...EMPTY, ...part } as AccountPlan)).toBe(false);
  });
});

describe('deactivationLimit', () => {
  it.each([
    ['10%', 95, 9],
    ['10%', 100, 10],
    // a percentage never allows fewer than 3 accounts (SPEC 8.1); 0% and counts are as given
    ['10%', 9, 3],
    ['10%', 0, 3],
    ['10%', 35, 3],
    ['10%', 40, 4],
    ['1%', 95, 3],
    ['0%', 95, 0],
    ['100%', 95, 95],
    ['50', 95, 50],
    ['50', 3, 50],
    ['0', 95, 0],
    ['10 %', 95, 9],
    [' 10% ', 95, 9],
    ['2.5%', 200, 5],
    ['2.5%', 100, 3],
    ['2,5%', 200, 5],
  ] as const)('%j of %i → %i', (text, total, limit) => {
    expect(deactivationLimit(text, total)).toBe(limit);
  });

  it.each([
    '2.5',
    '2,5',
    '150%',
    '100.5%',
    'abc',
    '',
    '%',
    '-5',
    '-5%',
    '10%%',
    '1e3',
    '0x10',
    '10 accounts',
  ])('%j → null', (text) => {
    expect(deactivationLimit(text, 95)).toBeNull();
  });

  it('property: a count is itself, whatever the number of accounts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.nat(100_000), (n, total) => {
        expect(deactivationLimit(String(n), total)).toBe(n);
      }),
    );
  });

  it('property: P% of N is ⌊N × P / 100⌋, never less than 3 (0% excepted), never more than N beyond 3', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.nat(100_000), (p, total) => {
        const limit = deactivationLimit(`${p}%`, total)!;
        expect(limit).toBe(p === 0 ? 0 : Math.max(3, Math.floor((total * p) / 100)));
        expect(limit).toBeLessThanOrEqual(Math.max(total, 3));
      }),
    );
  });
});
