import { isMessageKey, t, type Lang } from '../i18n/index.js';

/** `Exemple :` followed by command lines, for `addHelpText('after', …)`. */
export function examples(lang: Lang, ...lines: string[]): string {
  return `\n${t(lang, 'help.examples')}\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** A column of an input file, as the code that reads it defines it (domain/madrhas.ts, structure.ts). */
export interface InputColumn {
  readonly name: string;
  readonly required: boolean;
}

/**
 * The columns an import reads, required and optional, for `addHelpText('after', …)`: taken from
 * the reader's own column list, so that the help cannot drift from the code. Lines wrap before
 * 80 columns.
 */
export function columns(lang: Lang, list: readonly InputColumn[]): string {
  const line = (label: string, names: string[]) => {
    const out: string[] = [];
    let current = `  ${label}`;
    for (const [i, name] of names.entries()) {
      const word = `${name}${i < names.length - 1 ? ',' : ''}`;
      if (current.length + 1 + word.length > 78) {
        out.push(current);
        current = `    ${word}`;
      } else current += ` ${word}`;
    }
    out.push(current);
    return out.join('\n');
  };
  return [
    '',
    t(lang, 'help.columns'),
    line(
      t(lang, 'help.columns.required'),
      list.filter((c) => c.required).map((c) => c.name),
    ),
    line(
      t(lang, 'help.columns.optional'),
      list.filter((c) => !c.required).map((c) => c.name),
    ),
    '',
  ].join('\n');
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
