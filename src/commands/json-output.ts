// What `--json` prints: the action's outputs under the same names, as JSON types (numbers, arrays, null for
// an output the run did not produce), and on failure one `{"error": …}` object with the error's context.
import type { PipelineResult } from '../promote/pipeline.js';
import type { DigestpinError } from '../runtime/errors.js';

export function jsonOutputs(result: PipelineResult, dryRun: boolean): Record<string, unknown> {
  const p = result.promotion;
  return {
    digest: result.digest,
    'image-ref': result.imageRef,
    'pinned-ref': result.pinnedRef,
    'changed-files': p.changedFiles.map((f) => f.path),
    'pull-request-number': p.pullRequestNumber ?? null,
    'pull-request-url': p.pullRequestUrl ?? null,
    operation: p.operation,
    'commit-sha': p.commitSha ?? null,
    branch: p.branch ?? null,
    'dry-run': dryRun,
  };
}

export function jsonError(message: string, error: unknown): string {
  const context = (error as Partial<DigestpinError>).context ?? {};
  return JSON.stringify({ error: message, ...context }, null, 2);
}
