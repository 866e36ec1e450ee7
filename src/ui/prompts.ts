import { UsageError, InterruptedError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import type { Output } from './output.js';

/**
 * Questions to the person at the terminal: only on a TTY. Without one, a needed answer is a
 * usage error (exit 2); `--yes` answers confirmations. Ctrl-C becomes exit 130, nothing written.
 */

export const interactive = () => Boolean(process.stdin.isTTY && process.stderr.isTTY);

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
  if (!interactive()) throw new UsageError('usage.confirmationNeeded');
  const { confirm: inquirerConfirm } = await import('@inquirer/prompts');
  return ask(() =>
    inquirerConfirm({ message: out.t(key, params), default: false }, { output: process.stderr }),
  );
}

/** Asks for a value that is missing; `validate` returns a catalogue key when the answer is refused. */
export async function askText(
  out: Output,
  label: string,
  validate: (value: string) => MessageKey | null,
  missingFlag: string,
): Promise<string> {
  if (!interactive()) throw new UsageError('usage.missingValue', { option: missingFlag });
  const { input } = await import('@inquirer/prompts');
  return ask(() =>
    input(
      {
        message: label,
        validate: (v: string) => {
          const key = validate(v);
          return key === null ? true : out.text(key);
        },
      },
      { output: process.stderr },
    ),
  );
}

export async function askChoice<T extends string>(
  out: Output,
  label: string,
  choices: readonly T[],
  missingFlag: string,
): Promise<T> {
  if (!interactive()) throw new UsageError('usage.missingValue', { option: missingFlag });
  const { select } = await import('@inquirer/prompts');
  return ask(() =>
    select(
      { message: label, choices: choices.map((c) => ({ value: c, name: c })) },
      { output: process.stderr },
    ),
  );
}

/** Asks to tick some of `choices` (a checkbox list); an empty answer is the user's to judge. */
export async function askChoices<T>(
  out: Output,
  label: string,
  choices: readonly { value: T; name: string }[],
  missingFlag: string,
): Promise<T[]> {
  if (!interactive()) throw new UsageError('usage.missingValue', { option: missingFlag });
  const { checkbox } = await import('@inquirer/prompts');
  return ask(() => checkbox({ message: label, choices: [...choices] }, { output: process.stderr }));
}
