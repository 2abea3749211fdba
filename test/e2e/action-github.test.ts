// End to end through the bundled action against the contract-checked GitHub double: the action (a child
// process) reaches the double through a loopback bridge; every request it makes is checked against GitHub's
// OpenAPI description and GraphQL schema. The image is real, in a real registry.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GitHubDouble } from '../support/github-double.js';
import { startGitHubBridge, type GitHubBridge } from '../support/github-http-bridge.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../support/registry-server.js';
import { cleanup, runActionBundle } from '../support/action-runner.js';

const TOKEN = 'ghp_E2eTokenThatMustNeverAppear0123456789';
const FILE = 'environments/staging/agents/values.yaml';
const BRANCH = 'digestpin/staging/agents';

let registry: RegistryServer;
let bridge: GitHubBridge;
let double: GitHubDouble;
let v1: PushedImage;
let v2: PushedImage;

const values = (repository: string) => `# agents in staging
image:
  repository: ${repository}   # cluster side
  tag: "1.0.0"
  digest: ""   # written by digestpin
resources: {}
`;

function inputs(image: PushedImage, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'image-ref': image.ref,
    'gitops-repository': 'acme/gitops',
    'gitops-token': TOKEN,
    'github-api-url': bridge.url,
    environment: 'staging',
    service: 'agents',
    'values-file': FILE,
    'pr-labels': 'promotion',
    ...extra,
  };
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1/);
  registry = await startRegistry();
  [v1, v2] = await Promise.all([
    pushImage(`${registry.host}/ameide/agents:1.1.0`, { content: 'v1', platforms: ['linux/amd64', 'linux/arm64'], provenance: true }),
    pushImage(`${registry.host}/ameide/agents:1.2.0`, { content: 'v2' }),
  ]);
  bridge = await startGitHubBridge();
});

beforeEach(async () => {
  double = await GitHubDouble.start({ owner: 'acme', repo: 'gitops', files: { [FILE]: values(`${registry.host}/ameide/agents`), 'README.md': '# gitops\n' }, labels: ['promotion'] });
});

afterEach(async () => {
  // Stop first: a failed assertion must not leave this double's interceptor answering the next test.
  const violations = [...double.interceptor.violations];
  await double.stop();
  expect(violations).toEqual([]);
});

afterAll(async () => {
  await bridge?.close();
  await registry?.stop();
  nock.enableNetConnect();
});

describe('the action on the GitHub backend', () => {
  it('opens one PR with one commit, then updates it for a newer digest, and does nothing the third time', async () => {
    const first = await runActionBundle(inputs(v1));
    try {
      expect(first.errors, first.stdout).toEqual([]);
      expect(first.outputs).toMatchObject({ operation: 'created', 'pull-request-number': '1', digest: v1.digest, 'pinned-ref': `${registry.host}/ameide/agents@${v1.digest}` });
      expect(first.outputs['pull-request-url']).toBe(double.openPulls()[0]?.url);
      const pr = double.openPulls(BRANCH)[0]!;
      expect(pr.title).toBe(`Promote agents 1.1.0 (${v1.digest.slice(0, 14)}) to staging`);
      expect(pr.body).toContain(`| agents | staging | \`${FILE}\` | \`(none)\` → \`${v1.digest.slice(0, 14)}\` |`);
      expect(pr.body).toContain('Source: [ameide/example-service@c0ffee0](https://github.com/ameide/example-service/commit/c0ffee0123456789abcdef0123456789abcdef01)');
      expect(pr.body).toContain(`+  digest: "${v1.digest}"`);
      expect(pr.labelIds).toHaveLength(1);
      const text = await double.text(BRANCH, FILE);
      expect(text).toBe(values(`${registry.host}/ameide/agents`).replace('tag: "1.0.0"', 'tag: "1.1.0"').replace('digest: ""', `digest: "${v1.digest}"`));
      expect(await double.text('main', FILE)).toBe(values(`${registry.host}/ameide/agents`));
      expect(await double.git.commitCount(`refs/heads/${BRANCH}`)).toBe(2);
      expect(first.summary).toContain(`[#1](${pr.url})`);
      expect(first.summary).toContain('pull request opened');
    } finally {
      cleanup(first);
    }

    const second = await runActionBundle(inputs(v2));
    try {
      expect(second.errors, second.stdout).toEqual([]);
      expect(second.outputs).toMatchObject({ operation: 'updated', 'pull-request-number': '1', digest: v2.digest });
      // One PR, still open, same number: the branch was never pointed at base (GitHub would have closed the PR).
      expect(double.pulls).toHaveLength(1);
      expect(double.pulls[0]?.state).toBe('OPEN');
      expect(double.openPulls()[0]?.title).toContain(v2.digest.slice(0, 14));
      expect(await double.text(BRANCH, FILE)).toContain(`digest: "${v2.digest}"`);
      expect(await double.git.commitCount(`refs/heads/${BRANCH}`)).toBe(3);
    } finally {
      cleanup(second);
    }

    const head = await double.git.revParse(`refs/heads/${BRANCH}`);
    const third = await runActionBundle(inputs(v2));
    try {
      expect(third.errors, third.stdout).toEqual([]);
      expect(third.outputs.operation).toBe('unchanged');
      expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBe(head);
      expect(double.pulls).toHaveLength(1);
    } finally {
      cleanup(third);
    }
  });

  it('keeps a human commit on the branch and reports it: blocked, one warning, exit 0, branch untouched', async () => {
    cleanup(await runActionBundle(inputs(v1)));
    const human = await double.pushCommit(BRANCH, { 'README.md': '# gitops (reviewed)\n' }, 'review: fix readme');
    const run = await runActionBundle(inputs(v2));
    try {
      expect(run.exitCode).toBe(0);
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.outputs).toMatchObject({ operation: 'blocked', 'pull-request-number': '1', 'commit-sha': human });
      expect(run.stdout).toMatch(/^::warning[^\n]*promotion branch 'digestpin\/staging\/agents' has 1 commit\(s\) digestpin did not make[^\n]*force-update: true/m);
      expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBe(human);
      expect(double.pulls[0]?.comments).toHaveLength(1);
      expect(run.summary).toContain('blocked');
      expect(run.summary).toMatch(/\*\*blocked:\*\* [^\n]*digestpin did not make/);
    } finally {
      cleanup(run);
    }
  });

  it('pins a 600 kB values file without truncating it', async () => {
    const filler = Array.from({ length: 12_000 }, (_, i) => `  k${i}: "${'x'.repeat(40)}"`).join('\n');
    const big = `${values(`${registry.host}/ameide/agents`)}extra:\n${filler}\n`;
    await double.stop();
    double = await GitHubDouble.start({ owner: 'acme', repo: 'gitops', files: { [FILE]: big }, labels: ['promotion'] });
    const run = await runActionBundle(inputs(v1));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.outputs.operation).toBe('created');
      const text = (await double.text(BRANCH, FILE))!;
      expect(Buffer.byteLength(text)).toBeGreaterThan(600_000);
      expect(text).toBe(big.replace('tag: "1.0.0"', 'tag: "1.1.0"').replace('digest: ""', `digest: "${v1.digest}"`));
    } finally {
      cleanup(run);
    }
  });

  it('leaves a fork PR with the same branch name alone and opens its own', async () => {
    const fork = double.addPull({ head: BRANCH, base: 'main', title: 'Fork: my agents', body: 'fork body', headRepository: 'mallory/gitops' });
    const run = await runActionBundle(inputs(v1));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.outputs).toMatchObject({ operation: 'created', 'pull-request-number': '2' });
      expect(fork).toMatchObject({ title: 'Fork: my agents', body: 'fork body', state: 'OPEN', labelIds: [], comments: [] });
    } finally {
      cleanup(run);
    }
  });

  it('refused PR options leave the pin landed and warn, naming the option and the fix', async () => {
    await double.stop();
    double = await GitHubDouble.start({ owner: 'acme', repo: 'gitops', files: { [FILE]: values(`${registry.host}/ameide/agents`) }, labels: ['promotion'], autoMergeAllowed: false, workflowToken: true, teams: ['platform'] });
    const run = await runActionBundle(inputs(v1, { 'auto-merge': 'squash', reviewers: 'acme/platform' }));
    try {
      expect(run.exitCode).toBe(0);
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.outputs.operation).toBe('created');
      expect(await double.text(BRANCH, FILE)).toContain(`digest: "${v1.digest}"`);
      expect(double.pulls[0]?.labelIds).toEqual(['LA_promotion']);
      expect(run.stdout).toMatch(/^::warning[^\n]*auto-merge skipped on PR #1: acme\/gitops does not allow auto-merge/m);
      expect(run.stdout).toMatch(/^::warning[^\n]*team reviewers 'acme\/platform' skipped/m);
    } finally {
      cleanup(run);
    }
  });

  it('does not reopen a PR a person closed, for the same digest; a newer digest opens a new one', async () => {
    cleanup(await runActionBundle(inputs(v1)));
    double.closeByPerson(1);
    const again = await runActionBundle(inputs(v1));
    try {
      expect(again.errors, again.stdout).toEqual([]);
      expect(again.outputs).toMatchObject({ operation: 'skipped', 'pull-request-number': '1' });
      expect(again.summary).toMatch(/\*\*skipped:\*\* /);
      expect(double.openPulls()).toHaveLength(0);
    } finally {
      cleanup(again);
    }
    const newer = await runActionBundle(inputs(v2));
    try {
      expect(newer.outputs).toMatchObject({ operation: 'created', 'pull-request-number': '2' });
    } finally {
      cleanup(newer);
    }
  });

  it('prints one notice when gitops-token is the workflow GITHUB_TOKEN', async () => {
    const run = await runActionBundle(inputs(v1, { 'github-token': TOKEN }));
    try {
      expect(run.outputs.operation).toBe('created');
      expect(run.stdout.match(/GitHub starts no workflows for its pull requests/g)).toHaveLength(1);
      expect(run.stdout).toMatch(/^::notice::the token is this workflow's GITHUB_TOKEN: GitHub starts no workflows/m);
    } finally {
      cleanup(run);
    }
  });

  it('keeps the token out of every output, log, summary, PR body and commit', async () => {
    const run = await runActionBundle(inputs(v1));
    try {
      expect(run.outputs.operation).toBe('created');
      const shown = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
      const commits = await double.git.commitMessage(`refs/heads/${BRANCH}`);
      const everything = [shown, run.stderr, JSON.stringify(run.outputs), run.summary, JSON.stringify(double.pulls), commits ?? '', await double.text(BRANCH, FILE)].join('\n');
      expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
      expect(everything).not.toContain(TOKEN);
      // The token did reach GitHub, as the Authorization header, and nowhere in a request body.
      expect(bridge.bodies.join('\n')).not.toContain(TOKEN);
    } finally {
      cleanup(run);
    }
  });

  it('a permission error is one sentence, with no commit and no PR', async () => {
    double.failNext(() => true, { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } }, 50);
    const run = await runActionBundle(inputs(v1));
    try {
      expect(run.exitCode).toBe(1);
      expect(run.errors, run.stdout).toHaveLength(1);
      expect(run.errors[0]).toMatch(/^::error title=digestpin::.*acme\/gitops.*(contents|pull-requests|token)/);
      expect(run.errors[0]).not.toContain(TOKEN);
      expect(run.outputs.digest).toBe(v1.digest);
      expect(double.pulls).toHaveLength(0);
      expect(await double.git.revParse(`refs/heads/${BRANCH}`)).toBeUndefined();
    } finally {
      cleanup(run);
    }
  });
});
