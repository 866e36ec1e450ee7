import { en } from './en.js';
import { fr } from './fr.js';
import type { FileRefusalKey } from '../domain/file.js';
import type { RefusalKey } from '../domain/rights.js';
import { label, labelledCodes, type LabelKind } from './labels.js';
import type { Lang } from './lang.js';

/**
 * The message catalogues: every text a user reads, terminal or e-mail, in French and English.
 * Domain and application code name a key; the terminal (ui/) and the outbox (app/) translate it.
 */

export type MessageKey = keyof typeof fr;
export type { Lang } from './lang.js';

/** The keys the pure rules name without importing the catalogue: a missing text fails to compile. */
type Has<K extends MessageKey> = K;
export type DomainKeys = Has<RefusalKey | FileRefusalKey>;

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { fr, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}

/**
 * The text of `key` in `lang`, with `{name}` placeholders filled from `params`, and two ICU-like
 * forms for words that agree: `{count, plural, one {# ligne rejetée} other {# lignes rejetées}}`
 * (the form Intl.PluralRules gives for the number, `#` being the number; `=0 {…}` for an exact
 * value) and `{title, select, Mme {détachée} M. {détaché} other {détaché·e}}` (the branch named
 * by the value, else `other`). Branches may hold placeholders and other forms.
 */
export function t(lang: Lang, key: MessageKey, params: Record<string, unknown> = {}): string {
  return format(lang, CATALOGUES[lang][key], params);
}

/** The form of a counted phrase that agrees with `count` in `lang`: `plural('fr', 0, …)` is `one`. */
export function plural(
  lang: Lang,
  count: number,
  forms: { one: string; other: string; zero?: string },
): string {
  if (count === 0 && forms.zero !== undefined) return forms.zero;
  return PLURAL_RULES[lang].select(count) === 'one' ? forms.one : forms.other;
}

const PLURAL_RULES: Record<Lang, Intl.PluralRules> = {
  fr: new Intl.PluralRules('fr'),
  en: new Intl.PluralRules('en'),
};

/** Fills a catalogue text: placeholders, plural and select forms (see `t`). */
export function format(lang: Lang, text: string, params: Record<string, unknown>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const close = matching(text, open);
    if (close < 0) {
      out += text.slice(open);
      break;
    }
    out += placeholder(lang, text.slice(open, close + 1), params);
    i = close + 1;
  }
  return out;
}

/** The index of the brace that closes the one at `open`, or -1. */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function placeholder(lang: Lang, whole: string, params: Record<string, unknown>): string {
  const simple = /^\{(\w+)\}$/.exec(whole);
  if (simple) {
    const v = params[simple[1]!];
    if (v === undefined || v === null) return whole;
    return simple[1] === 'status' ? statusWords(lang, String(v)) : String(v);
  }
  const form = /^\{\s*(\w+)\s*,\s*(plural|select)\s*,/.exec(whole);
  if (!form) return whole; // literal braces (`{"seq": N}` in a message)
  const branches = branchesOf(whole.slice(form[0].length, -1));
  if (!branches) return whole;
  const value = params[form[1]!];
  if (form[2] === 'select') {
    const chosen = branches.get(String(value)) ?? branches.get('other');
    return chosen === undefined ? whole : format(lang, chosen, params);
  }
  const n = Number(value);
  if (value === undefined || value === null || !Number.isFinite(n)) return whole;
  const chosen =
    branches.get(`=${n}`) ?? branches.get(PLURAL_RULES[lang].select(n)) ?? branches.get('other');
  if (chosen === undefined) return whole;
  return format(lang, chosen.replace(/#/g, String(value)), params);
}

/** The statuses a message may quote as `{status}`: an account's, an attachment's or a request's. */
const STATUS_KINDS: readonly LabelKind[] = ['accountStatus', 'status'];

/**
 * A status of SPEC 3 as a sentence says it, its label in lower case (`INACTIF` → "inactif",
 * `VALIDEE` → "validé"), as SPEC 4 has people read words, not codes; any other value as it is.
 * Only a plain `{status}`: a `select` form still branches on the code.
 */
function statusWords(lang: Lang, code: string): string {
  const kind = STATUS_KINDS.find((k) => labelledCodes(k).includes(code));
  if (!kind) return code;
  const text = label(kind, code, lang);
  return text.charAt(0).toLocaleLowerCase(lang) + text.slice(1);
}

/** `one {…} other {…}` → its branches, or null when it is not that shape. */
function branchesOf(body: string): Map<string, string> | null {
  const out = new Map<string, string>();
  let i = 0;
  for (;;) {
    while (i < body.length && /\s/.test(body[i]!)) i++;
    if (i >= body.length) return out.size > 0 ? out : null;
    const open = body.indexOf('{', i);
    if (open < 0) return null;
    const name = body.slice(i, open).trim();
    const close = matching(body, open);
    if (name === '' || close < 0) return null;
    out.set(name, body.slice(open + 1, close));
    i = close + 1;
  }
}

/** Picks the language: `--lang`, then CHORUS_ADMIN_LANG, then LANG; French unless one says English. */
export function resolveLang(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Lang {
  const pick = (v: string | undefined) =>
    v
      ? v.toLowerCase().startsWith('en')
        ? 'en'
        : v.toLowerCase().startsWith('fr')
          ? 'fr'
          : undefined
      : undefined;
  return pick(flag) ?? pick(env.CHORUS_ADMIN_LANG) ?? pick(env.LANG) ?? 'fr';
}
