import type { AccountPlan, WantedAttachment } from '../../domain/madrhas.js';
import type * as sync from '../../db/sync.repository.js';
import type { AccountChange } from './journal.js';

/**
 * What the writer (app/sync/writer.ts) records of one account's change: its journal entry (the
 * plan's line, the run's before-image) and its audit entry's changes.
 */

/** An existing account's journal entry, from its plan (attachments added get their ids when inserted). */
export function changeOf(login: string, accountId: number, plan: AccountPlan): AccountChange {
  return {
    login,
    accountId,
    kind:
      plan.status?.after === 'ACTIF'
        ? 'reactivated'
        : plan.status?.after === 'INACTIF'
          ? 'deactivated'
          : 'updated',
    absent: false,
    fields: { ...plan.fields, ...(plan.status ? { status: plan.status } : {}) },
    kept: plan.kept,
    keptLocal: plan.keptLocal,
    overridden: plan.overridden,
    attachments: {
      added: [],
      changed: plan.change.map((c) => ({
        id: c.id,
        structureRef: c.structureRef,
        set: c.set,
        services: c.services,
        before: c.before,
      })),
      ended: plan.end.map((e) => ({ ...e, status: 'VALIDEE' })),
    },
    gpKept: plan.gpKept,
  };
}

/** A created account's entry: every field it was given. */
export function createdChange(r: sync.StagedRow, accountId: number): AccountChange {
  const fields: AccountChange['fields'] = {};
  for (const [k, v] of Object.entries({
    title: r.title,
    lastName: r.lastName,
    firstName: r.firstName,
    email: r.email,
    phone: r.phone,
    status: r.accountStatus,
  }))
    fields[k] = { before: null, after: v };
  return {
    login: r.login,
    accountId,
    kind: 'created',
    absent: false,
    fields,
    kept: [],
    keptLocal: [],
    overridden: [],
    attachments: { added: [], changed: [], ended: [] },
    gpKept: [],
  };
}

export const describe = (w: WantedAttachment) => ({
  structure: w.structureRef,
  role: w.role,
  dateStart: w.dateStart,
  dateEnd: w.dateEnd,
  services: w.services.length,
});

export function auditChanges(plan: AccountPlan): Record<string, unknown> {
  return {
    ...plan.fields,
    ...(plan.status ? { status: plan.status } : {}),
    ...(plan.kept.length > 0 ? { kept: plan.kept } : {}),
    ...(plan.add.length > 0 ? { attachmentsAdded: plan.add.map(describe) } : {}),
    ...(plan.change.length > 0
      ? {
          attachmentsChanged: plan.change.map((c) => ({
            structure: c.structureRef,
            ...Object.fromEntries(
              Object.entries(c.set).map(([k, v]) => [
                k,
                { before: (c.before as unknown as Record<string, unknown>)[k] ?? null, after: v },
              ]),
            ),
            ...(c.services
              ? { services: { before: c.before.services.length, after: c.services.length } }
              : {}),
          })),
        }
      : {}),
    ...(plan.end.length > 0 ? { attachmentsEnded: plan.end.map((e) => e.structureRef) } : {}),
    ...(plan.gpKept.length > 0 ? { gpKept: plan.gpKept } : {}),
    ...(plan.keptLocal.length > 0 ? { keptLocal: plan.keptLocal } : {}),
    ...(plan.overridden.length > 0 ? { overridden: plan.overridden } : {}),
  };
}
