import { describe, expect, it } from 'vitest';
import { type MadrhasRow } from '../../src/domain/madrhas.js';
import {
  planAccount,
  type CurrentAccount,
  type CurrentAttachment,
} from '../../src/domain/account-plan.js';

/** A structure never loses its GP through the sync (SPEC 8.1), not even through STATUT_COMPTE=INACTIF. */

const row = {
  login: 'gp@mairie.fr',
  title: 'Mme',
  lastName: 'DUPONT',
  firstName: 'Anne',
  email: 'gp@mairie.fr',
  phone: null,
  accountStatus: 'INACTIF',
} as MadrhasRow;
const account: CurrentAccount = {
  id: 7,
  login: row.login,
  status: 'ACTIF',
  source: 'MADRHAS',
  completedAt: null,
  title: 'Mme',
  lastName: 'DUPONT',
  firstName: 'Anne',
  email: row.email,
  phone: null,
};
const held = (role: CurrentAttachment['role']): CurrentAttachment => ({
  id: 10,
  structureId: 1,
  role,
  status: 'VALIDEE',
  source: 'MADRHAS',
  dateStart: '2024-01-01',
  dateEnd: null,
  services: [],
});
const want = (role: CurrentAttachment['role']) => ({
  structureId: 1,
  structureRef: 'SIRET:mairie',
  role,
  dateStart: '2024-01-01',
  dateEnd: null,
  services: [],
});
const ref = () => 'SIRET:mairie';

describe('planAccount: an INACTIF row for a principal manager', () => {
  it('keeps the GP active and reports the structure as kept', () => {
    const plan = planAccount(
      row,
      [want('GESTIONNAIRE_PRINCIPAL')],
      account,
      [held('GESTIONNAIRE_PRINCIPAL')],
      true,
      ref,
    );
    expect(plan.status).toBeNull();
    expect(plan.gpKept).toEqual(['SIRET:mairie']);
  });

  it('keeps a GP the file does not list any more (full mode) active too, once', () => {
    const plan = planAccount(row, [], account, [held('GESTIONNAIRE_PRINCIPAL')], true, ref);
    expect(plan.status).toBeNull();
    expect(plan.gpKept).toEqual(['SIRET:mairie']);
  });

  it('deactivates an account that holds no GP role', () => {
    const plan = planAccount(row, [want('UTILISATEUR')], account, [held('UTILISATEUR')], true, ref);
    expect(plan.status).toEqual({ before: 'ACTIF', after: 'INACTIF' });
    expect(plan.gpKept).toEqual([]);
  });
});
