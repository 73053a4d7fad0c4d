// Shell completion scripts generated from the command tree (commander has none built in): the
// subcommands, options and option choices at each level, so a new command completes without edits.
import type { Command, Option } from 'commander';

/** What completes at one level of the tree, keyed by its path (`''`, `runs`, `runs list`). */
interface Level {
  readonly path: string;
  readonly subcommands: string[];
  readonly options: string[];
  /** Option flag → its choices. */
  readonly choices: Record<string, readonly string[]>;
}

function visible(options: readonly Option[]): Option[] {
  return options.filter((o) => !o.hidden);
}

function levels(command: Command, path = ''): Level[] {
  const subcommands = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const options = visible(command.options);
  const flags = options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
  const choices: Record<string, readonly string[]> = {};
  for (const o of options) {
    if (o.argChoices) for (const f of [o.long, o.short]) if (f) choices[f] = o.argChoices;
  }
  const own: Level = {
    path,
    subcommands: subcommands.map((c) => c.name()),
    options: [...flags, '--help'],
    choices,
  };
  return [own, ...subcommands.flatMap((c) => levels(c, path ? `${path} ${c.name()}` : c.name()))];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Shell `case` arms mapping a level's path to words. */
function cases(all: readonly Level[], words: (l: Level) => readonly string[]): string {
  return all.map((l) => `    ${quote(l.path)}) echo ${quote(words(l).join(' '))} ;;`).join('\n');
}

function choiceCases(all: readonly Level[]): string {
  return all
    .flatMap((l) =>
      Object.entries(l.choices).map(
        ([flag, values]) => `    ${quote(`${l.path}|${flag}`)}) echo ${quote(values.join(' '))} ;;`,
      ),
    )
    .join('\n');
}

/** The helper functions both shells share (POSIX `case`, which bash and zsh both read). */
function helpers(program: Command): string {
  const all = levels(program);
  const name = program.name();
  return `_${name}_subcommands() {
  case "$1" in
${cases(all, (l) => l.subcommands)}
  esac
}
_${name}_options() {
  case "$1" in
${cases(all, (l) => l.options)}
  esac
}
_${name}_choices() {
  case "$1|$2" in
${choiceCases(all)}
  esac
}`;
}

/** A bash completion script: `source <(conveyor completion bash)`. */
export function bashCompletion(program: Command): string {
  const name = program.name();
  return `# ${name} completion for bash. Load it with: source <(npx ${name} completion bash)
${helpers(program)}
_${name}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} path="" w i
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=\${COMP_WORDS[i]}
    case " $(_${name}_subcommands "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac
  done
  local values
  values=$(_${name}_choices "$path" "$prev")
  if [[ -n $values ]]; then
    COMPREPLY=($(compgen -W "$values" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "$(_${name}_subcommands "$path") $(_${name}_options "$path")" -- "$cur"))
}
complete -F _${name} ${name}
`;
}

/** A zsh completion script: `source <(conveyor completion zsh)` (or save it as `_${'{name}'}` on fpath). */
export function zshCompletion(program: Command): string {
  const name = program.name();
  return `#compdef ${name}
# ${name} completion for zsh. Load it with: source <(npx ${name} completion zsh)
${helpers(program)}
_${name}() {
  local path_="" w i values
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    if [[ " $(_${name}_subcommands "$path_") " == *" $w "* ]]; then path_="\${path_:+$path_ }$w"; fi
  done
  values=$(_${name}_choices "$path_" "\${words[CURRENT-1]}")
  if [[ -n $values ]]; then
    compadd -- \${=values}
    return
  fi
  compadd -- \${=$(_${name}_subcommands "$path_")} \${=$(_${name}_options "$path_")}
}
compdef _${name} ${name}
`;
}
