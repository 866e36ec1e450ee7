import { ALL, formatScope, scopeCovers, type Scope } from '../../domain/departement.js';
import { IDENTIFIER_TYPES } from '../../domain/enums.js';
import { checkIdentifier } from '../../domain/identifiers.js';
import { parseMadrhasRow, type Cells, type MadrhasRow } from '../../domain/madrhas.js';
import { accountInScopeOf } from '../../domain/account-plan.js';
import { checkServiceCode } from '../../domain/structure.js';
import type { MessageKey } from '../../i18n/index.js';
import { encodeReason, reason, reasonAround, type Reason } from './reasons.js';
import type { Db } from '../../db/schema.js';
import * as sync from '../../db/sync.repository.js';

/**
 * One MADRHAS row checked on its own and against the directory (SPEC 8.1), for both of the
 * sync's paths (sync/stream.ts, sync/madrhas.ts). The directory is loaded once per run:
 * its size is bounded by the directory, not by the file.
 */

/**
 * The directory as the sync needs it: structures by type and identifier, services by code and
 * structure, in maps of numbers and typed arrays (a few MB for 130,000 structures and their
 * services) so that the collector has little to walk through on every batch.
 */
export class Directory {
  /** id type → identifier → structure id. */
  private readonly byKey = new Map<string, Map<string, number>>();
  /** service code → structure id → service id × 2 + active. */
  private readonly services = new Map<string, Map<number, number>>();
  private readonly types: string[] = [];
  private typeOf = new Uint8Array(0);
  private identifierOf: string[] = [];
  private activeOf = new Uint8Array(0);
  private departementOf: (string | null)[] = [];

  /** The largest structure id (0: none). */
  get maxId(): number {
    return this.typeOf.length - 1;
  }

  static async load(db: Db): Promise<Directory> {
    const d = new Directory();
    const maxId = await sync.maxStructureId(db);
    d.typeOf = new Uint8Array(maxId + 1);
    d.activeOf = new Uint8Array(maxId + 1);
    d.identifierOf = new Array<string>(maxId + 1);
    d.departementOf = new Array<string | null>(maxId + 1).fill(null);
    const departements = new Map<string, string>();
    await sync.eachStructure(db, ([idText, idType, identifier, active, departement]) => {
      const id = Number(idText);
      let t = d.types.indexOf(idType!);
      if (t < 0) t = d.types.push(idType!) - 1;
      let ids = d.byKey.get(idType!);
      if (!ids) d.byKey.set(idType!, (ids = new Map<string, number>()));
      ids.set(identifier!, id);
      d.typeOf[id] = t;
      d.identifierOf[id] = identifier!;
      d.activeOf[id] = active === '1' ? 1 : 0;
      if (departement) {
        if (!departements.has(departement)) departements.set(departement, departement);
        d.departementOf[id] = departements.get(departement)!;
      }
    });
    await sync.eachService(db, ([id, structureId, code, active]) => {
      let byStructure = d.services.get(code!);
      if (!byStructure) d.services.set(code!, (byStructure = new Map<number, number>()));
      byStructure.set(Number(structureId), Number(id) * 2 + (active === '1' ? 1 : 0));
    });
    return d;
  }

  /** The structure's id, or -1. */
  structureId(idType: string, identifier: string): number {
    return this.byKey.get(idType)?.get(identifier) ?? -1;
  }

  /** Whether the structure has this service, active. */
  serviceActive(structureId: number, code: string): boolean {
    const v = this.services.get(code)?.get(structureId);
    return v !== undefined && v % 2 === 1;
  }

  /** 1 for each structure (by id) active and in `scope`. */
  usable(scope: Scope): Uint8Array {
    const all = scope.includes(ALL);
    const out = new Uint8Array(this.activeOf.length);
    for (let id = 0; id < out.length; id++)
      if (this.activeOf[id] === 1 && (all || scopeCovers(scope, this.departementOf[id] ?? null)))
        out[id] = 1;
    return out;
  }

  /** 1 for each structure (by id) in `scope`, active or not (full mode ends nothing outside it). */
  inScope(scope: Scope): Uint8Array {
    const all = scope.includes(ALL);
    const out = new Uint8Array(this.activeOf.length);
    for (let id = 0; id < out.length; id++)
      if (all || scopeCovers(scope, this.departementOf[id] ?? null)) out[id] = 1;
    return out;
  }

  structure(
    idType: string,
    identifier: string,
  ): { id: number; active: boolean; departement: string | null } | null {
    const id = this.byKey.get(idType)?.get(identifier);
    return id === undefined
      ? null
      : { id, active: this.activeOf[id] === 1, departement: this.departementOf[id] ?? null };
  }

  service(structureId: number, code: string): { id: number; active: boolean } | null {
    const v = this.services.get(code)?.get(structureId);
    return v === undefined ? null : { id: Math.floor(v / 2), active: v % 2 === 1 };
  }

  /** `TYPE:identifier`, as reports and audit entries name a structure. */
  ref(id: number): string {
    const identifier = this.identifierOf[id];
    return identifier === undefined ? String(id) : `${this.types[this.typeOf[id]!]}:${identifier}`;
  }
}

/**
 * Of these existing accounts (ids), those outside the actor's scope (SPEC 6): a row about one of
 * them is rejected (SPEC 8.1). `scopes`: the correspondents' own scopes, by account id. One
 * query per thousand accounts; nothing to read when the scope is the whole country.
 */
export async function accountsOutsideScope(
  db: Db,
  scope: Scope,
  scopes: ReadonlyMap<number, Scope>,
  ids: readonly number[],
): Promise<Set<number>> {
  const outside = new Set<number>();
  if (scope.includes(ALL) || ids.length === 0) return outside;
  const held = await sync.scopedAttachmentsOf(db, ids);
  for (const id of ids)
    if (!accountInScopeOf(scope, held.get(id) ?? [], scopes.get(id) ?? null)) outside.add(id);
  return outside;
}

/** The reason a row about an account outside the actor's scope is rejected with. */
export const outsideScopeReason = (scope: Scope): Reason =>
  reason('sync.accountOutOfScope', { scope: formatScope(scope) }, 'IDENTIFIANT_CONNEXION');

/** A rule about one cell: its message key and parameters, and the column. */
export const issue = (column: string, message: string, params: Record<string, unknown> = {}) =>
  reason(message as MessageKey, params, column);

export type CrossRule =
  | 'sync.personalDisagree'
  | 'sync.attachmentDisagree'
  | 'sync.accountDeleted'
  | 'sync.isCorrespondent'
  | 'sync.severalGp'
  | 'sync.gpInStore';

/** A rule across rows as SQL appends it: the reason's JSON before and after its one parameter (`login`), if any. */
export const crossRuleSql = (key: CrossRule): [string, string] =>
  key === 'sync.gpInStore' ? reasonAround(key, 'login') : [encodeReason(reason(key)), ''];

/** A rule across rows' reason when it has no parameter. */
export const crossRuleReason = (key: Exclude<CrossRule, 'sync.gpInStore'>): Reason => reason(key);

export interface CheckedRow {
  row: MadrhasRow | null;
  padded: boolean;
  structureId: number | null;
  serviceId: number | null;
  reasons: Reason[];
}

export class RowChecker {
  private readonly all: boolean;
  /** Structures (by id) active and in the actor's scope. */
  private readonly usable: Uint8Array;
  constructor(
    private readonly dir: Directory,
    private readonly scope: Scope,
  ) {
    this.all = scope.includes(ALL);
    this.usable = dir.usable(scope);
  }

  /** Every reason a row is rejected on its own (empty: valid so far), with its structure and service. */
  check(cells: Cells): CheckedRow {
    const parsed = parseMadrhasRow(cells);
    const reasons: Reason[] = [];
    if (!parsed.ok) {
      for (const i of parsed.issues) reasons.push(issue(i.column, i.message, i.params));
      return { row: null, padded: false, structureId: null, serviceId: null, reasons };
    }
    const row = parsed.value;
    const place = this.place(row.idType, row.identifier, row.serviceCode, reasons);
    return {
      row,
      padded: parsed.padded,
      structureId: place?.structureId ?? null,
      serviceId: place?.serviceId ?? null,
      reasons,
    };
  }

  /**
   * Only the directory's part, for rows already known valid (an unchanged account's): the
   * structure and service they name still exist, are active and in scope. -1 when not; else
   * 1 when the identifier needed padding, 0 when not. Allocates nothing on the usual path.
   */
  recheck(idTypeText: string, identifierText: string, serviceText: string): -1 | 0 | 1 {
    const idType = idTypeText === 'SIRET' ? idTypeText : idTypeText.trim().toUpperCase() || 'SIRET';
    // the store holds checked identifiers only: a cell equal to one needs no checking
    let id = this.dir.structureId(idType, identifierText);
    let padded: 0 | 1 = 0;
    if (id < 0) {
      if (!(IDENTIFIER_TYPES as readonly string[]).includes(idType)) return -1;
      const checked = checkIdentifier(idType as MadrhasRow['idType'], identifierText);
      if (!checked.ok) return -1;
      id = this.dir.structureId(idType, checked.value);
      padded = checked.padded ? 1 : 0;
    }
    if (id < 0 || this.usable[id] !== 1) return -1;
    if (serviceText === '' || serviceText.trim() === '') return padded;
    const code = checkServiceCode(serviceText);
    return code !== null && this.dir.serviceActive(id, code) ? padded : -1;
  }

  private place(
    idType: string,
    identifier: string,
    serviceCode: string | null,
    reasons: Reason[],
  ): { structureId: number; serviceId: number | null } | null {
    // the usual row: a structure active and in scope (`usable`), read without allocating
    const id = this.dir.structureId(idType, identifier);
    if (id >= 0 && this.usable[id] === 1) {
      if (serviceCode === null) return { structureId: id, serviceId: null };
      const sv = this.dir.service(id, serviceCode);
      if (sv && sv.active) return { structureId: id, serviceId: sv.id };
    }
    // the reasons (only for rows that have one)
    const s = this.dir.structure(idType, identifier);
    const ref = `${idType}:${identifier}`;
    if (!s) reasons.push(issue('IDENTIFIANT_STRUCTURE', 'row.unknownStructure', { ref }));
    else if (!s.active)
      reasons.push(issue('IDENTIFIANT_STRUCTURE', 'sync.structureInactive', { ref }));
    else if (!this.all && !scopeCovers(this.scope, s.departement))
      reasons.push(
        issue('IDENTIFIANT_STRUCTURE', 'sync.structureOutOfScope', {
          ref,
          departement: s.departement ?? '?',
        }),
      );
    else if (!this.dir.service(s.id, serviceCode!))
      reasons.push(issue('CODE_SERVICE', 'sync.serviceUnknown', { code: serviceCode, ref }));
    else reasons.push(issue('CODE_SERVICE', 'sync.serviceInactive', { code: serviceCode, ref }));
    return null;
  }
}
