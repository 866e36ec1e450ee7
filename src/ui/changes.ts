import { visible } from '../domain/text.js';
import { isMessageKey, t, type Lang, type MessageKey } from '../i18n/index.js';
import { label, labelledCodes, type LabelKind } from '../i18n/labels.js';
import { shortHash } from './output.js';

/** The fields of a change that hold a SHA-256: a terminal shows their first characters. */
const HASHES = new Set(['sha256', 'plan']);

/**
 * `Nom : (vide) → LEFÈVRE`, a line each, for people: fields by their label, values as stored
 * (made visible: a line feed in a value cannot pass for the next change); JSON keeps the object.
 * `brief` (a terminal, for the entry of `actor`): counts of zero left out, hashes shortened, a
 * run's changes by their count, a refusal's reason (a message key) in words.
 */
export function formatChanges(
  changes: unknown,
  lang: Lang,
  brief: { actor: string } | null = null,
): string {
  if (changes === null || typeof changes !== 'object')
    return changes === null ? '' : visible(String(changes));
  const sep = lang === 'fr' ? ' : ' : ': ';
  return Object.entries(changes as Record<string, unknown>)
    .flatMap(([field, v]): [string, unknown][] => {
      if (!brief) return [[field, v]];
      if (v === 0) return [];
      // a refusal's parameter is the actor's login (app/use-case.ts recordRefusal)
      if (field === 'reason' && typeof v === 'string' && isMessageKey(v))
        return [[field, t(lang, v, { login: brief.actor })]];
      if (HASHES.has(field) && typeof v === 'string') return [[field, shortHash(v)]];
      const count = (v as { count?: unknown } | null)?.count;
      if (field === 'runChanges' && typeof count === 'number') return [[field, count]];
      return [[field, v]];
    })
    .map(([field, v]) => {
      const name = fieldLabel(field, lang);
      if (v !== null && typeof v === 'object' && 'after' in v) {
        const { before, after } = v as { before: unknown; after: unknown };
        return `${name}${sep}${changeValue(field, before, lang)} → ${changeValue(field, after, lang)}`;
      }
      return `${name}${sep}${changeValue(field, v, lang)}`;
    })
    .join('\n');
}

/** A field of the changes by its label, else by its column heading, else as it is. */
function fieldLabel(field: string, lang: Lang): string {
  if (labelledCodes('auditField').includes(field)) return label('auditField', field, lang);
  return isMessageKey(`col.${field}`) ? t(lang, `col.${field}` as MessageKey) : field;
}

/** The enumerations a change's field holds, labelled like the tables' cells. */
const VALUE_KINDS: Record<string, LabelKind[]> = {
  status: ['accountStatus', 'status'],
  role: ['role'],
  profile: ['profile'],
  space: ['space'],
  mode: ['mode'],
  kind: ['accountKind'],
  language: ['language'],
  type: ['fileType'],
  source: ['source'],
};

/** A value of a change, for people: empty said in words, codes by their labels. */
export function changeValue(field: string, v: unknown, lang: Lang): string {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0))
    return t(lang, 'output.emptyValue');
  // what a sync kept or replaced: values by their names (`Rôle (SIRET:…)`), each replacement
  // with the store's value and the file's
  if (PATHS.has(field) && Array.isArray(v))
    return v
      .map((x) => (typeof x === 'string' ? valueLabel(x, lang) : changeValue(field, x, lang)))
      .join(', ');
  if (isReplacement(v)) {
    const f = valueField(v.field);
    return `${valueLabel(v.field, lang)} ${changeValue(f, v.store, lang)} → ${changeValue(f, v.file, lang)}`;
  }
  // an attachment a sync changed: its structure, then each property before → after
  if (isChangedAttachment(v)) {
    const parts = Object.entries(v)
      .filter(([k]) => k !== 'structure')
      .map(([k, x]) =>
        isBeforeAfter(x)
          ? `${fieldLabel(k, lang)} ${changeValue(k, x.before, lang)} → ${changeValue(k, x.after, lang)}`
          : `${fieldLabel(k, lang)} ${changeValue(k, x, lang)}`,
      );
    return `${visible(v.structure)} : ${parts.join(', ')}`;
  }
  if (
    Array.isArray(v) &&
    v.every((x) => typeof x !== 'object' || isAttachment(x) || isChangedAttachment(x))
  )
    return v.map((x) => changeValue(field, x, lang)).join(', ');
  // an attachment a sync added: its structure and role (the dates and services are in JSON)
  if (isAttachment(v)) return `${visible(v.structure)} (${changeValue('role', v.role, lang)})`;
  if (typeof v === 'object') return visible(JSON.stringify(v));
  const text = String(v);
  const kind = (VALUE_KINDS[field] ?? []).find((k) => labelledCodes(k).includes(text));
  return kind ? label(kind, text, lang) : visible(text);
}

/** The change fields that list merged values by their paths (domain/account-plan.ts). */
const PATHS = new Set(['kept', 'keptLocal', 'overridden']);

const isBeforeAfter = (v: unknown): v is { before: unknown; after: unknown } =>
  typeof v === 'object' && v !== null && 'before' in v && 'after' in v;

const isReplacement = (v: unknown): v is { field: string; store: unknown; file: unknown } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { field?: unknown }).field === 'string' &&
  'store' in v &&
  'file' in v;

const isChangedAttachment = (v: unknown): v is { structure: string } & Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { structure?: unknown }).structure === 'string' &&
  Object.entries(v).some(([k, x]) => k !== 'structure' && isBeforeAfter(x));

const isAttachment = (v: unknown): v is { structure: string; role: string } =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { structure?: unknown }).structure === 'string' &&
  typeof (v as { role?: unknown }).role === 'string';

/** A merged value (domain/account-plan.ts planAccount): an attachment's, `attachment:REF[.property]`. */
export const ATTACHMENT_VALUE = /^attachment:(.+?)(?:\.(\w+))?$/;

/**
 * A merged value's name: a personal field, an attachment (`Structure REF`) or one of its
 * properties (`Rôle (REF)`). `group`: the structure that goes without saying (a plan's heading).
 */
export function valueLabel(path: string, lang: Lang, group = ''): string {
  const m = ATTACHMENT_VALUE.exec(path);
  if (!m) return fieldLabel(path, lang);
  const name = fieldLabel(m[2] ?? 'structure', lang);
  return m[1] === group ? name : `${name} (${m[1]})`;
}

/** The field whose words a merged value's value takes: `status` for `attachment:REF.status`. */
export const valueField = (path: string): string => ATTACHMENT_VALUE.exec(path)?.[2] ?? path;
