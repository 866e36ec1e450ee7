import { fold } from '../../domain/text.js';
import * as reads from '../../db/revert.repository.js';
import type * as runs from '../../db/run.repository.js';
import type { ServiceRow, StructureRow } from '../../db/schema.js';
import * as structures from '../../db/structure.repository.js';
import { same, type RevertFrame } from './revert-frame.js';
import type { FieldsImage } from './runs.js';

/**
 * An import run's structures and services put back (SPEC 8.1 "Runs"), a chunk at a time: the
 * chunk's structures, their services and what refers to them are read in a few queries, each
 * target decided in the run's newest-first order, the removals written in bulk at the chunk's
 * end. A value still as the import left it comes back; one changed since is kept (conflict).
 * What the import created is removed when nothing refers to it: a structure's services removed
 * earlier in the same revert no longer count.
 */

type Fields = Record<string, { before: unknown; after: unknown }>;

/** `SIRET:123` → ['SIRET', '123']. */
function splitRef(ref: string): [string, string] {
  const colon = ref.indexOf(':');
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

/** `service:SIRET:123/CODE` → the structure's ref and the code. */
function serviceRef(target: string): [string, string] {
  const ref = target.slice('service:'.length);
  const slash = ref.lastIndexOf('/');
  return [ref.slice(0, slash), ref.slice(slash + 1)];
}

const parse = (text: string | null) => (text === null ? null : (JSON.parse(text) as FieldsImage));

export class StructureReverter {
  /** Services this revert removed, by structure. */
  private readonly servicesRemoved = new Map<number, number>();

  constructor(private readonly f: RevertFrame) {}

  async revert(rows: readonly runs.RunChangeRow[]): Promise<void> {
    const { trx } = this.f.uc;
    const refs = rows.map((c) =>
      c.target.startsWith('service:')
        ? serviceRef(c.target)[0]
        : c.target.slice('structure:'.length),
    );
    const found = await reads.structuresByRef(trx, refs.map(splitRef));
    const ids = [...found.values()].map((s) => s.id);
    const services = new Map<number, ServiceRow[]>();
    for (const s of await structures.servicesOf(trx, ids))
      services.set(s.structureId, [...(services.get(s.structureId) ?? []), s]);
    const createdStructures = rows.flatMap((c, i) =>
      c.before === null && c.target.startsWith('structure:') ? [found.get(refs[i]!)?.id ?? -1] : [],
    );
    const structuresUsed = await reads.structuresInUse(trx, createdStructures);
    const createdServices = rows.flatMap((c) => {
      if (c.before !== null || !c.target.startsWith('service:')) return [];
      const [ref, code] = serviceRef(c.target);
      const s = found.get(ref);
      const row = s && services.get(s.id)?.find((x) => x.code === code);
      return row ? [row.id] : [];
    });
    const servicesUsed = await reads.servicesInUse(trx, createdServices);

    const deletedServices: number[] = [];
    const deletedStructures: number[] = [];
    const refresh = new Set<number>();
    for (const [i, c] of rows.entries()) {
      const target = c.target;
      const before = parse(c.before);
      const after = parse(c.after)!;
      const structure = found.get(refs[i]!);
      if (target.startsWith('structure:')) {
        if (!structure) {
          this.f.conflict({ target, field: 'structure', reason: 'gone' });
          continue;
        }
        if (before === null) {
          const left =
            (services.get(structure.id)?.length ?? 0) -
            (this.servicesRemoved.get(structure.id) ?? 0);
          if (left > 0 || structuresUsed.has(structure.id)) {
            this.f.conflict({ target, field: 'structure', reason: 'usedSince' });
            continue;
          }
          deletedStructures.push(structure.id);
          refresh.delete(structure.id);
          this.f.summary.deleted++;
          this.f.audit('sync.revert.structure', target, { deleted: true });
          continue;
        }
        this.authorize(structure, target);
        const set = this.restoreFields(target, structure, before, after);
        if (Object.keys(set).length === 0) continue;
        const update = values(set);
        if (update.companyName !== undefined) update.nameKey = fold(update.companyName as string);
        if (update.city !== undefined)
          update.cityKey = fold((update.city as string | null) ?? null);
        await structures.updateStructure(trx, structure.id, {
          ...update,
          updatedAt: this.f.uc.now,
        });
        if (update.companyName !== undefined) refresh.add(structure.id);
        this.f.summary.restored++;
        this.f.audit('sync.revert.structure', target, set);
        continue;
      }
      if (!target.startsWith('service:')) continue;
      const code = serviceRef(target)[1];
      const row = structure && services.get(structure.id)?.find((s) => s.code === code);
      if (!structure || !row) {
        this.f.conflict({ target, field: 'service', reason: 'gone' });
        continue;
      }
      this.authorize(structure, target);
      if (before === null) {
        if (servicesUsed.has(row.id)) {
          this.f.conflict({ target, field: 'service', reason: 'usedSince' });
          continue;
        }
        deletedServices.push(row.id);
        this.servicesRemoved.set(structure.id, (this.servicesRemoved.get(structure.id) ?? 0) + 1);
        refresh.add(structure.id);
        this.f.summary.deleted++;
        this.f.audit('sync.revert.service', target, { deleted: true });
        continue;
      }
      const set = this.restoreFields(target, row, before, after);
      if (Object.keys(set).length === 0) continue;
      const update = values(set);
      await structures.updateService(trx, row.id, { ...update, updatedAt: this.f.uc.now });
      if (update.label !== undefined) refresh.add(structure.id);
      this.f.summary.restored++;
      this.f.audit('sync.revert.service', target, set);
    }
    await reads.deleteByIds(trx, 'service', deletedServices);
    await reads.deleteByIds(trx, 'structure', deletedStructures);
    await structures.refreshSearchKeys(trx, refresh);
  }

  private authorize(structure: StructureRow, target: string): void {
    const { uc } = this.f;
    const t = { kind: 'structure' as const, id: structure.id, departement: structure.departement };
    if (!uc.allows('sync.revert', t)) uc.authorize('sync.revert', t, target);
  }

  /** The fields still as the run left them, with the values they take back; the others listed as conflicts. */
  private restoreFields(
    target: string,
    current: object,
    before: FieldsImage,
    after: FieldsImage,
  ): Fields {
    const now = current as Record<string, unknown>;
    const set: Fields = {};
    for (const [k, v] of Object.entries(after)) {
      const was = before[k] ?? null;
      if (same(now[k], v)) set[k] = { before: now[k] ?? null, after: was };
      else if (!same(now[k], was))
        this.f.conflict({ target, field: k, reason: 'changed', run: v, now: now[k] ?? null });
    }
    return set;
  }
}

const values = (set: Fields) => {
  const update: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(set)) update[k] = v.after;
  return update;
};
