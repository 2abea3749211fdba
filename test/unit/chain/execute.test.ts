// Executing due promotions: one pipeline request per service or group, built for the target's pull
// registry; a copy first when the target says copy: true; a failing unit does not stop the others.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { executeDue, requestFor, units, type ChainBase } from '../../../src/chain/execute.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import type { DigestpinRequest } from '../../../src/request.js';
import type { PipelineResult } from '../../../src/promote/pipeline.js';
import type { ChainDeps, Promotion } from '../../../src/chain/types.js';

const D = (n: number) => `sha256:${String(n).repeat(64)}`;
const config = parseConfig(
  `environments:\n  dev: {}\n  prod:\n    from: dev\n    mode: direct\n    pull-registry: prod.reg:5000\n    copy: true\nservices:\n  web: { file: '{env}/web.yaml' }\n  api: { file: '{env}/api.yaml' }\n  worker: { file: '{env}/worker.yaml', key: worker.image }\ngroups:\n  backend: [api, worker]\n`,
  'digestpin.yaml',
);
const loaded = { path: '/repo/digestpin.yaml', name: 'digestpin.yaml', config };
const base = {
  registry: { aliases: {}, insecure: [] },
  configPath: '/repo/digestpin.yaml',
  tagPolicy: 'set',
  setRepository: false,
  gitops: { repository: 'acme/gitops', repositoryDisplay: 'acme/gitops', baseBranch: 'main', branchTemplate: 'digestpin/{environment}/{service}', pullRequest: {}, dryRun: false },
  run: { serverUrl: 'https://github.com', workspace: '/repo', tempDir: '/tmp' },
} as ChainBase;
const due = (service: string, digest: string, group?: string, copy = false): Promotion => ({
  service, from: 'dev', to: 'prod', group, status: 'due', copy, pullRegistry: 'prod.reg:5000',
  source: { file: `dev/${service}.yaml`, repository: `dev.reg:5000/ameide/${group ?? service}`, digest, tag: '2.0' },
});

describe('requestFor', () => {
  it("takes the source environment's pin into the target, verified at the target's pull registry", () => {
    const r = requestFor(base, loaded, [due('web', D(1))]);
    expect(r).toMatchObject({ environment: 'prod', service: 'web', image: { kind: 'environment', from: 'dev' }, registry: { push: undefined, pull: 'prod.reg:5000' } });
    expect(r.pins).toBeUndefined();
  });

  it("puts a group's members in one request, the others as companions, whatever images they pin", () => {
    const r = requestFor(base, loaded, [due('api', D(2), 'backend'), due('worker', D(3), 'backend')]);
    expect(r).toMatchObject({ service: 'api', image: { kind: 'environment', from: 'dev' }, registry: { pull: 'prod.reg:5000' } });
    expect(r.companions!.map((c) => [c.service, c.environment, c.image])).toEqual([['worker', 'prod', { kind: 'environment', from: 'dev' }]]);
    expect(r.companions![0]!.registry.pull).toBe('prod.reg:5000');
    expect(r.gitops.mode).toBe('direct');
  });
});

describe('executeDue', () => {
  it('runs one request per unit, copies first where asked, and keeps going past a failure', async () => {
    const requests: Readonly<DigestpinRequest>[] = [];
    const copies: string[] = [];
    const deps: ChainDeps = {
      logger: memoryLogger(),
      now: () => new Date(),
      readFile: async () => '',
      present: async () => true,
      copy: async (from, to) => {
        copies.push(`${from.registry}/${from.repository}@${from.digest} -> ${to.registry}/${to.repository}`);
        return { digest: from.digest, blobsCopied: 2, blobsMounted: 1, requests: 7 };
      },
      runPipeline: async (request) => {
        requests.push(request);
        if (request.service === 'api') throw new Error('boom');
        return { digest: D(1), promotion: { operation: 'committed', changedFiles: [], calls: 1 } } as unknown as PipelineResult;
      },
    };
    const held: Promotion = { ...due('x', D(9)), status: 'held', reason: { kind: 'pinned' } };
    const outcomes = await executeDue(base, loaded, deps, [due('web', D(1), undefined, true), due('api', D(2), 'backend'), due('worker', D(2), 'backend'), held]);
    expect(units([due('web', D(1)), due('api', D(2), 'backend'), due('worker', D(2), 'backend')]).map((u) => u.map((p) => p.service))).toEqual([['web'], ['api', 'worker']]);
    expect(requests.map((r) => r.service)).toEqual(['web', 'api']);
    expect(copies).toEqual([`dev.reg:5000/ameide/web@${D(1)} -> prod.reg:5000/ameide/web`]);
    expect(outcomes.map((o) => [o.promotions.map((p) => p.service).join('+'), o.error ?? o.result?.promotion.operation])).toEqual([['web', 'committed'], ['api+worker', 'boom']]);
  });

  it('refuses a copy that changed the digest, and writes nothing', async () => {
    let ran = false;
    const deps = {
      logger: memoryLogger(),
      copy: async () => ({ digest: D(8), blobsCopied: 0, blobsMounted: 0, requests: 0 }),
      runPipeline: async () => {
        ran = true;
        return {} as PipelineResult;
      },
    } as unknown as ChainDeps;
    const [outcome] = await executeDue(base, loaded, deps, [due('web', D(1), undefined, true)]);
    expect(outcome!.error).toBe(`the copy to prod.reg:5000 has digest ${D(8)}, not ${D(1)}; nothing was written`);
    expect(ran).toBe(false);
  });
});
