import { label, type LabelKind } from '../i18n/labels.js';
import { ATTACHMENT_VALUE, valueLabel } from './changes.js';
import type { Output } from './output.js';

/**
 * A sync plan for people (`sync madrhas --dry-run`, `--plan`; SPEC 8.1): a diff grouped by
 * structure, each account named on one line fitted to the terminal —
 *
 *     SIRET:21640445900010  Commune de Pau
 *       + pauline.dufour@mairie-pau.fr : créé, DUFOUR Pauline, Gestionnaire principal
 *       ~ jean.martin@mairie-pau.fr : Nom MARTIN → MARTINS
 *       - anne@mairie-pau.fr : désactivé (absent du fichier)
 *
 * `+` created, `~` updated, `-` deactivated or ended, `^` reactivated; the fields whose local
 * value was kept (`keptLocal`) or replaced (`overridden`) are said on the line. A long plan
 * shows the first accounts of each structure and the first structures, then how many more (the
 * whole plan is the `--plan` file). Entries are read as they come: the plan is never held whole.
 */

/** What the view reads of a plan entry (app/sync/journal.ts AccountChange). */
export interface PlanViewEntry {
  login: string;
  kind: string;
  absent: boolean;
  fields: Record<string, { before: unknown; after: unknown }>;
  kept: string[];
  keptLocal: string[];
  overridden: { field: string }[];
  gpKept: string[];
  attachments: {
    added: { structureRef: string; role: string }[];
    changed: {
      structureRef: string;
      set: Record<string, unknown>;
      services: number[] | null;
      before: object;
    }[];
    ended: { structureRef: string }[];
  };
}

export interface PlanViewHead {
  file: { name: string };
  actor: string;
  options: { mode: string };
}

/** Accounts shown under one structure, structures shown in all. */
const PER_STRUCTURE = 10;
const STRUCTURES = 30;

const SIGN: Record<string, string> = {
  created: '+',
  updated: '~',
  deactivated: '-',
  reactivated: '^',
  kept: '=',
};

/** The raison sociale of the structures shown, by reference (those not found: left out). */
export type StructureNames = (refs: string[]) => Promise<Map<string, string>>;

/** The lines of the plan, fitted to `out.width`; each structure shown with its name when `names` knows it. */
export async function renderPlan(
  out: Output,
  head: PlanViewHead,
  entries: AsyncIterable<PlanViewEntry>,
  names: StructureNames = async () => new Map(),
): Promise<string[]> {
  // structures in the order they first appear; beyond the first ones, only counted
  const groups = new Map<string, { index: number; lines: string[]; more: number }>();
  let total = 0;
  for await (const e of entries) {
    if (e.kind !== 'kept') total++;
    const key = structureOf(e);
    let g = groups.get(key);
    if (!g) {
      g = { index: groups.size, lines: [], more: 0 };
      groups.set(key, g);
    }
    if (g.index < STRUCTURES && g.lines.length < PER_STRUCTURE)
      g.lines.push(fit(`  ${SIGN[e.kind] ?? '~'} ${e.login} : ${describe(out, e, key)}`, out));
    else g.more++;
  }
  if (groups.size === 0) return [out.t('plan.nothing')];
  // the planner on a line of its own: a login is long, and a reviewer reads it
  const lines = [
    fit(out.t('plan.header', { file: head.file.name, count: total }), out),
    fit(out.t('plan.headerBy', { mode: head.options.mode, actor: head.actor }), out),
  ];
  const shownRefs = [...groups].filter(([k, g]) => k !== '' && g.index < STRUCTURES);
  const named = await names(shownRefs.map(([k]) => k));
  for (const [key, g] of groups) {
    if (g.index >= STRUCTURES) continue;
    const title = key === '' ? out.t('plan.noStructure') : [key, named.get(key)].join('  ').trim();
    lines.push('', fit(title, out), ...g.lines);
    if (g.more > 0) lines.push(fit('  ' + out.t('plan.more', { count: g.more }), out));
  }
  const hidden = groups.size - STRUCTURES;
  if (hidden > 0) lines.push('', fit(out.t('plan.moreStructures', { count: hidden }), out));
  return lines;
}

/** The structure an entry is shown under: the first it touches ('' when none). */
function structureOf(e: PlanViewEntry): string {
  const a = e.attachments;
  // an account only kept: the structure it stays GP of, or of the first attachment value it keeps
  const kept = [...e.keptLocal, ...e.overridden.map((o) => o.field)]
    .map((path) => ATTACHMENT_VALUE.exec(path)?.[1])
    .find((ref) => ref !== undefined);
  return (
    a.added[0]?.structureRef ??
    a.changed[0]?.structureRef ??
    a.ended[0]?.structureRef ??
    e.gpKept[0] ??
    kept ??
    ''
  );
}

/** One account's change in words. */
function describe(out: Output, e: PlanViewEntry, group: string): string {
  const lang = out.lang;
  const parts: string[] = [];
  const f = e.fields;
  if (e.kind === 'created') {
    parts.push(out.t('plan.created'));
    const name = [f.lastName?.after, f.firstName?.after].filter((v) => v != null).join(' ');
    if (name) parts.push(name);
  } else if (e.kind === 'deactivated')
    parts.push(out.t(e.absent ? 'plan.deactivatedAbsent' : 'plan.deactivated'));
  else if (e.kind === 'reactivated') parts.push(out.t('plan.reactivated'));
  if (e.kind !== 'created')
    for (const [field, v] of Object.entries(f)) {
      if (field === 'status') continue;
      parts.push(`${fieldLabel(field, lang)} ${shown(v.before)} → ${shown(v.after)}`);
    }
  // the structure the account is shown under goes without saying
  for (const a of e.attachments.added)
    parts.push(
      a.structureRef === group
        ? label('role', a.role, lang)
        : out.t('plan.attachmentAdded', {
            structure: a.structureRef,
            role: label('role', a.role, lang),
          }),
    );
  for (const c of e.attachments.changed) {
    const before = c.before as Record<string, unknown>;
    const changes = Object.entries(c.set).map(
      ([k, v]) =>
        `${fieldLabel(k, lang)} ${shown(before[k], kindOf(k), lang)} → ${shown(v, kindOf(k), lang)}`,
    );
    if (c.services !== null) changes.push(fieldLabel('services', lang));
    parts.push(
      c.structureRef === group
        ? changes.join(', ')
        : out.t('plan.attachmentChanged', {
            structure: c.structureRef,
            changes: changes.join(', '),
          }),
    );
  }
  for (const a of e.attachments.ended)
    parts.push(
      a.structureRef === group
        ? out.t('plan.ended')
        : out.t('plan.attachmentEnded', { structure: a.structureRef }),
    );
  if (e.kept.length > 0)
    parts.push(out.t('plan.kept', { fields: e.kept.map((k) => fieldLabel(k, lang)).join(', ') }));
  if (e.gpKept.length > 0) parts.push(out.t('plan.gpKept', { structures: e.gpKept.join(', ') }));
  if (e.keptLocal.length > 0)
    parts.push(
      out.t('plan.keptLocal', {
        fields: e.keptLocal.map((k) => valueLabel(k, lang, group)).join(', '),
      }),
    );
  if (e.overridden.length > 0)
    parts.push(
      out.t('plan.overridden', {
        fields: e.overridden.map((o) => valueLabel(o.field, lang, group)).join(', '),
      }),
    );
  return parts.join(', ');
}

const kindOf = (field: string): LabelKind | null =>
  field === 'role' ? 'role' : field === 'status' ? 'status' : null;

const fieldLabel = (field: string, lang: Output['lang']) => label('auditField', field, lang);

function shown(v: unknown, kind: LabelKind | null = null, lang: Output['lang'] = 'fr'): string {
  if (v === null || v === undefined || v === '') return '∅';
  if (kind !== null && typeof v === 'string') return label(kind, v, lang);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A line cut to the output's width, with `…` when it had to be; whole with `--wide`. */
function fit(line: string, out: Output): string {
  if (out.wide) return line;
  const width = out.width;
  const chars = [...line];
  return chars.length <= width ? line : chars.slice(0, Math.max(1, width - 1)).join('') + '…';
}
