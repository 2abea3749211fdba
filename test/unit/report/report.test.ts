import { describe, expect, it } from 'vitest';
import { commitMessage, promotionBody, promotionTitle, shortDigest, type PromotionEntry } from '../../../src/report/promotion-text.js';
import { summaryMarkdown } from '../../../src/report/summary.js';
import { workflowCommand } from '../../../src/action/workflow-command.js';
import { isGitHubRepository } from '../../../src/gitops/select.js';
import { registerSecret } from '../../../src/runtime/secrets.js';

const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:1a2b3c4${'d'.repeat(57)}`;
const entry: PromotionEntry = {
  service: 'agents',
  environment: 'staging',
  file: 'envs/staging/agents.yaml',
  pinnedRef: `k3d-dev-reg:5000/ameide/agents@${NEW}`,
  oldDigest: OLD,
  newDigest: NEW,
  diff: [`-  digest: ${OLD}`, `+  digest: ${NEW}`],
};
const source = { serverUrl: 'https://github.com', sourceRepository: 'ameide/agents', sha: 'abcdef0123456789', runId: '42' };

describe('promotion text', () => {
  it('titles a promotion with the service, tag, short digest and route', () => {
    expect(promotionTitle([entry])).toBe('Promote agents (sha256:1a2b3c4) to staging');
    expect(promotionTitle([{ ...entry, tag: 'v1.4.2' }], { fromEnvironment: 'dev' })).toBe('Promote agents v1.4.2 (sha256:1a2b3c4) dev → staging');
    expect(promotionTitle([entry, { ...entry, service: 'web', newDigest: OLD }])).toBe('Promote agents, web to staging');
    expect(shortDigest(undefined)).toBe('(none)');
  });

  it('puts short digests in the table, the full reference folded, the source links and the exact changed lines in the body', () => {
    const body = promotionBody([entry], source);
    expect(body).toContain('| agents | staging | `envs/staging/agents.yaml` | `sha256:1111111` → `sha256:1a2b3c4` | — |');
    expect(body).toContain(`<details><summary>Full image references</summary>\n\n- \`k3d-dev-reg:5000/ameide/agents@${NEW}\``);
    expect(body).toContain('Source: [ameide/agents@abcdef0](https://github.com/ameide/agents/commit/abcdef0123456789)');
    expect(body).toContain('Workflow run: [42](https://github.com/ameide/agents/actions/runs/42)');
    expect(body).toContain(['```diff', '--- envs/staging/agents.yaml', `-  digest: ${OLD}`, `+  digest: ${NEW}`, '```'].join('\n'));
  });

  it('says what the environment deploys, naming no deployment tool', () => {
    const body = promotionBody([{ ...entry, tag: 'v1.4.2' }], source);
    expect(body.split('\n')[0]).toBe('Once this is merged, **staging** deploys `agents` `v1.4.2` at `sha256:1a2b3c4`, pinned by digest: the image cannot change under the same name.');
    expect(body).not.toMatch(/Argo CD|Flux/);
  });

  it("links the image's own source before the workflow's (a promotion run from the GitOps repository)", () => {
    const labels = { 'org.opencontainers.image.source': 'https://github.com/ameide/agents', 'org.opencontainers.image.revision': 'feedbeef1234' };
    const fromGitOps = { ...source, sourceRepository: 'ameide/gitops', sha: '0123456789ab', labels };
    const body = promotionBody([entry], fromGitOps);
    expect(body).toContain('Source: [ameide/agents@feedbee](https://github.com/ameide/agents/commit/feedbeef1234)');
    expect(body).not.toContain('ameide/gitops/commit');
    expect(body).toContain('Workflow run: [42](https://github.com/ameide/gitops/actions/runs/42)');
    expect(commitMessage([entry], fromGitOps)).toContain('Source: https://github.com/ameide/agents/commit/feedbeef1234');
    expect(promotionBody([entry], { serverUrl: 'https://github.com', labels: { 'org.opencontainers.image.source': 'git@git.example:agents.git', 'org.opencontainers.image.revision': 'feedbeef12' } })).toContain(
      'Source: git@git.example:agents @ feedbee',
    );
  });

  it('keeps secrets out of the body, the commit message and the summary', () => {
    registerSecret('s3cr3t-token-value');
    const leaky = { ...entry, file: 'envs/s3cr3t-token-value.yaml', pinnedRef: 'reg.example/s3cr3t-token-value/agents@' + NEW };
    for (const text of [promotionBody([leaky], source), commitMessage([leaky], source), summaryMarkdown({ entries: [leaky], operation: 'created', dryRun: false })]) {
      expect(text).not.toContain('s3cr3t-token-value');
      expect(text).toContain('***');
    }
  });

  it('summarises the run with short digests, so the PR link and the operation stay on screen', () => {
    const md = summaryMarkdown({ entries: [entry], operation: 'created', pullRequestNumber: 7, pullRequestUrl: 'https://github.com/o/r/pull/7', dryRun: false });
    expect(md).toContain('| agents | staging | `sha256:1111111` → `sha256:1a2b3c4` | — | [#7](https://github.com/o/r/pull/7) | pull request opened |');
    expect(md.split('\n').find((l) => l.startsWith('| agents'))).not.toMatch(/[0-9a-f]{64}/);
    expect(md).toContain(`- \`k3d-dev-reg:5000/ameide/agents@${NEW}\``);
  });
});

describe('workflow commands', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(workflowCommand('error', 'a%b\nc', { file: 'x,y:z.yaml', line: 3 })).toBe('::error file=x%2Cy%3Az.yaml,line=3::a%25b%0Ac');
    expect(workflowCommand('error', 'plain')).toBe('::error::plain');
  });
});

describe('backend selection', () => {
  it.each([
    ['ameide/gitops', true],
    ['my-org/gitops.repo', true],
    ['./gitops', false],
    ['/srv/git/gitops.git', false],
    ['file:///srv/gitops.git', false],
    ['https://gitlab.example/ameide/gitops.git', false],
    ['git@gitlab.example:ameide/gitops.git', false],
  ])('%s is a GitHub repository: %s', (repo, github) => {
    expect(isGitHubRepository(repo)).toBe(github);
  });
});
