// The job summary (GITHUB_STEP_SUMMARY) and the CLI's closing lines: what was pinned and where it went.
// Tables hold short digests so the PR and operation columns stay on screen; full references are folded below.
import { redact } from '../runtime/secrets.js';
import type { Operation } from '../gitops/types.js';
import { shortDigest, type PromotionEntry } from './promotion-text.js';
import { sourceLinks, type SourceInfo } from './source-links.js';

export interface RunReport {
  entries: PromotionEntry[];
  operation: Operation;
  pullRequestUrl?: string;
  pullRequestNumber?: number;
  commitSha?: string;
  branch?: string;
  dryRun: boolean;
  /** `os/arch` of each image in the pinned index, as the verifying registry reported them. */
  platforms?: string[];
  /** The registry (cluster side) that was shown to serve the digest. */
  verifiedAt?: string;
  source?: SourceInfo;
  /** Sentences for the reader: nothing pushed (push: false), the digest only known after the push, … */
  notes?: string[];
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

function digestCell(e: PromotionEntry): string {
  return e.newDigest ? `\`${shortDigest(e.oldDigest)}\` → \`${shortDigest(e.newDigest)}\`` : `\`${shortDigest(e.oldDigest)}\` → known after the push`;
}

function facts(report: RunReport): string[] {
  const lines: string[] = [];
  if (report.platforms?.length) lines.push(`Platforms: ${report.platforms.join(', ')}`);
  if (report.verifiedAt) lines.push(`Verified at: \`${report.verifiedAt}\` (the registry the cluster pulls from)`);
  if (report.source?.tagNote) lines.push(`Tag: ${report.source.tagNote}`);
  if (report.source) lines.push(...sourceLinks(report.source));
  if (report.commitSha) lines.push(`GitOps commit: \`${report.commitSha}\``);
  return lines.map((l) => `- ${l}`);
}

function folded(report: RunReport): string[] {
  const refs = [...new Set(report.entries.filter((e) => e.newDigest).map((e) => `- \`${e.pinnedRef}\``))];
  const diffs = report.entries.filter((e) => e.diff.length).map((e) => [`--- ${e.file}`, ...e.diff].join('\n'));
  const out: string[] = [];
  if (refs.length) out.push('<details><summary>Full image references</summary>', '', ...refs, '', '</details>', '');
  // A dry run's whole point is the diff, so it is shown unfolded there.
  if (diffs.length) out.push(`<details${report.dryRun ? ' open' : ''}><summary>Changed lines</summary>`, '', '```diff', ...diffs, '```', '', '</details>', '');
  return out;
}

export function summaryMarkdown(report: RunReport): string {
  const link = report.pullRequestUrl ? `[#${report.pullRequestNumber ?? ''}](${report.pullRequestUrl})` : report.branch ? `\`${report.branch}\`` : '—';
  const op = report.dryRun ? 'dry run: nothing written' : OPERATION_TEXT[report.operation];
  const from = report.source?.fromEnvironment ? `${report.source.fromEnvironment} → ` : '';
  const rows = report.entries.map((e) => `| ${e.service} | ${from}${e.environment} | ${digestCell(e)} | ${e.tag ? `\`${e.tag}\`` : '—'} | ${link} | ${op} |`);
  const back = report.source?.rollback;
  const rollback = back ? [`**Rollback** ${back.steps} step${back.steps === 1 ? '' : 's'} back, to \`${back.digest}\`${back.tag ? ` (\`${back.tag}\`)` : ''}.`] : [];
  const notes = [...(report.dryRun ? ['**Dry run:** nothing was pushed, committed or opened; this is the pin the run would make.'] : []), ...rollback, ...(report.notes ?? [])];
  return redact(
    [
      '### digestpin',
      '',
      ...(notes.length ? [...notes.map((n) => `${n}  `), ''] : []),
      ...(rows.length ? ['| Service | Environment | Digest | Tag | Pull request | Operation |', '| --- | --- | --- | --- | --- | --- |', ...rows, ''] : []),
      ...facts(report),
      '',
      ...folded(report),
    ].join('\n'),
  );
}

export function operationText(operation: Operation): string {
  return OPERATION_TEXT[operation];
}
