import type { Clock } from '../domain/clock.js';

/**
 * The program's only door to its process: streams with their TTY flags and width, the
 * environment, the working folder, the clock and the prompts. `src/cli.ts` builds the real one;
 * tests build their own and run the program in their process.
 */
export interface Io {
  readonly stdin: InputStream;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly clock: Clock;
  /** Answers the questions of `ui/prompts.ts` when stdin and stderr are terminals. */
  readonly prompter: Prompter;
  /**
   * Asked synchronously right before each COMMIT; false rolls the transaction back. The program
   * runs in one process (issue 16), so only the tests' commit gate sets it (src/cli.ts); always
   * true when absent.
   */
  readonly parentAlive?: () => boolean;
}

export type InputStream = NodeJS.ReadableStream & { isTTY?: boolean };
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface Choice<T> {
  value: T;
  name: string;
}

/**
 * The words of the questions, in the user's language (SPEC 4): the confirmation's hint (`o/N`)
 * and the answers it takes, the key hints of the list prompts, and whether to colour them.
 */
export interface PromptWords {
  /** Shown after the question: `o/N`, `y/N`. */
  hint: string;
  /** Answers read as yes / no, lower case; an empty answer is no. */
  yes: readonly string[];
  no: readonly string[];
  /** How the answer reads once given. */
  yesLabel: string;
  noLabel: string;
  /** Said when the answer is neither. */
  invalid: string;
  /** The list prompts' key hints, already in the user's language, e.g. `['↑↓', 'naviguer']`. */
  selectKeys: readonly (readonly [string, string])[];
  checkboxKeys: readonly (readonly [string, string])[];
  colour: boolean;
}

/** The four kinds of question the program asks; inquirer's on a real terminal. */
export interface Prompter {
  confirm(message: string, words?: PromptWords): Promise<boolean>;
  input(message: string, validate: (value: string) => string | true): Promise<string>;
  select<T>(message: string, choices: readonly Choice<T>[], words?: PromptWords): Promise<T>;
  checkbox<T>(message: string, choices: readonly Choice<T>[], words?: PromptWords): Promise<T[]>;
}

/**
 * Whether a stream gets colours (SPEC 4). `NO_COLOR` present, with any value, turns them off even
 * on a terminal (SPEC 4 says "any value": stricter than no-color.org, which ignores an empty
 * one; a user who sets it at all wants no colour); else `FORCE_COLOR` turns them on (`0` or `false`: off; `2`, `3`: more colours);
 * else a stream is coloured only when it is a terminal.
 */
export function colourLevel(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined) return 0;
  const forced = env.FORCE_COLOR;
  if (forced !== undefined) {
    if (forced === '0' || forced.toLowerCase() === 'false') return 0;
    return forced === '2' ? 2 : forced === '3' ? 3 : 1;
  }
  return stream.isTTY ? 1 : 0;
}
