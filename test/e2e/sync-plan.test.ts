import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { CORR, HEAVY, auditLog, clis, count, json, withDb, type Cli } from './fixtures.js';

/**
 * Issue 16, points 2, 3, 4 and 6 (SPEC 8.1, 5, 10), end to end on each dialect: plans written,
 * reviewed and applied once, one made stale on purpose; a truncated export over the limit
 * released by a second correspondent (four eyes); `--check` both ways; credentials on and off.
 */

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const MADRHAS = path.join(FIXTURES, 'madrhas.csv');
/** The fixture's lines without their CRLF: [0] is the header, [n] is line n + 1 of the file. */
const LINES = fs.readFileSync(MADRHAS, 'utf8').split('\r\n');
/** The fixture's valid rows only (file lines 2 to 6 and 16): Pauline, Jean, Anne-Marie, Sophie (INACTIF). */
const CLEAN = [...LINES.slice(1, 6), LINES[15]!];

const PAULINE = 'pauline.dufour@mairie-pau.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const ANNE_MARIE = 'anne-marie.le-gall@mont-de-marsan.fr';
const SOPHIE = 'sophie.bernard@chateau-pau.fr';
const LOGINS = [ANNE_MARIE, JEAN, PAULINE, SOPHIE];

/** A second correspondent whose scope (64,40) covers the planner's; one whose scope (64) does not. */
const SECOND = 'second@dgfip.finances.gouv.fr';
const NARROW = 'narrow@dgfip.finances.gouv.fr';

type Plan = {
  format: string;
  version: number;
  file: { name: string; path: string; sha256: string; encoding: string };
  options: Record<string, unknown>;
  actor: string;
  scope: string[];
  storeRevision: { seq: number; hash: string };
  summary: Record<string, number>;
  overLimit: { count: number; limit: number; total: number; accounts: string[] } | null;
  accounts: { login: string; kind: string; absent: boolean }[];
  rejects: { line: number; errors: string[] }[];
};

describe.each(DIALECTS)('sync plans, four eyes, --check, credentials (%s)', HEAVY, (dialect) => {
  let fresh: FreshLocation;
  let corr: Cli;
  let as: (login: string) => Cli;
  let step = 0;

  const put = (...rows: string[]): string => {
    const p = path.join(fresh.dir, `export-${step++}.csv`);
    fs.writeFileSync(p, [LINES[0]!, ...rows].map((l) => `${l}\r\n`).join(''));
    return p;
  };
  const planPath = (name = `plan-${step++}.json`) => path.join(fresh.dir, name);
  const readPlan = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Plan;
  /** Each account as `account show` gives it, without what a run's instant or ids make differ. */
  const accounts = async (location: string) => {
    const out: unknown[] = [];
    for (const login of LOGINS) {
      const r = await clis(location).corr('account', 'show', login, '--json');
      if (r.code !== 0) {
        out.push({ login, missing: r.code });
        continue;
      }
      const a = json<Record<string, unknown> & { attachments: Record<string, unknown>[] }>(r);
      const { id: _id, createdAt: _c, updatedAt: _u, attachments, ...rest } = a;
      out.push({
        ...rest,
        attachments: attachments
          .map(({ id: _i, createdAt: _ac, updatedAt: _au, decidedAt: _d, ...att }) => att)
          .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      });
    }
    return out;
  };
  const notifications = (location: string) =>
    withDb(location, (db) =>
      db
        .selectFrom('notification')
        .select(['event', 'toAddress'])
        .where('toAddress', 'in', LOGINS)
        .orderBy('toAddress')
        .execute(),
    );

  beforeEach(async () => {
    fresh = await freshLocation(dialect, 'seeded');
    const c = clis(fresh.location);
    corr = c.corr;
    as = c.as;
    for (const [login, scope] of [
      [SECOND, '64,40'],
      [NARROW, '64'],
    ] as const) {
      const r = await corr(
        'account',
        'create',
        login,
        '--email',
        login,
        '--nom',
        'CORRESPONDANT',
        '--prenom',
        'Cora',
        '--correspondent',
        '--scope',
        scope,
      );
      expect(r.code, r.stderr).toBe(0);
    }
  });
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('--plan writes the whole plan (0600, nothing else written); sync apply gives what a direct run gives', async () => {
    const out = planPath();
    const before = await count(fresh.location, 'auditLog');
    const planned = await corr('sync', 'madrhas', MADRHAS, '--plan', out);
    expect(planned.code, planned.stderr).toBe(1); // the fixture's rejected rows
    expect(planned.stderr).toContain(`Plan écrit dans ${out} (4 comptes)`);
    // for people: the diff by structure, the accounts named
    expect(planned.stdout).toMatch(
      new RegExp(
        `^Plan de madrhas\\.csv : 4 comptes modifiés\nMode full, par ${CORR.replace(/\./g, '\\.')}$`,
        'm',
      ),
    );
    for (const line of planned.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    // each structure named by its reference and its raison sociale
    expect(planned.stdout).toMatch(/^SIRET:21640445900010 {2}COMMUNE DE PAU$/m);
    expect(planned.stdout).toMatch(new RegExp(`^  \\+ ${PAULINE} : créé, DUFOUR Pauline`, 'm'));
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(fresh.dir).filter((f) => f.includes('.part'))).toEqual([]);
    expect(await count(fresh.location, 'account')).toBe(3); // nothing written
    expect(await count(fresh.location, 'auditLog')).toBe(before);

    const plan = readPlan(out);
    expect(plan).toMatchObject({
      format: 'chorus-admin/sync-plan',
      version: 1,
      file: { name: 'madrhas.csv', path: MADRHAS, encoding: 'utf8' },
      options: { mode: 'full', maxDeactivations: '10%', strict: false, noCredentials: false },
      actor: CORR,
      scope: ['40', '64'],
      summary: { created: 4, rejected: 9 },
      overLimit: null,
    });
    expect(plan.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.accounts.map((a) => [a.login, a.kind])).toEqual(LOGINS.map((l) => [l, 'created']));
    expect(plan.rejects.map((r) => r.line)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15]);

    // never over a file: 6 before any work
    const again = await corr('sync', 'madrhas', MADRHAS, '--plan', out);
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('existe déjà');

    const applied = await corr('sync', 'apply', out, '--json');
    expect(applied.code, applied.stderr).toBe(1);
    expect(json<Record<string, number>>(applied)).toMatchObject({ created: 4, dryRun: false });

    // the same store as a direct run of the file
    const direct = await freshLocation(dialect, 'seeded');
    try {
      expect((await clis(direct.location).corr('sync', 'madrhas', MADRHAS)).code).toBe(1);
      expect(await accounts(fresh.location)).toEqual(await accounts(direct.location));
    } finally {
      await direct.cleanup();
    }
    // the run's audit entry names the plan it applied
    const run = (await auditLog(fresh.location)).find((e) => e.action === 'sync.madrhas')!;
    expect(run.changes).toMatchObject({
      plan: expect.stringMatching(/^[0-9a-f]{64}$/),
      planner: CORR,
    });
  });

  it('a plan applies once: the second time 6, nothing written', async () => {
    const out = planPath();
    expect((await corr('sync', 'madrhas', put(...CLEAN), '--plan', out)).code).toBe(0);
    expect((await corr('sync', 'apply', out)).code).toBe(0);
    const after = await count(fresh.location, 'auditLog');
    const twice = await corr('sync', 'apply', out);
    expect(twice.code).toBe(6);
    expect(twice.stderr).toContain('déjà été appliqué');
    expect(await count(fresh.location, 'auditLog')).toBe(after);
  });

  it('a plan made stale on purpose (another command changed the store): 6, nothing written', async () => {
    const out = planPath();
    expect((await corr('sync', 'madrhas', put(...CLEAN), '--plan', out)).code).toBe(0);
    const create = await corr(
      'account',
      'create',
      'autre@mairie-pau.fr',
      '--email',
      'autre@mairie-pau.fr',
      '--nom',
      'AUTRE',
      '--prenom',
      'Alain',
    );
    expect(create.code, create.stderr).toBe(0);
    const accountsBefore = await count(fresh.location, 'account');
    // a review finds it stale too
    const review = await corr('sync', 'apply', out, '--dry-run');
    expect(review.code).toBe(6);
    expect(review.stderr).toContain('La base a changé depuis ce plan');
    const stale = await corr('sync', 'apply', out);
    expect(stale.code).toBe(6);
    expect(stale.stderr).toContain('La base a changé depuis ce plan');
    expect(await count(fresh.location, 'account')).toBe(accountsBefore);
  });

  it('the export changed after planning: 6; --file finds it moved', async () => {
    const file = put(...CLEAN);
    const out = planPath();
    expect((await corr('sync', 'madrhas', file, '--plan', out)).code).toBe(0);
    const copy = path.join(fresh.dir, 'moved.csv');
    fs.copyFileSync(file, copy);
    fs.appendFileSync(file, `${LINES[6]!}\r\n`);
    const changed = await corr('sync', 'apply', out);
    expect(changed.code).toBe(6);
    expect(changed.stderr).toContain('n’est plus celui du plan');
    expect(await count(fresh.location, 'account')).toBe(3);
    const moved = await corr('sync', 'apply', out, '--file', copy);
    expect(moved.code, moved.stderr).toBe(0);
    expect(await count(fresh.location, 'account')).toBe(7);
  });

  it('a plan that is not one: 5 naming the line', async () => {
    const bad = planPath('bad.json');
    fs.writeFileSync(bad, '{"format":"autre"}\n');
    const r = await corr('sync', 'apply', bad);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('ligne 1');
  });

  it('a truncated export over the limit: 6 naming the accounts, its plan released by a second correspondent only', async () => {
    expect((await corr('sync', 'madrhas', put(...CLEAN))).code).toBe(0);
    const truncated = put(LINES[1]!, LINES[2]!); // Pauline alone
    const refused = await corr('sync', 'madrhas', truncated, '--max-deactivations', '1');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain(
      `désactiverait 2 comptes sur 3 (limite 1, --max-deactivations 1) : ${ANNE_MARIE}, ${JEAN}.`,
    );
    expect(refused.stdout).toMatch(/^Désactivés +2$/m); // its summary
    const out = planPath();
    const planned = await corr(
      'sync',
      'madrhas',
      truncated,
      '--max-deactivations',
      '1',
      '--plan',
      out,
      '--json',
    );
    expect(planned.code).toBe(6);
    expect(planned.stderr).toContain('seul un autre correspondant');
    // said once, and without telling the planner to save the plan it just saved
    expect(planned.stderr).toContain('le plan enregistré attend un second correspondant');
    expect(planned.stderr).not.toContain('enregistrez le plan');
    expect(planned.stderr).not.toMatch(/appliquez-le avec/);
    const plan = json<Plan>(planned); // --json: the plan object
    // Sophie, INACTIF already, loses her attachment only
    expect(plan.overLimit).toEqual({ count: 2, limit: 1, total: 3, accounts: [ANNE_MARIE, JEAN] });
    expect(readPlan(out)).toEqual(plan);
    expect(plan.accounts.filter((a) => a.kind === 'deactivated').map((a) => a.login)).toEqual([
      ANNE_MARIE,
      JEAN,
    ]);

    const ownPlan = await corr('--reason', 'départ', 'sync', 'apply', out);
    expect(ownPlan.code).toBe(4);
    const narrow = await as(NARROW)('--reason', 'départ', 'sync', 'apply', out);
    expect(narrow.code).toBe(4);
    const noReason = await as(SECOND)('sync', 'apply', out);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');
    const statuses = async () =>
      Object.fromEntries(
        await Promise.all(
          LOGINS.map(
            async (l) =>
              [
                l,
                json<{ status: string }>(await corr('account', 'show', l, '--json')).status,
              ] as const,
          ),
        ),
      );
    const synced = {
      [ANNE_MARIE]: 'ACTIF',
      [JEAN]: 'ACTIF',
      [PAULINE]: 'ACTIF',
      [SOPHIE]: 'INACTIF',
    };
    expect(await statuses()).toEqual(synced);

    // the second correspondent reviews it first: the plan for people, checked against the store
    // now, nothing written (no reason needed yet); the planner's own check is refused as its apply
    const review = await as(SECOND)('sync', 'apply', out, '--dry-run');
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toMatch(
      new RegExp(
        `^  - ${ANNE_MARIE.replace(/\./g, '\\.')} : désactivé \\(absent du fichier\\)`,
        'm',
      ),
    );
    expect(review.stderr).toContain('s’appliquerait tel quel');
    expect(review.stderr).toContain('avec --reason');
    expect(json<Plan>(await as(SECOND)('--json', 'sync', 'apply', out, '--dry-run'))).toEqual(
      readPlan(out),
    );
    expect((await corr('sync', 'apply', out, '--dry-run')).code).toBe(4);
    expect(await statuses()).toEqual(synced);

    // refusals and reviews change nothing: the plan is still the store's, and the second
    // correspondent releases it
    const released = await as(SECOND)('--reason', 'départ du SGC de Pau', 'sync', 'apply', out);
    expect(released.code, released.stderr).toBe(0);
    expect(await statuses()).toEqual({
      [ANNE_MARIE]: 'INACTIF',
      [JEAN]: 'INACTIF',
      [PAULINE]: 'ACTIF',
      [SOPHIE]: 'INACTIF',
    });
    const log = await auditLog(fresh.location);
    const run = log.find((e) => e.action === 'sync.madrhas' && e.actor === SECOND)!;
    expect(run.changes).toMatchObject({ planner: CORR, deactivated: 2 });
    expect((run as unknown as { reason: string }).reason).toBe('départ du SGC de Pau');
    expect(
      log.filter((e) => e.outcome === 'REFUSED' && e.action === 'sync.madrhas').map((e) => e.actor),
    ).toEqual([CORR, NARROW, CORR]);
  });

  it('--check: 2 without --dry-run; 8 when the file would change the store, 0 when it would not', async () => {
    const file = put(...CLEAN);
    const alone = await corr('sync', 'madrhas', file, '--check');
    expect(alone.code).toBe(2);
    const pending = await corr('sync', 'madrhas', file, '--dry-run', '--check');
    expect(pending.code).toBe(8);
    expect(pending.stderr).toContain('Appliquer ce fichier modifierait la base : 4 comptes');
    expect(await count(fresh.location, 'account')).toBe(3);
    expect((await corr('sync', 'madrhas', file)).code).toBe(0);
    const clean = await corr('sync', 'madrhas', file, '--dry-run', '--check');
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).toContain('déjà conforme');
    // rejected rows alone: 1 (a local change: 8 wins)
    expect(
      (await corr('sync', 'madrhas', put(...CLEAN, LINES[9]!), '--dry-run', '--check')).code,
    ).toBe(1);
  });

  it('a long dry run shows the first accounts of a structure, then how many more; refused over the limit, it still shows its plan', async () => {
    const agents = Array.from(
      { length: 14 },
      (_, i) =>
        `agent${String(i).padStart(2, '0')}@mairie-pau.fr;M.;AGENT;Paul;agent${i}@mairie-pau.fr;;SIRET;21640445900010;;UTILISATEUR;01/01/2024;;ACTIF`,
    );
    const dry = await corr('sync', 'madrhas', put(...agents), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    const lines = dry.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('  + agent'))).toHaveLength(10);
    expect(lines).toContain('  … et 4 autres comptes (voir --plan)');
    expect(await count(fresh.location, 'account')).toBe(3);

    expect((await corr('sync', 'madrhas', put(...agents), '--no-credentials')).code).toBe(0);
    const refused = await corr('sync', 'madrhas', put(agents[0]!), '--dry-run');
    expect(refused.code).toBe(6);
    expect(refused.stdout).toContain('Plan de export-');
    expect(refused.stdout).toMatch(
      /^ {2}- agent01@mairie-pau\.fr : désactivé \(absent du fichier\)/m,
    );
    expect(refused.stderr).toContain(
      'désactiverait 13 comptes sur 14 (limite 3, --max-deactivations 10%) : agent01@mairie-pau.fr, agent02@mairie-pau.fr, agent03@mairie-pau.fr, agent04@mairie-pau.fr, agent05@mairie-pau.fr et 8 autres.',
    );
  });

  it('the accounts a run creates get their credentials, to their login; not with --no-credentials, not in a dry run', async () => {
    const file = put(...CLEAN);
    expect((await corr('sync', 'madrhas', file, '--dry-run')).code).toBe(0);
    expect(await notifications(fresh.location)).toEqual([]);
    expect((await corr('sync', 'madrhas', file)).code).toBe(0);
    expect(await notifications(fresh.location)).toEqual(
      LOGINS.map((l) => ({ event: 'ACCOUNT_CREATED', toAddress: l })),
    );

    const other = await freshLocation(dialect, 'seeded');
    try {
      const r = await clis(other.location).corr('sync', 'madrhas', file, '--no-credentials');
      expect(r.code, r.stderr).toBe(0);
      expect(await notifications(other.location)).toEqual([]);
      expect(await count(other.location, 'account')).toBe(5);
    } finally {
      await other.cleanup();
    }
  });
});
