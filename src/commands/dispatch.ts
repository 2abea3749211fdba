// Maps `digestpin <command>` to its module, and is the CLI's one top-level catch.
import { InputError, oneLine } from '../runtime/errors.js';
import { streamLogger } from '../runtime/logger.js';
import { redact } from '../runtime/secrets.js';
import type { CliIO, CommandMain } from './types.js';


const COMMANDS: Record<string, { summary: string; load: () => Promise<{ main: CommandMain }> }> = {
  resolve: { summary: 'resolve REF to its digest at the registry', load: () => import('./resolve.js') },
  pin: { summary: 'write a digest into a values or kustomization file', load: () => import('./pin.js') },
  lint: { summary: 'check image blocks in values files', load: () => import('./lint.js') },
  promote: { summary: 'pin a verified digest in a GitOps repository (commit or PR)', load: () => import('./promote.js') },
  verify: { summary: 'check cosign signatures and provenance of REF before it is promoted', load: () => import('./verify.js') },
  ship: { summary: 'build, push, verify, pin and promote: the whole pipeline', load: () => import('./ship.js') },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `usage: digestpin <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'digestpin <command> --help' for a command's options.`;
}

export async function runCli(argv: string[], io?: Partial<CliIO>): Promise<number> {
  const full: CliIO = {
    stdout: io?.stdout ?? ((t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`)),
    logger: io?.logger ?? streamLogger({ verbose: Boolean(process.env.DIGESTPIN_DEBUG) }),
    env: io?.env ?? process.env,
    cwd: io?.cwd ?? process.cwd(),
  };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    full.stdout(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    full.logger.error(`unknown command '${name}'. ${Object.keys(COMMANDS).join(', ')} are the commands.`);
    return 2;
  }
  try {
    const { main } = await command.load();
    return await main(rest, full);
  } catch (error) {
    full.logger.error(redact(oneLine(error)));
    if (process.env.DIGESTPIN_DEBUG && error instanceof Error && error.stack) full.logger.debug(redact(error.stack));
    return error instanceof InputError ? 2 : 1;
  }
}
