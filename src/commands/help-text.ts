import { isMessageKey, t, type Lang } from '../i18n/index.js';

/** `Exemple :` followed by command lines, for `addHelpText('after', …)`. */
export function examples(lang: Lang, ...lines: string[]): string {
  return `\n${t(lang, 'help.examples')}\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/**
 * The words of a usage line or an option's term in the user's language: `[options]`,
 * `[command]`, `<file>`, `[ids...]`, `<path|url>`… each translated where the catalogue has the
 * word (`help.ph.file`: `<fichier>`); flags and command names stay as they are typed.
 */
export function placeholders(lang: Lang, text: string): string {
  const word = (w: string) => placeholder(lang, w);
  return text.replace(
    /([<[])([^<>[\]\s]+?)(\.\.\.)?([>\]])/g,
    (_, open: string, words: string, dots: string | undefined, close: string) =>
      `${open}${words.split('|').map(word).join('|')}${dots ?? ''}${close}`,
  );
}

/** One word of a usage line (`file`, the name of an argument) in the user's language. */
export function placeholder(lang: Lang, word: string): string {
  const key = `help.ph.${word}`;
  return isMessageKey(key) ? t(lang, key) : word;
}
