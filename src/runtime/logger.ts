// The logging interface every phase uses. The action backs it with @actions/core (groups, annotations,
// masking); the CLI writes plain lines to stderr. Every line is redacted and made inert first.
import { inertText } from './log-text.js';
import { redactLog } from './secrets.js';

// Redacted (user secrets and server-issued tokens), then made inert: no line can act as a command.
const safe = (text: string) => inertText(redactLog(text));

export interface AnnotationProps {
  file?: string;
  startLine?: number;
  title?: string;
}

export type ServiceState = 'start' | 'done' | 'fail';
const MARKS: Record<ServiceState, string> = { start: '➡️', done: '✅', fail: '❌' };

export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, props?: AnnotationProps): void;
  error(message: string, props?: AnnotationProps): void;
  /** Something the user should know that is not a problem with this run (GitHub's `::notice::`); optional for fakes. */
  notice?(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** `[service] ➡️ message`: the seed's per-service line format. */
export function serviceLine(service: string, state: ServiceState, message: string): string {
  return `[${service}] ${MARKS[state]} ${message}`;
}

export interface StreamLoggerOptions {
  verbose?: boolean;
  write?: (line: string) => void;
}

/** Plain-text logger for the CLI (stderr), also handy in tests. */
export function streamLogger(options: StreamLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const where = (p?: AnnotationProps) => (p?.file ? `${p.file}${p.startLine ? `:${p.startLine}` : ''}: ` : '');
  return {
    info: (m) => write(safe(m)),
    debug: (m) => {
      if (options.verbose) write(safe(`debug: ${m}`));
    },
    warning: (m, p) => write(safe(`warning: ${where(p)}${m}`)),
    error: (m, p) => write(safe(`error: ${where(p)}${m}`)),
    notice: (m) => write(safe(`notice: ${m}`)),
    group: async (name, fn) => {
      write(safe(`== ${name}`));
      return fn();
    },
  };
}

/** A logger that records lines; for tests. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = streamLogger({ verbose: true, write: (l) => lines.push(l) });
  return Object.assign(logger, { lines });
}
