import { UsageError, InterruptedError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import type { Choice, InputStream, OutputStream, Prompter } from './io.js';
import type { Output } from './output.js';

/**
 * Questions to the person at the terminal: only on a TTY. Without one, a needed answer is a
 * usage error (exit 2); `--yes` answers confirmations. Ctrl-C becomes exit 130, nothing written.
 */

export const interactive = (out: Output) => Boolean(out.io.stdin.isTTY && out.io.stderr.isTTY);

/** inquirer's prompts on the given terminal streams, loaded on the first question. */
export function inquirerPrompter(input: InputStream, output: OutputStream): Prompter {
  const context = { input, output };
  const load = () => import('@inquirer/prompts');
  return {
    confirm: async (message) => (await load()).confirm({ message, default: false }, context),
    input: async (message, validate) => (await load()).input({ message, validate }, context),
    select: async (message, choices) =>
      (await load()).select({ message, choices: [...choices] }, context),
    checkbox: async (message, choices) =>
      (await load()).checkbox({ message, choices: [...choices] }, context),
  };
}

async function ask<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (err) {
    if (err instanceof Error && err.name === 'ExitPromptError') throw new InterruptedError();
    throw err;
  }
}

export async function confirm(
  out: Output,
  yes: boolean,
  key: MessageKey,
  params: Record<string, unknown> = {},
): Promise<boolean> {
  if (yes) return true;
  if (!interactive(out)) throw new UsageError('usage.confirmationNeeded');
  return ask(() => out.io.prompter.confirm(out.t(key, params)));
}

/** Asks for a value that is missing; `validate` returns a catalogue key when the answer is refused. */
export async function askText(
  out: Output,
  label: string,
  validate: (value: string) => MessageKey | null,
  missingFlag: string,
): Promise<string> {
  if (!interactive(out)) throw new UsageError('usage.missingValue', { option: missingFlag });
  return ask(() =>
    out.io.prompter.input(label, (v) => {
      const key = validate(v);
      return key === null ? true : out.text(key);
    }),
  );
}

export async function askChoice<T extends string>(
  out: Output,
  label: string,
  choices: readonly T[],
  missingFlag: string,
): Promise<T> {
  if (!interactive(out)) throw new UsageError('usage.missingValue', { option: missingFlag });
  return ask(() =>
    out.io.prompter.select(
      label,
      choices.map((c) => ({ value: c, name: c })),
    ),
  );
}

/** Asks to tick some of `choices` (a checkbox list); an empty answer is the user's to judge. */
export async function askChoices<T>(
  out: Output,
  label: string,
  choices: readonly Choice<T>[],
  missingFlag: string,
): Promise<T[]> {
  if (!interactive(out)) throw new UsageError('usage.missingValue', { option: missingFlag });
  return ask(() => out.io.prompter.checkbox(label, choices));
}
