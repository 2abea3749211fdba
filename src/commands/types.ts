// What every CLI command shares: its I/O and its signature. A leaf: the dispatcher and the commands import it,
// it imports nothing of theirs.
import type { Logger } from '../runtime/logger.js';

export interface CliIO {
  stdout: (text: string) => void;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A command parses its own argv (with node:util parseArgs) and returns the exit code. */
export type CommandMain = (argv: string[], io: CliIO) => Promise<number>;
