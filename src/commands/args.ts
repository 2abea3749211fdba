// Shared argv parsing for commands: node:util parseArgs, with one-line errors that name the flag, suggest
// the flag that was probably meant, and point at the command's help (never parseArgs' own wording).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';
import { didYouMean } from '../config/suggest.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The long flags argv names that `options` does not know (before a bare `--`). */
function unknownFlag(argv: string[], options: Options): string | undefined {
  for (const token of argv) {
    if (token === '--') return undefined;
    if (!token.startsWith('--')) continue;
    const name = token.slice(2).split('=')[0]!;
    if (!(name in options)) return name;
  }
  return undefined;
}

function friendly(command: string, error: unknown, options: Options): UsageError {
  const see = `see 'digestpin ${command} --help'`;
  const known = Object.keys(options).map((o) => `--${o}`);
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flag = /^-{1,2}[\w-]+/.exec(quoted)?.[0] ?? quoted;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(flag, `unknown flag '${flag}'${didYouMean(flag, known)} (${see})`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new UsageError(flag, `flag '${flag}' ${/does not take an argument/.test(message) ? 'takes no value' : 'needs a value'} (${see})`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(command, `unexpected argument '${quoted}' (${see})`);
  return new UsageError(command, `${message.split('\n')[0]!.replace(/\.$/, '')} (${see})`);
}

export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T, allowPositionals = false) {
  const unknown = unknownFlag(argv, options);
  if (unknown !== undefined) {
    throw new UsageError(`--${unknown}`, `unknown flag '--${unknown}'${didYouMean(unknown, Object.keys(options), '--')} (see 'digestpin ${command} --help')`);
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw friendly(command, error, options);
  }
}
