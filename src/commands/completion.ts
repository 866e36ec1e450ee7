import { Argument, Command, type Option } from 'commander';
import { UsageError } from '../errors.js';
import { t, type Lang } from '../i18n/index.js';
import { examples } from './context.js';
import { ioOf } from './program-io.js';

/**
 * `completion bash|zsh|fish` (SPEC 4) and `help COMMAND…`. Both read the program as it is built
 * (every group: see WHOLE_PROGRAM in src/cli.ts): the completion script knows exactly the
 * commands, options and choices the program has, and no list is kept by hand.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

export function completionCommand(lang: Lang): Command {
  return new Command('completion')
    .description(t(lang, 'cmd.completion'))
    .addArgument(new Argument('<shell>', t(lang, 'arg.shell')).choices(SHELLS))
    .addHelpText(
      'after',
      examples(
        lang,
        'source <(chorus-admin completion bash)',
        'chorus-admin completion zsh > ~/.zfunc/_chorus_admin',
        'chorus-admin completion fish > ~/.config/fish/completions/chorus-admin.fish',
      ),
    )
    .action((shell: Shell, _opts: unknown, cmd: Command) => {
      ioOf(cmd).stdout.write(completionScript(shell, rootOf(cmd)));
    });
}

export function helpCommand(lang: Lang): Command {
  return new Command('help')
    .description(t(lang, 'cmd.help'))
    .argument('[command...]', t(lang, 'arg.helpCommand'))
    .addHelpText(
      'after',
      examples(lang, 'chorus-admin help account list', 'chorus-admin help sync madrhas'),
    )
    .action(async (words: string[], _opts: unknown, cmd: Command) => {
      let at = rootOf(cmd);
      for (const word of words) {
        const sub = at.commands.find((c) => c.name() === word || c.aliases().includes(word));
        if (!sub) {
          // commander's own answer to `chorus-admin … WORD`: unknown command, nearest one named
          if (at.commands.length > 0) await at.parseAsync([word], { from: 'user' });
          throw new UsageError('usage.unknownCommand', { token: word });
        }
        at = sub;
      }
      at.outputHelp();
    });
}

function rootOf(cmd: Command): Command {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root;
}

/** What the shell needs to know of one command: its words, and what may follow them. */
interface Node {
  /** `chorus-admin account list` */
  path: string;
  subs: string[];
  /** Its options and its ancestors' (long form, or short when it has no long one). */
  options: string[];
  /** The flags (long and short) that take a value. */
  takes: string[];
  /** The choices of each flag that has some. */
  values: Map<string, readonly string[]>;
  /** The choices of each positional argument ([] when free), and of the ones after a variadic. */
  args: (readonly string[])[];
  rest: readonly string[];
}

/** Every command of the program, as the help test walks it. */
export function completionNodes(root: Command): Node[] {
  const nodes: Node[] = [];
  const visit = (cmd: Command, path: string, inherited: readonly Option[]) => {
    const help = cmd.createHelp();
    const own = help.visibleOptions(cmd);
    const options = [...inherited, ...own];
    const flags = (o: Option) => [o.long, o.short].filter((f): f is string => f !== undefined);
    const subs = help.visibleCommands(cmd);
    const args = cmd.registeredArguments;
    const last = args.at(-1);
    nodes.push({
      path,
      subs: subs.map((c) => c.name()),
      options: [...new Set(options.map((o) => o.long ?? o.short!))],
      takes: [...new Set(options.filter((o) => o.required || o.optional).flatMap(flags))],
      values: new Map(
        options.flatMap((o) => (o.argChoices ? flags(o).map((f) => [f, o.argChoices!]) : [])),
      ),
      args: args.map((a) => a.argChoices ?? []),
      rest: last?.variadic ? (last.argChoices ?? []) : [],
    });
    // what a command passes on: its own options, but its help and the program's version
    const passed = [
      ...inherited,
      ...cmd.options.filter((o) => o.long !== '--version' && o.long !== '--help'),
    ];
    for (const sub of subs) visit(sub, `${path} ${sub.name()}`, passed);
  };
  visit(root, root.name(), []);
  // `help COMMAND…` completes the commands, as the program itself
  const helpNode = nodes.find((n) => n.path === `${root.name()} help`);
  if (helpNode)
    for (const n of nodes.filter((n) => n.subs.length > 0 && n !== helpNode)) {
      const path = n.path.replace(root.name(), helpNode.path);
      const there = nodes.find((m) => m.path === path);
      if (there) there.subs = n.subs;
      else nodes.push({ ...helpNode, path, subs: n.subs, args: [], rest: [] });
    }
  return nodes;
}

type Fact = [key: string, words: readonly string[]];

/** The facts of the nodes as `kind path` → words, for the data function of each shell. */
function facts(nodes: readonly Node[]): Fact[] {
  return nodes
    .flatMap((n): Fact[] => [
      [`subs ${n.path}`, n.subs],
      [`opts ${n.path}`, n.options],
      [`takes ${n.path}`, n.takes],
      ...[...n.values].map(([flag, v]): Fact => [`values ${n.path} ${flag}`, v]),
      ...n.args.map((v, i): Fact => [`arg${i + 1} ${n.path}`, v]),
      [`rest ${n.path}`, n.rest],
    ])
    .filter(([, words]) => words.length > 0);
}

/** A word in single quotes for bash, zsh (`'\''`) or fish (`\'`, `\\`). */
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fishQuote = (s: string) => `'${s.replace(/[\\']/g, (c) => '\\' + c)}'`;

export function completionScript(shell: Shell, root: Command): string {
  const data = facts(completionNodes(root));
  const name = root.name();
  const fn = '_' + name.replace(/\W/g, '_');
  if (shell === 'fish') {
    const cases = data
      .map(
        ([k, w]) =>
          `        case ${fishQuote(k)}\n            printf '%s\\n' ${w.map(fishQuote).join(' ')}`,
      )
      .join('\n');
    return FISH.replaceAll('__NAME__', name)
      .replaceAll('__FN__', `_${fn}`)
      .replace('__DATA__', cases);
  }
  const cases = data.map(([k, w]) => `    ${quote(k)}) echo ${quote(w.join(' '))} ;;`).join('\n');
  return (shell === 'bash' ? BASH : ZSH)
    .replaceAll('__NAME__', name)
    .replaceAll('__FN__', fn)
    .replace('__DATA__', cases);
}

const DATA_FUNCTION = `__FN___data() {
  case "$1 $2" in
__DATA__
  esac
}
`;

const BASH = `# __NAME__ completion for bash: source <(__NAME__ completion bash)
${DATA_FUNCTION}
__FN__() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath=__NAME__ word opt args subs values
  local i skip=0 npos=0 ended=0
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if ((skip)); then
      # "--format=json" comes as three words: --format, =, json
      [[ $word == = ]] || skip=0
      continue
    fi
    if ((!ended)); then
      case "$word" in
        --) ended=1; continue ;;
        --*=* | =) continue ;;
        -*)
          [[ " $(__FN___data takes "$cmdpath") " == *" $word "* ]] && skip=1
          continue
          ;;
      esac
    fi
    if [[ " $(__FN___data subs "$cmdpath") " == *" $word "* ]]; then
      cmdpath="$cmdpath $word"
      npos=0
    else
      npos=$((npos + 1))
    fi
  done
  if ((skip)); then
    opt="\${COMP_WORDS[COMP_CWORD-1]}"
    [[ $opt == = ]] && opt="\${COMP_WORDS[COMP_CWORD-2]}"
    [[ $cur == = ]] && cur=
    values="$(__FN___data values "$cmdpath $opt")"
    [[ -n $values ]] && COMPREPLY=($(compgen -W "$values" -- "$cur"))
    return 0
  fi
  if ((!ended)) && [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(__FN___data opts "$cmdpath")" -- "$cur"))
    return 0
  fi
  subs="$(__FN___data subs "$cmdpath")"
  if [[ -n $subs ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
    return 0
  fi
  args="$(__FN___data "arg$((npos + 1))" "$cmdpath")"
  [[ -n $args ]] || args="$(__FN___data rest "$cmdpath")"
  [[ -n $args ]] && COMPREPLY=($(compgen -W "$args" -- "$cur"))
  return 0
}
complete -o default -F __FN__ __NAME__
`;

const ZSH = `#compdef __NAME__
# __NAME__ completion for zsh: source <(__NAME__ completion zsh) after compinit,
# or save it as _chorus_admin in a folder of $fpath
${DATA_FUNCTION}
__FN__() {
  local cur="\${words[CURRENT]}" cmdpath=__NAME__ word opt
  local i skip=0 npos=0 ended=0
  local -a cands
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if ((skip)); then
      skip=0
      continue
    fi
    if ((!ended)); then
      case "$word" in
        --) ended=1; continue ;;
        --*=*) continue ;;
        -*)
          [[ " $(__FN___data takes "$cmdpath") " == *" $word "* ]] && skip=1
          continue
          ;;
      esac
    fi
    if [[ " $(__FN___data subs "$cmdpath") " == *" $word "* ]]; then
      cmdpath="$cmdpath $word"
      npos=0
    else
      npos=$((npos + 1))
    fi
  done
  if ((skip)); then
    cands=(\${=$(__FN___data values "$cmdpath \${words[CURRENT-1]}")})
    if ((\${#cands})); then compadd -a cands; else _files; fi
    return
  fi
  if ((!ended)) && [[ $cur == --*=* ]]; then
    opt="\${cur%%=*}"
    cands=(\${=$(__FN___data values "$cmdpath $opt")})
    compset -P '*='
    if ((\${#cands})); then compadd -a cands; else _files; fi
    return
  fi
  if ((!ended)) && [[ $cur == -* ]]; then
    cands=(\${=$(__FN___data opts "$cmdpath")})
    compadd -a cands
    return
  fi
  cands=(\${=$(__FN___data subs "$cmdpath")})
  if ((\${#cands})); then
    compadd -a cands
    return
  fi
  cands=(\${=$(__FN___data "arg$((npos + 1))" "$cmdpath")})
  ((\${#cands})) || cands=(\${=$(__FN___data rest "$cmdpath")})
  if ((\${#cands})); then compadd -a cands; else _files; fi
}

if [[ "\${funcstack[1]}" == __FN__ ]]; then
  __FN__ "$@"
else
  compdef __FN__ __NAME__
fi
`;

const FISH = `# __NAME__ completion for fish: __NAME__ completion fish | source
function __FN___data
    switch "$argv[1] $argv[2]"
__DATA__
    end
end

function __FN___complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -e words[1]
    set -l cmdpath __NAME__
    set -l skip 0
    set -l npos 0
    set -l ended 0
    set -l prev ''
    for word in $words
        if test $skip = 1
            set skip 0
            continue
        end
        if test $ended = 0
            switch $word
                case '--'
                    set ended 1
                    continue
                case '--*=*'
                    continue
                case '-*'
                    if contains -- $word (__FN___data takes "$cmdpath")
                        set skip 1
                        set prev $word
                    end
                    continue
            end
        end
        if contains -- $word (__FN___data subs "$cmdpath")
            set cmdpath "$cmdpath $word"
            set npos 0
        else
            set npos (math $npos + 1)
        end
    end
    if test $skip = 1
        set -l values (__FN___data values "$cmdpath $prev")
        if set -q values[1]
            printf '%s\\n' $values
        else
            __fish_complete_path "$cur"
        end
        return
    end
    if test $ended = 0
        switch "$cur"
            case '--*=*'
                set -l opt (string split -m1 = -- "$cur")[1]
                for v in (__FN___data values "$cmdpath $opt")
                    printf '%s=%s\\n' $opt $v
                end
                return
            case '-*'
                __FN___data opts "$cmdpath"
                return
        end
    end
    set -l subs (__FN___data subs "$cmdpath")
    if set -q subs[1]
        printf '%s\\n' $subs
        return
    end
    set -l args (__FN___data arg(math $npos + 1) "$cmdpath")
    if not set -q args[1]
        set args (__FN___data rest "$cmdpath")
    end
    if set -q args[1]
        printf '%s\\n' $args
    else
        __fish_complete_path "$cur"
    end
end

complete -c __NAME__ -f -a '(__FN___complete)'
`;
