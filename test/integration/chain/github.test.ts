// The bot through the GitHub backend (the contract-checked GitHub double) and a real registry: a chain
// promotion opens one PR per service and one for a group, titled dev → staging; a rerun opens nothing new
// and changes no PR. Every request is checked against GitHub's published contracts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChainInputs } from '../../../src/inputs.js';
import { runChain } from '../../../src/chain/run.js';
import { problems } from '../../../src/chain/outcome-text.js';
import { createRegistryClient, servesDigest } from '../../../src/registry/index.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { runPipeline, type PipelineDeps } from '../../../src/promote/pipeline.js';
import type { ChainDeps } from '../../../src/chain/types.js';
import { GitHubDouble } from '../../support/github-double.js';
import { backendFor, TOKEN } from '../../support/github-fixtures.js';
import { pushImage, startRegistry, type RegistryServer } from '../../support/registry-server.js';
import { chainFiles, type Images } from './fixture.js';

let registry: RegistryServer;
let double: GitHubDouble;
let checkout: string;
let images: Images;
const logger = memoryLogger();

function deps(): ChainDeps {
  const client = createRegistryClient({ logger });
  const { backend } = backendFor(double);
  const pipeline: PipelineDeps = {
    logger,
    readFile: (p) => readFile(p, 'utf8'),
    registry: (options) => createRegistryClient({ ...options, logger }),
    gitops: async () => backend,
    build: () => Promise.reject(new Error('nothing is built')),
  };
  return {
    logger,
    now: () => new Date(),
    readFile: (p) => readFile(p, 'utf8'),
    present: (ref) => servesDigest(client, ref),
    runPipeline: (request) => runPipeline(request, pipeline),
  };
}

const promote = () =>
  runChain(readChainInputs({ INPUT_CONFIG: 'digestpin.yaml', INPUT_ALL: 'true', INPUT_ENVIRONMENT: 'staging', INPUT_MODE: 'pull-request', 'INPUT_GITOPS-REPOSITORY': `${double.owner}/${double.name}`, 'INPUT_GITOPS-TOKEN': TOKEN, GITHUB_WORKSPACE: checkout, RUNNER_TEMP: join(checkout, '.tmp') })!, deps());

beforeAll(async () => {
  registry = await startRegistry();
  const push = async (name: string, tag: string) => (await pushImage(`${registry.host}/ameide/${name}:${tag}`, { content: `gh-${name}-${tag}` })).digest;
  const web2 = await push('web', '2.0');
  const backend = await push('backend', '2.0');
  images = { web1: web2, web2, backend, worker: await push('worker', '2.1'), gateway: await push('gateway', '2.0'), chart: await push('chart', '2.0'), jobs: await push('chart-jobs', '2.0') };
  const files = chainFiles(registry, registry, images);
  // No soak here: the GitHub backend's history is another helper's; soak runs on the plain-git scenario.
  files['digestpin.yaml'] = files['digestpin.yaml']!.replace('    soak: 1h\n', '').replaceAll('mode: direct', 'mode: pull-request');
  checkout = mkdtempSync(join(tmpdir(), 'digestpin-chain-gh-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(checkout, path)), { recursive: true });
    writeFileSync(join(checkout, path), text);
  }
  double = await GitHubDouble.start({ files });
}, 180_000);

afterAll(async () => {
  await double?.stop();
  await registry?.stop();
  rmSync(checkout, { recursive: true, force: true });
});

describe('the bot on GitHub', () => {
  it('opens one PR per service and one per group, and a rerun changes nothing', async () => {
    const r = await promote();
    expect(problems(r), logger.lines.join('\n')).toEqual([]);
    // web is already pinned in staging (its web1 is web2 here); the others are promoted.
    expect(r.outcomes.map((o) => [o.promotions.map((p) => p.service).join('+'), o.result?.promotion.operation])).toEqual([
      ['api+worker', 'created'], ['gateway', 'created'], ['chart', 'created'], ['chart-jobs', 'created'],
    ]);
    const pulls = double.openPulls();
    expect(pulls.map((p) => p.head).sort()).toEqual(['digestpin/staging/api+worker', 'digestpin/staging/chart', 'digestpin/staging/chart-jobs', 'digestpin/staging/gateway']);
    const group = pulls.find((p) => p.head === 'digestpin/staging/api+worker')!;
    expect(group.title).toBe('Promote api, worker dev → staging');
    expect(await double.text(group.head, 'envs/staging/api.yaml')).toContain(`digest: "${images.backend}"`);
    expect(await double.text(group.head, 'envs/staging/worker.yaml')).toContain(`digest: "${images.worker}"`);
    expect(double.interceptor.violations).toEqual([]);

    const again = await promote();
    expect(again.outcomes.map((o) => o.result?.promotion.operation)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(double.openPulls().map((p) => p.number).sort()).toEqual(pulls.map((p) => p.number).sort());
    expect(double.interceptor.violations).toEqual([]);
  });
});
