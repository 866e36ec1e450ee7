import type { MessageKey } from './i18n/index.js';

/**
 * The kinds of failure the program knows, each with its exit code (SPEC 5).
 * Only src/cli.ts turns these into a process exit; everyone else throws.
 */
export const EXIT = {
  OK: 0,
  PARTIAL: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  FORBIDDEN: 4,
  INVALID: 5,
  CONFLICT: 6,
  STORE_UNAVAILABLE: 7,
  CHANGES_PENDING: 8,
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

export type Params = Record<string, string | number | boolean | null | undefined>;

/** An error the user should read: a catalogue key and its parameters, and an exit code. */
export abstract class AppError extends Error {
  abstract readonly exitCode: number;
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
    options?: { cause?: unknown },
  ) {
    super(key, options);
  }
}

export class UsageError extends AppError {
  override readonly name = 'UsageError';
  readonly exitCode = EXIT.USAGE;
}

/**
 * A misuse of the command line found while reading it (unknown command or option, missing
 * argument…): exit 2, with the nearest words the user may have meant.
 */
export class CommandLineError extends UsageError {
  constructor(
    key: MessageKey,
    params: Params = {},
    readonly suggestions: readonly string[] = [],
  ) {
    super(key, params);
  }
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  readonly exitCode = EXIT.NOT_FOUND;
}

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  readonly exitCode = EXIT.FORBIDDEN;
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  readonly exitCode = EXIT.CONFLICT;
}

export class StoreUnavailableError extends AppError {
  override readonly name = 'StoreUnavailableError';
  readonly exitCode = EXIT.STORE_UNAVAILABLE;
}

/** One field that failed validation; `line` when the value came from a file. */
export interface FieldIssue {
  field: string;
  /** A catalogue key (or a library's own sentence), filled from `params`. */
  message: string;
  params?: Params;
  line?: number;
}

export class InvalidInputError extends AppError {
  override readonly name = 'InvalidInputError';
  readonly exitCode = EXIT.INVALID;
  constructor(
    readonly issues: FieldIssue[],
    key: MessageKey = 'error.invalidInput',
    params: Params = {},
  ) {
    super(key, params);
  }
}

/** A batch ran to its end but some items failed (exit 1); `result` is what the command renders. */
export class PartialBatchError<T = unknown> extends AppError {
  override readonly name = 'PartialBatchError';
  readonly exitCode = EXIT.PARTIAL;
  constructor(
    readonly result: T,
    key: MessageKey,
    params: Params = {},
  ) {
    super(key, params);
  }
}

/** A `--check` dry run found that applying the file would change the store (SPEC 5: exit 8). */
export class ChangesPendingError extends AppError {
  override readonly name = 'ChangesPendingError';
  readonly exitCode = EXIT.CHANGES_PENDING;
}

/** The user interrupted a prompt (Ctrl-C): nothing was written. */
export class InterruptedError extends AppError {
  override readonly name = 'InterruptedError';
  readonly exitCode = EXIT.INTERRUPTED;
  constructor() {
    super('error.interrupted');
  }
}

/** The program that started this one (the launcher of a batch) is gone: the run stops before it commits. */
export class OrphanedError extends AppError {
  override readonly name = 'OrphanedError';
  readonly exitCode = EXIT.INTERRUPTED;
  constructor() {
    super('store.orphaned');
  }
}

/** The system errors whose cause the catalogues say in words (`error.errno.ENOENT`…). */
const ERRNO_KEYS = {
  ENOENT: 'error.errno.ENOENT',
  EACCES: 'error.errno.EACCES',
  EPERM: 'error.errno.EPERM',
  EISDIR: 'error.errno.EISDIR',
  ENOTDIR: 'error.errno.ENOTDIR',
  ENAMETOOLONG: 'error.errno.ENAMETOOLONG',
  ELOOP: 'error.errno.ELOOP',
  EROFS: 'error.errno.EROFS',
  EEXIST: 'error.errno.EEXIST',
  ENOSPC: 'error.errno.ENOSPC',
  EDQUOT: 'error.errno.ENOSPC',
  EIO: 'error.errno.EIO',
  EMFILE: 'error.errno.EMFILE',
  ENFILE: 'error.errno.EMFILE',
  EBUSY: 'error.errno.EBUSY',
  EPIPE: 'error.errno.EPIPE',
} as const satisfies Record<string, MessageKey>;

/**
 * Why a file could not be read or written, as a catalogue key for a message's `{detail}`: Node's
 * own message is English (`ENOENT: no such file or directory, open 'x'`), so it is never shown.
 */
export function systemReason(err: unknown): MessageKey {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && Object.hasOwn(ERRNO_KEYS, code)
    ? ERRNO_KEYS[code as keyof typeof ERRNO_KEYS]
    : 'error.errno.other';
}
