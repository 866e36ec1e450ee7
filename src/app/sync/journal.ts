import type { CurrentAttachment, WantedAttachment } from '../../domain/account-plan.js';

/**
 * What one sync run does to one account, as the writer decides it (app/sync/writer.ts): one entry
 * per account the run creates or changes, in the order it writes them. The same entries make the
 * plan a dry run shows and `--plan` saves, and the before-images a run keeps for `sync revert`
 * (SPEC 8.1): an entry holds what the account and the attachments it touches were before, and
 * what the run makes of them.
 */
/** What a run did to an account or a structure (a run's image, a plan's entry). */
export const CHANGE_KINDS = ['created', 'updated', 'reactivated', 'deactivated', 'kept'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface AccountChange {
  login: string;
  /** The account's id; for an account the run creates, the id it was given. */
  accountId: number;
  /**
   * `kept`: the run changes nothing of the account, but keeps against the file values the store
   * changed since the base (keptLocal), fields its holder owns (kept) or a GP role (gpKept): listed
   * in the plan, not a change (`--check` does not count it, a run keeps no image of it).
   */
  kind: ChangeKind;
  /** Full mode: the account is not in the file (its MADRHAS attachments in scope end). */
  absent: boolean;
  /** Personal fields and `status` the run sets (a created account: every field, before null). */
  fields: Record<string, { before: unknown; after: unknown }>;
  /** Fields the file would change but the holder owns since the first login (SPEC 8.1). */
  kept: string[];
  /** Fields (and `attachment:TYPE:ID.role`-like paths) the store changed since the base and the file did not: the store's value stays. */
  keptLocal: string[];
  /** Fields the store and the file both changed since the base: the file's value replaced the store's. */
  overridden: { field: string; store: unknown; file: unknown }[];
  attachments: {
    /** New attachments, with the ids they were given. */
    added: (WantedAttachment & { id: number })[];
    changed: {
      id: number;
      structureRef: string;
      set: Record<string, unknown>;
      /** The services after the run (null: unchanged). */
      services: number[] | null;
      before: CurrentAttachment;
    }[];
    /** Attachments the run ends (DESACTIVEE), as they were. */
    ended: { id: number; structureRef: string; status: string }[];
  };
  /** Structures whose GP role the run would have removed from this account: kept. */
  gpKept: string[];
  /** `account.madrhas_base` before and after the run, when the run writes it (`sync revert` puts it back). */
  base?: { before: string | null; after: string | null };
}

/** Where a run's entries go: the plan being written, the run's before-images, or both. */
export interface SyncJournal {
  /** One account's entry, once its writes are issued. */
  account(change: AccountChange): void;
  /** Called after each chunk of accounts (and at the end): a journal may write what it holds. */
  flush(): Promise<void>;
  /** The attempt that gave the entries so far rolled back (the streamed path gave up): forget them. */
  discard(): void;
}

/** The journal of nothing: runs that keep no entries. */
export const NO_JOURNAL: SyncJournal = {
  account: () => {},
  flush: async () => {},
  discard: () => {},
};

/** Entries to several journals at once. */
export function journals(...list: SyncJournal[]): SyncJournal {
  return {
    account: (c) => list.forEach((j) => j.account(c)),
    flush: async () => {
      for (const j of list) await j.flush();
    },
    discard: () => list.forEach((j) => j.discard()),
  };
}

/** Entries collected in memory (tests, small runs). */
export class MemoryJournal implements SyncJournal {
  readonly entries: AccountChange[] = [];
  account(change: AccountChange): void {
    this.entries.push(change);
  }
  async flush(): Promise<void> {}
  discard(): void {
    this.entries.length = 0;
  }
}
