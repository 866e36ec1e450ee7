import { createRequire } from 'node:module';
import { Command, CommanderError, Help, Option } from 'commander';
import { z } from 'zod';
import { accountCommand } from './commands/account.js';
import { attachmentCommand } from './commands/attachment.js';
import { auditCommand } from './commands/audit.js';
import { examples } from './commands/context.js';
import { dbCommand } from './commands/db.js';
import { fileCommand } from './commands/file.js';
import { habilitationCommand } from './commands/habilitation.js';
import { initCommand } from './commands/init.js';
import { notificationCommand } from './commands/notification.js';
import { structureCommand } from './commands/structure.js';
import { subscriptionCommand } from './commands/subscription.js';
import { syncCommand } from './commands/sync.js';
import { AppError, EXIT, InvalidInputError, PartialBatchError } from './errors.js';
import { resolveLang, t, type Lang, type MessageKey } from './i18n/index.js';
import { Output } from './ui/output.js';

/**
 * Builds the program (global options, command groups, localised help) and holds the one
 * top-level catch that turns every error into a message on stderr and an exit code (SPEC 5).
 */

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const TITLES: Record<string, MessageKey> = {
  'Usage:': 'help.usage',
  'Arguments:': 'help.arguments',
  'Options:': 'help.options',
  'Commands:': 'help.commands',
  'Global Options:': 'help.globalOptions',
};

export function buildProgram(lang: Lang): Command {
  const program = new Command('chorus-admin')
    .description(t(lang, 'cmd.root'))
    .version(version, '-V, --version', t(lang, 'opt.version'))
    .addOption(new Option('--db <path|url>', t(lang, 'opt.db')).env('CHORUS_ADMIN_DB'))
    .addOption(new Option('--as <login>', t(lang, 'opt.as')).env('CHORUS_ADMIN_AS'))
    .addOption(
      new Option('--format <format>', t(lang, 'opt.format')).choices(['table', 'json', 'csv']),
    )
    .option('--json', t(lang, 'opt.json'))
    .addOption(new Option('--lang <lang>', t(lang, 'opt.lang')).choices(['fr', 'en']))
    .option('-y, --yes', t(lang, 'opt.yes'))
    .option('-q, --quiet', t(lang, 'opt.quiet'))
    .option('-v, --verbose', t(lang, 'opt.verbose'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as corr@dgfip.fr account list', 'chorus-admin account --help'),
    )
    .addHelpText('after', `${t(lang, 'help.env')}\n`);

  for (const group of [
    initCommand,
    dbCommand,
    syncCommand,
    accountCommand,
    structureCommand,
    attachmentCommand,
    habilitationCommand,
    subscriptionCommand,
    fileCommand,
    notificationCommand,
    auditCommand,
  ])
    program.addCommand(group(lang));

  // Settings commander does not pass on to commands added with addCommand: apply them to all.
  const configure = (cmd: Command) => {
    cmd
      .exitOverride()
      .helpOption('-h, --help', t(lang, 'opt.help'))
      .helpCommand(false)
      .configureHelp({
        showGlobalOptions: true,
        styleTitle: (s: string) => (TITLES[s] ? t(lang, TITLES[s]) : s),
        optionDescription: (o: Option) => describeOption(lang, o),
      } as Partial<Help>)
      .configureOutput({
        writeOut: (s) => process.stdout.write(s),
        writeErr: (s) => process.stderr.write(s),
        // usage errors are printed by `main`, translated
        outputError: () => {},
      });
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Commander adds "(choices: …, default: …, env: …)" in English; the same facts, translated. */
function describeOption(lang: Lang, o: Option): string {
  const extra: string[] = [];
  if (o.argChoices) extra.push(t(lang, 'help.choices', { choices: o.argChoices.join(', ') }));
  if (o.defaultValue !== undefined)
    extra.push(
      t(lang, 'help.default', { value: o.defaultValueDescription ?? String(o.defaultValue) }),
    );
  if (o.envVar) extra.push(t(lang, 'help.envVar', { name: o.envVar }));
  return extra.length > 0 ? `${o.description} (${extra.join(', ')})` : o.description;
}

/** The language must be known before help texts are built, so `--lang` is looked for first. */
function preScanLang(argv: string[]): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return resolveLang(flag);
}

export async function main(argv: string[]): Promise<never> {
  const lang = preScanLang(argv);
  z.config(lang === 'fr' ? z.locales.fr() : z.locales.en());
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  const out = new Output({ lang, format: 'table', quiet: false, verbose });
  let code: number = EXIT.OK;
  try {
    await buildProgram(lang).parseAsync(argv);
  } catch (err) {
    code = report(err, out);
  }
  process.exit(code);
}

/** Prints what went wrong, in the user's language, and returns the exit code of SPEC 5. */
export function report(err: unknown, out: Output): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.OK;
    // `chorus-admin` or a group alone: commander already showed the help on stderr
    if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync')
      return EXIT.USAGE;
    out.error(commanderMessage(err, out));
    out.info('usage.seeHelp');
    // a value outside an option's choices is invalid input (SPEC 5), not a misuse of the command line
    return err.code === 'commander.invalidArgument' ? EXIT.INVALID : EXIT.USAGE;
  }
  if (err instanceof InvalidInputError) {
    out.error(
      out.text(err.key, err.params),
      err.issues.map(
        (i) =>
          `${i.line === undefined ? '' : out.t('output.line', { line: i.line }) + ' '}${i.field}: ${out.text(i.message, i.params)}`,
      ),
    );
    return err.exitCode;
  }
  if (err instanceof PartialBatchError) {
    out.error(out.text(err.key, err.params));
    return err.exitCode;
  }
  if (err instanceof AppError) {
    out.error(out.text(err.key, err.params));
    if (err.params.detail) out.debug(String(err.params.detail));
    return err.exitCode;
  }
  out.error(out.t('error.internal', { message: err instanceof Error ? err.message : String(err) }));
  if (out.verbose && err instanceof Error && err.stack) out.debug(err.stack);
  else out.info('error.internalHint');
  return EXIT.INTERNAL;
}

const COMMANDER_MESSAGES: Record<string, MessageKey> = {
  'commander.unknownOption': 'usage.unknownOption',
  'commander.unknownCommand': 'usage.unknownCommand',
  'commander.missingArgument': 'usage.missingArgument',
  'commander.optionMissingArgument': 'usage.optionMissingArgument',
  'commander.missingMandatoryOptionValue': 'usage.missingMandatoryOption',
  'commander.excessArguments': 'usage.excessArguments',
  'commander.invalidArgument': 'usage.invalidArgument',
  'commander.conflictingOption': 'usage.conflictingOption',
};

/** Commander's messages are English; the offending word is kept and the sentence translated. */
function commanderMessage(err: CommanderError, out: Output): string {
  const key = COMMANDER_MESSAGES[err.code];
  const token = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  if (!key) return err.message.replace(/^error: /, '');
  return out.t(key, { token, detail: err.message.replace(/^error: /, '') });
}
