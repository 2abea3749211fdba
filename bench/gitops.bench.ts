// GitHub API calls per promotion, counted by the contract harness (every request to the stateful GitHub double is
// intercepted, checked and counted), for each operation and 1/10/100 files. The baseline is the backend as it was
// before issue 8 (commit BASELINE below, extracted with `git archive` and run in the same process against the same
// double): measured, not modelled. Its operation is shown too: where it said `updated` its PR had been closed by the
// branch reset, and where the new code says `blocked`/`skipped` it overwrote the human commit or opened a second PR.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { GitHubDouble } from '../test/support/github-double.js';
import { backendFor, digestOf, fastOctokit, helmValues, pinEdit, promotion } from '../test/support/github-fixtures.js';
import type { GitOpsBackend, PromotionRequest, PullRequestOptions } from '../src/gitops/types.js';

nock.disableNetConnect();

/** main before issue 8 (the merge base of the `github` branch). */
const BASELINE = '8c1a76fed0fb903d8c88e98a2038f4bf4d0d88e9';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

type Factory = (d: GitHubDouble) => GitOpsBackend;

async function baselineFactory(): Promise<{ factory: Factory; dispose: () => void }> {
  // Inside the repository so that its imports resolve against the same node_modules.
  const dir = join(ROOT, '.tmp', `bench-baseline-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${BASELINE} src | tar -x -C "${dir}"`]);
  const mod = (await import(join(dir, 'src/gitops/github/index.ts'))) as { createGitHubBackend: (o: unknown) => GitOpsBackend };
  const factory: Factory = (d) => {
    const { octokit, logger } = fastOctokit();
    return mod.createGitHubBackend({ octokit, owner: d.owner, repo: d.name, logger, retry: { attempts: 10, baseDelayMs: 5, maxDelayMs: 200 } });
  };
  return { factory, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const current: Factory = (d) => backendFor(d).backend;
const filesFor = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`apps/s${i}/values.yaml`, helmValues(digestOf('old'))]));
const request = (n: number, seed: string, pullRequest?: PullRequestOptions): PromotionRequest =>
  promotion(Array.from({ length: n }, (_, i) => pinEdit(`apps/s${i}/values.yaml`, `s${i}`, digestOf(seed))), { pullRequest });

interface Scenario {
  name: string;
  expected: string;
  setup(d: GitHubDouble, n: number, make: Factory): Promise<void>;
  run: (n: number) => PromotionRequest;
}

const opened = async (d: GitHubDouble, n: number, make: Factory) => void (await make(d).promote(request(n, 'v1')));
const SCENARIOS: Scenario[] = [
  { name: 'created', expected: 'created', setup: async () => undefined, run: (n) => request(n, 'v1') },
  { name: 'created + labels, reviewers', expected: 'created', setup: async () => undefined, run: (n) => request(n, 'v1', { labels: ['deploy'], reviewers: ['alice'] }) },
  { name: 'updated (newer digest)', expected: 'updated', setup: opened, run: (n) => request(n, 'v2') },
  {
    name: 'updated (base moved)',
    expected: 'updated',
    setup: async (d, n, make) => {
      await opened(d, n, make);
      await d.pushCommit('main', { 'README.md': 'docs\n' }, 'docs');
    },
    run: (n) => request(n, 'v2'),
  },
  { name: 'unchanged (same again)', expected: 'unchanged', setup: opened, run: (n) => request(n, 'v1') },
  {
    name: 'blocked (human commit)',
    expected: 'blocked',
    setup: async (d, n, make) => {
      await opened(d, n, make);
      await d.pushCommit('digestpin/staging/app', { 'notes.txt': 'review\n' }, 'review note');
    },
    run: (n) => request(n, 'v2'),
  },
  {
    name: 'created (squashed + fix-up)',
    expected: 'created',
    setup: async (d, n, make) => {
      await opened(d, n, make);
      await d.pushCommit('digestpin/staging/app', { 'notes.txt': 'review\n' }, 'review note');
      await d.squashPull(1);
    },
    run: (n) => request(n, 'v2'),
  },
  {
    name: 'closed (superseded)',
    expected: 'closed',
    setup: async (d, n, make) => {
      await opened(d, n, make);
      await d.pushCommit('main', Object.fromEntries(Array.from({ length: n }, (_, i) => [`apps/s${i}/values.yaml`, helmValues(digestOf('v1'))])), 'pinned by hand');
    },
    run: (n) => request(n, 'v1'),
  },
  {
    name: 'skipped (PR closed)',
    expected: 'skipped',
    setup: async (d, n, make) => {
      await opened(d, n, make);
      d.closeByPerson(1);
    },
    run: (n) => request(n, 'v1'),
  },
];

async function measure(s: Scenario, n: number, make: Factory): Promise<{ calls: number; operation: string; openPulls: number }> {
  const double = await GitHubDouble.start({ files: filesFor(n), labels: ['deploy'], users: ['alice', 'bob'] });
  try {
    await s.setup(double, n, make);
    double.interceptor.resetCount();
    const result = await make(double).promote(s.run(n));
    if (double.interceptor.violations.length) throw new Error(`contract violations: ${double.interceptor.violations.join('; ')}`);
    return { calls: double.interceptor.requests, operation: result.operation, openPulls: double.openPulls().length };
  } finally {
    await double.stop();
  }
}

async function main(): Promise<void> {
  const baseline = await baselineFactory();
  const sizes = [1, 10, 100];
  console.log(`GitHub API calls per promotion (contract harness on the GitHub double); before = ${BASELINE.slice(0, 7)}, measured in this run\n`);
  console.log(`${'scenario'.padEnd(30)} ${'now: op'.padEnd(10)} ${sizes.map((n) => `${n} f`.padStart(6)).join('')}   ${'before: op'.padEnd(12)} ${sizes.map((n) => `${n} f`.padStart(6)).join('')}   open PRs after (now/before)`);
  let flat = true;
  try {
    for (const s of SCENARIOS) {
      const now: Array<{ calls: number; operation: string; openPulls: number }> = [];
      const before: typeof now = [];
      for (const n of sizes) {
        now.push(await measure(s, n, current));
        before.push(await measure(s, n, baseline.factory));
      }
      flat &&= now.every((r) => r.calls === now[0]?.calls);
      if (now.some((r) => r.operation !== s.expected)) throw new Error(`${s.name}: expected ${s.expected}, got ${now.map((r) => r.operation).join('/')}`);
      const cells = (rows: Array<{ calls: number }>) => rows.map((r) => String(r.calls).padStart(6)).join('');
      console.log(
        `${s.name.padEnd(30)} ${s.expected.padEnd(10)} ${cells(now)}   ${(before[0]?.operation ?? '').padEnd(12)} ${cells(before)}   ${now[0]?.openPulls}/${before[0]?.openPulls}`,
      );
    }
  } finally {
    baseline.dispose();
  }
  console.log(`\ncalls flat from 1 to 100 files for every operation: ${flat ? 'yes' : 'NO'}`);
}

await main();
