// The pipeline's decisions with small fakes: nothing reaches GitOps unless the pull side serves the digest.
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { runPipeline, type PipelineDeps } from '../../../src/promote/pipeline.js';
import { RegistryError } from '../../../src/runtime/errors.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { formatReference } from '../../../src/registry/reference.js';
import type { ImageReference, RegistryClient, Resolution } from '../../../src/registry/types.js';
import type { PromotionRequest } from '../../../src/gitops/types.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const VALUES = 'image:\n  repository: pull.example:5000/ameide/agents\n  tag: old\n  digest: ' + D1 + '\n';

function fakeRegistry(served: Record<string, string[]>, tags: Record<string, string> = {}): RegistryClient & { calls: string[] } {
  const calls: string[] = [];
  const resolution = (ref: ImageReference, digest: string): Resolution => ({ reference: ref, digest, mediaType: 'application/vnd.oci.image.index.v1+json', kind: 'index', platforms: ['linux/amd64'], requests: 1 });
  return {
    calls,
    async resolve(ref) {
      const r = ref as ImageReference;
      calls.push(`resolve ${formatReference(r)}`);
      const digest = tags[formatReference(r)];
      if (!digest) throw new RegistryError(`${formatReference(r)}: manifest unknown`, formatReference(r), 404);
      return resolution(r, digest);
    },
    async verify(ref, digest) {
      const r = ref as ImageReference;
      const name = formatReference({ registry: r.registry, repository: r.repository });
      calls.push(`verify ${name}@${digest}`);
      if (!served[name]?.includes(digest)) throw new RegistryError(`${name}@${digest}: manifest unknown`, name, 404);
      return resolution(r, digest);
    },
  };
}

function deps(registry: RegistryClient, files: Record<string, string>) {
  const promoted: PromotionRequest[] = [];
  const logger = memoryLogger();
  const d: PipelineDeps = {
    logger,
    build: async () => {
      throw new Error('no build in these tests');
    },
    registry: () => registry,
    readFile: async () => '',
    gitops: async () => ({
      async promote(request) {
        promoted.push(request);
        const changedFiles = request.edits.map((e) => ({ path: e.path, before: files[e.path], after: e.apply(files[e.path]).text }));
        return { operation: 'committed', commitSha: 'abc', changedFiles, calls: 1 };
      },
    }),
  };
  return { d, promoted, logger };
}

const inputs = (over: Record<string, string>) =>
  readInputs({
    'INPUT_GITOPS-REPOSITORY': 'ameide/gitops',
    INPUT_ENVIRONMENT: 'staging',
    'INPUT_VALUES-FILE': 'envs/staging/agents.yaml',
    'INPUT_PULL-REGISTRY': 'pull.example:5000',
    INPUT_SERVICE: 'agents',
    INPUT_MODE: 'pull-request',
    RUNNER_TEMP: '/tmp/x',
    ...over,
  });

describe('runPipeline', () => {
  it('verifies at the pull side, then pins with an edit the backend can re-apply', async () => {
    const registry = fakeRegistry({ 'pull.example:5000/ameide/agents': [D2] }, { 'push.example/ameide/agents:1.2': D2 });
    const { d, promoted } = deps(registry, { 'envs/staging/agents.yaml': VALUES });
    const result = await runPipeline(inputs({ 'INPUT_IMAGE-REF': 'push.example/ameide/agents:1.2' }), d);
    expect(registry.calls).toEqual(['resolve push.example/ameide/agents:1.2', `verify pull.example:5000/ameide/agents@${D2}`]);
    expect(result.pinnedRef).toBe(`pull.example:5000/ameide/agents@${D2}`);
    expect(result.imageRef).toBe(`push.example/ameide/agents@${D2}`);
    expect(promoted).toHaveLength(1);
    expect(promoted[0]!.branch).toBe('digestpin/staging/agents');
    expect(promoted[0]!.mode).toBe('pull-request');
    expect(result.entries).toEqual([
      expect.objectContaining({ service: 'agents', environment: 'staging', oldDigest: D1, newDigest: D2, diff: ['-  tag: old', `-  digest: ${D1}`, '+  tag: "1.2"', `+  digest: ${D2}`] }),
    ]);
    const text = promoted[0]!.describe(result.promotion.changedFiles);
    expect(text.title).toBe('Promote agents to staging (sha256:2222222)');
    // The edit summarises itself, so a backend can say what superseded an older PR.
    expect(promoted[0]!.edits[0]!.apply(VALUES).summary).toEqual({
      service: 'agents', environment: 'staging', file: 'envs/staging/agents.yaml', imageRef: `pull.example:5000/ameide/agents@${D2}`,
      oldDigest: D1, newDigest: D2, diff: ['-  tag: old', `-  digest: ${D1}`, '+  tag: "1.2"', `+  digest: ${D2}`],
    });
  });

  it('writes nothing when the pull side does not serve the digest, and says which side has it', async () => {
    const registry = fakeRegistry({ 'push.example/ameide/agents': [D2] });
    const { d, promoted } = deps(registry, { 'envs/staging/agents.yaml': VALUES });
    await expect(runPipeline(inputs({ 'INPUT_IMAGE-REF': `push.example/ameide/agents@${D2}` }), d)).rejects.toThrow(
      /^pushed to push.example\/ameide\/agents but pull.example:5000\/ameide\/agents does not serve sha256:2{64}; they are two registries.*\(nothing was written\)$/,
    );
    expect(promoted).toEqual([]);
  });

  it('writes nothing when the digest exists nowhere', async () => {
    const registry = fakeRegistry({});
    const { d, promoted } = deps(registry, {});
    await expect(runPipeline(inputs({ 'INPUT_IMAGE-REF': `pull.example:5000/ameide/agents@${D2}` }), d)).rejects.toThrow(/manifest unknown/);
    expect(promoted).toEqual([]);
  });

  it('refuses a values file whose repository names another image', async () => {
    const registry = fakeRegistry({ 'pull.example:5000/ameide/agents': [D2] });
    const other = VALUES.replace('ameide/agents', 'ameide/web');
    const { d } = deps(registry, { 'envs/staging/agents.yaml': other });
    await expect(runPipeline(inputs({ 'INPUT_IMAGE-REF': `pull.example:5000/ameide/agents@${D2}` }), d)).rejects.toThrow(/envs\/staging\/agents.yaml:2: .*ameide\/web/);
  });

  it('takes the mode from the config when the input is not given', async () => {
    const registry = fakeRegistry({ 'pull.example:5000/ameide/agents': [D2] });
    const { d, promoted } = deps(registry, { 'envs/dev/agents.yaml': VALUES });
    d.readFile = async () => 'environments:\n  dev:\n    mode: direct\n    services:\n      agents: { file: envs/dev/agents.yaml }\n';
    await runPipeline(inputs({ 'INPUT_IMAGE-REF': `pull.example:5000/ameide/agents@${D2}`, INPUT_MODE: '', INPUT_ENVIRONMENT: 'dev', 'INPUT_VALUES-FILE': '', INPUT_CONFIG: 'digestpin.yaml', GITHUB_WORKSPACE: '/ws' }), d);
    expect(promoted[0]!.mode).toBe('direct');
  });
});

describe('runPipeline from-environment', () => {
  const config = 'environments:\n  dev:\n    services:\n      agents: { file: envs/dev/agents.yaml }\n  staging:\n    services:\n      agents: { file: envs/staging/agents.yaml }\n';
  const request = (over: Record<string, string> = {}) =>
    inputs({ 'INPUT_FROM-ENVIRONMENT': 'dev', INPUT_CONFIG: 'gitops/digestpin.yaml', 'INPUT_VALUES-FILE': '', 'INPUT_PULL-REGISTRY': '', GITHUB_WORKSPACE: '/ws', ...over });

  it('promotes the digest and tag the source environment pins, verified at the pull side', async () => {
    const registry = fakeRegistry({ 'pull.example:5000/ameide/agents': [D1] });
    const { d, promoted } = deps(registry, { 'envs/staging/agents.yaml': VALUES.replace(`digest: ${D1}`, 'digest: ""') });
    const files: Record<string, string> = { '/ws/gitops/digestpin.yaml': config, '/ws/gitops/envs/dev/agents.yaml': VALUES };
    d.readFile = async (p) => files[p] ?? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));
    const result = await runPipeline(request(), d);
    expect(registry.calls).toEqual([`verify pull.example:5000/ameide/agents@${D1}`]);
    expect(result.pinnedRef).toBe(`pull.example:5000/ameide/agents@${D1}`);
    expect(result.entries[0]).toMatchObject({ environment: 'staging', file: 'envs/staging/agents.yaml', newDigest: D1 });
    expect(promoted[0]!.branch).toBe('digestpin/staging/agents');
  });

  it('says so when the source environment pins no digest', async () => {
    const registry = fakeRegistry({});
    const { d, promoted } = deps(registry, {});
    const files: Record<string, string> = { '/ws/gitops/digestpin.yaml': config, '/ws/gitops/envs/dev/agents.yaml': 'image:\n  repository: pull.example:5000/ameide/agents\n  tag: "1"\n' };
    d.readFile = async (p) => files[p]!;
    await expect(runPipeline(request(), d)).rejects.toThrow('envs/dev/agents.yaml:2: dev pins no digest for agents yet, so there is nothing to promote');
    expect(promoted).toEqual([]);
  });

  it.each([
    [{ 'INPUT_IMAGE-REF': 'x.example/a:1' }, /without image, image-ref or digest/],
    [{ INPUT_CONFIG: '' }, /needs config/],
    [{ 'INPUT_FROM-ENVIRONMENT': 'staging' }, /is the target environment itself/],
  ])('rejects %o', (over, message) => {
    expect(() => request(over)).toThrow(message);
  });
});
