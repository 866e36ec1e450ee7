import { personalFingerprint } from '../../domain/madrhas.js';
import { baseGpStructures, decodeBase } from '../../domain/merge.js';
import type { Scope } from '../../domain/departement.js';
import type { CurrentAccount } from '../../domain/account-plan.js';
import type { CellView, CsvRecord } from '../../io/csv.js';
import * as stage from '../../db/sync-stage.repository.js';
import type { AccountGroup } from './writer.js';
import { crossRuleReason, type RowChecker } from './rows.js';
import { encodeReasons, type Reason } from './reasons.js';
import type { SyncSummary } from './summary.js';
import type { GpClaims } from './gp-claims.js';

// The streamed path's check of one account (app/sync/stream.ts): its rows one by one, then
// against each other, in the staged path's order of rules.

/** What checking an account's rows needs of the run, gathered once. */
export interface GroupRun {
  checker: RowChecker;
  /** The file's columns, by name. */
  view: CellView;
  summary: SyncSummary;
  /** The correspondents' own scopes, by account id. */
  scopes: ReadonlyMap<number, Scope>;
  /** The reason a row about an account outside the actor's scope is rejected with. */
  outsideScope: Reason;
  /** The file's GP claims, as its rows go. */
  gp: GpClaims;
  /** structure id → its GP's account id when the run began. */
  storeGp: Map<number, number>;
}

/** An account's rows that passed, to be planned and written. */
export type CheckedGroup = Omit<AccountGroup, 'digest'> & { padded: boolean };

/**
 * An account's rows checked one by one, then against each other (in the staged path's order of
 * rules); the rejected ones are pushed to `rejects` as stage rows. `outside`: the account lies
 * outside the actor's scope, and every row of it is rejected as on its own (the rules across rows
 * leave such rows out). Null when no row passed.
 */
export function checkGroup(
  run: GroupRun,
  login: string,
  records: CsvRecord[],
  account: CurrentAccount | null,
  outside: boolean,
  rejects: unknown[][],
): CheckedGroup | null {
  const { checker, view, summary, scopes, gp, storeGp } = run;
  const checked = records.map((r) => ({
    line: r.line,
    ...checker.check(view.at(r.fields)),
  }));
  if (outside) for (const c of checked) c.reasons.push(run.outsideScope);
  const valid = checked.filter(
    (c) => c.reasons.length === 0 && c.row !== null && c.structureId !== null,
  );
  for (const c of checked) if (c.row !== null && c.padded) summary.padded++;
  const cross = new Map<(typeof valid)[number], Reason[]>(valid.map((c) => [c, []]));
  const flag = (rows: typeof valid, key: Parameters<typeof crossRuleReason>[0]) => {
    for (const c of rows) cross.get(c)!.push(crossRuleReason(key));
  };
  if (new Set(valid.map((c) => personalFingerprint(c.row!))).size > 1)
    flag(valid, 'sync.personalDisagree');
  const byStructure = new Map<number, typeof valid>();
  for (const c of valid)
    byStructure.set(c.structureId!, [...(byStructure.get(c.structureId!) ?? []), c]);
  for (const rows of byStructure.values()) {
    const roles = new Set(rows.map((c) => c.row!.role));
    const periods = new Set(rows.map((c) => `${c.row!.dateStart}|${c.row!.dateEnd ?? ''}`));
    if (roles.size > 1 || periods.size > 1) flag(rows, 'sync.attachmentDisagree');
  }
  if (account?.status === 'SUPPRIME') flag(valid, 'sync.accountDeleted');
  if (account && scopes.has(account.id)) flag(valid, 'sync.isCorrespondent');
  const baseGp = baseGpStructures(decodeBase(account?.madrhasBase, login));
  for (const c of valid)
    gp.noteRole(
      storeGp,
      c.structureId!,
      c.row!.role,
      login,
      account?.id ?? null,
      baseGp.has(c.structureId!),
      cross.get(c)!.length === 0,
    );

  const rows: stage.StagedRow[] = [];
  for (const c of checked) {
    const reasons = [...c.reasons, ...(cross.get(c) ?? [])];
    if (reasons.length > 0 || c.row === null || c.structureId === null) {
      rejects.push(stage.rejectedStageRow(c.line, login || null, encodeReasons(reasons)));
      continue;
    }
    const r = c.row;
    rows.push({
      line: c.line,
      login: r.login,
      title: r.title,
      lastName: r.lastName,
      firstName: r.firstName,
      email: r.email,
      phone: r.phone,
      structureId: c.structureId,
      serviceId: c.serviceId,
      role: r.role,
      dateStart: r.dateStart,
      dateEnd: r.dateEnd,
      accountStatus: r.accountStatus,
    });
  }
  if (rows.length === 0) return null;
  return {
    login,
    rows,
    hasRejects: rows.length < records.length,
    padded: checked.some((c) => c.row !== null && c.padded),
  };
}
