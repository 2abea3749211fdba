// The job summary (GITHUB_STEP_SUMMARY) and the CLI's closing lines: what was pinned and where it went.
import { redact } from '../runtime/secrets.js';
import type { Operation } from '../gitops/types.js';
import { shortDigest, type PromotionEntry } from './promotion-text.js';

export interface RunReport {
  entries: PromotionEntry[];
  operation: Operation;
  pullRequestUrl?: string;
  pullRequestNumber?: number;
  commitSha?: string;
  branch?: string;
  dryRun: boolean;
}

const OPERATION_TEXT: Record<Operation, string> = {
  created: 'pull request opened',
  updated: 'pull request updated',
  unchanged: 'already pinned, nothing to do',
  closed: 'already pinned on base; superseded pull request closed',
  committed: 'committed',
  none: 'nothing written',
  blocked: 'blocked: the promotion branch has commits digestpin did not make',
  skipped: 'skipped: the pull request for this change was closed',
};

export function summaryMarkdown(report: RunReport): string {
  const link = report.pullRequestUrl ? `[#${report.pullRequestNumber ?? ''}](${report.pullRequestUrl})` : report.branch ? `\`${report.branch}\`` : '';
  const op = `${OPERATION_TEXT[report.operation]}${report.dryRun ? ' (dry run)' : ''}`;
  const rows = report.entries.map(
    (e) => `| ${e.service} | ${e.environment} | \`${e.pinnedRef}\` | \`${shortDigest(e.oldDigest)}\` → \`${shortDigest(e.newDigest)}\` | ${link} | ${op} |`,
  );
  const commit = report.commitSha ? `\nCommit: \`${report.commitSha}\`\n` : '';
  return redact(
    ['### digestpin', '', '| Service | Environment | Image | Digest | Pull request | Operation |', '| --- | --- | --- | --- | --- | --- |', ...rows, commit].join('\n'),
  );
}

export function operationText(operation: Operation): string {
  return OPERATION_TEXT[operation];
}
