// Maps `digestpin <command>` to its module, and is the CLI's one top-level catch: one line on stderr, and
// with --json also `{"error": …}` on stdout, with the same exit codes (2 for a bad flag or input, 1 otherwise).
import { InputError, oneLine } from '../runtime/errors.js';
import { streamLogger } from '../runtime/logger.js';
import { redact } from '../runtime/secrets.js';
import { didYouMean } from '../config/suggest.js';
import { cutQuoted } from './error-text.js';
import { UsageError } from './usage-error.js';
import { jsonError } from './json-output.js';
import type { CliIO, CommandMain } from './types.js';

export const COMMANDS: Record<string, { summary: string; load: () => Promise<{ main: CommandMain }> }> = {
  resolve: { summary: 'resolve REF to its digest at the registry', load: () => import('./resolve.js') },
  pin: { summary: 'write a digest into a values or kustomization file', load: () => import('./pin.js') },
  lint: { summary: 'check image blocks in values files', load: () => import('./lint.js') },
  promote: { summary: 'pin a verified digest in a GitOps repository (commit or PR); with --from/--to, what a chain has due', load: () => import('./promote.js') },
  plan: { summary: 'plan the promotion chain: what is due, what is held and why (writes nothing)', load: () => import('./plan.js') },
  verify: { summary: 'check cosign signatures and provenance of REF before it is promoted', load: () => import('./verify.js') },
  ship: { summary: 'build, push, verify, pin and promote: the whole pipeline', load: () => import('./ship.js') },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return [
    'usage: digestpin <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    "Run 'digestpin help <command>' (or 'digestpin <command> --help') for a command's options;",
    "'digestpin --version' prints the version.",
  ].join('\n');
}

function commandOf(name: string): (typeof COMMANDS)[string] {
  const command = COMMANDS[name];
  if (!command) {
    const names = Object.keys(COMMANDS);
    throw new UsageError('command', `unknown command '${name}'${didYouMean(name, names) || ` (commands: ${names.join(', ')})`}`);
  }
  return command;
}

/** Does the command line ask for JSON? (Flags end at a bare `--`.) */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

async function dispatch(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) {
    io.stdout(usage());
    return 2;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.stdout(usage());
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    const { version } = await import('./version.js');
    io.stdout(`digestpin ${version}`);
    return 0;
  }
  if (name === 'help') return (await commandOf(rest[0]!).load()).main(['--help'], io);
  if (name.startsWith('-')) throw new UsageError(name, `unknown flag '${name}' before a command; try 'digestpin <command> ${name}' (see 'digestpin --help')`);
  const command = commandOf(name);
  return (await command.load()).main(rest, io);
}

export async function runCli(argv: string[], io?: Partial<CliIO>): Promise<number> {
  const full: CliIO = {
    stdout: io?.stdout ?? ((t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`)),
    logger: io?.logger ?? streamLogger({ verbose: Boolean(process.env.DIGESTPIN_DEBUG) }),
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
  };
  try {
    return await dispatch(argv, full);
  } catch (error) {
    const message = cutQuoted(redact(oneLine(error)));
    full.logger.error(message);
    if (wantsJson(argv)) full.stdout(redact(jsonError(message, error)));
    if (process.env.DIGESTPIN_DEBUG && error instanceof Error && error.stack) full.logger.debug(redact(error.stack));
    return error instanceof InputError ? 2 : 1;
  }
}
