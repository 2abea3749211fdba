// The promotion bot at fleet scale: plan and promote every service of a generated GitOps repository (N services
// across 4 environments, dev → qa → staging → prod, services declared once with templates), for N = 10, 50
// and 200 in the same run. Promotions run through promote/'s pipeline against the GitHub double (every call
// intercepted, contract-checked and counted) and a real local registry (requests counted at the client).
// Per service, GitHub calls and registry requests should stay flat as N grows.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GitHubDouble } from '../test/support/github-double.js';
import { backendFor } from '../test/support/github-fixtures.js';
import { pushImage, startRegistry, type RegistryServer } from '../test/support/registry-server.js';
import { createRegistryClient, servesDigest } from '../src/registry/index.js';
import { memoryLogger } from '../src/runtime/logger.js';
import { runPipeline, type PipelineDeps } from '../src/promote/pipeline.js';
import { readChainInputs } from '../src/inputs.js';
import { runChain } from '../src/chain/run.js';
import type { ChainDeps } from '../src/chain/types.js';

const ENVS = ['dev', 'qa', 'staging', 'prod'];
const OLD = `sha256:${'0'.repeat(64)}`;

function repoFiles(n: number, host: string, digest: string): Record<string, string> {
  const services = Array.from({ length: n }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
  const files: Record<string, string> = {
    'digestpin.yaml': `environments:\n  dev: {}\n  qa: { from: dev }\n  staging: { from: qa }\n  prod: { from: staging }\nservices:\n  ${services.map((s) => `${s}: { file: 'envs/{env}/{service}/values.yaml' }`).join('\n  ')}\n`,
  };
  for (const env of ENVS) {
    for (const s of services) {
      files[`envs/${env}/${s}/values.yaml`] = `replicas: 2\nimage:\n  repository: ${host}/bench/app\n  tag: "${env === 'dev' ? '1.0' : '0.9'}"\n  digest: "${env === 'dev' ? digest : OLD}"\n`;
    }
  }
  return files;
}

function countingFetch(): { count: () => number; reset: () => void; fetch: typeof fetch } {
  let n = 0;
  return { count: () => n, reset: () => void (n = 0), fetch: (input, init) => ((n += 1), fetch(input, init)) };
}

interface Row { n: number; planMs: number; promoteMs: number; due: number; planRegistry: number; github: number; registry: number; prs: number }

async function measure(n: number, registry: RegistryServer, digest: string): Promise<Row> {
  const files = repoFiles(n, registry.host, digest);
  const checkout = mkdtempSync(join(tmpdir(), 'digestpin-bench-chain-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(checkout, path)), { recursive: true });
    writeFileSync(join(checkout, path), text);
  }
  const double = await GitHubDouble.start({ files });
  const counter = countingFetch();
  const logger = memoryLogger();
  try {
    const client = createRegistryClient({ fetch: counter.fetch, logger });
    const { backend } = backendFor(double);
    const pipelineDeps: PipelineDeps = {
      logger,
      readFile: (p) => readFile(p, 'utf8'),
      registry: () => createRegistryClient({ fetch: counter.fetch, logger }),
      gitops: async () => backend,
      build: () => Promise.reject(new Error('nothing is built')),
    };
    const deps: ChainDeps = {
      logger,
      now: () => new Date(),
      readFile: (p) => readFile(p, 'utf8'),
      present: (ref) => servesDigest(client, ref),
      runPipeline: (request) => runPipeline(request, pipelineDeps),
    };
    const env = { INPUT_CONFIG: 'digestpin.yaml', 'INPUT_GITOPS-REPOSITORY': `${double.owner}/${double.name}`, 'INPUT_GITOPS-TOKEN': 'bench-token', GITHUB_WORKSPACE: checkout, RUNNER_TEMP: join(checkout, '.tmp') };
    const plan = readChainInputs({ ...env, INPUT_PLAN: 'true' })!;
    let started = performance.now();
    const planned = await runChain(plan, deps);
    const planMs = performance.now() - started;
    const planRegistry = counter.count();
    const due = planned.promotions.filter((p) => p.status === 'due').length;
    counter.reset();
    double.interceptor.resetCount();
    started = performance.now();
    const promoted = await runChain(readChainInputs({ ...env, INPUT_ALL: 'true', 'INPUT_FROM-ENVIRONMENT': 'dev', INPUT_ENVIRONMENT: 'qa' })!, deps);
    const promoteMs = performance.now() - started;
    const failed = promoted.outcomes.filter((o) => o.error);
    if (failed.length) throw new Error(`${failed.length} promotions failed: ${failed[0]!.error}`);
    if (double.interceptor.violations.length) throw new Error(`contract violations: ${double.interceptor.violations.join('; ')}`);
    return { n, planMs, promoteMs, due, planRegistry, github: double.interceptor.requests, registry: counter.count(), prs: double.openPulls().length };
  } finally {
    await double.stop();
    rmSync(checkout, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const registry = await startRegistry();
  try {
    const { digest } = await pushImage(`${registry.host}/bench/app:1.0`, { content: 'bench-chain' });
    const rows: Row[] = [];
    for (const n of [10, 50, 200]) rows.push(await measure(n, registry, digest));
    console.log('digestpin plan + promote --all (dev → qa) on a generated GitOps repository, 4 environments\n');
    console.log(`${'services'.padStart(8)} ${'candidates'.padStart(10)} ${'due'.padStart(5)} ${'plan ms'.padStart(8)} ${'plan reg/svc'.padStart(12)} ${'promote ms'.padStart(10)} ${'ms/svc'.padStart(7)} ${'GitHub/svc'.padStart(10)} ${'registry/svc'.padStart(12)} ${'PRs'.padStart(5)}`);
    for (const r of rows) {
      console.log(`${String(r.n).padStart(8)} ${String(r.n * 3).padStart(10)} ${String(r.due).padStart(5)} ${r.planMs.toFixed(0).padStart(8)} ${(r.planRegistry / r.n).toFixed(2).padStart(12)} ${r.promoteMs.toFixed(0).padStart(10)} ${(r.promoteMs / r.n).toFixed(1).padStart(7)} ${(r.github / r.n).toFixed(2).padStart(10)} ${(r.registry / r.n).toFixed(2).padStart(12)} ${String(r.prs).padStart(5)}`);
    }
    const [small, , big] = rows;
    const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
    console.log(`\ngrowth 10 → 200 services (per service, 200 / 10): GitHub calls ${ratio(big!.github / big!.n, small!.github / small!.n)}x, registry requests ${ratio(big!.registry / big!.n, small!.registry / small!.n)}x, ` +
      `promote time ${ratio(big!.promoteMs / big!.n, small!.promoteMs / small!.n)}x, plan time ${ratio(big!.planMs / big!.n, small!.planMs / small!.n)}x`);
    const flat = rows.every((r) => r.github / r.n === small!.github / small!.n && r.registry / r.n === small!.registry / small!.n);
    console.log(`calls per service flat from 10 to 200: ${flat ? 'yes' : 'NO'}`);
  } finally {
    await registry.stop();
  }
}

await main();
