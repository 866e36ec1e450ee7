import { UsageError, InterruptedError } from '../errors.js';
import type { MessageKey } from '../i18n/index.js';
import {
  colourLevel,
  type Choice,
  type InputStream,
  type OutputStream,
  type Prompter,
  type PromptWords,
} from './io.js';
import type { Output } from './output.js';

/**
 * Questions to the person at the terminal: only on a TTY. Without one, a needed answer is a
 * usage error (exit 2); `--yes` answers confirmations. Ctrl-C becomes exit 130, nothing written.
 */

export const interactive = (out: Output) => Boolean(out.io.stdin.isTTY && out.io.stderr.isTTY);

/**
 * inquirer's prompts on the given terminal streams, loaded on the first question, speaking the
 * user's language: the confirmation is an `input` that reads `o`, `oui`, `y`, `yes`, `n`, `non`,
 * `no` (any case; empty: no), since inquirer's own `confirm` knows only y/n; the list prompts'
 * key hints go through the theme's `keysHelpTip`.
 */
export function inquirerPrompter(input: InputStream, output: OutputStream): Prompter {
  const context = { input, output };
  const load = () => import('@inquirer/prompts');
  return {
    confirm: async (message, words) => {
      if (!words) return (await load()).confirm({ message, default: false }, context);
      const answer = await (
        await load()
      ).input(
        {
          message: `${message} (${words.hint})`,
          validate: (v) => yesNo(v, words) !== undefined || words.invalid,
          transformer: (v, { isFinal }) =>
            isFinal ? (yesNo(v, words) ? words.yesLabel : words.noLabel) : v,
        },
        context,
      );
      return yesNo(answer, words) === true;
    },
    input: async (message, validate) => (await load()).input({ message, validate }, context),
    select: async (message, choices, words) =>
      (await load()).select(
        {
          message,
          choices: [...choices],
          ...(words ? { theme: theme(words.selectKeys, words) } : {}),
        },
        context,
      ),
    checkbox: async (message, choices, words) =>
      (await load()).checkbox(
        {
          message,
          choices: [...choices],
          ...(words ? { theme: theme(words.checkboxKeys, words) } : {}),
        },
        context,
      ),
  };
}

/** The answer to a confirmation: true (yes), false (no, or empty), undefined (neither). */
export function yesNo(answer: string, words: Pick<PromptWords, 'yes' | 'no'>): boolean | undefined {
  const a = answer.trim().toLowerCase();
  if (a === '') return false;
  if (words.yes.includes(a)) return true;
  if (words.no.includes(a)) return false;
  return undefined;
}

/** A list prompt's theme: its key hints in the user's words (inquirer passes its English ones). */
function theme(keys: PromptWords['selectKeys'], words: PromptWords) {
  const bold = (s: string) => (words.colour ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string) => (words.colour ? `\x1b[2m${s}\x1b[22m` : s);
  return {
    style: {
      keysHelpTip: () =>
        keys.map(([key, action]) => `${bold(key)} ${dim(action)}`).join(dim(' • ')),
    },
  };
}

/** The words of the questions in the user's language (catalogue keys `prompt.*`). */
export function promptWords(out: Output): PromptWords {
  const list = (key: MessageKey) =>
    out
      .t(key)
      .split(',')
      .map((w) => w.trim().toLowerCase());
  return {
    hint: out.t('prompt.hint'),
    yes: list('prompt.yesWords'),
    no: list('prompt.noWords'),
    yesLabel: out.t('prompt.yesLabel'),
    noLabel: out.t('prompt.noLabel'),
    invalid: out.t('prompt.invalid'),
    selectKeys: [
      ['↑↓', out.t('prompt.key.navigate')],
      ['⏎', out.t('prompt.key.choose')],
    ],
    checkboxKeys: [
      ['↑↓', out.t('prompt.key.navigate')],
      [out.t('prompt.key.space'), out.t('prompt.key.tick')],
      ['a', out.t('prompt.key.all')],
      ['i', out.t('prompt.key.invert')],
      ['⏎', out.t('prompt.key.submit')],
    ],
    colour: colourLevel(out.io.stderr, out.io.env) > 0,
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
  return ask(() => out.io.prompter.confirm(out.t(key, params), promptWords(out)));
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

/**
 * Asks on a terminal for a value the user may leave empty (undefined then); never asks a script,
 * which goes on without it. `validate` judges a non-empty answer.
 */
export async function askOptionalText(
  out: Output,
  label: string,
  validate: (value: string) => MessageKey | null,
): Promise<string | undefined> {
  if (!interactive(out)) return undefined;
  const answer = await ask(() =>
    out.io.prompter.input(label, (v) => {
      if (v.trim() === '') return true;
      const key = validate(v);
      return key === null ? true : out.text(key);
    }),
  );
  return answer.trim() === '' ? undefined : answer.trim();
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
      promptWords(out),
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
  return ask(() => out.io.prompter.checkbox(label, choices, promptWords(out)));
}
