import { parseArgs } from 'node:util';
import { problemList } from '../../support/config/problem-list.ts';

export type OptionSpec = { type: 'string'; default?: string } | { type: 'boolean' };

type OptionValues<Specs extends Record<string, OptionSpec>> = {
  [Name in keyof Specs]: Specs[Name] extends { type: 'boolean' } ? boolean : Specs[Name] extends { default: string } ? string : string | undefined;
};

export interface ParsedOptions<Specs extends Record<string, OptionSpec>> {
  values: OptionValues<Specs>;
  /** One line per unknown or malformed option or stray argument, each naming it. */
  problems: string[];
}

/**
 * A command's options, parsed the same way by every `npm run` script. Not strict: a strict parseArgs
 * throws at the first unknown option (a Node stack trace, exit 1), and every problem should be listed at
 * once instead. An unknown option's problem names the options that exist. `--help` (`-h`), which every
 * command takes, prints the usage and exits 0.
 */
export function parseOptions<const Specs extends Record<string, OptionSpec>>(
  usage: string,
  specs: Specs,
  args: string[] = process.argv.slice(2),
): ParsedOptions<Specs> {
  const known: Record<string, OptionSpec> = { ...specs, help: { type: 'boolean' } };
  const { values, positionals } = parseArgs({
    args,
    options: { ...Object.fromEntries(Object.entries(specs).map(([name, { type }]) => [name, { type }])), help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
  });
  if (values.help === true) {
    console.log(usage);
    process.exit(0);
  }

  const problems: string[] = [];
  const optionNames = Object.keys(known)
    .map((name) => `--${name}`)
    .join(', ');
  const parsed: Record<string, string | boolean | undefined> = {};
  for (const [name, value] of Object.entries(values)) {
    const spec = known[name];
    if (!spec) problems.push(`unknown option ${name.length === 1 ? '-' : '--'}${name}: the options are ${optionNames}`);
    // Not strict, a string option given without its value parses as `true`, and one followed by another
    // option takes that option as its value.
    else if (spec.type === 'string' && (value === true || value === '' || String(value).startsWith('--')))
      problems.push(`--${name} needs a value${typeof value === 'string' && value ? ` (it was followed by ${value})` : ''}`);
    else if (spec.type === 'boolean' && typeof value === 'string') problems.push(`--${name} takes no value (it was given "${value}")`);
    else parsed[name] = value;
  }
  for (const extra of positionals) problems.push(`unexpected argument ${JSON.stringify(extra)}: the options are ${optionNames}`);
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.type === 'boolean') parsed[name] = parsed[name] === true;
    else parsed[name] ??= spec.default;
  }
  return { values: parsed as OptionValues<Specs>, problems };
}

/**
 * Ends a command that has problems before it starts anything: every problem listed, then its usage,
 * exit 2 (the exit code of a usage error in every command).
 */
export function exitWithProblems(command: string, usage: string, problems: readonly string[], consequence = 'nothing was started'): never {
  console.error(`${command}: ${problemList(`problem(s); ${consequence}`, problems)}\n${usage}`);
  process.exit(2);
}
