// Races on the double: 50 parallel direct-mode runs into one base branch (all pins land), and 20 parallel runs of one
// pull-request target (exactly one open PR). Each run has its own Octokit, as separate CI jobs would.
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GitHubDouble } from '../../support/github-double.js';
import { backendFor, digestOf, helmValues, IMAGE, pinEdit, promotion } from '../../support/github-fixtures.js';

let double: GitHubDouble;
beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  // Stop first: a failed assertion must not leave this double's interceptor answering the next test.
  const violations = [...double.interceptor.violations];
  await double.stop();
  expect(violations).toEqual([]);
});

function sharedValues(n: number): string {
  const blocks = Array.from({ length: n }, (_, i) => `  k${i}:\n    repository: ${IMAGE}\n    digest: ${digestOf('old')}\n`);
  return `services:\n${blocks.join('')}`;
}

describe('GitHub backend races', () => {
  it('50 parallel direct-mode promotions of different services all land on base', { timeout: 120_000 }, async () => {
    const files: Record<string, string> = { 'shared/values.yaml': sharedValues(25) };
    for (let i = 0; i < 25; i += 1) files[`apps/s${i}/values.yaml`] = helmValues(digestOf('old'));
    double = await GitHubDouble.start({ files });
    const runs = Array.from({ length: 50 }, (_, i) => {
      const edit =
        i < 25
          ? pinEdit(`apps/s${i}/values.yaml`, `s${i}`, digestOf(`s${i}`))
          : pinEdit('shared/values.yaml', `k${i - 25}`, digestOf(`k${i - 25}`), { yamlPath: `services.k${i - 25}.digest` });
      return backendFor(double, { baseDelayMs: 20, maxDelayMs: 20_000 }).backend.promote(promotion([edit], { mode: 'direct' }));
    });
    const results = await Promise.all(runs);
    expect(results.map((r) => r.operation)).toEqual(Array(50).fill('committed'));
    expect(await double.git.commitCount('refs/heads/main')).toBe(51);
    for (let i = 0; i < 25; i += 1) expect(await double.text('main', `apps/s${i}/values.yaml`)).toContain(`digest: ${digestOf(`s${i}`)}`);
    const shared = (await double.text('main', 'shared/values.yaml')) ?? '';
    for (let i = 0; i < 25; i += 1) expect(shared).toContain(`  k${i}:\n    repository: ${IMAGE}\n    digest: ${digestOf(`k${i}`)}\n`);
    const retried = results.filter((r) => r.calls > 2).length;
    console.log(`50 direct promotions: ${retried} retried at least once, max calls ${Math.max(...results.map((r) => r.calls))}`);
  });

  it('20 parallel promotions of the same target leave exactly one open PR', { timeout: 120_000 }, async () => {
    double = await GitHubDouble.start({ files: { 'apps/app/values.yaml': helmValues(digestOf('old')) } });
    const runs = Array.from({ length: 20 }, () =>
      backendFor(double, { baseDelayMs: 20, maxDelayMs: 1_000 }).backend.promote(promotion([pinEdit('apps/app/values.yaml', 'app', digestOf('new'))])),
    );
    const results = await Promise.all(runs);
    const ops = results.map((r) => r.operation);
    expect(ops.filter((o) => o === 'created')).toHaveLength(1);
    expect(ops.every((o) => ['created', 'updated', 'unchanged'].includes(o))).toBe(true);
    expect(double.pulls).toHaveLength(1);
    expect(double.openPulls('digestpin/staging/app')).toHaveLength(1);
    expect(new Set(results.map((r) => r.pullRequestNumber))).toEqual(new Set([1]));
    expect(await double.text('digestpin/staging/app', 'apps/app/values.yaml')).toContain(digestOf('new'));
    console.log(`20 same-target promotions: ${ops.join(',')}`);
  });
});
