import { en } from './en.js';
import { fr } from './fr.js';
import type { FileRefusalKey } from '../domain/file.js';
import type { RefusalKey } from '../domain/rights.js';

/**
 * The message catalogues: every text a user reads, terminal or e-mail, in French and English.
 * Domain and application code name a key; the terminal (ui/) and the outbox (app/) translate it.
 */

export type MessageKey = keyof typeof fr;
export type Lang = 'fr' | 'en';

/** The keys the pure rules name without importing the catalogue: a missing text fails to compile. */
type Has<K extends MessageKey> = K;
export type DomainKeys = Has<RefusalKey | FileRefusalKey>;

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { fr, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(fr, key);
}

/** The text of `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function t(lang: Lang, key: MessageKey, params: Record<string, unknown> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined || params[name] === null ? whole : String(params[name]),
  );
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
