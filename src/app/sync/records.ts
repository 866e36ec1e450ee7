import type { AccountPlan } from '../../domain/account-plan.js';
import type * as stage from '../../db/sync-stage.repository.js';
import type { AccountChange } from './journal.js';
import { readImages, type AccountAfter } from './runs.js';

/**
 * What the writer (app/sync/writer.ts) records of one account's change: its journal entry (the
 * plan's line, the run's before-image), and the audit entry that image stands for.
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
export function createdChange(r: stage.StagedRow, accountId: number): AccountChange {
  // every field, null ones too, in the order the plan and the run show them
  const fields: AccountChange['fields'] = {
    title: { before: null, after: r.title },
    lastName: { before: null, after: r.lastName },
    firstName: { before: null, after: r.firstName },
    email: { before: null, after: r.email },
    phone: { before: null, after: r.phone },
    status: { before: null, after: r.accountStatus },
  };
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

/** An audit entry that a sync's run_change row stands for (issue 16 point 9): action and changes. */
export interface AccountAudit {
  action: 'sync.account.create' | 'sync.account.update' | 'sync.account.deactivate';
  changes: Record<string, unknown>;
}

/** An attachment added, as the audit names it: its services counted. */
const describe = (a: AccountAfter['added'][number]) => ({
  structure: a.structure,
  role: a.role,
  dateStart: a.dateStart,
  dateEnd: a.dateEnd,
  services: a.services.length,
});

/**
 * The audit entry of one account a sync changed, from the run's images of it (its run_change
 * row, as stored): the action and the changes the sync's per-account entries held before the
 * run's rows replaced them. Null for a row that records no change (`kept`: a base written).
 */
export function accountAudit(
  kind: string,
  beforeText: string | null,
  afterText: string,
): AccountAudit | null {
  if (kind === 'kept') return null;
  const { before, after } = readImages(beforeText, afterText);
  const f = after.fields;
  if (kind === 'created' || before === null)
    return {
      action: 'sync.account.create',
      changes: {
        status: f.status ?? null,
        lastName: f.lastName ?? null,
        firstName: f.firstName ?? null,
        email: f.email ?? null,
        phone: f.phone ?? null,
        attachmentsAdded: after.added.map(describe),
      },
    };
  const fields = Object.fromEntries(
    Object.keys(f).map((k) => [k, { before: before.fields[k] ?? null, after: f[k] ?? null }]),
  );
  const ended =
    after.ended.length > 0 ? { attachmentsEnded: after.ended.map((e) => e.structure) } : {};
  if (after.absent)
    return {
      action: kind === 'deactivated' ? 'sync.account.deactivate' : 'sync.account.update',
      changes: { ...fields, ...ended, reason: 'absent' },
    };
  const list = <K extends 'kept' | 'gpKept' | 'keptLocal' | 'overridden'>(k: K) =>
    after[k] !== undefined && after[k].length > 0 ? { [k]: after[k] } : {};
  return {
    action: 'sync.account.update',
    changes: {
      ...fields,
      ...list('kept'),
      ...(after.added.length > 0 ? { attachmentsAdded: after.added.map(describe) } : {}),
      ...(after.changed.length > 0
        ? {
            attachmentsChanged: after.changed.map((c, i) => {
              const was = (before.changed[i] ?? {}) as unknown as Record<string, unknown>;
              return {
                structure: c.structure,
                ...Object.fromEntries(
                  Object.entries(c.set).map(([k, v]) => [k, { before: was[k] ?? null, after: v }]),
                ),
                ...(c.services
                  ? {
                      services: {
                        before: (was.services as unknown[] | undefined)?.length ?? 0,
                        after: c.services.length,
                      },
                    }
                  : {}),
              };
            }),
          }
        : {}),
      ...ended,
      ...list('gpKept'),
      ...list('keptLocal'),
      ...list('overridden'),
    },
  };
}
