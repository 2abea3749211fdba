// The chain scenarios' GitOps repository: 3 environments, 6 services (Helm, kustomize, and a chart with two
// images in one values file), a group, on two real registries (dev/staging pull from one, prod from another).
// Plus history read with git itself from the same bare repository, and the Argo CD answers the tests set
// (served by the contract-checked Argo CD server in chain.test.ts).
import { exec } from '../../../src/runtime/exec.js';
import type { RegistryServer } from '../../support/registry-server.js';
import type { BareRepo } from '../../support/git-fixtures.js';
import type { ChainDeps, HealthAnswer, PinHistoryEntry } from '../../../src/chain/types.js';

/** fastImportStream's committer time: when the fixture's pins arrived. */
export const FIXTURE_TIME = new Date(1_700_000_000 * 1000);

export interface Images {
  web1: string;
  web2: string;
  backend: string;
  /** The group's other member pins its own image: one PR still carries both. */
  worker: string;
  gateway: string;
  chart: string;
  jobs: string;
}

export function chainConfig(prod: string, copy = true, argocd = 'https://argocd.test'): string {
  return `environments:
  dev:
    mode: direct
  staging:
    from: dev
    auto: true
    soak: 1h
    mode: direct
  prod:
    from: staging
    mode: direct
    pull-registry: ${prod}
    copy: ${copy}
    health:
      argocd: { server: ${argocd}, application: '{service}-{env}' }
services:
  web: { file: 'envs/{env}/web.yaml' }
  api: { file: 'envs/{env}/api.yaml' }
  worker: { file: 'envs/{env}/worker.yaml' }
  gateway: { file: 'envs/{env}/gateway/kustomization.yaml', kustomize-image: gateway }
  chart: { file: 'envs/{env}/chart.yaml' }
  chart-jobs: { file: 'envs/{env}/chart.yaml', key: jobs.image }
groups:
  backend: [api, worker]
`;
}

const helm = (repo: string, tag: string, digest: string) => `# managed by digestpin\nimage:\n  repository: ${repo}\n  tag: "${tag}"\n  digest: "${digest}"\nreplicas: 2\n`;

function envFiles(env: string, host: string, pins: Partial<Record<'web' | 'backend' | 'worker' | 'gateway' | 'chart' | 'jobs', [string, string]>>): Record<string, string> {
  const at = (k: keyof typeof pins) => pins[k] ?? ['0.0.0', ''];
  const [gwTag, gw] = at('gateway');
  return {
    [`envs/${env}/web.yaml`]: helm(`${host}/ameide/web`, ...at('web')),
    [`envs/${env}/api.yaml`]: helm(`${host}/ameide/backend`, ...at('backend')),
    [`envs/${env}/worker.yaml`]: helm(`${host}/ameide/worker`, ...at('worker')),
    [`envs/${env}/gateway/kustomization.yaml`]: `resources: [deployment.yaml]\nimages:\n  - name: gateway\n    newName: ${host}/ameide/gateway\n${gw ? `    digest: ${gw}\n` : `    newTag: "${gwTag}"\n`}`,
    [`envs/${env}/chart.yaml`]: `${helm(`${host}/ameide/chart`, ...at('chart'))}jobs:\n  image:\n    repository: ${host}/ameide/chart-jobs\n    tag: "${at('jobs')[0]}"\n    digest: "${at('jobs')[1]}"\n`,
  };
}

export function chainFiles(dev: RegistryServer, prod: RegistryServer, i: Images, argocd?: string): Record<string, string> {
  return {
    'digestpin.yaml': chainConfig(prod.host, true, argocd),
    ...envFiles('dev', dev.host, { web: ['2.0', i.web2], backend: ['2.0', i.backend], worker: ['2.1', i.worker], gateway: ['2.0', i.gateway], chart: ['2.0', i.chart], jobs: ['2.0', i.jobs] }),
    ...envFiles('staging', dev.host, { web: ['1.0', i.web1] }),
    ...envFiles('prod', prod.host, {}),
  };
}

/** GitOpsBackend.history's contract, answered by git itself on the bare repository. */
export function gitHistory(repo: BareRepo): NonNullable<ChainDeps['history']> {
  return async (q) => {
    const log = await repo.git(['log', `-n${q.limit}`, '--format=%H %cI', q.baseBranch, '--', q.path]);
    const entries: PinHistoryEntry[] = [];
    for (const line of log.split('\n').filter(Boolean)) {
      const [oid, committedAt] = line.split(' ') as [string, string];
      const shown = await exec('git', ['cat-file', '-p', `${oid}:${q.path}`], { cwd: repo.path, allowFailure: true, quiet: true });
      entries.push({ oid, committedAt, text: shown.exitCode === 0 ? shown.stdout : undefined });
    }
    return entries;
  };
}

/** Argo CD's answers, by Application, changeable by the test. */
export function argoCd(): { answers: Map<string, HealthAnswer> } {
  return { answers: new Map<string, HealthAnswer>() };
}

