import { Command } from 'commander';
import { z } from 'zod';
import { parseScope } from '../domain/departement.js';
import * as f from '../domain/fields.js';
import { InvalidInputError } from '../errors.js';
import { t, type Lang } from '../i18n/index.js';
import { ACCOUNT_COLUMNS } from './account.js';
import { examples, globalsOf, parse } from './context.js';

const initSchema = z.object({
  correspondent: f.login,
  email: f.email,
  nom: f.personName,
  prenom: f.personName,
  scope: z.string(),
});

export function initCommand(lang: Lang): Command {
  return new Command('init')
    .description(t(lang, 'cmd.init'))
    .requiredOption('--correspondent <login>', t(lang, 'opt.correspondentLogin'))
    .requiredOption('--email <email>', t(lang, 'opt.email'))
    .requiredOption('--nom <nom>', t(lang, 'opt.nom'))
    .requiredOption('--prenom <prenom>', t(lang, 'opt.prenom'))
    .requiredOption('--scope <departements>', t(lang, 'opt.scope'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin init --correspondent corr@dgfip.finances.gouv.fr --email corr@dgfip.finances.gouv.fr --nom MARTIN --prenom Claire --scope 64,40',
        "chorus-admin --db postgres://chorus@db.example/chorus init --correspondent dir@dgfip.finances.gouv.fr --email dir@dgfip.finances.gouv.fr --nom DUPONT --prenom Luc --scope '*'",
      ),
    )
    .action(async (opts: Record<string, string>, cmd: Command) => {
      const g = globalsOf(cmd);
      const o = parse(initSchema, opts);
      const { scope, invalid } = parseScope(o.scope);
      if (invalid.length > 0)
        throw new InvalidInputError([
          { field: '--scope', message: 'validation.scope', params: { values: invalid.join(', ') } },
        ]);
      const { initStore } = await import('../app/init.js');
      const result = await initStore({
        store: g.store,
        login: o.correspondent,
        data: { email: o.email, lastName: o.nom, firstName: o.prenom },
        scope,
      });
      g.out.success('init.done', { location: result.location, login: result.account.login });
      await g.out.record(result.account, ACCOUNT_COLUMNS);
      // what a new correspondent does next: the directory, its services, then the sync
      g.out.info('init.next', { login: result.account.login });
    });
}
