import { isMessageKey, t, type Lang } from '../i18n/index.js';
import { textWidth } from '../ui/table.js';

/** The width the help is written for: a French 80-column terminal. */
const HELP_WIDTH = 80;

/**
 * `Exemple :` followed by command lines, for `addHelpText('after', …)`. A command too long for 80
 * columns goes on across lines as a shell continues it (` \`), so that it reads whole and can be
 * copied as it is.
 */
export function examples(lang: Lang, ...lines: string[]): string {
  return `\n${t(lang, 'help.examples')}\n${lines.map((l) => shellLines(l, '  $ ', '      ')).join('\n')}\n`;
}

/**
 * `command` after `first`, in lines of at most HELP_WIDTH columns (` \` ending each but the last,
 * `next` starting each but the first): a line ends before the word that would pass the width, and
 * an option's value is never parted from its option, nor a quoted text cut.
 */
function shellLines(command: string, first: string, next: string): string {
  const words = command.match(/'[^']*'|"[^"]*"|\S+/g) ?? [];
  const lines: string[][] = [[]];
  const text = (k: number) => (k === 0 ? first : next) + lines[k]!.join(' ');
  for (const word of words) {
    const k = lines.length - 1;
    const line = lines[k]!;
    if (line.length > 0 && textWidth(`${text(k)} ${word} \\`) > HELP_WIDTH) {
      const value =
        line.length > 1 && line[line.length - 1]!.startsWith('-') && !word.startsWith('-');
      lines.push(value ? [line.pop()!] : []);
    }
    lines[lines.length - 1]!.push(word);
  }
  return lines.map((_, k) => text(k)).join(' \\\n');
}

/**
 * A command's usage line (commander's, its words translated) broken before its arguments when it
 * and its title (`Utilisation :`) pass `width`, the rest under the usage's first word.
 */
export function usageLines(lang: Lang, usage: string, width: number): string {
  const title = textWidth(t(lang, 'help.usage')) + 1;
  const at = usage.search(/ [[<]/);
  if (title + textWidth(usage) <= width || at < 0) return usage;
  return `${usage.slice(0, at)}\n${' '.repeat(title)}${usage.slice(at + 1)}`;
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
