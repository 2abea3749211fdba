// Renders the commit message, PR title and PR body of a promotion. Pure; every string is redacted,
// so a secret that reached a label or a URL can't reach the GitOps repository.
import { redact } from '../runtime/secrets.js';

export interface PromotionEntry {
  service: string;
  environment: string;
  file: string;
  /** The reference the cluster pulls: repository@digest. */
  pinnedRef: string;
  oldDigest?: string;
  newDigest: string;
  /** `- old` / `+ new` lines. */
  diff: string[];
}

export interface SourceInfo {
  serverUrl: string;
  sourceRepository?: string;
  sha?: string;
  runId?: string;
  /** OCI revision/source labels of the image, when the registry reported them. */
  labels?: Record<string, string>;
  /** What the supply-chain gate verified: one line per check (key fingerprint, predicate type). */
  verified?: string[];
}

export function shortDigest(digest: string | undefined): string {
  if (!digest) return '(none)';
  const [algo, hex] = digest.split(':');
  return `${algo}:${(hex ?? '').slice(0, 7)}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

export function promotionTitle(entries: PromotionEntry[]): string {
  const services = unique(entries.map((e) => e.service));
  const envs = unique(entries.map((e) => e.environment));
  const digests = unique(entries.map((e) => e.newDigest));
  const digestPart = digests.length === 1 ? ` (${shortDigest(digests[0])})` : '';
  return redact(`Promote ${services.join(', ')} to ${envs.join(', ')}${digestPart}`);
}

function sourceLines(source: SourceInfo): string[] {
  const lines: string[] = [];
  const revision = source.sha ?? source.labels?.['org.opencontainers.image.revision'];
  const repo = source.sourceRepository;
  if (repo && revision) lines.push(`Source: [${repo}@${revision.slice(0, 7)}](${source.serverUrl}/${repo}/commit/${revision})`);
  else if (source.labels?.['org.opencontainers.image.source']) lines.push(`Source: ${source.labels['org.opencontainers.image.source']}${revision ? ` @ ${revision.slice(0, 7)}` : ''}`);
  if (repo && source.runId) lines.push(`Workflow run: [${source.runId}](${source.serverUrl}/${repo}/actions/runs/${source.runId})`);
  if (source.labels?.['org.opencontainers.image.created']) lines.push(`Image created: ${source.labels['org.opencontainers.image.created']}`);
  for (const check of source.verified ?? []) lines.push(`Verified: ${check}`);
  return lines;
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function promotionBody(entries: PromotionEntry[], source: SourceInfo): string {
  const rows = entries.map(
    (e) =>
      `| ${cell(e.service)} | ${cell(e.environment)} | \`${cell(e.file)}\` | \`${shortDigest(e.oldDigest)}\` → \`${shortDigest(e.newDigest)}\` | \`${cell(e.pinnedRef)}\` |`,
  );
  const diffs = entries.map((e) => [`--- ${e.file}`, ...e.diff].join('\n'));
  const marker = JSON.stringify(entries.map((e) => ({ service: e.service, environment: e.environment, file: e.file, digest: e.newDigest })));
  const body = [
    `digestpin pins ${entries.length === 1 ? 'this image' : 'these images'} by digest. Argo CD deploys ${entries.length === 1 ? 'it' : 'them'} once this is merged.`,
    '',
    '| Service | Environment | File | Digest | Image |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...sourceLines(source).map((l) => `${l}  `),
    '',
    '<details><summary>Changed lines</summary>',
    '',
    '```diff',
    ...diffs,
    '```',
    '',
    '</details>',
    '',
    `<!-- digestpin:promotion ${marker} -->`,
  ];
  return redact(body.join('\n'));
}

export function commitMessage(entries: PromotionEntry[], source: SourceInfo): string {
  const lines = entries.map((e) => `${e.service} (${e.environment}): ${e.pinnedRef}`);
  const from = source.sourceRepository && source.sha ? [``, `Source: ${source.sourceRepository}@${source.sha}`] : [];
  return redact([promotionTitle(entries), '', ...lines, ...from].join('\n'));
}
