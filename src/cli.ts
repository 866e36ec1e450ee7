import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Command, CommanderError, Help, Option } from 'commander';
import { bindIo } from './commands/program-io.js';
import { redactErrorUrls } from './db/url.js';
import { examples } from './commands/help-text.js';
import { AppError, EXIT, InvalidInputError, PartialBatchError } from './errors.js';
import { resolveLang, t, type Lang, type MessageKey } from './i18n/index.js';
import type { Io } from './ui/io.js';
import { Output } from './ui/output.js';
import { inquirerPrompter } from './ui/prompts.js';

/**
 * `run(argv, io)`: builds the program (global options, command groups, localised help), runs
 * it, and holds the one top-level catch that turns every error into a message on stderr and an
 * exit code (SPEC 5). The only module that touches the process, in `realIo`.
 */

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The real process: its streams, environment, folder, clock and terminal prompts. */
export function realIo(): Io {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    clock: { now: () => new Date() },
    prompter: inquirerPrompter(process.stdin, process.stderr),
    parentAlive: parentCheck(),
  };
}

/**
 * A batch child (bin/chorus-admin.js) knows its launcher's pid: once the launcher is gone (killed),
 * the child has another parent, and must not commit. The check is synchronous: better-sqlite3
 * keeps the event loop busy until the COMMIT, so the launcher's death could not be heard otherwise.
 * CHORUS_ADMIN_TEST_COMMIT_GATE (tests only) names a FIFO the child waits on before the check,
 * after creating FIFO.reached, so that a test can kill the launcher at that very point.
 */
function parentCheck(): (() => boolean) | undefined {
  const launcher = Number(process.env.CHORUS_ADMIN_PARENT_PID);
  if (!Number.isInteger(launcher) || launcher <= 1) return undefined;
  const gate = process.env.CHORUS_ADMIN_TEST_COMMIT_GATE;
  return () => {
    if (gate) {
      fs.writeFileSync(`${gate}.reached`, '');
      fs.readFileSync(gate);
    }
    return process.ppid === launcher;
  };
}

type GroupBuilder = (lang: Lang) => Command;

/**
 * The command groups, each loaded only when it runs (or when help lists its commands): a
 * group brings zod, the store and the drivers with it, which `--version` and `--help` need not.
 */
const GROUPS: Record<string, () => Promise<GroupBuilder>> = {
  init: async () => (await import('./commands/init.js')).initCommand,
  db: async () => (await import('./commands/db.js')).dbCommand,
  sync: async () => (await import('./commands/sync.js')).syncCommand,
  account: async () => (await import('./commands/account.js')).accountCommand,
  structure: async () => (await import('./commands/structure.js')).structureCommand,
  attachment: async () => (await import('./commands/attachment.js')).attachmentCommand,
  habilitation: async () => (await import('./commands/habilitation.js')).habilitationCommand,
  subscription: async () => (await import('./commands/subscription.js')).subscriptionCommand,
  file: async () => (await import('./commands/file.js')).fileCommand,
  notification: async () => (await import('./commands/notification.js')).notificationCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
};

const GROUP_NAMES = Object.keys(GROUPS);

/** Environment variables of the global options, said in their help (SPEC 4). */
const OPTION_ENV: Record<string, string> = {
  '--db': 'CHORUS_ADMIN_DB',
  '--as': 'CHORUS_ADMIN_AS',
  '--lang': 'CHORUS_ADMIN_LANG',
};

const TITLES: Record<string, MessageKey> = {
  'Usage:': 'help.usage',
  'Arguments:': 'help.arguments',
  'Options:': 'help.options',
  'Commands:': 'help.commands',
  'Global Options:': 'help.globalOptions',
};

/**
 * The program with the groups `load` names (given the root and its global options) built whole;
 * the others stand as their name and description, enough for the root help and for suggesting a
 * mistyped command.
 */
export async function buildProgram(
  lang: Lang,
  io: Io,
  load: (program: Command) => readonly string[] = () => GROUP_NAMES,
): Promise<Command> {
  const program = new Command('chorus-admin')
    .description(t(lang, 'cmd.root'))
    .version(version, '-V, --version', t(lang, 'opt.version'))
    .addOption(new Option('--db <path|url>', t(lang, 'opt.db')))
    .addOption(new Option('--as <login>', t(lang, 'opt.as')))
    .addOption(
      new Option('--format <format>', t(lang, 'opt.format')).choices([
        'table',
        'json',
        'csv',
        'xlsx',
      ]),
    )
    .option('--json', t(lang, 'opt.json'))
    .option('--wide', t(lang, 'opt.wide'))
    .option('-o, --output <file>', t(lang, 'opt.outputFile'))
    .addOption(new Option('--lang <lang>', t(lang, 'opt.lang')).choices(['fr', 'en']))
    .option('-y, --yes', t(lang, 'opt.yes'))
    .option('-q, --quiet', t(lang, 'opt.quiet'))
    .option('-v, --verbose', t(lang, 'opt.verbose'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin --as corr@dgfip.fr account list', 'chorus-admin account --help'),
    )
    .addHelpText('after', `${t(lang, 'help.env')}\n`);
  bindIo(program, io);

  const loaded = load(program);
  if (loaded.length > 0) await zodSpeaks(lang);
  for (const [name, builder] of Object.entries(GROUPS)) {
    if (loaded.includes(name)) program.addCommand((await builder())(lang));
    else program.addCommand(new Command(name).description(t(lang, `cmd.${name}` as MessageKey)));
  }

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
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
        // usage errors are printed by `run`, translated
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
  const envVar = o.long ? OPTION_ENV[o.long] : undefined;
  if (envVar) extra.push(t(lang, 'help.envVar', { name: envVar }));
  return extra.length > 0 ? `${o.description} (${extra.join(', ')})` : o.description;
}

/** The language must be known before help texts are built, so `--lang` is looked for first. */
function preScanLang(argv: readonly string[], env: Io['env']): Lang {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const flag = i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return resolveLang(flag, env);
}

/**
 * The group the user asks for: the first word that is neither one of the program's global
 * options nor the value of one of them.
 */
function groupAsked(argv: readonly string[], program: Command): readonly string[] {
  const withValue = program.options
    .filter((o) => o.required || o.optional)
    .flatMap((o) => [o.long, o.short].filter((f) => f !== undefined));
  const asked = (word: string | undefined) =>
    word !== undefined && Object.hasOwn(GROUPS, word) ? [word] : [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return asked(argv[i + 1]);
    if (withValue.includes(a)) i++;
    else if (!a.startsWith('-')) return asked(a);
  }
  return [];
}

/**
 * Runs the program on `argv` (the words after the program's name) and returns its exit code;
 * it reaches its process through `io` only, so tests run it in theirs.
 */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const lang = preScanLang(argv, io.env);
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  const out = new Output({ lang, format: 'table', quiet: false, verbose, io });
  try {
    const program = await buildProgram(lang, io, (root) => groupAsked(argv, root));
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    return report(err, out, typedPaths(argv, io.cwd));
  }
}

/** zod's own messages in the user's language: only the two locales are loaded, not its forty. */
async function zodSpeaks(lang: Lang): Promise<void> {
  const [{ config }, locale] = await Promise.all([
    import('zod'),
    lang === 'fr' ? import('zod/v4/locales/fr.js') : import('zod/v4/locales/en.js'),
  ]);
  config(locale.default());
}

/**
 * What the file system says of a path the user typed (a missing folder, a name too long, a file
 * or a dangling link already there): the user's doing, not a bug. Each has its exit code.
 */
const PATH_ERRORS: Record<string, number> = {
  ENOENT: EXIT.INVALID,
  ENOTDIR: EXIT.INVALID,
  EISDIR: EXIT.INVALID,
  ENAMETOOLONG: EXIT.INVALID,
  ELOOP: EXIT.INVALID,
  EACCES: EXIT.INVALID,
  EPERM: EXIT.INVALID,
  EROFS: EXIT.INVALID,
  EEXIST: EXIT.CONFLICT,
};

/** Every word of the command line as a path from the working folder (`--opt=value`: the value). */
function typedPaths(argv: readonly string[], cwd: string): string[] {
  return argv
    .flatMap((a) => (/^--[^=]+=/.test(a) ? [a.slice(a.indexOf('=') + 1)] : [a]))
    .filter((a) => a !== '')
    .map((a) => path.resolve(cwd, a));
}

/**
 * The path of a file-system error when it is one the user typed, a file right in a folder the
 * user typed (`--to DIR`, `-o DIR`), or a folder on the way to a path the user typed (a file
 * where `--db a/b.sqlite` needs the folder `a`); any other path is the program's own, and a bug.
 */
function typedPathOf(err: unknown, typed: readonly string[]): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException & { dest?: string };
  if (typeof e.code !== 'string' || !Object.hasOwn(PATH_ERRORS, e.code)) return undefined;
  return [e.path, e.dest].find(
    (p): p is string =>
      typeof p === 'string' &&
      typed.some((u) => {
        const at = path.resolve(p);
        return at === u || path.dirname(at) === u || u.startsWith(at + path.sep);
      }),
  );
}

/** Prints what went wrong, in the user's language, and returns the exit code of SPEC 5. */
export function report(err: unknown, out: Output, typed: readonly string[] = []): number {
  redactErrorUrls(err); // SPEC 4: never a password, whatever the error quotes
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
  const typedPath = typedPathOf(err, typed);
  if (typedPath !== undefined) {
    const code = (err as NodeJS.ErrnoException).code!;
    out.error(
      out.t('error.path', {
        path: typedPath,
        reason: out.t(`error.path.${code}` as MessageKey),
      }),
    );
    out.debug((err as Error).message);
    return PATH_ERRORS[code]!;
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
