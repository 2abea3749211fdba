// The action's outputs (and the CLI's --json object), from a pipeline result.
import type { PipelineResult } from '../promote/pipeline.js';

export function outputsOf(result: PipelineResult): Record<string, string> {
  const p = result.promotion;
  return {
    digest: result.digest,
    'image-ref': result.imageRef,
    'pinned-ref': result.pinnedRef,
    'changed-files': JSON.stringify(p.changedFiles.map((f) => f.path)),
    'pull-request-number': p.pullRequestNumber?.toString() ?? '',
    'pull-request-url': p.pullRequestUrl ?? '',
    operation: p.operation,
    'commit-sha': p.commitSha ?? '',
  };
}
