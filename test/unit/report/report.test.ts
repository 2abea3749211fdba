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
  it('titles a promotion with the service, environment and short digest', () => {
    expect(promotionTitle([entry])).toBe('Promote agents to staging (sha256:1a2b3c4)');
    expect(promotionTitle([entry, { ...entry, service: 'web', newDigest: OLD }])).toBe('Promote agents, web to staging');
    expect(shortDigest(undefined)).toBe('(none)');
  });

  it('puts the table, the source links and the exact changed lines in the body', () => {
    const body = promotionBody([entry], source);
    expect(body).toContain('| agents | staging | `envs/staging/agents.yaml` | `sha256:1111111` → `sha256:1a2b3c4` | `k3d-dev-reg:5000/ameide/agents@' + NEW + '` |');
    expect(body).toContain('Source: [ameide/agents@abcdef0](https://github.com/ameide/agents/commit/abcdef0123456789)');
    expect(body).toContain('Workflow run: [42](https://github.com/ameide/agents/actions/runs/42)');
    expect(body).toContain(['```diff', '--- envs/staging/agents.yaml', `-  digest: ${OLD}`, `+  digest: ${NEW}`, '```'].join('\n'));
  });

  it('falls back to the image labels for the source', () => {
    const body = promotionBody([entry], { serverUrl: 'https://github.com', labels: { 'org.opencontainers.image.source': 'https://git.example/agents', 'org.opencontainers.image.revision': 'feedbeef12' } });
    expect(body).toContain('Source: https://git.example/agents @ feedbee');
  });

  it('keeps secrets out of the body, the commit message and the summary', () => {
    registerSecret('s3cr3t-token-value');
    const leaky = { ...entry, file: 'envs/s3cr3t-token-value.yaml', pinnedRef: 'reg.example/s3cr3t-token-value/agents@' + NEW };
    for (const text of [promotionBody([leaky], source), commitMessage([leaky], source), summaryMarkdown({ entries: [leaky], operation: 'created', dryRun: false })]) {
      expect(text).not.toContain('s3cr3t-token-value');
      expect(text).toContain('***');
    }
  });

  it('summarises the run as a table row with the PR link and the operation', () => {
    const md = summaryMarkdown({ entries: [entry], operation: 'created', pullRequestNumber: 7, pullRequestUrl: 'https://github.com/o/r/pull/7', dryRun: false });
    expect(md).toContain('| agents | staging | `k3d-dev-reg:5000/ameide/agents@' + NEW + '` | `sha256:1111111` → `sha256:1a2b3c4` | [#7](https://github.com/o/r/pull/7) | pull request opened |');
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
