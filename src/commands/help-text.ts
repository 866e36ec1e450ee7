import { t, type Lang, type MessageKey } from '../i18n/index.js';

/** Help texts are built before any option is parsed; each command gets its language this way. */
export function helpText(
  lang: Lang,
  key: MessageKey,
  params: Record<string, unknown> = {},
): string {
  return t(lang, key, params);
}

/** `Exemple :` followed by command lines, for `addHelpText('after', …)`. */
export function examples(lang: Lang, ...lines: string[]): string {
  return `\n${t(lang, 'help.examples')}\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
