// Where an image came from, as lines for a PR body, a commit message or a job summary. The image's own OCI
// labels (`org.opencontainers.image.source` / `revision`) win: a promotion run from the GitOps repository has
// that repository in its workflow context, which is not where the image was built. Pure.

export interface SourceInfo {
  serverUrl: string;
  /** GITHUB_REPOSITORY of the run: the image's source only when no label says otherwise. */
  sourceRepository?: string;
  sha?: string;
  runId?: string;
  /** OCI labels of the image, when the registry reported them. */
  labels?: Record<string, string>;
  /** The environment whose pin this promotion takes (from-environment). */
  fromEnvironment?: string;
  /** Set for a rollback: the digest it returns to, how many steps back, and the commit that pinned it. */
  rollback?: { steps: number; digest: string; tag?: string; commit: string };
  /** What the pin did with the tag, and why (the PR says which tag it set, or that it removed it). */
  tagNote?: string;
  /** What the supply-chain gate verified: one line per check (key fingerprint, predicate type). */
  verified?: string[];
}

const REVISION = 'org.opencontainers.image.revision';
const SOURCE = 'org.opencontainers.image.source';

interface Link {
  text: string;
  url?: string;
}

function isWebUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]+\/\S+$/.test(value);
}

/** The commit the image was built from: from its labels when it has them, else from the workflow context. */
export function sourceCommit(source: SourceInfo): Link | undefined {
  const labels = source.labels ?? {};
  const revision = labels[REVISION];
  const repoUrl = labels[SOURCE]?.replace(/\.git$/, '').replace(/\/+$/, '');
  if (revision || repoUrl) {
    if (repoUrl && isWebUrl(repoUrl)) {
      const name = new URL(repoUrl).pathname.replace(/^\//, '');
      return revision ? { text: `${name}@${revision.slice(0, 7)}`, url: `${repoUrl}/commit/${revision}` } : { text: name, url: repoUrl };
    }
    return { text: [repoUrl, revision?.slice(0, 7)].filter(Boolean).join(' @ ') };
  }
  const repo = source.sourceRepository;
  if (repo && source.sha) return { text: `${repo}@${source.sha.slice(0, 7)}`, url: `${source.serverUrl}/${repo}/commit/${source.sha}` };
  return undefined;
}

export function runLink(source: SourceInfo): Link | undefined {
  const repo = source.sourceRepository;
  if (!repo || !source.runId) return undefined;
  return { text: source.runId, url: `${source.serverUrl}/${repo}/actions/runs/${source.runId}` };
}

function show(link: Link, markdown: boolean): string {
  if (!link.url) return link.text;
  return markdown ? `[${link.text}](${link.url})` : link.url;
}

/** `Source: …`, `Workflow run: …`, `Image created: …`, `Verified: …`, for whichever are known. */
export function sourceLinks(source: SourceInfo, options: { markdown?: boolean } = {}): string[] {
  const markdown = options.markdown ?? true;
  const lines: string[] = [];
  const commit = sourceCommit(source);
  if (commit) lines.push(`Source: ${show(commit, markdown)}`);
  const run = runLink(source);
  if (run) lines.push(`Workflow run: ${show(run, markdown)}`);
  const created = source.labels?.['org.opencontainers.image.created'];
  if (created) lines.push(`Image created: ${created}`);
  for (const check of source.verified ?? []) lines.push(`Verified: ${check}`);
  return lines;
}
