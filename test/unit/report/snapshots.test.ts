// Snapshots of what a reviewer reads: the job summary (a promotion, a dry run, push: false) and the PR
// title and body. The .md snapshots are also what docs/report-screenshot.png renders.
import { describe, expect, it } from 'vitest';
import { promotionBody, promotionTitle, type PromotionEntry } from '../../../src/report/promotion-text.js';
import { summaryMarkdown } from '../../../src/report/summary.js';

const OLD = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const NEW = 'sha256:abc1234e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef0';
const entry: PromotionEntry = {
  service: 'agents',
  environment: 'staging',
  file: 'environments/staging/agents/values.yaml',
  pinnedRef: `registry.internal:5000/ameide/agents@${NEW}`,
  oldDigest: OLD,
  newDigest: NEW,
  tag: 'v1.4.2',
  diff: ['-  tag: "v1.4.1"', `-  digest: "${OLD}"`, '+  tag: "v1.4.2"', `+  digest: "${NEW}"`],
};
const source = {
  serverUrl: 'https://github.com',
  sourceRepository: 'ameide/gitops',
  sha: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f',
  runId: '9876543210',
  fromEnvironment: 'dev',
  tagNote: '`v1.4.2` (from the dev pin; it points at sha256:abc1234)',
  labels: {
    'org.opencontainers.image.source': 'https://github.com/ameide/agents',
    'org.opencontainers.image.revision': '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
    'org.opencontainers.image.created': '2026-12-01T14:02:11Z',
  },
};

describe('report snapshots', () => {
  it('PR title and body of a promotion dev → staging', async () => {
    expect(promotionTitle([entry], source)).toBe('Promote agents v1.4.2 (sha256:abc1234) dev → staging');
    await expect(promotionTitle([entry], source)).toMatchFileSnapshot('__snapshots__/pr-title.txt');
    await expect(promotionBody([entry], source)).toMatchFileSnapshot('__snapshots__/pr-body.md');
  });

  it('job summary of a promotion', async () => {
    const md = summaryMarkdown({
      entries: [entry],
      operation: 'created',
      pullRequestNumber: 128,
      pullRequestUrl: 'https://github.com/ameide/gitops/pull/128',
      branch: 'digestpin/staging/agents',
      dryRun: false,
      platforms: ['linux/amd64', 'linux/arm64'],
      verifiedAt: 'registry.internal:5000',
      source,
    });
    await expect(md).toMatchFileSnapshot('__snapshots__/summary-promotion.md');
  });

  it('job summary of a dry run whose digest is known only after the push', async () => {
    const unknown = { ...entry, environment: 'dev', file: 'environments/dev/agents/values.yaml', newDigest: '', pinnedRef: 'registry.internal:5000/ameide/agents@(known after the push)', diff: ['-  tag: "v1.4.1"', `-  digest: "${OLD}"`, '+  tag: "v1.4.2"', '+  digest: "(known after the push)"'] };
    const md = summaryMarkdown({
      entries: [unknown],
      operation: 'none',
      dryRun: true,
      source: { ...source, fromEnvironment: undefined, tagNote: undefined },
      notes: ['`ghcr.io/ameide/agents:v1.4.2` is not at the registry yet, so the digest is known after the push.'],
    });
    expect(md).toContain('<details open><summary>Changed lines</summary>');
    await expect(md).toMatchFileSnapshot('__snapshots__/summary-dry-run.md');
  });

  it('job summary of push: false', async () => {
    const md = summaryMarkdown({ entries: [], operation: 'none', dryRun: false, notes: [`push is false: the image was built (\`${NEW}\`) but not pushed, so nothing was pinned.`] });
    await expect(md).toMatchFileSnapshot('__snapshots__/summary-push-false.md');
  });
});
