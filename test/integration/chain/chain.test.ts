// The promotion bot on a real GitOps repository (plain-git backend, a bare repository and its checkout) and
// two real registries: plan, a soak hold and release, a grouped promotion, a rerun that changes nothing,
// a health hold and release with a copy between registries, the missing-digest error, a rollback, and
// config errors. Executions go through promote/'s pipeline with its real dependencies.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChainInputs } from '../../../src/inputs.js';
import { realChainDeps } from '../../../src/chain/real-deps.js';
import { runChain, type ChainReport } from '../../../src/chain/run.js';
import { problems } from '../../../src/chain/outcome-text.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { runCli } from '../../../src/commands/dispatch.js';
import { createBareRepo, git, gitIdentityEnv, type BareRepo } from '../../support/git-fixtures.js';
import { pushImage, startRegistry, type RegistryServer } from '../../support/registry-server.js';
import { argoCd, chainConfig, chainFiles, FIXTURE_TIME, gitHistory, type Images } from './fixture.js';
import { sampleApplication, startArgoCdServer, type ArgoCdServer } from '../../support/argocd-contract.js';

let dev: RegistryServer;
let prod: RegistryServer;
let repo: BareRepo;
let checkout: string;
let temp: string;
let images: Images;
const argo = argoCd();
const ARGO_TOKEN = 'argocd-token-0f3e';
let argocd: ArgoCdServer;
const copies: string[] = [];
let now = FIXTURE_TIME;
const minutes = (m: number) => new Date(FIXTURE_TIME.getTime() + m * 60_000);

async function bot(inputs: Record<string, string>): Promise<ChainReport & { log: string }> {
  const env = { INPUT_CONFIG: 'digestpin.yaml', 'INPUT_GITOPS-REPOSITORY': repo.path, GITHUB_WORKSPACE: checkout, RUNNER_TEMP: temp, 'INPUT_ARGOCD-TOKEN': ARGO_TOKEN, ...inputs };
  const chain = readChainInputs(env)!;
  const logger = memoryLogger();
  const { deps, close } = await realChainDeps(chain, logger);
  // The real Argo CD client (against a contract-checked server) and the real registry copy; only the
  // history (another backend's) and the clock are the test's.
  const copy = deps.copy!;
  Object.assign(deps, {
    history: gitHistory(repo),
    copy: (from: Parameters<typeof copy>[0], to: Parameters<typeof copy>[1]) => {
      copies.push(`${from.registry}/${from.repository}@${from.digest} -> ${to.registry}/${to.repository}`);
      return copy(from, to);
    },
    now: () => now,
  });
  const saved = { ...process.env };
  Object.assign(process.env, gitIdentityEnv);
  try {
    const report = await runChain(chain, deps);
    return { ...report, log: logger.lines.join('\n') };
  } finally {
    process.env = saved;
    await close();
    await git(['pull', '--quiet', '--ff-only'], checkout);
  }
}

const statuses = (r: ChainReport) => Object.fromEntries(r.promotions.map((p) => [`${p.service}:${p.to}`, p.status === 'due' ? 'due' : p.reason!.kind]));
const commits = async () => Number(await repo.git(['rev-list', '--count', 'main']));

beforeAll(async () => {
  [dev, prod] = await Promise.all([startRegistry(), startRegistry()]);
  argocd = await startArgoCdServer(({ path, headers }) => {
    if (headers.authorization !== `Bearer ${ARGO_TOKEN}`) return { status: 401, body: { error: 'invalid session', code: 16, message: 'invalid session' } };
    const name = decodeURIComponent(path.split('/').pop() ?? '');
    const answer = argo.answers.get(name);
    if (!answer) return { status: 404, body: { error: 'not found', code: 5, message: `applications.argoproj.io "${name}" not found` } };
    return { status: 200, body: sampleApplication(name, answer.sync, answer.health, answer.images) };
  });
  const push = async (name: string, tag: string) => (await pushImage(`${dev.host}/ameide/${name}:${tag}`, { content: `${name}-${tag}` })).digest;
  images = { web1: await push('web', '1.0'), web2: await push('web', '2.0'), backend: await push('backend', '2.0'), worker: await push('worker', '2.1'), gateway: await push('gateway', '2.0'), chart: await push('chart', '2.0'), jobs: await push('chart-jobs', '2.0') };
  repo = await createBareRepo(chainFiles(dev, prod, images, argocd.url));
  temp = mkdtempSync(join(tmpdir(), 'digestpin-chain-'));
  checkout = join(temp, 'checkout');
  await git(['clone', '--quiet', repo.path, checkout]);
}, 240_000);

afterAll(async () => {
  expect(argocd.violations).toEqual([]);
  await Promise.all([dev?.stop(), prod?.stop(), argocd?.stop()]);
  await repo?.cleanup();
  rmSync(temp, { recursive: true, force: true });
});

describe('the promotion bot', () => {
  it('plans every service and environment, and writes nothing', async () => {
    now = minutes(10);
    const head = await repo.head();
    const r = await bot({ INPUT_PLAN: 'true' });
    expect(statuses(r)).toEqual({
      'web:staging': 'soak', 'api:staging': 'soak', 'worker:staging': 'soak', 'gateway:staging': 'soak', 'chart:staging': 'soak', 'chart-jobs:staging': 'soak',
      'web:prod': 'health', 'api:prod': 'unreadable', 'worker:prod': 'unreadable', 'gateway:prod': 'unreadable', 'chart:prod': 'unreadable', 'chart-jobs:prod': 'unreadable',
    });
    expect(r.promotions[0]!.reason).toMatchObject({ kind: 'soak', soakedMs: 600_000, requiredMs: 3_600_000 });
    expect(r.promotions.find((p) => p.service === 'api' && p.to === 'prod')!.reason).toEqual({ kind: 'unreadable', detail: 'staging pins no digest for api yet' });
    expect(await repo.head()).toBe(head);
  });

  it('holds unsoaked pins, then promotes them once soaked: one commit per service, one for the group', async () => {
    now = minutes(10);
    const before = await commits();
    const held = await bot({ INPUT_AUTO: 'true' });
    expect(held.outcomes).toEqual([]);
    expect(await commits()).toBe(before);

    now = minutes(120);
    const r = await bot({ INPUT_AUTO: 'true' });
    expect(problems(r), r.log).toEqual([]);
    expect(r.outcomes.map((o) => [o.promotions.map((p) => p.service).join('+'), o.result?.promotion.operation])).toEqual([
      ['web', 'committed'], ['api+worker', 'committed'], ['gateway', 'committed'], ['chart', 'committed'], ['chart-jobs', 'committed'],
    ]);
    expect(await commits()).toBe(before + 5);
    expect(await repo.readFile('envs/staging/web.yaml')).toBe(`# managed by digestpin\nimage:\n  repository: ${dev.host}/ameide/web\n  tag: "2.0"\n  digest: "${images.web2}"\nreplicas: 2\n`);
    expect(await repo.readFile('envs/staging/gateway/kustomization.yaml')).toBe(`resources: [deployment.yaml]\nimages:\n  - name: gateway\n    newName: ${dev.host}/ameide/gateway\n    digest: ${images.gateway}\n`);
    const chart = (await repo.readFile('envs/staging/chart.yaml'))!;
    expect(chart).toContain(`digest: "${images.chart}"`);
    expect(chart).toContain(`digest: "${images.jobs}"`);
    // The group is one commit touching both members' files.
    const groupCommit = await repo.git(['log', '--format=%H', '-n1', 'main', '--', 'envs/staging/api.yaml']);
    expect((await repo.git(['show', '--name-only', '--format=', groupCommit])).split('\n').sort()).toEqual(['envs/staging/api.yaml', 'envs/staging/worker.yaml']);
  });

  it('changes nothing on a rerun', async () => {
    const head = await repo.head();
    const r = await bot({ INPUT_AUTO: 'true' });
    expect(r.outcomes).toEqual([]);
    expect(new Set(Object.values(statuses(r)))).toEqual(new Set(['pinned']));
    expect(await repo.head()).toBe(head);
  });

  it('holds a pin until Argo CD runs it Synced and Healthy, then copies it to the prod registry and pins it there', async () => {
    argo.answers.set('web-staging', { sync: 'OutOfSync', health: 'Progressing', images: [`${dev.host}/ameide/web:1.0@${images.web1}`] });
    const head = await repo.head();
    const held = await bot({ 'INPUT_FROM-ENVIRONMENT': 'staging', INPUT_ENVIRONMENT: 'prod', INPUT_SERVICES: 'web' });
    expect(held.promotions[0]!.reason).toEqual({ kind: 'health', application: 'web-staging', sync: 'OutOfSync', health: 'Progressing', running: false });
    expect(await repo.head()).toBe(head);
    expect(copies).toEqual([]);

    argo.answers.set('web-staging', { sync: 'Synced', health: 'Healthy', images: [`${dev.host}/ameide/web:2.0@${images.web2}`] });
    const r = await bot({ 'INPUT_FROM-ENVIRONMENT': 'staging', INPUT_ENVIRONMENT: 'prod', INPUT_SERVICES: 'web' });
    expect(problems(r), r.log).toEqual([]);
    expect(r.promotions[0]).toMatchObject({ status: 'due', copy: true, pullRegistry: prod.host });
    expect(copies).toEqual([`${dev.host}/ameide/web@${images.web2} -> ${prod.host}/ameide/web`]);
    expect((await prod.manifest('ameide/web', images.web2)).status).toBe(200);
    // The copy is by digest: tag 2.0 does not name it at the prod registry, so the pin removes the tag.
    expect(await repo.readFile('envs/prod/web.yaml')).toBe(`# managed by digestpin\nimage:\n  repository: ${prod.host}/ameide/web\n  digest: "${images.web2}"\nreplicas: 2\n`);
  });

  it('refuses a digest missing at the target registry without copy: true, naming both registries', async () => {
    writeFileSync(join(checkout, 'digestpin.yaml'), chainConfig(prod.host, false, argocd.url));
    argo.answers.set('gateway-staging', { sync: 'Synced', health: 'Healthy', images: [`${dev.host}/ameide/gateway@${images.gateway}`] });
    const head = await repo.head();
    try {
      const r = await bot({ 'INPUT_FROM-ENVIRONMENT': 'staging', INPUT_ENVIRONMENT: 'prod', INPUT_SERVICES: 'gateway' });
      expect(problems(r)).toEqual([
        `gateway: ${images.gateway} is not at ${prod.host}, the registry prod pulls from (staging pins it from ${dev.host}); push it there, or set copy: true on environments.prod`,
      ]);
      expect(await repo.head()).toBe(head);
    } finally {
      await git(['checkout', '--', 'digestpin.yaml'], checkout);
    }
  });

  it('rolls back to the previous distinct digest with its tag, and says so in the commit', async () => {
    const r = await bot({ INPUT_ENVIRONMENT: 'staging', INPUT_SERVICE: 'web', INPUT_ROLLBACK: '1' });
    expect(r.rollback!.pick).toMatchObject({ digest: images.web1, tag: '1.0' });
    expect(r.rollback!.outcome.result!.promotion.operation).toBe('committed');
    expect(await repo.readFile('envs/staging/web.yaml')).toContain(`tag: "1.0"\n  digest: "${images.web1}"`);
    const message = await repo.git(['log', '-1', '--format=%B', 'main']);
    expect(message.split('\n')[0]).toBe(`Roll back web in staging to 1.0 (sha256:${images.web1.slice(7, 14)})`);
  });

  it('stops at a config error naming the file, the line and the fix, and writes nothing', async () => {
    writeFileSync(join(checkout, 'digestpin.yaml'), readFileSync(join(checkout, 'digestpin.yaml'), 'utf8').replace('from: staging', 'from: stagin'));
    const head = await repo.head();
    try {
      await expect(bot({ INPUT_ALL: 'true', INPUT_ENVIRONMENT: 'prod' })).rejects.toThrow("digestpin.yaml:10: environments.prod.from: 'stagin' is not an environment of this file (environments: dev, staging, prod)");
      expect(await repo.head()).toBe(head);
    } finally {
      await git(['checkout', '--', 'digestpin.yaml'], checkout);
    }
  });

  it('digestpin plan prints the table, JSON and a matrix of what is due', async () => {
    const out: string[] = [];
    const cli = async (args: string[]) => {
      out.length = 0;
      const logger = memoryLogger();
      const code = await runCli(['plan', '--config', 'digestpin.yaml', '--repo', repo.path, ...args], { stdout: (t) => out.push(t), logger, env: {}, cwd: checkout });
      return { code, out: out.join('\n'), log: logger.lines.join('\n') };
    };
    const table = await cli(['--to', 'prod']);
    expect(table.code, table.log).toBe(0);
    // No ARGOCD_TOKEN here: a health-gated promotion is held, and the table says why.
    expect(table.out).toMatch(/^web +staging → prod +sha256:\S+ +sha256:\S+ → sha256:\S+ +held: health: can't ask Argo CD about web-staging: no Argo CD token \(argocd-token input or ARGOCD_TOKEN\)$/m);
    expect(table.out).toMatch(/^0 due, 6 held$/m);
    // The plain-git backend reads the history: dev's web pin (the fixture's, long ago) has soaked, so it is due
    // (staging was rolled back to 1.0 above); the clock here is the real one.
    const all = await cli(['--json']);
    const plan = (JSON.parse(all.out) as { plan: Array<{ service: string; to: string; status: string; reason: { text: string } | null }> }).plan;
    expect(plan.find((p) => p.service === 'web' && p.to === 'staging')).toMatchObject({ status: 'due', reason: null });
    expect(plan.find((p) => p.service === 'api' && p.to === 'staging')!.reason!.text).toBe('already pinned');
    const matrix = await cli(['--to', 'prod', '--matrix']);
    expect(JSON.parse(matrix.out)).toEqual({ include: [] });
  });

  it('digestpin promote --from --to runs the bot from the command line; a hold is not a failure, a bad group is', async () => {
    const out: string[] = [];
    const logger = memoryLogger();
    const head = await repo.head();
    // --service given twice is a list (the bot), not "the last one wins".
    const code = await runCli(['promote', '--config', 'digestpin.yaml', '--repo', repo.path, '--from', 'dev', '--to', 'staging', '--service', 'web', '--service', 'api', '--json'], { stdout: (t) => out.push(t), logger, env: {}, cwd: checkout });
    expect(code, logger.lines.join('\n')).toBe(0);
    const json = JSON.parse(out.join('\n')) as { plan: Array<{ status: string; reason: { kind: string } }>; results: unknown[]; problems: string[] };
    expect(json.plan.map((p) => [p.status, p.reason?.kind ?? null])).toEqual([['due', null], ['held', 'pinned']]);
    expect(json).toMatchObject({ problems: [] });
    expect(json.results).toHaveLength(1);
    // web's soaked pin is promoted (one commit); the held api is not a failure and writes nothing.
    expect(await repo.git(['rev-list', '--count', `${head}..main`])).toBe('1');
    expect(await repo.git(['show', '--name-only', '--format=', 'main'])).toBe('envs/staging/web.yaml');

    const bad = memoryLogger();
    const refused = await runCli(['promote', '--config', 'digestpin.yaml', '--repo', repo.path, '--to', 'staging', '--group', 'frontend'], { stdout: () => undefined, logger: bad, env: {}, cwd: checkout });
    expect(refused).toBe(2);
    expect(bad.lines.join('\n')).toContain("input '--group': 'frontend' is not a group of the config (groups: backend)");
  });
});
