// Renders the commit message, PR title and PR body of a promotion. Pure; every string is redacted,
// so a secret that reached a label or a URL can't reach the GitOps repository.
import { redact } from '../runtime/secrets.js';
import { sourceLinks, type SourceInfo } from './source-links.js';

export type { SourceInfo } from './source-links.js';

export interface PromotionEntry {
  service: string;
  environment: string;
  file: string;
  /** The reference the cluster pulls: repository@digest. */
  pinnedRef: string;
  oldDigest?: string;
  newDigest: string;
  /** The tag the file names after the pin (set or kept), when it names one. */
  tag?: string;
  /** `- old` / `+ new` lines. */
  diff: string[];
}

export function shortDigest(digest: string | undefined): string {
  if (!digest) return '(none)';
  const [algo, hex] = digest.split(':');
  return `${algo}:${(hex ?? '').slice(0, 7)}`;
}

/** `repo@sha256:abc1234`: a reference short enough for a table cell; the full one goes in a details block. */
export function shortReference(ref: string): string {
  const at = ref.lastIndexOf('@');
  return at < 0 ? ref : `${ref.slice(0, at)}@${shortDigest(ref.slice(at + 1))}`;
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

/** "Promote agents v1.4.2 (sha256:abc1234) dev → staging": what, which build, from where, to where. */
export function promotionTitle(entries: PromotionEntry[], source: Pick<SourceInfo, 'fromEnvironment' | 'rollback'> = {}): string {
  const services = unique(entries.map((e) => e.service));
  const envs = unique(entries.map((e) => e.environment));
  const digests = unique(entries.map((e) => e.newDigest));
  const tags = unique(entries.map((e) => e.tag));
  const tagPart = tags.length === 1 ? ` ${tags[0]}` : '';
  const digestPart = digests.length === 1 ? ` (${shortDigest(digests[0])})` : '';
  const route = source.fromEnvironment ? `${source.fromEnvironment} → ${envs.join(', ')}` : `to ${envs.join(', ')}`;
  if (source.rollback) return redact(`Roll back ${services.join(', ')} in ${envs.join(', ')} to${tagPart}${digestPart}`);
  return redact(`Promote ${services.join(', ')}${tagPart}${digestPart} ${route}`);
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** What merging does, in words that hold whichever tool (Argo CD, Flux, a script) applies the repository. */
function deploysLine(entries: PromotionEntry[]): string {
  const byEnv = new Map<string, PromotionEntry[]>();
  for (const e of entries) byEnv.set(e.environment, [...(byEnv.get(e.environment) ?? []), e]);
  const parts = [...byEnv].map(([env, list]) => {
    const images = unique(list.map((e) => `\`${e.service}\`${e.tag ? ` \`${e.tag}\`` : ''} at \`${shortDigest(e.newDigest)}\``));
    return `**${env}** deploys ${images.join(', ')}`;
  });
  return `Once this is merged, ${parts.join('; ')}, pinned by digest: the image cannot change under the same name.`;
}

function fullReferences(entries: PromotionEntry[]): string[] {
  return ['<details><summary>Full image references</summary>', '', ...unique(entries.map((e) => `- \`${e.pinnedRef}\``)), '', '</details>'];
}

export function promotionBody(entries: PromotionEntry[], source: SourceInfo): string {
  const rows = entries.map(
    (e) =>
      `| ${cell(e.service)} | ${cell(e.environment)} | \`${cell(e.file)}\` | \`${shortDigest(e.oldDigest)}\` → \`${shortDigest(e.newDigest)}\` | ${e.tag ? `\`${cell(e.tag)}\`` : '—'} |`,
  );
  const diffs = entries.map((e) => [`--- ${e.file}`, ...e.diff].join('\n'));
  const marker = JSON.stringify(entries.map((e) => ({ service: e.service, environment: e.environment, file: e.file, digest: e.newDigest })));
  const back = source.rollback;
  const body = [
    ...(back
      ? [`**Rollback** ${back.steps} step${back.steps === 1 ? '' : 's'} back: this returns to \`${back.digest}\`${back.tag ? ` (\`${cell(back.tag)}\`)` : ''}, first pinned by commit \`${back.commit.slice(0, 12)}\`.`, '']
      : []),
    deploysLine(entries),
    '',
    '| Service | Environment | File | Digest | Tag |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...[...(source.tagNote ? [`Tag: ${source.tagNote}`] : []), ...sourceLinks(source)].map((l) => `${l}  `),
    '',
    ...fullReferences(entries),
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
  const links = sourceLinks(source, { markdown: false });
  return redact([promotionTitle(entries, source), '', ...lines, ...(links.length ? ['', ...links] : [])].join('\n'));
}
