import { ConflictError } from '../../errors.js';
import * as runs from '../../db/run.repository.js';
import type { Store } from '../../db/store.js';
import { runUseCase } from '../use-case.js';
import { AccountReverter } from './revert-accounts.js';
import { RevertFrame, type RevertSummary } from './revert-frame.js';
import { StructureReverter } from './revert-structures.js';
import { reachRun } from './runs.js';

export type { RevertConflict, RevertSummary } from './revert-frame.js';

/**
 * `sync revert RUN` (SPEC 8.1 "Runs"): the values a run replaced come back, one transaction.
 * The run's changes are taken newest first (a GP the run made waits for the one it demoted to be
 * restored, as the run wrote them the other way round). For each value the run set:
 * - still what the run left: it takes its before value again;
 * - already back to its before value: nothing to do;
 * - changed again since: kept, and listed as a conflict (never overwritten).
 * Attachments the run added are removed with their service links (unless changed since);
 * accounts it created are deleted as `account delete` does (status SUPPRIME, attachments
 * SUPPRIMEE), unless used since (changed, completed, other attachments, habilitations,
 * subscriptions or files); the account's `madrhas_base` comes back, its sync digest is cleared.
 * An import's structures and services take their values back; those it created are removed when
 * nothing refers to them. A structure never loses its validated GP through a revert: removing
 * one is a conflict unless the revert gives the structure back the GP it had before the run.
 *
 * Rights: a correspondent who may see the run (its actor's scope within theirs) and whose scope
 * covers every account and existing structure it changes (domain/rights.ts), else 4. A run is
 * reverted once (6); a revert itself is not reverted (6): syncing the file again redoes the run.
 *
 * Here: the use case and the loop over the run's changes, a chunk at a time; each chunk's
 * accounts go to revert-accounts.ts, its structures and services to revert-structures.ts, which
 * read the chunk's state in a few queries, decide target by target and write in bulk
 * (revert-frame.ts: what they share).
 */

export const REVERT_KIND = 'sync.revert';

export interface RevertOptions {
  dryRun: boolean;
}

/** Thrown inside the transaction to roll a dry run back; carries its summary out. */
class DryRevert extends Error {
  constructor(readonly summary: RevertSummary) {
    super('dry run');
  }
}

/** Changes read, decided and written together. */
const CHUNK = 500;

export async function revertRun(
  store: Store,
  actor: string,
  id: number,
  o: RevertOptions,
): Promise<RevertSummary> {
  try {
    return await runUseCase(
      store,
      { actor, action: 'sync.revert', exclusive: true },
      async (uc) => {
        const run = await reachRun(uc, id, 'sync.revert');
        if (run.kind === REVERT_KIND) throw new ConflictError('run.revertOfRevert', { run: id });
        if (run.revertedBy !== null)
          throw new ConflictError('run.alreadyReverted', { run: id, by: run.revertedBy });
        const revertId = await runs.insertRun(uc.trx, {
          kind: REVERT_KIND,
          actor: uc.actor.login,
          fileName: run.fileName,
          fileSha256: run.fileSha256,
          startedAt: uc.now,
        });
        const summary: RevertSummary = {
          run: id,
          revertRun: o.dryRun ? null : revertId,
          dryRun: o.dryRun,
          changes: 0,
          restored: 0,
          deleted: 0,
          attachmentsRemoved: 0,
          attachmentsRestored: 0,
          conflicts: [],
        };
        const frame = new RevertFrame(
          uc,
          summary,
          revertId,
          run.finishedAt ?? uc.now,
          store.reason ?? null,
        );
        const accounts = new AccountReverter(frame);
        const imports = new StructureReverter(frame);
        for (let after = 0; ;) {
          const page = await runs.runChanges(uc.trx, id, after, CHUNK);
          if (page.length === 0) break;
          after = page[page.length - 1]!.id;
          await accounts.prepare(page);
        }
        for (let after = Infinity; ;) {
          const page = await runs.runChanges(uc.trx, id, after, CHUNK, true);
          if (page.length === 0) break;
          after = page[page.length - 1]!.id;
          summary.changes += page.length;
          const isAccount = (c: runs.RunChangeRow) => c.target.startsWith('account:');
          await accounts.revert(page.filter(isAccount));
          await imports.revert(page.filter((c) => !isAccount(c)));
          await frame.flushAudit();
        }
        await accounts.restoreWaitingPrincipals();
        await frame.checkPrincipals();
        await frame.flushAudit();
        await runs.setRevertedBy(uc.trx, id, revertId);
        const counts = {
          changes: summary.changes,
          restored: summary.restored,
          deleted: summary.deleted,
          attachmentsRemoved: summary.attachmentsRemoved,
          attachmentsRestored: summary.attachmentsRestored,
          conflicts: summary.conflicts.length,
        };
        await runs.finishRun(uc.trx, revertId, {
          finishedAt: store.clock.now().toISOString(),
          counts: JSON.stringify(counts),
        });
        uc.audit(
          REVERT_KIND,
          `run:${id}`,
          // the first conflicts (all of them are in the command's output)
          { ...counts, conflictList: summary.conflicts.slice(0, 100), revertedRun: run.kind },
          revertId,
        );
        if (o.dryRun) throw new DryRevert(summary);
        return summary;
      },
    );
  } catch (err) {
    if (err instanceof DryRevert) return err.summary;
    throw err;
  }
}
