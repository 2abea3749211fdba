// Typed errors. Each carries the context a user needs to act (input, file:line, image, API call);
// the single top-level catch turns them into one line (and an annotation when there is a file).

export interface ErrorContext {
  /** Action input or CLI flag that was wrong, e.g. `image-ref`. */
  input?: string;
  /** File the problem is in, relative to the repository when known. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** Image reference involved. */
  image?: string;
}

export class DigestpinError extends Error {
  readonly context: ErrorContext;
  constructor(message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.context = context;
  }
}

/** A bad action input or CLI flag. The message names the input and what a good value looks like. */
export class InputError extends DigestpinError {
  constructor(input: string, message: string) {
    super(`input '${input}': ${message}`, { input });
  }
}

/** A problem located in a file (YAML syntax, a missing key, a lint finding). */
export class FileError extends DigestpinError {
  constructor(file: string, line: number | undefined, message: string) {
    super(`${file}${line ? `:${line}` : ''}: ${message}`, { file, line });
  }
}

/** The registry can't serve what was asked, refused the credentials, or could not be reached. */
export class RegistryError extends DigestpinError {
  readonly status?: number;
  constructor(message: string, image: string | undefined, status?: number, options?: { cause?: unknown }) {
    super(message, image ? { image } : {}, options);
    this.status = status;
  }
}

/** A GitOps write (GitHub API or git) failed; the message names the call and what is missing. */
export class GitOpsError extends DigestpinError {
  readonly status?: number;
  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super(message, {}, options);
    this.status = status;
  }
}

/** A process (buildx, git, kustomize, cosign) exited non-zero. */
export class ExecError extends DigestpinError {
  readonly exitCode?: number;
  readonly stderr: string;
  constructor(message: string, exitCode: number | undefined, stderr: string) {
    super(message);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

/** One line, for `::error::` and CLI stderr. Never includes a stack. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // A carriage return or a Unicode line separator breaks a line as surely as a newline does.
  return text.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ').trim();
}
