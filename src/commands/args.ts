// Shared argv parsing for commands: node:util parseArgs, with errors that name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../runtime/errors.js';

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-{1,2}[\w-]+)/.exec(message)?.[1] ?? command;
    throw new InputError(flag, `${message.replace(/\.$/, '')} (see 'digestpin ${command} --help')`);
  }
}
