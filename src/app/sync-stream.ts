import { DigestIndex, Hash64 } from '../domain/hash64.js';
import { personalFingerprint } from '../domain/madrhas.js';
import type { Lang } from '../i18n/index.js';
import { CellView, openCsv, type CsvRecord, type CsvSource } from '../io/csv.js';
import { accountsByLogin, countDigests, digestsAfter, maxAccountId, stageRows, type StagedRow } from '../db/sync.repository.js';
import type { CurrentAccount } from '../domain/madrhas.js';
import { breathe, type AccountGroup, type Writer } from './sync-apply.js';
import { crossRuleText, type RowChecker } from './sync-rows.js';
import type { SyncSummary } from './sync-madrhas.js';
import type { UseCase } from './use-case.js';

/**
 * The sync's fast path: the file streamed an account at a time, straight into plans and writes,
 * for exports that list each login's rows together (as MADRHAS does). The rules across rows are
 * checked as the rows go: an account's own rules within its group, the one-GP-per-structure
 * rules with a map of the claims. An account whose rows are byte for byte those it was last
 * synced from in full (its digest, migration 0003) costs a lookup and a directory check.
 *
 * When the file does not fit that shape — a login met again after other logins, two accounts
 * claiming one structure's GP, a GP claim against the store's GP that the file does not step
 * down — it gives up with `StreamFallback`; the caller rolls the transaction back and runs the
 * staged path, which handles every file. Both paths give the same result (test/store).
 */

export class StreamFallback extends Error {
  constructor(readonly why: 'order' | 'principal') {
    super(`streamed sync gave up: ${why}`);
  }
}

const GP = 'GESTIONNAIRE_PRINCIPAL';
const GROUPS = 500;
const DIGEST_VERSION = '1';

export interface StreamInput {
  source: CsvSource;
  positions: Map<string, number>;
  checker: RowChecker;
  writer: Writer;
  summary: SyncSummary;
  mode: 'full' | 'delta';
  lang: Lang;
  /** structure id → its GP's account id when the run began. */
  storeGp: Map<number, number>;
  correspondents: Set<number>;
  progress?: ((read: number, total: number) => void) | undefined;
}

/** Streams and applies the file; returns whether an account (by id) was listed by it, for full mode. */
export async function streamFile(uc: UseCase, input: StreamInput): Promise<(accountId: number) => boolean> {
  const maxId = await maxAccountId(uc.trx);
  const listed = new Uint8Array(maxId + 1);
  const digests = new DigestIndex(await countDigests(uc.trx));
  for (let after = 0; ; ) {
    const page = await digestsAfter(uc.trx, after, 20_000);
    if (page.length === 0) break;
    for (const [id, login, digest] of page) digests.set(login, id, digest);
    after = page[page.length - 1]![0];
  }
  const run = new StreamRun(uc, input, listed, digests);
  input.writer.demotable = (structureId, login) => run.demotable(structureId, login);
  const csv = await openCsv(input.source);
  const loginAt = input.positions.get('IDENTIFIANT_CONNEXION')!;
  let group: CsvRecord[] = [];
  let login = '';
  let chunk: { login: string; records: CsvRecord[] }[] = [];
  try {
    for await (const records of csv.batches(2000)) {
      for (const r of records) {
        input.summary.rows++;
        const key = (r.fields[loginAt] ?? '').trim().toLowerCase();
        if (group.length > 0 && key !== login) {
          chunk.push({ login, records: group });
          group = [];
        }
        group.push(r);
        login = key;
      }
      if (chunk.length >= GROUPS) {
        await run.chunk(chunk);
        chunk = [];
        input.progress?.(csv.bytesRead(), input.source.size);
      }
    }
  } finally {
    csv.close();
  }
  if (group.length > 0) chunk.push({ login, records: group });
  await run.chunk(chunk);
  run.checkClaims();
  await input.writer.finish();
  // accounts created by this run have ids past the last one before it
  return (id) => id > maxId || listed[id] === 1;
}

class StreamRun {
  /** structure id → the login claiming its GP in the file. */
  private readonly claims = new Map<number, string>();
  /** Structures whose store GP the file gives another role there. */
  private readonly demoted = new Set<number>();
  /** Structures claimed by an account other than their store GP. */
  private readonly contested: number[] = [];
  private readonly view: CellView;
  /** Where the columns an unchanged account's rows are rechecked on stand (looked up once). */
  private readonly idTypeAt: number | undefined;
  private readonly identifierAt: number | undefined;
  private readonly serviceAt: number | undefined;

  constructor(
    private readonly uc: UseCase,
    private readonly input: StreamInput,
    private readonly listed: Uint8Array,
    private readonly digests: DigestIndex,
  ) {
    this.view = new CellView(input.positions);
    this.idTypeAt = input.positions.get('TYPE_IDENTIFIANT_STRUCTURE');
    this.identifierAt = input.positions.get('IDENTIFIANT_STRUCTURE');
    this.serviceAt = input.positions.get('CODE_SERVICE');
  }

  private cell(r: CsvRecord, at: number | undefined): string {
    return at === undefined ? '' : (r.fields[at] ?? '');
  }

  async chunk(chunk: { login: string; records: CsvRecord[] }[]): Promise<void> {
    if (chunk.length === 0) return;
    await breathe();
    const { summary, mode } = this.input;
    const rest: { login: string; records: CsvRecord[]; digest: string | null }[] = [];
    // a login met again: in this chunk here; in an earlier one, by its account (listed, or created by this run)
    const inChunk = new Set<string>();
    for (const g of chunk) {
      if (g.login === '') {
        rest.push({ ...g, digest: null });
        continue;
      }
      if (inChunk.has(g.login)) throw new StreamFallback('order');
      inChunk.add(g.login);
      const hash = new Hash64().update(DIGEST_VERSION).update(mode);
      for (const r of g.records) for (const f of r.fields) hash.update('\u001f').update(f);
      const halves = hash.halves();
      const id = this.digests.match(g.login, halves);
      if (id !== null && this.listed[id] === 1) throw new StreamFallback('order');
      if (id !== null && this.unchanged(g.records, id)) {
        this.listed[id] = 1;
        summary.accounts++;
        summary.unchanged++;
        continue;
      }
      rest.push({ ...g, digest: hash.hex() });
    }
    if (rest.length === 0) return;
    const current = new Map((await accountsByLogin(this.uc.trx, rest.flatMap((g) => (g.login === '' ? [] : [g.login])))).map((a) => [a.login, a]));
    const groups: AccountGroup[] = [];
    const rejects: unknown[][] = [];
    for (const g of rest) {
      const account = current.get(g.login) ?? null;
      if (account && (account.id >= this.listed.length || this.listed[account.id] === 1)) throw new StreamFallback('order');
      if (account) this.listed[account.id] = 1;
      const group = this.check(g.login, g.records, account, rejects);
      if (group) groups.push({ ...group, digest: group.hasRejects ? null : g.digest });
    }
    if (rejects.length > 0) await stageRows(this.uc.trx, rejects);
    if (groups.length > 0) await this.input.writer.write(groups, current);
  }

  /**
   * The account's rows are those it was last synced from in full: it is unchanged if the
   * directory still has what they name. (Its GP rows need no claim: the store has it as that
   * structure's GP, so another account claiming the structure is contested against it.)
   */
  private unchanged(records: CsvRecord[], accountId: number): boolean {
    if (this.input.correspondents.has(accountId)) return false;
    let padded = 0;
    for (const r of records) {
      const place = this.input.checker.recheck(this.cell(r, this.idTypeAt), this.cell(r, this.identifierAt), this.cell(r, this.serviceAt));
      if (place === null) return false;
      if (place.padded) padded++;
    }
    this.input.summary.padded += padded;
    return true;
  }

  /** A row's role at a structure, for the GP rules: the claims, and the store's GPs stepping down. */
  private noteRole(structureId: number, role: string, login: string, accountId: number | null): void {
    const storeGp = this.input.storeGp.get(structureId);
    if (role === GP) {
      const claimant = this.claims.get(structureId);
      if (claimant !== undefined && claimant !== login) throw new StreamFallback('principal');
      this.claims.set(structureId, login);
      if (storeGp !== undefined && storeGp !== accountId) this.contested.push(structureId);
    } else if (storeGp !== undefined && storeGp === accountId) this.demoted.add(structureId);
  }

  /**
   * A store GP the file demotes: allowed when another account already claimed the structure;
   * a claim further down is not known yet, so the staged path decides.
   */
  demotable(structureId: number, login: string): boolean {
    const claimant = this.claims.get(structureId);
    if (claimant !== undefined && claimant !== login) return true;
    throw new StreamFallback('principal');
  }

  /** Every claim against a store GP must come with that GP stepping down in the file. */
  checkClaims(): void {
    for (const s of this.contested) if (!this.demoted.has(s)) throw new StreamFallback('principal');
  }

  /** An account's rows checked one by one, then against each other (in the staged path's order of rules). */
  private check(login: string, records: CsvRecord[], account: CurrentAccount | null, rejects: unknown[][]): Omit<AccountGroup, 'digest'> | null {
    const { checker, summary, lang, correspondents } = this.input;
    const checked = records.map((r) => ({ line: r.line, ...checker.check(this.view.at(r.fields)) }));
    const valid = checked.filter((c) => c.reasons.length === 0 && c.row !== null && c.structureId !== null);
    for (const c of checked) if (c.row !== null && c.padded) summary.padded++;
    const cross = new Map<(typeof valid)[number], string[]>(valid.map((c) => [c, []]));
    const flag = (rows: typeof valid, key: Parameters<typeof crossRuleText>[1]) => {
      for (const c of rows) cross.get(c)!.push(crossRuleText(lang, key));
    };
    if (new Set(valid.map((c) => personalFingerprint(c.row!))).size > 1) flag(valid, 'sync.personalDisagree');
    const byStructure = new Map<number, typeof valid>();
    for (const c of valid) byStructure.set(c.structureId!, [...(byStructure.get(c.structureId!) ?? []), c]);
    for (const rows of byStructure.values()) {
      const roles = new Set(rows.map((c) => c.row!.role));
      const periods = new Set(rows.map((c) => `${c.row!.dateStart}|${c.row!.dateEnd ?? ''}`));
      if (roles.size > 1 || periods.size > 1) flag(rows, 'sync.attachmentDisagree');
    }
    if (account?.status === 'SUPPRIME') flag(valid, 'sync.accountDeleted');
    if (account && correspondents.has(account.id)) flag(valid, 'sync.isCorrespondent');
    for (const c of valid) this.noteRole(c.structureId!, c.row!.role, login, account?.id ?? null);

    const rows: StagedRow[] = [];
    for (const c of checked) {
      const reasons = [...c.reasons, ...(cross.get(c as (typeof valid)[number]) ?? [])];
      if (reasons.length > 0 || c.row === null || c.structureId === null) {
        rejects.push([c.line, login || null, null, null, null, null, null, null, null, null, null, null, null, null, reasons.join(' | ')]);
        continue;
      }
      const r = c.row;
      rows.push({ line: c.line, login: r.login, title: r.title, lastName: r.lastName, firstName: r.firstName, email: r.email, phone: r.phone, structureId: c.structureId, serviceId: c.serviceId, role: r.role, dateStart: r.dateStart, dateEnd: r.dateEnd, accountStatus: r.accountStatus });
    }
    if (rows.length === 0) return null;
    return { login, rows, hasRejects: rows.length < records.length };
  }
}
