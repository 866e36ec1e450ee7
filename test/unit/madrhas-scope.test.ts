import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCOPE_STATUSES } from '../../src/domain/rights.js';
import { type MadrhasRow } from '../../src/domain/madrhas.js';
import {
  accountInScopeOf,
  planAbsent,
  planAccount,
  type CurrentAccount,
  type CurrentAttachment,
  type ScopedAttachment,
} from '../../src/domain/account-plan.js';
import { ATTACHMENT_STATUSES } from '../../src/domain/enums.js';

/** The MADRHAS sync and the actor's scope (SPEC 6, 8.1): which accounts a file reaches, what full mode ends. */

const TODAY = '2025-03-10';
let nextId = 1;
const at = (departement: string | null, o: Partial<ScopedAttachment> = {}): ScopedAttachment => ({
  id: nextId++,
  structureId: 100 + nextId,
  structureRef: `SIRET:${departement ?? 'XX'}`,
  departement,
  role: 'UTILISATEUR',
  status: 'VALIDEE',
  source: 'MADRHAS',
  dateStart: '2024-01-01',
  dateEnd: null,
  ...o,
});

describe('accountInScopeOf', () => {
  it('counts the attachments VALIDEE, EN_COURS_DE_VALIDATION and DESACTIVEE, and no other', () => {
    expect([...SCOPE_STATUSES].sort()).toEqual(
      ['DESACTIVEE', 'EN_COURS_DE_VALIDATION', 'VALIDEE'].sort(),
    );
    for (const status of ATTACHMENT_STATUSES) {
      const counts = (SCOPE_STATUSES as readonly string[]).includes(status);
      // one attachment in 33: in the 33 scope when it counts; when it does not, the account has none
      expect(accountInScopeOf(['33'], [at('33', { status })], null), status).toBe(true);
      expect(accountInScopeOf(['64'], [at('33', { status })], null), status).toBe(!counts);
    }
  });

  it('an account with a counting attachment in scope is in it, whatever else it holds', () => {
    expect(
      accountInScopeOf(['64'], [at('33'), at('64', { status: 'EN_COURS_DE_VALIDATION' })], null),
    ).toBe(true);
    expect(accountInScopeOf(['64'], [at('33'), at('40')], null)).toBe(false);
    expect(
      accountInScopeOf(['64', '40'], [at('33'), at('40', { status: 'DESACTIVEE' })], null),
    ).toBe(true);
    // a refused request alongside a counting attachment elsewhere does not bring it in
    expect(accountInScopeOf(['64'], [at('33'), at('64', { status: 'REFUSEE' })], null)).toBe(false);
  });

  it('a structure outside France or without a postal code (no département) is in the scope * only', () => {
    expect(accountInScopeOf(['64'], [at(null)], null)).toBe(false);
    expect(accountInScopeOf(['*'], [at(null)], null)).toBe(true);
  });

  it('an account without counting attachment is in every scope; a correspondent only in those covering its own', () => {
    expect(accountInScopeOf(['64'], [], null)).toBe(true);
    expect(accountInScopeOf(['64'], [], ['33'])).toBe(false);
    expect(accountInScopeOf(['64'], [], ['64'])).toBe(true);
    expect(accountInScopeOf(['33', '64'], [], ['64'])).toBe(true);
    expect(accountInScopeOf(['64'], [], ['*'])).toBe(false);
    expect(accountInScopeOf(['*'], [], ['33', '40'])).toBe(true);
    // a correspondent is placed by its scope, not by what it is attached to
    expect(accountInScopeOf(['64'], [at('64')], ['33'])).toBe(false);
  });

  it('the scope * holds every account that is not a wider correspondent', () => {
    const departements = fc.constantFrom('64', '33', '40', '2A', '971', null);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            departement: departements,
            status: fc.constantFrom(...ATTACHMENT_STATUSES),
          }),
        ),
        (list) => {
          expect(accountInScopeOf(['*'], list, null)).toBe(true);
        },
      ),
    );
  });
});

describe('planAbsent', () => {
  it('an account outside the scope is left alone', () => {
    expect(planAbsent(['64'], [at('33')], null, TODAY)).toEqual({ kind: 'none' });
    expect(planAbsent(['64'], [at(null)], null, TODAY)).toEqual({ kind: 'none' });
  });

  it('in the scope only: its MADRHAS attachments there end and it is deactivated', () => {
    const pau = at('64');
    const manual = at('64', { source: 'MANUEL' });
    expect(planAbsent(['64'], [pau, manual], null, TODAY)).toEqual({
      kind: 'deactivate',
      end: [{ id: pau.id, structureRef: pau.structureRef }],
    });
  });

  it('attached in 64 and 33: the 64 file ends the 64 attachment, the 33 one keeps it active', () => {
    const pau = at('64');
    const bordeaux = at('33');
    expect(planAbsent(['64'], [pau, bordeaux], null, TODAY)).toEqual({
      kind: 'end',
      end: [{ id: pau.id, structureRef: pau.structureRef }],
    });
    // once ended, nothing more to do: no ping-pong
    expect(planAbsent(['64'], [{ ...pau, status: 'DESACTIVEE' }, bordeaux], null, TODAY)).toEqual({
      kind: 'none',
    });
    // the same account, from the 33 side
    expect(planAbsent(['33'], [pau, bordeaux], null, TODAY)).toEqual({
      kind: 'end',
      end: [{ id: bordeaux.id, structureRef: bordeaux.structureRef }],
    });
  });

  it('an attachment outside the scope keeps the account active only while in effect (validated, within its dates)', () => {
    const pau = at('64');
    for (const other of [
      at('33', { dateEnd: '2024-12-31' }),
      at('33', { dateStart: '2025-04-01' }),
      at('33', { status: 'DESACTIVEE' }),
      at('33', { status: 'EN_COURS_DE_VALIDATION' }),
    ])
      expect(planAbsent(['64'], [pau, other], null, TODAY).kind).toBe('deactivate');
    for (const other of [
      at('33', { dateEnd: TODAY }),
      at('33', { dateStart: TODAY }),
      at('33', { source: 'MANUEL' }),
    ])
      expect(planAbsent(['64'], [pau, other], null, TODAY).kind).toBe('end');
  });

  it('a mere pending request in scope: no MADRHAS attachment there, so nothing ends and the account keeps its status', () => {
    const request = at('64', { status: 'EN_COURS_DE_VALIDATION', source: 'MANUEL' });
    expect(planAbsent(['64'], [request, at('33')], null, TODAY)).toEqual({ kind: 'none' });
    expect(planAbsent(['64'], [request, at('33', { dateEnd: '2024-12-31' })], null, TODAY)).toEqual(
      {
        kind: 'none',
      },
    );
    expect(planAbsent(['64'], [request], null, TODAY)).toEqual({ kind: 'none' });
  });

  it('a MADRHAS attachment in scope already ended still makes it the file’s to deactivate, when nothing holds it elsewhere', () => {
    expect(planAbsent(['64'], [at('64', { status: 'DESACTIVEE' })], null, TODAY)).toEqual({
      kind: 'deactivate',
      end: [],
    });
  });

  it('an account with no counting attachment (in every scope) is deactivated', () => {
    expect(planAbsent(['64'], [], null, TODAY)).toEqual({ kind: 'deactivate', end: [] });
    expect(planAbsent(['64'], [at('33', { status: 'REFUSEE' })], null, TODAY)).toEqual({
      kind: 'deactivate',
      end: [],
    });
  });

  it('a GP in scope keeps the account as it is; a GP role elsewhere keeps it active, even out of its dates', () => {
    expect(
      planAbsent(['64'], [at('64', { role: 'GESTIONNAIRE_PRINCIPAL' }), at('64')], null, TODAY),
    ).toEqual({ kind: 'gpKept', structures: 1 });
    const pau = at('64');
    expect(
      planAbsent(
        ['64'],
        [pau, at('33', { role: 'GESTIONNAIRE_PRINCIPAL', dateEnd: '2024-12-31' })],
        null,
        TODAY,
      ),
    ).toEqual({ kind: 'end', end: [{ id: pau.id, structureRef: pau.structureRef }] });
  });

  it('never ends an attachment outside the scope, whatever the account holds', () => {
    const departements = fc.constantFrom('64', '33', '40', null);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            departement: departements,
            status: fc.constantFrom(...ATTACHMENT_STATUSES),
            source: fc.constantFrom('MADRHAS' as const, 'MANUEL' as const),
            role: fc.constantFrom(
              'UTILISATEUR' as const,
              'GESTIONNAIRE_SECONDAIRE' as const,
              'GESTIONNAIRE_PRINCIPAL' as const,
            ),
            dateEnd: fc.constantFrom(null, '2024-12-31'),
          }),
        ),
        fc.constantFrom<string[]>(['64'], ['33', '64'], ['40']),
        (list, scope) => {
          const held = list.map((a) => at(a.departement, a));
          const plan = planAbsent(scope, held, null, TODAY);
          if (plan.kind !== 'end' && plan.kind !== 'deactivate') return;
          const byId = new Map(held.map((a) => [a.id, a]));
          for (const e of plan.end) {
            const a = byId.get(e.id)!;
            expect(a.departement !== null && scope.includes(a.departement)).toBe(true);
            expect(a).toMatchObject({ source: 'MADRHAS', status: 'VALIDEE' });
            expect(a.role).not.toBe('GESTIONNAIRE_PRINCIPAL');
          }
          // deactivated only when nothing holds it outside the scope
          if (plan.kind === 'deactivate')
            for (const a of held)
              if (a.departement === null || !scope.includes(a.departement))
                expect(a.status === 'VALIDEE' && (a.dateEnd === null || TODAY <= a.dateEnd)).toBe(
                  false,
                );
        },
      ),
    );
  });
});

describe('planAccount in full mode, and the scope', () => {
  const row = {
    login: 'both@agglo.fr',
    title: 'M.',
    lastName: 'AGENT',
    firstName: 'Paul',
    email: 'both@agglo.fr',
    phone: null,
    accountStatus: 'ACTIF',
  } as MadrhasRow;
  const account: CurrentAccount = {
    id: 7,
    login: row.login,
    status: 'ACTIF',
    source: 'MADRHAS',
    completedAt: null,
    title: 'M.',
    lastName: 'AGENT',
    firstName: 'Paul',
    email: row.email,
    phone: null,
  };
  const held = (id: number, structureId: number): CurrentAttachment => ({
    id,
    structureId,
    role: 'UTILISATEUR',
    status: 'VALIDEE',
    source: 'MADRHAS',
    dateStart: '2024-01-01',
    dateEnd: null,
    services: [],
  });
  const PAU = 1;
  const BORDEAUX = 2;
  const MONT = 3;
  const want = {
    structureId: BORDEAUX,
    structureRef: 'SIRET:bordeaux',
    role: 'UTILISATEUR' as const,
    dateStart: '2024-01-01',
    dateEnd: null,
    services: [],
  };

  it('the 33 file listing only the Bordeaux row does not end the Pau attachment', () => {
    const inScope = (id: number) => id === BORDEAUX;
    const plan = planAccount(
      row,
      [want],
      account,
      [held(10, PAU), held(11, BORDEAUX)],
      true,
      String,
      inScope,
    );
    expect(plan.end).toEqual([]);
    // an attachment in scope the file no longer lists still ends
    const inGironde = (id: number) => id === BORDEAUX || id === MONT;
    expect(
      planAccount(
        row,
        [want],
        account,
        [held(10, PAU), held(11, BORDEAUX), held(12, MONT)],
        true,
        String,
        inGironde,
      ).end,
    ).toEqual([{ id: 12, structureRef: String(MONT) }]);
  });
});
