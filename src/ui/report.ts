import path from 'node:path';
import { CommanderError } from 'commander';
import {
  AppError,
  CommandLineError,
  EXIT,
  InvalidInputError,
  PartialBatchError,
  ChangesPendingError,
  type FieldIssue,
} from '../errors.js';
import { isMessageKey, type MessageKey } from '../i18n/index.js';
import type { Output } from './output.js';

/**
 * What went wrong, told to the user: the one place that turns an error into a message of the
 * catalogue and an exit code of SPEC 5 (src/cli.ts calls it from its one top-level catch).
 */

/**
 * What the file system says of a path the user typed (a missing folder, a name too long, a file
 * or a dangling link already there): the user's doing, not a bug. Each has its exit code.
 */
const PATH_ERRORS: Record<string, number> = {
  ENOENT: EXIT.INVALID,
  ENOTDIR: EXIT.INVALID,
  EISDIR: EXIT.INVALID,
  ENAMETOOLONG: EXIT.INVALID,
  ELOOP: EXIT.INVALID,
  EACCES: EXIT.INVALID,
  EPERM: EXIT.INVALID,
  EROFS: EXIT.INVALID,
  EEXIST: EXIT.CONFLICT,
};

/** Every word of the command line as a path from the working folder (`--opt=value`: the value). */
export function typedPaths(argv: readonly string[], cwd: string): string[] {
  return argv
    .flatMap((a) => (/^--[^=]+=/.test(a) ? [a.slice(a.indexOf('=') + 1)] : [a]))
    .filter((a) => a !== '')
    .map((a) => path.resolve(cwd, a));
}

/**
 * The path of a file-system error when it is one the user typed, a file right in a folder the
 * user typed (`--to DIR`, `-o DIR`), or a folder on the way to a path the user typed (a file
 * where `--db a/b.sqlite` needs the folder `a`); any other path is the program's own, and a bug.
 */
function typedPathOf(err: unknown, typed: readonly string[]): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (typeof e.code !== 'string' || !Object.hasOwn(PATH_ERRORS, e.code)) return undefined;
  return [e.path, e.dest].find(
    (p): p is string =>
      typeof p === 'string' &&
      typed.some((u) => {
        const at = path.resolve(p);
        return at === u || path.dirname(at) === u || u.startsWith(at + path.sep);
      }),
  );
}

/** The exit-1 messages of batches that did the rest of their work: `Attention :`, not `Erreur :`. */
const PARTIAL_SUCCESS: ReadonlySet<string> = new Set<MessageKey>([
  'import.partial',
  'import.partialWithFile',
  'bulk.partial',
  'attachment.decidedPartly',
]);

/** What went wrong, said once and rendered for people (stderr lines) or scripts (one JSON object). */
interface Failure {
  code: number;
  key: string;
  message: string;
  fields: { field: string; message: string; line?: number }[];
  /** The nearest words to a mistyped one. */
  suggestions?: readonly string[];
}

/** A parameter that is itself a catalogue key (a system error's cause) is said in words too. */
function textOf(out: Output, key: string, params: Record<string, unknown> = {}): string {
  const said = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      typeof v === 'string' && isMessageKey(v) ? out.t(v) : v,
    ]),
  );
  return out.text(key, said);
}

function fieldsOf(out: Output, issues: readonly FieldIssue[]): Failure['fields'] {
  return issues.map((i) => ({
    field: i.field,
    message: textOf(out, i.message, i.params),
    ...(i.line === undefined ? {} : { line: i.line }),
  }));
}

/** `Vouliez-vous dire « account » ?`, or nothing when no word is near. */
function didYouMean(out: Output, words: readonly string[]): string {
  if (words.length === 0) return '';
  const quoted = words.map((word) => out.t('usage.quoted', { word }));
  const listed =
    quoted.length === 1
      ? quoted[0]!
      : `${quoted.slice(0, -1).join(', ')}${out.t('usage.or')}${quoted.at(-1)!}`;
  return ' ' + out.t('usage.didYouMean', { words: listed });
}

/**
 * Prints what went wrong, in the user's language, and returns the exit code of SPEC 5. With
 * `json`, the error is also one JSON object, the last line of stderr:
 * `{"error":{"code","key","message","fields"}}` (code: the exit code; key: the catalogue's).
 */
export function reportError(
  err: unknown,
  out: Output,
  typed: readonly string[] = [],
  json = false,
): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.OK;
    // `chorus-admin` or a group alone: commander already showed the help on stderr
    if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync')
      return EXIT.USAGE;
  }
  const failure = failureOf(err, out, typed);
  // a batch that did part of its work warns; a broken audit chain or a damaged store is an error
  if (
    (err instanceof PartialBatchError && PARTIAL_SUCCESS.has(err.key)) ||
    err instanceof ChangesPendingError
  )
    out.partial(failure.message);
  else
    out.error(
      failure.message,
      failure.fields.map(
        (f) =>
          `${f.line === undefined ? '' : out.t('output.line', { line: f.line }) + ' '}${f.field === '-' ? '' : f.field + ': '}${f.message}`,
      ),
    );
  if (err instanceof CommandLineError) out.info('usage.seeHelp');
  if (failure.code === EXIT.INTERNAL) {
    if (out.verbose && err instanceof Error && err.stack) out.debug(err.stack);
    else out.info('error.internalHint');
  } else if (err instanceof AppError && err.params.detail) out.debug(String(err.params.detail));
  else if (err instanceof Error && failure.key === 'error.path') out.debug(err.message);
  // for scripts, the same as the last line of stderr: one JSON object
  // (a batch that ran, exit 1, has its result on stdout already)
  if (json && !(err instanceof PartialBatchError)) {
    const { suggestions, ...said } = failure;
    out.io.stderr.write(
      JSON.stringify({ error: { ...said, ...(suggestions?.length ? { suggestions } : {}) } }) +
        '\n',
    );
  }
  return failure.code;
}

function failureOf(err: unknown, out: Output, typed: readonly string[]): Failure {
  if (err instanceof CommandLineError)
    return {
      code: err.exitCode,
      key: err.key,
      message: textOf(out, err.key, err.params) + didYouMean(out, err.suggestions),
      fields: [],
      suggestions: err.suggestions,
    };
  if (err instanceof InvalidInputError)
    return {
      code: err.exitCode,
      key: err.key,
      message: textOf(out, err.key, err.params),
      fields: fieldsOf(out, err.issues),
    };
  if (err instanceof AppError)
    return {
      code: err.exitCode,
      key: err.key,
      message: textOf(out, err.key, err.params),
      fields: [],
    };
  const typedPath = typedPathOf(err, typed);
  if (typedPath !== undefined) {
    const code = (err as NodeJS.ErrnoException).code!;
    return {
      code: PATH_ERRORS[code]!,
      key: 'error.path',
      message: out.t('error.path', {
        path: typedPath,
        reason: out.t(`error.path.${code}` as MessageKey),
      }),
      fields: [],
    };
  }
  return {
    code: EXIT.INTERNAL,
    key: 'error.internal',
    message: out.t('error.internal', { message: err instanceof Error ? err.message : String(err) }),
    fields: [],
  };
}
