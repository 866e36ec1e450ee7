import { Command } from 'commander';
import { getSetting, listSettings, setSetting, unsetSetting, type Setting } from '../app/config.js';
import { t, type Lang } from '../i18n/index.js';
import type { Column } from '../ui/output.js';
import { examples, outputOf } from './context.js';

/**
 * `config …`: the profiles of the configuration file (SPEC 4). No store and no acting account:
 * the file alone. `--profile` (or CHORUS_ADMIN_PROFILE) names the profile; `default` otherwise.
 */

const COLUMNS: Column<Setting>[] = [
  { key: 'profile', label: 'col.profile' },
  { key: 'key', label: 'col.setting' },
  { key: 'value', label: 'col.value' },
];

export function configCommand(lang: Lang): Command {
  const config = new Command('config')
    .description(t(lang, 'cmd.config'))
    .addHelpText('after', `\n${t(lang, 'config.where')}`)
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin config set db postgres://chorus@db.example/chorus',
        'chorus-admin config set as corr@dgfip.fr',
        'chorus-admin --profile essai config set db /srv/essai/chorus.sqlite',
        'chorus-admin --profile essai account list',
      ),
    );

  config
    .command('list')
    .description(t(lang, 'cmd.config.list'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin config list', 'chorus-admin config list --json'),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const c = outputOf(cmd);
      const { file, settings } = listSettings(c.profile, c.io.env);
      if (settings.length === 0 && c.format === 'table')
        return c.out.info('config.empty', { file });
      await c.out.list(settings, COLUMNS);
    });

  config
    .command('get')
    .description(t(lang, 'cmd.config.get'))
    .argument('<key>', t(lang, 'arg.configKey'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin config get db', 'chorus-admin --profile essai config get as'),
    )
    .action(async (key: string, _opts: unknown, cmd: Command) => {
      const c = outputOf(cmd);
      await c.out.record(getSetting(c.profile, c.io.env, key), COLUMNS);
    });

  config
    .command('set')
    .description(t(lang, 'cmd.config.set'))
    .argument('<key>', t(lang, 'arg.configKey'))
    .argument('<value>', t(lang, 'arg.configValue'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin config set lang en',
        'chorus-admin --profile essai config set format json',
      ),
    )
    .action(async (key: string, value: string, _opts: unknown, cmd: Command) => {
      const c = outputOf(cmd);
      const { file, setting } = await setSetting(c.profile, c.io.env, c.io.cwd, key, value);
      c.out.success('config.set', { ...setting, file });
      await c.out.record(setting, COLUMNS);
    });

  config
    .command('unset')
    .description(t(lang, 'cmd.config.unset'))
    .argument('<key>', t(lang, 'arg.configKey'))
    .addHelpText(
      'after',
      examples(
        lang,
        'chorus-admin config unset as',
        'chorus-admin --profile essai config unset db',
      ),
    )
    .action((key: string, _opts: unknown, cmd: Command) => {
      const c = outputOf(cmd);
      const result = unsetSetting(c.profile, c.io.env, key);
      if (result.removed) c.out.success('config.unset', result);
      else c.out.info('config.unsetAbsent', result);
      if (c.format === 'json') c.out.json(result);
    });

  return config;
}
