// GitHub API calls per promotion, counted by the contract harness (every request to the stateful GitHub double is
// intercepted, checked and counted). Compared with create-pull-request's signed-commit path, computed from its
// documented algorithm (one blob per file + tree + commit + ref): a model, not a run.
import nock from 'nock';
import { GitHubDouble } from '../test/support/github-double.js';
import { backendFor, digestOf, helmValues, pinEdit, promotion } from '../test/support/github-fixtures.js';
import type { PullRequestOptions } from '../src/gitops/types.js';

nock.disableNetConnect();

interface Row {
  scenario: string;
  files: number;
  operation: string;
  calls: number;
  ms: number;
}

const filesFor = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`apps/s${i}/values.yaml`, helmValues(digestOf('old'))]));
const editsFor = (n: number, digest: string) => Array.from({ length: n }, (_, i) => pinEdit(`apps/s${i}/values.yaml`, `s${i}`, digest));

async function measure(scenario: string, n: number, setup: (d: GitHubDouble) => Promise<void>, run: (d: GitHubDouble) => ReturnType<ReturnType<typeof backendFor>['backend']['promote']>): Promise<Row> {
  const double = await GitHubDouble.start({ files: filesFor(n), labels: ['deploy'], users: ['alice', 'bob'], teams: ['platform'] });
  try {
    await setup(double);
    double.interceptor.resetCount();
    const started = performance.now();
    const result = await run(double);
    const ms = performance.now() - started;
    if (double.interceptor.violations.length) throw new Error(`contract violations: ${double.interceptor.violations.join('; ')}`);
    if (result.calls !== double.interceptor.requests) throw new Error(`backend counted ${result.calls}, harness saw ${double.interceptor.requests}`);
    return { scenario, files: n, operation: result.operation, calls: double.interceptor.requests, ms };
  } finally {
    await double.stop();
  }
}

const pr = (n: number, digest: string, pullRequest?: PullRequestOptions) => (d: GitHubDouble) => backendFor(d).backend.promote(promotion(editsFor(n, digest), { pullRequest }));
const none = async () => undefined;

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const n of [1, 10, 100]) {
    rows.push(await measure('PR, no open PR', n, none, pr(n, digestOf('new'))));
    rows.push(await measure('PR + labels', n, none, pr(n, digestOf('new'), { labels: ['deploy'] })));
    rows.push(await measure('PR + reviewers', n, none, pr(n, digestOf('new'), { reviewers: ['alice'], teamReviewers: ['platform'] })));
    rows.push(await measure('PR + all options', n, none, pr(n, digestOf('new'), { labels: ['deploy'], reviewers: ['alice'], assignees: ['bob'], draft: true, autoMerge: 'squash' })));
    rows.push(await measure('newer digest, PR open', n, async (d) => void (await pr(n, digestOf('v1'))(d)), pr(n, digestOf('v2'))));
    rows.push(await measure('same promotion again', n, async (d) => void (await pr(n, digestOf('new'))(d)), pr(n, digestOf('new'))));
    rows.push(await measure('direct commit', n, none, (d) => backendFor(d).backend.promote(promotion(editsFor(n, digestOf('new')), { mode: 'direct' }))));
  }
  console.log('GitHub API calls per promotion (counted by the contract harness on the GitHub double)\n');
  console.log(`${'scenario'.padEnd(24)} ${'operation'.padEnd(10)} ${'1 file'.padStart(7)} ${'10 files'.padStart(9)} ${'100 files'.padStart(10)}   ms (1/10/100, double on loopback)`);
  for (const scenario of [...new Set(rows.map((r) => r.scenario))]) {
    const r = rows.filter((x) => x.scenario === scenario);
    const ms = r.map((x) => x.ms.toFixed(0)).join('/');
    console.log(`${scenario.padEnd(24)} ${(r[0]?.operation ?? '').padEnd(10)} ${String(r[0]?.calls).padStart(7)} ${String(r[1]?.calls).padStart(9)} ${String(r[2]?.calls).padStart(10)}   ${ms}`);
  }
  const base = rows.filter((r) => r.scenario === 'PR, no open PR');
  console.log('\ncreate-pull-request signed-commit path (MODEL from its documented algorithm, not a run):');
  console.log('  one createBlob per changed file + createTree + createCommit + create/updateRef = files + 3, + 1 to open the PR');
  for (const r of base) {
    const model = r.files + 3 + 1;
    console.log(`  ${String(r.files).padStart(3)} files: model ${String(model).padStart(3)} calls vs digestpin ${r.calls} measured  (ratio ${(model / r.calls).toFixed(1)}x)`);
  }
  const flat = base.every((r) => r.calls === base[0]?.calls);
  console.log(`\ntargets: <= 4 calls for 1 file, no open PR: ${base[0]?.calls} (${(base[0]?.calls ?? 99) <= 4 ? 'met' : 'MISSED'}); +1 with labels or reviewers: ` +
    `${rows.find((r) => r.scenario === 'PR + labels')?.calls}/${rows.find((r) => r.scenario === 'PR + reviewers')?.calls}; flat from 1 to 100 files: ${flat ? 'yes' : 'NO'}`);
}

await main();
