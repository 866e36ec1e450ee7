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
   * Whether the program that started this process still runs: false once the launcher of a batch
   * child (bin/chorus-admin.js) is gone, and the store then commits nothing. Asked synchronously
   * right before each COMMIT; always true when absent (a program run on its own, or in a test).
   */
  readonly parentAlive?: () => boolean;
}

export type InputStream = NodeJS.ReadableStream & { isTTY?: boolean };
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface Choice<T> {
  value: T;
  name: string;
}

/** The four kinds of question the program asks; inquirer's on a real terminal. */
export interface Prompter {
  confirm(message: string): Promise<boolean>;
  input(message: string, validate: (value: string) => string | true): Promise<string>;
  select<T>(message: string, choices: readonly Choice<T>[]): Promise<T>;
  checkbox<T>(message: string, choices: readonly Choice<T>[]): Promise<T[]>;
}
