// Runs one `docker buildx build` and returns the digest buildx reports in its metadata file.
// Writes nothing but request.metadataFile (under RUNNER_TEMP); output streams to the logger.
import { readFile, rm } from 'node:fs/promises';
import { ExecError, FileError, oneLine } from '../runtime/errors.js';
import { redact } from '../runtime/secrets.js';
import { buildxArgs } from './buildx-args.js';
import { parseBuildMetadata } from './metadata.js';
import type { BuildDeps, BuildRequest, BuildResult } from './types.js';

export async function runBuild(request: BuildRequest, deps: BuildDeps): Promise<BuildResult> {
  const args = buildxArgs(request);
  // A metadata file left by an earlier run would hand back an old digest if this build wrote none.
  await rm(request.metadataFile, { force: true });
  try {
    await deps.exec('docker', args, { logger: deps.logger, env: deps.env });
  } catch (error) {
    if (error instanceof ExecError) {
      // No stderr means docker never ran (not installed, not on PATH): exec's own message says why.
      const reason = buildFailureReason(error.stderr) || oneLine(error.message);
      const exit = error.exitCode === undefined ? 'could not start' : `exit ${error.exitCode}`;
      throw new ExecError(`docker buildx build failed (${exit})${reason ? `: ${reason}` : ''}`, error.exitCode, error.stderr);
    }
    throw error;
  }
  const metadata = parseBuildMetadata(await readMetadata(request.metadataFile), request.metadataFile);
  return {
    digest: metadata.digest,
    mediaType: metadata.descriptor.mediaType,
    imageNames: metadata.imageNames,
    pushed: request.push,
    metadata,
  };
}

async function readMetadata(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(file, undefined, code === 'ENOENT'
      ? 'buildx wrote no metadata file (a builder or buildx older than 0.10?)'
      : `cannot read buildx metadata (${code ?? String(error)})`);
  }
}

/**
 * One line saying why buildx failed: its last `ERROR:` line (buildx prints the cause there after the
 * Dockerfile excerpt), else the last non-empty stderr line. Redacted, since build args may hold secrets.
 */
export function buildFailureReason(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const errorLine = lines.findLast((line) => line.startsWith('ERROR:'));
  const line = errorLine ? errorLine.slice('ERROR:'.length).trim() : (lines.at(-1) ?? '');
  return redact(line.length > 400 ? `${line.slice(0, 400)}…` : line);
}
