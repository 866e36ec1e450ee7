import { describe, expect, it } from 'vitest';
import { type MadrhasRow } from '../../src/domain/madrhas.js';
import {
  planAccount,
  nextBase,
  type CurrentAccount,
  type CurrentAttachment,
  type WantedAttachment,
} from '../../src/domain/account-plan.js';
import {
  ABSENT,
  baseGpStructures,
  decodeBase,
  encodeBase,
  merge3,
  sameIds,
  type MadrhasBase,
} from '../../src/domain/merge.js';

describe('merge3', () => {
  it('no base: the file imposes, nothing counted', () => {
    expect(merge3(undefined, 'a', 'b')).toEqual({ value: 'b', kind: 'file' });
    expect(merge3(undefined, 'a', 'a')).toEqual({ value: 'a', kind: 'same' });
  });
  it('the file as in the base: the store’s value stays (keptLocal when it changed)', () => {
    expect(merge3('a', 'a', 'a')).toEqual({ value: 'a', kind: 'same' });
    expect(merge3('a', 'local', 'a')).toEqual({ value: 'local', kind: 'keptLocal' });
    expect(merge3<string | null>(null, 'local', null)).toEqual({
      value: 'local',
      kind: 'keptLocal',
    });
  });
  it('the file changed: its value wins (overridden when the store changed it too, to something else)', () => {
    expect(merge3('a', 'a', 'b')).toEqual({ value: 'b', kind: 'file' });
    expect(merge3('a', 'local', 'b')).toEqual({ value: 'b', kind: 'overridden' });
    expect(merge3('a', 'b', 'b')).toEqual({ value: 'b', kind: 'same' });
  });
  it('a value the base did not have (ABSENT): the file’s, overridden when the store had another', () => {
    expect(merge3<string>(ABSENT, 'x', 'y')).toEqual({ value: 'y', kind: 'overridden' });
    expect(merge3<string>(ABSENT, 'y', 'y')).toEqual({ value: 'y', kind: 'same' });
  });
  it('sets of ids compare in any order', () => {
    expect(merge3([1, 2], [2, 1], [1, 2], sameIds).kind).toBe('same');
    expect(merge3([1, 2], [2], [2, 1], sameIds)).toEqual({ value: [2], kind: 'keptLocal' });
  });
});

const BASE: MadrhasBase = {
  title: 'M.',
  lastName: 'MARTIN',
  firstName: 'Jean',
  email: 'jean@pau.fr',
  phone: null,
  status: 'ACTIF',
  attachments: [
    {
      structureId: 12,
      role: 'UTILISATEUR',
      dateStart: '2024-02-01',
      dateEnd: null,
      services: [5, 3],
    },
    {
      structureId: 11,
      role: 'GESTIONNAIRE_PRINCIPAL',
      dateStart: '2024-01-01',
      dateEnd: '2026-12-31',
      services: [],
    },
  ],
};

describe('the stored base', () => {
  it('round-trips, compact (no spaces, roles by index, attachments and services sorted, the e-mail 0 when it is the login)', () => {
    const text = encodeBase(BASE, 'jean@pau.fr');
    expect(text).toBe(
      '["M.","MARTIN","Jean",0,null,1,[[11,0,"2024-01-01","2026-12-31",[]],[12,2,"2024-02-01",null,[3,5]]]]',
    );
    const sorted = {
      ...BASE,
      attachments: [BASE.attachments[1], { ...BASE.attachments[0], services: [3, 5] }],
    };
    expect(decodeBase(text, 'jean@pau.fr')).toEqual(sorted);
    const other = encodeBase(BASE, 'jmartin@pau.fr');
    expect(other).toContain('"jean@pau.fr"');
    expect(decodeBase(other, 'jmartin@pau.fr')).toEqual(sorted);
  });
  it('none, or unreadable: null (the file imposes once)', () => {
    expect(decodeBase(null, 'x@y.fr')).toBeNull();
    expect(decodeBase('', 'x@y.fr')).toBeNull();
    expect(decodeBase('{oops', 'x@y.fr')).toBeNull();
    expect(decodeBase('{"a":1}', 'x@y.fr')).toBeNull();
  });
  it('names the structures it makes the account GP of', () => {
    expect([...baseGpStructures(BASE)]).toEqual([11]);
    expect(baseGpStructures(null).size).toBe(0);
  });
});

// ---- planAccount with a base ------------------------------------------------------------------

const PAU = 11;
const CH = 12;
const refOf = (id: number) => (id === PAU ? 'SIRET:PAU' : id === CH ? 'SIRET:CH' : `#${id}`);
const ROW = {
  login: 'jean@pau.fr',
  title: 'M.',
  lastName: 'MARTIN',
  firstName: 'Jean',
  email: 'jean@pau.fr',
  phone: null,
  accountStatus: 'ACTIF',
} as MadrhasRow;
const ACCOUNT: CurrentAccount = {
  id: 7,
  login: 'jean@pau.fr',
  status: 'ACTIF',
  source: 'MADRHAS',
  completedAt: null,
  title: 'M.',
  lastName: 'MARTIN',
  firstName: 'Jean',
  email: 'jean@pau.fr',
  phone: null,
};
const want = (over: Partial<WantedAttachment> = {}): WantedAttachment => ({
  structureId: CH,
  structureRef: 'SIRET:CH',
  role: 'UTILISATEUR',
  dateStart: '2024-02-01',
  dateEnd: null,
  services: [3, 5],
  ...over,
});
const held = (over: Partial<CurrentAttachment> = {}): CurrentAttachment => ({
  id: 101,
  structureId: CH,
  role: 'UTILISATEUR',
  status: 'VALIDEE',
  source: 'MADRHAS',
  dateStart: '2024-02-01',
  dateEnd: null,
  services: [3, 5],
  ...over,
});
const BASE_CH: MadrhasBase = { ...BASE, attachments: [BASE.attachments[0]!] };
const plan = (
  row: MadrhasRow,
  wanted: WantedAttachment[],
  account: CurrentAccount,
  attachments: CurrentAttachment[],
  base: MadrhasBase | null,
  claimed?: (s: number) => boolean,
) =>
  planAccount(row, wanted, account, attachments, true, refOf, () => true, {
    base,
    ...(claimed ? { claimed } : {}),
  });

describe('planAccount merges against the base', () => {
  it('a name corrected in the store, the file unchanged: kept, nothing to write', () => {
    const p = plan(ROW, [want()], { ...ACCOUNT, lastName: 'MARTINEZ' }, [held()], BASE_CH);
    expect(p.fields).toEqual({});
    expect(p.keptLocal).toEqual(['lastName']);
    expect(p.overridden).toEqual([]);
  });
  it('without a base the same file imposes', () => {
    const p = plan(ROW, [want()], { ...ACCOUNT, lastName: 'MARTINEZ' }, [held()], null);
    expect(p.fields).toEqual({ lastName: { before: 'MARTINEZ', after: 'MARTIN' } });
    expect(p.keptLocal).toEqual([]);
  });
  it('the file changes a field the store changed too: the file’s value, overridden', () => {
    const p = plan(
      { ...ROW, lastName: 'MARTIN-LAFON' },
      [want()],
      { ...ACCOUNT, lastName: 'MARTINEZ' },
      [held()],
      BASE_CH,
    );
    expect(p.fields).toEqual({ lastName: { before: 'MARTINEZ', after: 'MARTIN-LAFON' } });
    expect(p.overridden).toEqual([{ field: 'lastName', store: 'MARTINEZ', file: 'MARTIN-LAFON' }]);
  });
  it('a status changed in the store is kept; the holder’s own contact data stays “kept”', () => {
    const p = plan(
      ROW,
      [want()],
      { ...ACCOUNT, status: 'INACTIF', completedAt: '2025-01-01', email: 'perso@pau.fr' },
      [held()],
      BASE_CH,
    );
    expect(p.status).toBeNull();
    expect(p.keptLocal).toEqual(['status']);
    expect(p.kept).toEqual(['email']);
  });
  it('an attachment detached in the store, listed by the file and the base: not added again', () => {
    const p = plan(ROW, [want()], ACCOUNT, [held({ status: 'SUPPRIMEE' })], BASE_CH);
    expect(p.add).toEqual([]);
    expect(p.change).toEqual([]);
    expect(p.keptLocal).toEqual(['attachment:SIRET:CH']);
    // nor when it ended (DESACTIVEE) or is requested again
    for (const status of ['DESACTIVEE', 'EN_COURS_DE_VALIDATION'] as const)
      expect(plan(ROW, [want()], ACCOUNT, [held({ status })], BASE_CH).change).toEqual([]);
  });
  it('an attachment the file adds (not in the base) is added, or validated again', () => {
    const base = { ...BASE_CH, attachments: [] };
    expect(plan(ROW, [want()], ACCOUNT, [], base).add).toEqual([want()]);
    expect(
      plan(ROW, [want()], ACCOUNT, [held({ status: 'DESACTIVEE' })], base).change[0]!.set,
    ).toEqual({ status: 'VALIDEE' });
  });
  it('an attachment property changed in the store: kept; one the file changed: applied', () => {
    const p = plan(
      ROW,
      [want({ dateEnd: '2027-12-31' })],
      ACCOUNT,
      [held({ role: 'GESTIONNAIRE_SECONDAIRE', services: [3] })],
      BASE_CH,
    );
    expect(p.change).toHaveLength(1);
    expect(p.change[0]!.set).toEqual({ dateEnd: '2027-12-31' });
    expect(p.change[0]!.services).toBeNull();
    expect(p.keptLocal).toEqual(['attachment:SIRET:CH.role', 'attachment:SIRET:CH.services']);
  });
  it('full mode: a MADRHAS attachment neither the file nor the base lists stays (given in the store)', () => {
    const p = plan(ROW, [want()], ACCOUNT, [held(), held({ id: 102, structureId: 99 })], BASE_CH);
    expect(p.end).toEqual([]);
    expect(p.keptLocal).toEqual(['attachment:#99']);
    // one the base lists and the file dropped ends
    const q = plan(ROW, [], ACCOUNT, [held()], BASE_CH);
    expect(q.end).toEqual([{ id: 101, structureRef: 'SIRET:CH' }]);
  });
  it('a GP transfer: the successor’s role kept while nobody else claims the structure, stepping down when someone does', () => {
    const base = { ...BASE_CH, attachments: [{ ...BASE_CH.attachments[0]!, services: [] }] };
    const gp = held({ role: 'GESTIONNAIRE_PRINCIPAL', services: [] });
    const kept = plan(ROW, [want({ services: [] })], ACCOUNT, [gp], base, () => false);
    expect(kept.change).toEqual([]);
    expect(kept.keptLocal).toEqual(['attachment:SIRET:CH.role']);
    const claimed = plan(ROW, [want({ services: [] })], ACCOUNT, [gp], base, () => true);
    expect(claimed.change[0]!.set).toEqual({ role: 'UTILISATEUR' });
    expect(claimed.overridden).toEqual([
      { field: 'attachment:SIRET:CH.role', store: 'GESTIONNAIRE_PRINCIPAL', file: 'UTILISATEUR' },
    ]);
  });
  it('an INACTIF row for a former GP who handed the role over in the store: deactivated (the GP the row names is no longer theirs)', () => {
    const base: MadrhasBase = {
      ...BASE_CH,
      attachments: [{ ...BASE_CH.attachments[0]!, role: 'GESTIONNAIRE_PRINCIPAL', services: [] }],
    };
    const row = { ...ROW, accountStatus: 'INACTIF' } as MadrhasRow;
    const asGp = [want({ services: [], role: 'GESTIONNAIRE_PRINCIPAL' })];
    const p = plan(row, asGp, ACCOUNT, [held({ services: [] })], base);
    expect(p.status).toEqual({ before: 'ACTIF', after: 'INACTIF' });
    expect(p.gpKept).toEqual([]);
    // still GP in the store: kept active
    const q = plan(
      row,
      asGp,
      ACCOUNT,
      [held({ services: [], role: 'GESTIONNAIRE_PRINCIPAL' })],
      base,
    );
    expect(q.status).toBeNull();
  });
});

describe('nextBase', () => {
  it('the file’s values; a structure the file dropped stays while the store keeps it in effect and the run did not end it', () => {
    const old: MadrhasBase = BASE;
    const attachments = [
      held(),
      held({ id: 100, structureId: PAU, role: 'GESTIONNAIRE_PRINCIPAL' }),
    ];
    const p = plan({ ...ROW, lastName: 'NOUVEAU' }, [want()], ACCOUNT, attachments, old);
    expect(p.gpKept).toEqual(['SIRET:PAU']);
    const next = nextBase({ ...ROW, lastName: 'NOUVEAU' }, [want()], old, ACCOUNT, attachments, p);
    expect(next.lastName).toBe('NOUVEAU');
    expect(next.attachments.map((a) => a.structureId)).toEqual([CH, PAU]);
    // ended: gone from the base
    const q = plan(ROW, [want()], ACCOUNT, [held(), held({ id: 100, structureId: PAU })], old);
    expect(q.end).toHaveLength(1);
    expect(
      nextBase(ROW, [want()], old, ACCOUNT, [held(), held({ id: 100, structureId: PAU })], q)
        .attachments,
    ).toHaveLength(1);
  });
  it('a refused change keeps the base’s value: an INACTIF row for a GP, a GP demoted with nobody named', () => {
    const gp = held({ role: 'GESTIONNAIRE_PRINCIPAL', services: [] });
    const base: MadrhasBase = {
      ...BASE_CH,
      attachments: [{ ...BASE_CH.attachments[0]!, role: 'GESTIONNAIRE_PRINCIPAL', services: [] }],
    };
    // the row says INACTIF and still GP: the account stays active (the structure keeps its GP)
    const inactive = { ...ROW, accountStatus: 'INACTIF' } as MadrhasRow;
    const asGp = [want({ services: [], role: 'GESTIONNAIRE_PRINCIPAL' })];
    const p = plan(inactive, asGp, ACCOUNT, [gp], base);
    expect(p.status).toBeNull();
    expect(nextBase(inactive, asGp, base, ACCOUNT, [gp], p).status).toBe('ACTIF');
    // the row demotes the GP; the writer refused it (nobody else named): the base keeps GP
    const asUser = [want({ services: [] })];
    const q = plan(ROW, asUser, ACCOUNT, [gp], base);
    expect(q.change[0]!.set).toEqual({ role: 'UTILISATEUR' });
    const next = nextBase(ROW, asUser, base, ACCOUNT, [gp], q, new Set([CH]));
    expect(next.attachments[0]!.role).toBe('GESTIONNAIRE_PRINCIPAL');
    expect(nextBase(ROW, asUser, base, ACCOUNT, [gp], q).attachments[0]!.role).toBe('UTILISATEUR');
  });
});
