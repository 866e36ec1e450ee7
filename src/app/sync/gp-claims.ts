import { StreamFallback } from './fallback.js';

const GP = 'GESTIONNAIRE_PRINCIPAL';

/**
 * The streamed path's one-GP-per-structure rules (SPEC 8.1), as the rows go (app/sync/stream.ts):
 * who claims each structure's GP in the file, which store GPs the file steps down, and which the
 * merge kept. What it cannot decide before the end of the file sends the run to the staged path
 * (`StreamFallback('principal')`), which sees the whole file at once.
 */
export class GpClaims {
  // Arrays indexed by structure id rather than maps: a region's 130,000 structures take 1 MB an
  // array, where a map took 3.7 MB (three of them: 8 MB of a million-row load's peak)
  /** structure id → the login claiming its GP in the file. */
  private readonly claims: (string | undefined)[];
  /** … of which the rows no rule across rows rejects. */
  private readonly validClaims: (string | undefined)[];
  /** … and of those, the rows that say GP where the account's base did not (the others claim nothing new: the staged path's stagedClaims). */
  private readonly newClaims: (string | undefined)[];
  /** Structures whose store GP the merge kept (its row keeps its former role) before any new claim was known. */
  private readonly keptGp = new Set<number>();
  /** Structures whose store GP the file gives another role there. */
  private readonly demoted = new Set<number>();
  /** Structures claimed by an account other than their store GP. */
  private readonly contested: number[] = [];

  constructor(maxStructureId: number) {
    this.claims = new Array<string | undefined>(maxStructureId + 1);
    this.validClaims = new Array<string | undefined>(maxStructureId + 1);
    this.newClaims = new Array<string | undefined>(maxStructureId + 1);
  }

  /** A row's role at a structure, for the GP rules: the claims, and the store's GPs stepping down. */
  noteRole(
    /** structure id → its GP's account id when the run began. */
    storeGp: Map<number, number>,
    structureId: number,
    role: string,
    login: string,
    accountId: number | null,
    /** The row says GP where the account's base already did: no claim against the store's GP (SPEC 8.1). */
    inBase: boolean,
    /** No rule across rows rejects the row (a rejected row still counts against another GP claim). */
    valid: boolean,
  ): void {
    const gp = storeGp.get(structureId);
    if (role === GP) {
      const claimant = this.claims[structureId];
      if (claimant !== undefined && claimant !== login) throw new StreamFallback('principal');
      this.claims[structureId] = login;
      if (valid) this.validClaims[structureId] = login;
      // a row that claims nothing, or that is rejected, contests nothing either
      if (inBase || !valid) return;
      this.newClaims[structureId] = login;
      if (gp !== undefined && gp !== accountId) this.contested.push(structureId);
    } else if (gp !== undefined && gp === accountId) this.demoted.add(structureId);
  }

  /**
   * A store GP the file demotes: allowed when another account already claimed the structure and
   * becomes its GP. A row that says GP where its account's base already did claims nothing: the
   * merge keeps that account's own role (a GP transfer made in the tool), so the store GP stays.
   * A claim further down is not known yet, so the staged path decides.
   */
  demotable(structureId: number, login: string): boolean {
    const claimant = this.newClaims[structureId];
    if (claimant !== undefined && claimant !== login) return true;
    // the structure's one claimant is known, and claims nothing new
    const valid = this.validClaims[structureId];
    if (valid !== undefined && valid !== login) return false;
    throw new StreamFallback('principal');
  }

  /**
   * Whether another account claims the structure's GP: a store GP the merge would keep steps
   * down. A claim further down is not known yet: the GP is kept, and checkClaims sends the run to
   * the staged path if one comes.
   */
  claimed(structureId: number, login: string): boolean {
    const claimant = this.newClaims[structureId];
    if (claimant !== undefined && claimant !== login) return true;
    this.keptGp.add(structureId);
    return false;
  }

  /**
   * Every claim against a store GP must come with that GP stepping down in the file, and not
   * after the merge kept it GP.
   */
  checkClaims(): void {
    for (const s of this.contested)
      if (!this.demoted.has(s) || this.keptGp.has(s)) throw new StreamFallback('principal');
  }
}
