import { personalFingerprint, type MadrhasRow } from '../../domain/madrhas.js';
import { baseGpStructures, decodeBase } from '../../domain/merge.js';
import type { Scope } from '../../domain/departement.js';
import type { CurrentAccount } from '../../domain/account-plan.js';
import type { CellView, CsvRecord } from '../../io/csv.js';
import * as stage from '../../db/sync-stage.repository.js';
import type { AccountGroup } from './writer.js';
import { crossRuleReason, type CheckedRow, type RowChecker } from './rows.js';
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

/** No structure: an account without a base is the GP of none by it. */
const NO_STRUCTURES: ReadonlySet<number> = new Set();

/**
 * An account's rows checked one by one, then against each other (in the staged path's order of
 * rules); the rejected ones are pushed to `rejects` as stage rows. `outside`: the account lies
 * outside the actor's scope, and every row of it is rejected as on its own (the rules across rows
 * leave such rows out). Null when no row passed.
 *
 * Run once per account of the file, so it allocates little beyond what it returns: the rules
 * across rows build their sets only for an account with two valid rows or more.
 */
export function checkGroup(
  run: GroupRun,
  login: string,
  records: CsvRecord[],
  account: CurrentAccount | null,
  outside: boolean,
  rejects: unknown[][],
): CheckedGroup | null {
  const { checker, view, summary, gp, storeGp } = run;
  const checked = new Array<CheckedRow>(records.length);
  /** The rows valid on their own, by index in `checked`. */
  const valid: number[] = [];
  let padded = false;
  for (let i = 0; i < records.length; i++) {
    const c = checker.check(view.at(records[i]!.fields));
    if (outside) c.reasons.push(run.outsideScope);
    if (c.row !== null && c.padded) {
      summary.padded++;
      padded = true;
    }
    if (c.reasons.length === 0 && c.row !== null && c.structureId !== null) valid.push(i);
    checked[i] = c;
  }
  const cross = crossReasons(run, checked, valid, account);
  const baseGp = account ? baseGpStructures(decodeBase(account.madrhasBase, login)) : NO_STRUCTURES;
  for (const i of valid) {
    const c = checked[i]!;
    gp.noteRole(
      storeGp,
      c.structureId!,
      c.row!.role,
      login,
      account?.id ?? null,
      baseGp.has(c.structureId!),
      cross?.[i] === undefined,
    );
  }

  const rows: stage.StagedRow[] = [];
  for (let i = 0; i < checked.length; i++) {
    const c = checked[i]!;
    const more = cross?.[i];
    if (c.reasons.length > 0 || more !== undefined || c.row === null || c.structureId === null) {
      const reasons = more === undefined ? c.reasons : [...c.reasons, ...more];
      rejects.push(stage.rejectedStageRow(records[i]!.line, login || null, encodeReasons(reasons)));
      continue;
    }
    const r = c.row;
    rows.push({
      line: records[i]!.line,
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
  return { login, rows, hasRejects: rows.length < records.length, padded };
}

/**
 * The rules across the account's valid rows (`valid`, indexes in `checked`), in the staged path's
 * order: the reasons each row gets, by the same index (undefined: none), or null when no row gets one.
 */
function crossReasons(
  run: GroupRun,
  checked: readonly CheckedRow[],
  valid: readonly number[],
  account: CurrentAccount | null,
): (Reason[] | undefined)[] | null {
  let out: (Reason[] | undefined)[] | null = null;
  const flag = (rows: Iterable<number>, key: Parameters<typeof crossRuleReason>[0]) => {
    out ??= [];
    for (const i of rows) (out[i] ??= []).push(crossRuleReason(key));
  };
  if (valid.length > 1) {
    if (new Set(valid.map((i) => personalFingerprint(checked[i]!.row!))).size > 1)
      flag(valid, 'sync.personalDisagree');
    // the rows naming one structure agree on its role and period
    const first = new Map<number, MadrhasRow>();
    const disagree = new Set<number>();
    for (const i of valid) {
      const { row, structureId } = checked[i]!;
      const f = first.get(structureId!);
      if (f === undefined) first.set(structureId!, row!);
      else if (
        f.role !== row!.role ||
        f.dateStart !== row!.dateStart ||
        (f.dateEnd ?? '') !== (row!.dateEnd ?? '')
      )
        disagree.add(structureId!);
    }
    if (disagree.size > 0)
      flag(
        valid.filter((i) => disagree.has(checked[i]!.structureId!)),
        'sync.attachmentDisagree',
      );
  }
  if (valid.length > 0 && account?.status === 'SUPPRIME') flag(valid, 'sync.accountDeleted');
  if (valid.length > 0 && account && run.scopes.has(account.id))
    flag(valid, 'sync.isCorrespondent');
  return out;
}
