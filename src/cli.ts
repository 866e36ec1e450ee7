import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Command, Help, Option, type ParseOptionsResult } from 'commander';
import { bindIo } from './commands/program-io.js';
import { redactErrorUrls } from './db/url.js';
import { examples, placeholder, placeholders, usageLines } from './commands/help-text.js';
import { enumOption } from './commands/options.js';
import { AppError, CommandLineError, EXIT, InvalidInputError } from './errors.js';
import { resolveLang, t, type Lang, type MessageKey } from './i18n/index.js';
import type { Io } from './ui/io.js';
import { Output } from './ui/output.js';
import { reportError, typedPaths } from './ui/report.js';
import { inquirerPrompter } from './ui/prompts.js';
import { suggest } from './ui/suggest.js';

/**
 * `run(argv, io)`: builds the program (global options, command groups, localised help), runs
 * it, and holds the one top-level catch that turns every error into a message on stderr and an
 * exit code (SPEC 5). The only module that touches the process, in `realIo`.
 */

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The real process: its streams, environment, folder, clock and terminal prompts. */
export function realIo(): Io {
  // a reader that stops early (`--help | head`) closes the pipe: the program stops too, quietly,
  // as any command-line tool does, instead of dying on an unhandled EPIPE
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode ?? 0);
    });
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    clock: { now: () => new Date() },
    prompter: inquirerPrompter(process.stdin, process.stderr),
    parentAlive: commitGate(),
  };
}

/**
 * Tests only: CHORUS_ADMIN_TEST_COMMIT_GATE names a FIFO the program waits on right before each
 * COMMIT, after creating FIFO.reached, so that a test can kill it at that very point
 * (test/spawned/sync-killed.test.ts). The program runs in one process (bin/chorus-admin.js): once
 * killed, nothing of it can commit, so there is no launcher to watch and the gate always lets the
 * COMMIT through.
 */
function commitGate(): (() => boolean) | undefined {
  const gate = process.env.CHORUS_ADMIN_TEST_COMMIT_GATE;
  if (!gate) return undefined;
  return () => {
    fs.writeFileSync(`${gate}.reached`, '');
    fs.readFileSync(gate);
    return true;
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
  config: async () => (await import('./commands/config.js')).configCommand,
  completion: async () => (await import('./commands/completion.js')).completionCommand,
  help: async () => (await import('./commands/completion.js')).helpCommand,
};

const GROUP_NAMES = Object.keys(GROUPS);

/** The groups that read the whole program (every command, option and choice): all are built. */
const WHOLE_PROGRAM = new Set(['completion', 'help']);

/**
 * The program: the global `--profile` and `--reason` (SPEC 4) are its own, but for the commands
 * that have an option of that name (`habilitation request --profile VALIDATION_ABONNEMENTS`,
 * `attachment reject --reason …`), where it is theirs once their name is given. A command's own
 * `--reason` is the global one too: `globalsOf` reads both the same way (the decision's reason
 * is the audit entry's).
 */
const SHARED_OPTIONS = ['--profile', '--reason'];

class Program extends Command {
  override parseOptions(args: string[]): ParseOptionsResult {
    let at: Command | undefined;
    const kept: string[] = [];
    const theirs: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        kept.push(...args.slice(i));
        break;
      }
      at = (at ?? this).commands.find((c) => c.name() === a || c.aliases().includes(a)) ?? at;
      const name = SHARED_OPTIONS.find((o) => a === o || a.startsWith(o + '='));
      const own = name !== undefined && (at?.options.some((o) => o.long === name) ?? false);
      if (own) {
        theirs.push(a);
        if (a === name && i + 1 < args.length) theirs.push(args[++i]!);
      } else kept.push(a);
    }
    const parsed = super.parseOptions(kept);
    return { operands: parsed.operands, unknown: [...parsed.unknown, ...theirs] };
  }
}

/** Environment variables of the global options, said in their help (SPEC 4). */
const OPTION_ENV: Record<string, string> = {
  '--db': 'CHORUS_ADMIN_DB',
  '--as': 'CHORUS_ADMIN_AS',
  '--lang': 'CHORUS_ADMIN_LANG',
  '--profile': 'CHORUS_ADMIN_PROFILE',
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
  const program = new Program('chorus-admin')
    .description(t(lang, 'cmd.root'))
    .version(version, '-V, --version', t(lang, 'opt.version'))
    .addOption(new Option('--db <path|url>', t(lang, 'opt.db')))
    .addOption(new Option('--as <login>', t(lang, 'opt.as')))
    .addOption(
      enumOption('--format <format>', t(lang, 'opt.format'), ['table', 'json', 'csv', 'xlsx']),
    )
    .option('--json', t(lang, 'opt.json'))
    .option('--wide', t(lang, 'opt.wide'))
    .option('-o, --output <file>', t(lang, 'opt.outputFile'))
    .addOption(enumOption('--lang <lang>', t(lang, 'opt.lang'), ['fr', 'en']))
    .addOption(new Option('--profile <name>', t(lang, 'opt.configProfile')))
    .option('-y, --yes', t(lang, 'opt.yes'))
    .addOption(new Option('--reason <text>', t(lang, 'opt.changeReason')))
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
        styleUsage(this: Help, s: string) {
          return usageLines(lang, placeholders(lang, s), this.helpWidth ?? 80);
        },
        // descriptions wrap beside a wide column of terms too (commander's default: only if 40
        // columns are left), so that the help fits an 80-column terminal
        minWidthToWrap: 20,
        styleOptionTerm: (s: string) => placeholders(lang, s),
        styleArgumentTerm: (s: string) => placeholder(lang, s),
        styleSubcommandTerm: (s: string) => placeholders(lang, s),
      } as Partial<Help>)
      .configureOutput({
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
        // usage errors are printed by `run`, translated
        outputError: () => {},
      });
    // commander's own sentences are English: each of its errors is rebuilt from the catalogue
    cmd.error = (message: string, options?: { code?: string }): never => {
      throw commandLineError(cmd, lang, message, options?.code ?? 'commander.error');
    };
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

/** The long flags a command accepts: its own, then those of its parents (the global options). */
function flagsOf(cmd: Command): string[] {
  const flags: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent)
    for (const o of c.createHelp().visibleOptions(c)) if (o.long) flags.push(o.long);
  return flags;
}

/** The option of `cmd` or of its parents that commander names by its flags (`--type <type>`). */
function optionFlagged(cmd: Command, flags: string): Option | undefined {
  for (let c: Command | null = cmd; c; c = c.parent) {
    const found = c.options.find((o) => o.flags === flags);
    if (found) return found;
  }
  return undefined;
}

/**
 * Commander's error, found while reading the command line, as a typed error with a catalogue key:
 * its English sentence is read only for the words it quotes (the option, the argument).
 */
function commandLineError(cmd: Command, lang: Lang, message: string, code: string): AppError {
  const quoted = [...message.matchAll(/'([^']*)'/g)].map((m) => m[1]!);
  const flag = (flags: string | undefined) =>
    flags === undefined ? '' : (optionFlagged(cmd, flags)?.long ?? flags.split(/[ ,]/)[0]!);
  switch (code) {
    case 'commander.unknownCommand': {
      const word = cmd.args[0] ?? '';
      const names = cmd.commands.flatMap((c) => [c.name(), ...c.aliases()]);
      return new CommandLineError('usage.unknownCommand', { token: word }, suggest(word, names));
    }
    case 'commander.unknownOption': {
      const typed = /^error: unknown option '([\s\S]*?)'(?:\n\(Did you mean[\s\S]*)?$/.exec(
        message,
      )?.[1];
      const word = typed ?? quoted[0] ?? '';
      const near = word.startsWith('--') ? suggest(word.split('=')[0]!, flagsOf(cmd)) : [];
      return new CommandLineError('usage.unknownOption', { token: word }, near);
    }
    case 'commander.missingArgument':
      return new CommandLineError('usage.missingArgument', {
        token: placeholders(lang, `<${quoted[0] ?? ''}>`),
      });
    case 'commander.optionMissingArgument':
      return new CommandLineError('usage.optionMissingArgument', { token: flag(quoted[0]) });
    case 'commander.missingMandatoryOptionValue':
      return new CommandLineError('usage.missingMandatoryOption', { token: flag(quoted[0]) });
    case 'commander.excessArguments': {
      const extra = cmd.args.slice(cmd.registeredArguments.length);
      return new CommandLineError(
        extra.length === 1 ? 'usage.excessArgument' : 'usage.excessArguments',
        { extra: extra.join(' ') },
      );
    }
    case 'commander.conflictingOption':
      return new CommandLineError('usage.conflictingOption', {
        first: flag(quoted[0]?.replace(/^option /, '')),
        second: flag(quoted[1]),
      });
    case 'commander.invalidArgument': {
      // an argParser of ours throws its own errors; this is for any other (an argument's)
      const option = quoted[0] === undefined ? undefined : optionFlagged(cmd, quoted[0]);
      const field = option ? (option.long ?? option.name()) : (quoted[1] ?? '-').toUpperCase();
      return new InvalidInputError([
        {
          field,
          message: 'validation.invalidValue',
          params: { value: option ? quoted[1] : quoted[0] },
        },
      ]);
    }
    default:
      return new CommandLineError('usage.commandLine');
  }
}

/**
 * The language must be known before help texts are built, so `--lang` is looked for first, then
 * CHORUS_ADMIN_LANG, then the profile's (`--profile`, the first given), then LANG.
 */
async function preScanLang(argv: readonly string[], env: Io['env']): Promise<Lang> {
  const valueOf = (name: string) => {
    const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
    return i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  };
  const flag = valueOf('--lang');
  if (flag !== undefined || env.CHORUS_ADMIN_LANG) return resolveLang(flag, env);
  const { profileIfReadable } = await import('./app/config.js');
  const profile = profileIfReadable(valueOf('--profile'), env);
  return resolveLang(undefined, { ...env, CHORUS_ADMIN_LANG: profile.lang });
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
    word === undefined || !Object.hasOwn(GROUPS, word)
      ? []
      : WHOLE_PROGRAM.has(word)
        ? GROUP_NAMES
        : [word];
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
  const lang = await preScanLang(argv, io.env);
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  const out = new Output({ lang, format: 'table', quiet: false, verbose, io });
  try {
    const program = await buildProgram(lang, io, (root) => groupAsked(argv, root));
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.OK;
  } catch (err) {
    return report(err, out, typedPaths(argv, io.cwd), preScanJson(argv));
  }
}

/** Whether the user asked for JSON (`--json`, `--format json`): errors are then JSON too. */
function preScanJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const words = end < 0 ? argv : argv.slice(0, end);
  return words.some(
    (a, i) =>
      a === '--json' ||
      /^--format=json$/i.test(a) ||
      (a === '--format' && words[i + 1]?.trim().toLowerCase() === 'json'),
  );
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
 * Prints what went wrong, in the user's language, and returns the exit code of SPEC 5
 * (ui/report.ts); a password an error quotes is masked first (SPEC 4).
 */
export function report(
  err: unknown,
  out: Output,
  typed: readonly string[] = [],
  json = false,
): number {
  redactErrorUrls(err);
  return reportError(err, out, typed, json);
}
