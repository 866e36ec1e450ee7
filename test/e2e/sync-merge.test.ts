import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshLocation, type FreshLocation } from '../helpers/stores.js';
import { HEAVY, auditLog, clis, count, json } from './fixtures.js';

/**
 * SPEC 8.1 "The file is merged, not imposed", end to end: a département synced, changed in the
 * tool by its managers and its correspondent, synced again with the same export, then with a
 * changed one.
 */

const PAU = '21640445900010';
const MONT = '21400192700018';
const PAULINE = 'pauline.dufour@mairie-pau.fr';
const JEAN = 'jean.martin@mairie-pau.fr';
const MARC = 'marc.petit@mairie-pau.fr';
const ANNE = 'anne-marie.le-gall@mont-de-marsan.fr';
const GP = 'GESTIONNAIRE_PRINCIPAL';

const HEADER =
  'IDENTIFIANT_CONNEXION;CIVILITE;NOM;PRENOM;COURRIEL_CONTACT;TELEPHONE;TYPE_IDENTIFIANT_STRUCTURE;IDENTIFIANT_STRUCTURE;CODE_SERVICE;ROLE;DATE_DEBUT;DATE_FIN;STATUT_COMPTE';
const EXPORT = (jeanName = 'MARTIN', marcRole = 'UTILISATEUR') =>
  [
    HEADER,
    `${PAULINE};Mme;DUFOUR;Pauline;${PAULINE};05 59 27 85 80;SIRET;${PAU};;${GP};01/01/2024;;ACTIF`,
    `${JEAN};M.;${jeanName};Jean;${JEAN};;SIRET;${PAU};SERV-CULT;UTILISATEUR;01/02/2024;31/12/2026;ACTIF`,
    `${MARC};M.;PETIT;Marc;${MARC};;SIRET;${PAU};;${marcRole};01/01/2024;;ACTIF`,
    `${ANNE};Mme;LE GALL;Anne-Marie;${ANNE};;SIRET;${MONT};;GESTIONNAIRE_SECONDAIRE;01/03/2024;;ACTIF`,
    '',
  ].join('\r\n');

interface Summary {
  created: number;
  updated: number;
  unchanged: number;
  keptLocal: number;
  overridden: number;
  attachmentsAdded: number;
  attachmentsChanged: number;
  rejected: number;
}
interface Shown {
  lastName: string;
  attachments: { structure: string; role: string; status: string }[];
}

describe.each(DIALECTS)('sync madrhas merges, end to end (%s)', (dialect) => {
  let fresh: FreshLocation;
  let cli: ReturnType<typeof clis>;
  beforeEach(async () => {
    // the seeded template: `init`, the fixture directory and services imported as CORR
    fresh = await freshLocation(dialect, 'seeded');
    cli = clis(fresh.location);
  }, HEAVY.timeout);
  afterEach(async () => {
    await fresh.cleanup();
  });

  const write = (name: string, text: string) => {
    const f = path.join(fresh.dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const show = async (login: string) => {
    const r = await cli.corr('account', 'show', login, '--json');
    expect(r.code, r.stderr).toBe(0);
    return json<Shown>(r);
  };
  /** In the tool: Pauline hands Pau over to Marc (attachment detach --new-manager). */
  const handOverToMarc = async () => {
    const moved = await cli.as(PAULINE)(
      'attachment',
      'detach',
      PAU,
      '--new-manager',
      MARC,
      '--yes',
    );
    expect(moved.code, moved.stderr).toBe(0);
  };
  const roleAtPau = async (login: string) =>
    (await show(login)).attachments.find((a) => a.structure.endsWith(PAU) && a.status === 'VALIDEE')
      ?.role;

  it(
    'the managers’ and the correspondent’s changes survive the unchanged export; a real change of the export applies',
    async () => {
      const file = write('export-64.csv', EXPORT());
      const first = await cli.corr('sync', 'madrhas', file, '--json');
      expect(first.code, first.stderr).toBe(0);
      expect(json<Summary>(first)).toMatchObject({ created: 4, rejected: 0 });

      // in the tool: Pauline hands Pau over to Marc, the correspondent corrects Jean's name
      await handOverToMarc();
      const edited = await cli.corr('account', 'edit', JEAN, '--nom', 'MARTINEZ');
      expect(edited.code, edited.stderr).toBe(0);
      const mails = await count(fresh.location, 'notification');
      const audits = await count(fresh.location, 'auditLog');

      // a dry run lists what the file is kept from undoing; --check finds nothing to apply
      const checked = await cli.corr('sync', 'madrhas', file, '--dry-run', '--check');
      expect(checked.code, checked.stderr).toBe(0);
      // grouped under the structure whose values they keep, named in words
      expect(checked.stdout).toMatch(new RegExp(`^SIRET:${PAU} {2}COMMUNE DE PAU$`, 'm'));
      for (const [login, kept] of [
        [MARC, 'Rôle'],
        [PAULINE, 'Rôle'],
        [JEAN, 'Nom'],
      ])
        expect(checked.stdout).toMatch(
          new RegExp(
            `^  = ${login!.replace(/\./g, '\\.')} : valeur locale conservée : ${kept}`,
            'm',
          ),
        );
      expect(await count(fresh.location, 'auditLog')).toBe(audits);

      // the same export again: nothing undone, nobody told, only the run's own audit entry
      const again = await cli.corr('sync', 'madrhas', file);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/^Valeurs locales gardées +3$/m);
      expect(again.stdout).toMatch(/^Valeurs locales remplacées +0$/m);
      expect(again.stdout).toMatch(/^Mis à jour +0$/m);
      expect(await roleAtPau(MARC)).toBe(GP);
      expect(await roleAtPau(PAULINE)).toBe('UTILISATEUR');
      expect((await show(JEAN)).lastName).toBe('MARTINEZ');
      expect(await count(fresh.location, 'notification')).toBe(mails);
      expect(await count(fresh.location, 'auditLog')).toBe(audits + 1);
      expect((await auditLog(fresh.location))[0]).toMatchObject({
        action: 'sync.madrhas',
        changes: { keptLocal: 3, overridden: 0, updated: 0 },
      });

      // the export renames Jean: its change wins over the correction, which it reports
      const renamed = write('export-64-bis.csv', EXPORT('MARTIN-LAFON'));
      const third = await cli.corr('--lang', 'en', 'sync', 'madrhas', renamed);
      expect(third.code, third.stderr).toBe(0);
      expect(third.stdout).toMatch(/^Local values overridden +1$/m);
      expect(third.stdout).toMatch(/^Local values kept +2$/m);
      expect((await show(JEAN)).lastName).toBe('MARTIN-LAFON');
      expect(await roleAtPau(MARC)).toBe(GP);
      // and so do audit list (the values by their names, in words) and sync show
      const history = await cli.corr(
        'audit',
        'list',
        '--target',
        `account:${JEAN}`,
        '--limit',
        '1',
      );
      expect(history.stdout).toContain(
        '\n  Valeurs locales remplacées : Nom MARTINEZ → MARTIN-LAFON\n',
      );
      const runId = json<{ id: number }[]>(await cli.corr('--json', 'sync', 'runs'))[0]!.id;
      const shown = await cli.corr('sync', 'show', String(runId));
      expect(shown.stdout).toContain(
        `account:${JEAN} — Mise à jour\n  Nom : MARTINEZ → MARTIN-LAFON\n  remplacés par le fichier (modifiés dans l’outil aussi) : Nom\n`,
      );
      const listed = await cli.corr('audit', 'list', '--target', `account:${JEAN}`, '--json');
      expect(listed.code, listed.stderr).toBe(0);
      expect(json<{ action: string; changes: unknown }[]>(listed)[0]).toMatchObject({
        action: 'sync.account.update',
        changes: {
          lastName: { before: 'MARTINEZ', after: 'MARTIN-LAFON' },
          overridden: [{ field: 'lastName', store: 'MARTINEZ', file: 'MARTIN-LAFON' }],
        },
      });

      // and once more: nothing left to do
      const last = await cli.corr('sync', 'madrhas', renamed, '--json');
      expect(json<Summary>(last)).toMatchObject({
        updated: 0,
        overridden: 0,
        keptLocal: 2,
        attachmentsChanged: 0,
      });
    },
    HEAVY.timeout,
  );

  it(
    'an export that demotes the GP named in the tool while it still names the former one: the structure keeps its GP',
    async () => {
      expect((await cli.corr('sync', 'madrhas', write('export.csv', EXPORT()))).code).toBe(0);
      await handOverToMarc();

      // the export now makes Marc a GS, and still says Pauline is GP: Pauline's role stays the
      // store's (a user), so Marc's demotion would leave Pau without a GP
      const file = write('export-gs.csv', EXPORT('MARTIN', 'GESTIONNAIRE_SECONDAIRE'));
      const dry = await cli.corr('sync', 'madrhas', file, '--dry-run', '--wide');
      expect(dry.code, dry.stderr).toBe(0);
      const plan = dry.stdout.split('\n');
      const under = plan.indexOf(`SIRET:${PAU}  COMMUNE DE PAU`);
      expect(under, dry.stdout).toBeGreaterThan(0);
      // shown under the structure it stays GP of, whole (--wide: nothing cut to 80 columns)
      expect(plan.slice(under + 1, under + 4)).toContain(
        `  = ${MARC} : reste gestionnaire principal de SIRET:${PAU}`,
      );
      expect(plan.some((l) => l.length > 80 && !l.endsWith('…'))).toBe(true);

      const run = await cli.corr('sync', 'madrhas', file, '--json');
      expect(run.code, run.stderr).toBe(0);
      expect(json<Summary & { gpKept: number }>(run)).toMatchObject({ gpKept: 1, updated: 0 });
      expect(run.stderr).toContain('1 gestionnaire principal conservé');
      expect(await roleAtPau(MARC)).toBe(GP);
      expect(await roleAtPau(PAULINE)).toBe('UTILISATEUR');
      // the next run asks again, until the export or the store changes
      const again = await cli.corr('sync', 'madrhas', file, '--json');
      expect(json<Summary & { gpKept: number }>(again)).toMatchObject({ gpKept: 1, updated: 0 });
      expect(await roleAtPau(MARC)).toBe(GP);
    },
    HEAVY.timeout,
  );
});
