// Races with real git processes on one real bare repository: parallel direct-mode promotions of different
// services must all land; parallel pull-request promotions of one target must leave exactly one branch holding
// the last write, one commit on top of the base.
import { afterEach, describe, expect, it } from 'vitest';
import { createGitBackend } from '../../../src/gitops/git/index.js';
import type { PromotionResult } from '../../../src/gitops/types.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { createBareRepo, digest, pinEdit, promotion, tempWorkDir, valuesFile, type BareRepo } from '../../support/git-fixtures.js';

const repos: BareRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.cleanup()));
});

/** Runs `jobs` with at most `limit` in flight: enough to race, without starving two cores. */
async function pool<T>(limit: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

// Real sleeps with the production backoff: the runs spread out in time as they would in CI.
const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('races on a real bare repository', () => {
  it('lands all 50 parallel direct-mode pins of different services', async () => {
    const services = Array.from({ length: 50 }, (_, i) => `svc-${i}`);
    const repo = await createBareRepo(Object.fromEntries(services.map((s) => [`apps/${s}/values.yaml`, valuesFile(s)])));
    repos.push(repo);
    const base = await repo.head();
    const workDir = await tempWorkDir();
    const loggers = services.map(() => memoryLogger());
    const results = await pool(8, services.map((s, i) => () =>
      createGitBackend({ remote: repo.url, workDir, logger: loggers[i]!, sleep: realSleep })
        .promote(promotion(repo.url, [pinEdit(`apps/${s}/values.yaml`, s, digest(i + 1))]))));

    expect(results.map((r) => r.operation)).toEqual(services.map(() => 'committed'));
    for (const [i, s] of services.entries()) expect(await repo.readFile(`apps/${s}/values.yaml`)).toBe(valuesFile(s, digest(i + 1)));
    const history = (await repo.git(['rev-list', `${base}..main`])).split('\n');
    expect(history).toHaveLength(50);
    expect(new Set(history)).toEqual(new Set(results.map((r) => r.commitSha)));
    // The races really happened: some pushes were rejected and retried.
    const retries = loggers.map((l) => l.lines.filter((line) => line.includes('lost a race')).length);
    expect(Math.max(...retries)).toBeGreaterThan(0);
    console.log(`direct race: ${retries.reduce((a, b) => a + b)} retries, at most ${Math.max(...retries)} for one run, ${results.reduce((n, r) => n + r.calls, 0)} git network calls`);
  });

  it('leaves exactly one promotion branch with the last write after 20 parallel pull-request promotions', async () => {
    const repo = await createBareRepo({ 'apps/api/values.yaml': valuesFile('api'), 'apps/web/values.yaml': valuesFile('web') },
      'main', { config: { 'core.logAllRefUpdates': 'always' } });
    repos.push(repo);
    const base = await repo.head();
    const logger = memoryLogger();
    const backend = createGitBackend({ remote: repo.url, workDir: await tempWorkDir(), logger, sleep: realSleep });

    const results: PromotionResult[] = await pool(20, Array.from({ length: 20 }, (_, i) => () =>
      backend.promote(promotion(repo.url, [pinEdit('apps/api/values.yaml', 'api', digest(100 + i))], { mode: 'pull-request' }))));

    expect(results.map((r) => r.operation)).toEqual(results.map(() => 'committed'));
    expect((await repo.branches()).sort()).toEqual(['digestpin/dev/app', 'main']);
    expect(await repo.head()).toBe(base);
    const head = await repo.head('digestpin/dev/app');
    expect(await repo.git(['rev-list', '--count', `${base}..digestpin/dev/app`])).toBe('1');
    expect(await repo.git(['rev-parse', 'digestpin/dev/app^'])).toBe(base);
    // Every run's commit was the branch head once, and the newest write is what the branch holds.
    const writes = (await repo.git(['reflog', 'show', '--format=%H', 'refs/heads/digestpin/dev/app'])).split('\n');
    expect(writes).toHaveLength(20);
    expect(new Set(writes)).toEqual(new Set(results.map((r) => r.commitSha)));
    expect(writes[0]).toBe(head);
    const last = results.findIndex((r) => r.commitSha === head);
    expect(await repo.readFile('apps/api/values.yaml', 'digestpin/dev/app')).toBe(valuesFile('api', digest(100 + last)));
    expect(await repo.readFile('apps/web/values.yaml', 'digestpin/dev/app')).toBe(valuesFile('web'));
    // The leases really raced: some pushes were refused as stale and redone.
    expect(logger.lines.filter((l) => l.includes('lost a race')).length).toBeGreaterThan(0);
  });
});
