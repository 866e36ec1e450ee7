import { Option } from 'commander';
import { InvalidInputError } from '../errors.js';

/**
 * An option whose value is one of an enumeration (`--status`, `--type`, `--role`, `--mode`…),
 * taken in any case (`--status inactif` is `INACTIF`) and given to the command as the
 * enumeration spells it. Any other value is invalid input (exit 5), said with the choices, unless
 * `checkedLater` (the command's own schema refuses it, with its own words); the choices stay on
 * the option for the help and the shell completion.
 */
export function enumOption(
  flags: string,
  description: string,
  values: readonly string[],
  checkedLater = false,
): Option {
  const option = new Option(flags, description).choices(values);
  const field = option.long ?? option.name();
  return option.argParser((given: string, previous: unknown): unknown => {
    const value = canonicalChoice(values, given) ?? (checkedLater ? given : undefined);
    if (value === undefined)
      throw new InvalidInputError([
        {
          field,
          message: 'validation.choice',
          params: { value: given, choices: values.join(', ') },
        },
      ]);
    if (!option.variadic) return value;
    return Array.isArray(previous) && previous !== option.defaultValue
      ? [...(previous as string[]), value]
      : [value];
  });
}

/** The enumeration's own spelling of `given`, compared without case or surrounding spaces. */
export function canonicalChoice(values: readonly string[], given: string): string | undefined {
  const wanted = given.trim().toLowerCase();
  return values.find((v) => v.toLowerCase() === wanted);
}
