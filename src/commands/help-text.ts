import { t, type Lang } from '../i18n/index.js';

/** `Exemple :` followed by command lines, for `addHelpText('after', …)`. */
export function examples(lang: Lang, ...lines: string[]): string {
  return `\n${t(lang, 'help.examples')}\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
