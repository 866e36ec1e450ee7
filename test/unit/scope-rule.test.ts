import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL, scopeWithin, type Scope } from '../../src/domain/departement.js';
import {
  accountInScope,
  authorize,
  mayChangeStructure,
  SCOPE_STATUSES,
  structureInScope,
  type Actor,
  type Target,
} from '../../src/domain/rights.js';
import { structureDepartement } from '../../src/domain/structure.js';

/** SPEC 6 and 8.2, issue 14 points 10 and 3: the scope rule, in one place. */

const DAY = '2025-03-10';
const corr = (scope: Scope): Actor => ({
  id: 1,
  login: 'corr@dgfip.finances.gouv.fr',
  status: 'ACTIF',
  scope,
  attachments: [],
  habilitations: [],
});
const account = (
  departements: (string | null)[],
  scope: Scope | null = null,
): Extract<Target, { kind: 'account' }> => ({
  kind: 'account',
  id: 2,
  departements,
  structureIds: departements.map((_, i) => 10 + i),
  scope,
});
const structure = (departement: string | null): Target => ({
  kind: 'structure',
  id: 10,
  departement,
});

describe('the département a structure is stored with', () => {
  it('a foreign structure is in no département, whatever its postal code (point 10)', () => {
    expect(structureDepartement('64000', 'DE')).toBeNull();
    expect(structureDepartement('33100', 'de')).toBeNull();
    expect(structureDepartement('64000', 'FR')).toBe('64');
    expect(structureDepartement('64000', null)).toBe('64');
    expect(structureDepartement('20000', 'FR')).toBe('2A');
    expect(structureDepartement('20200', undefined)).toBe('2B');
    expect(structureDepartement('97100', 'GP')).toBe('971');
    expect(structureDepartement('98800', 'NC')).toBe('988');
    expect(structureDepartement(null, 'FR')).toBeNull();
    expect(structureDepartement('', null)).toBeNull();
  });

  it('a structure with no département is in the scope * only', () => {
    for (const scope of [['64'], ['33', '64', '2A', '971']] as Scope[])
      expect(structureInScope(scope, null)).toBe(false);
    expect(structureInScope([ALL], null)).toBe(true);
    expect(authorize(corr(['64']), 'structure.users', structure(null), DAY)).toEqual({
      allowed: false,
      reason: 'rights.outOfScope',
    });
    expect(authorize(corr([ALL]), 'structure.users', structure(null), DAY).allowed).toBe(true);
  });
});

describe('an account in a correspondent’s scope', () => {
  it('counts VALIDEE, EN_COURS_DE_VALIDATION and DESACTIVEE attachments only', () => {
    expect([...SCOPE_STATUSES].sort()).toEqual(['DESACTIVEE', 'EN_COURS_DE_VALIDATION', 'VALIDEE']);
  });

  it('is in scope through one structure in scope, or when it has none', () => {
    expect(accountInScope(['64'], account(['33', '64']))).toBe(true);
    expect(accountInScope(['64'], account(['33']))).toBe(false);
    expect(accountInScope(['64'], account([]))).toBe(true);
    // the DE 64000 structure's user is the scope *'s only
    expect(accountInScope(['64'], account([null]))).toBe(false);
    expect(accountInScope([ALL], account([null]))).toBe(true);
  });

  it('a correspondent is in the scope of those whose scope covers its own, attachments or not', () => {
    expect(accountInScope(['64'], account([], ['33']))).toBe(false);
    expect(accountInScope(['64'], account(['64'], ['33']))).toBe(false);
    expect(accountInScope(['33', '64'], account([], ['33']))).toBe(true);
    expect(accountInScope(['64'], account([], ['64']))).toBe(true);
    expect(accountInScope(['64'], account([], [ALL]))).toBe(false);
    expect(accountInScope([ALL], account([], [ALL]))).toBe(true);
  });

  const dep = fc.constantFrom('64', '33', '40', '2A', '2B', '971', '988', null);
  const scopeArb = fc.oneof(
    fc.constant([ALL] as Scope),
    fc
      .uniqueArray(fc.constantFrom('64', '33', '40', '2A', '2B', '971', '988'), {
        minLength: 1,
        maxLength: 4,
      })
      .map((a) => [...a].sort() as Scope),
  );

  it('property: every correspondent action on an account follows the one rule', () => {
    fc.assert(
      fc.property(
        scopeArb,
        fc.array(dep, { maxLength: 4 }),
        fc.option(scopeArb),
        (scope, departements, own) => {
          const target = account(departements, own);
          const expected =
            own !== null
              ? scopeWithin(own, scope)
              : departements.length === 0 ||
                departements.some((d) => scope.includes(ALL) || (d !== null && scope.includes(d)));
          expect(accountInScope(scope, target)).toBe(expected);
          for (const action of [
            'account.read',
            'account.edit',
            'file.read',
            'account.deactivate',
            'account.delete',
            'account.resendCredentials',
          ] as const)
            expect(authorize(corr(scope), action, target, DAY).allowed, action).toBe(expected);
        },
      ),
    );
  });
});

describe('moving a structure (SPEC 8.2, point 3)', () => {
  it('needs the scope to cover both départements; a foreign or empty one is the scope *’s', () => {
    expect(mayChangeStructure(['64'], '64', '64')).toBe(true);
    expect(mayChangeStructure(['64'], '33', '64')).toBe(false);
    expect(mayChangeStructure(['64'], '64', '33')).toBe(false);
    expect(mayChangeStructure(['64'], '64', null)).toBe(false);
    expect(mayChangeStructure(['64'], null, '64')).toBe(false);
    expect(mayChangeStructure(['33', '64'], '33', '64')).toBe(true);
    expect(mayChangeStructure([ALL], null, '33')).toBe(true);
  });
});
