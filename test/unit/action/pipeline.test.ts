// The pipeline's decisions with small fakes: nothing reaches GitOps unless the pull side serves the digest.
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { runPipeline, type PipelineDeps } from '../../../src/promote/pipeline.js';
import { RegistryError } from '../../../src/runtime/errors.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { formatReference } from '../../../src/registry/reference.js';
import type { ImageReference, RegistryClient, Resolution } from '../../../src/registry/types.js';
import type { PromotionRequest } from '../../../src/gitops/types.js';
import type { BuildRequest } from '../../../src/buildx/types.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
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
  const dryRuns: PromotionRequest[] = [];
  const builds: BuildRequest[] = [];
  const logger = memoryLogger();
  const d: PipelineDeps = {
    logger,
    build: async (b) => {
      builds.push(b);
      return { digest: D3, mediaType: 'application/vnd.oci.image.index.v1+json', imageNames: b.tags, pushed: b.push, metadata: {} as never };
    },
    registry: () => registry,
    readFile: async () => '',
    gitops: async () => ({
      async promote(request) {
        (request.dryRun ? dryRuns : promoted).push(request);
        const changedFiles = request.edits.map((e) => ({ path: e.path, before: files[e.path], ...e.apply(files[e.path]) })).map(({ text, ...f }) => ({ ...f, after: text }));
        if (request.dryRun) return { operation: 'none', changedFiles, calls: 1 };
        return { operation: 'committed', commitSha: 'abc', changedFiles, calls: 1 };
      },
    }),
  };
  return { d, promoted, dryRuns, builds, logger };
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
    expect(text.title).toBe('Promote agents 1.2 (sha256:2222222) to staging');
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
    const { d, promoted } = deps(registry, { 'envs/staging/agents.yaml': VALUES });
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
    // The dev pin's tag is looked up before it is written beside the digest: the registry has no 'old' tag.
    expect(registry.calls).toEqual([`verify pull.example:5000/ameide/agents@${D1}`, 'resolve pull.example:5000/ameide/agents:old']);
    expect(result.pinnedRef).toBe(`pull.example:5000/ameide/agents@${D1}`);
    expect(result.entries[0]).toMatchObject({ environment: 'staging', file: 'envs/staging/agents.yaml', newDigest: D1 });
    expect(promoted[0]!.branch).toBe('digestpin/staging/agents');
    // dev's tag 'old' is not at the registry, so it is not carried beside the digest.
    expect(promoted[0]!.describe(result.promotion.changedFiles).title).toBe('Promote agents (sha256:1111111) dev → staging');
    expect(result.entries[0]!.diff).toEqual(['-  tag: old', '-  digest: ""', `+  digest: "${D1}"`]);
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

describe('runPipeline: a pin never leaves a tag that disagrees with its digest', () => {
  const rollback = (over: Record<string, string> = {}) => inputs({ INPUT_IMAGE: 'ameide/agents', INPUT_DIGEST: D2, ...over });

  it('sets the tag given with the digest when the registry shows it names that digest', async () => {
    const registry = fakeRegistry({ 'pull.example:5000/ameide/agents': [D2] }, { 'pull.example:5000/ameide/agents:1.2': D2, 'pull.example:5000/ameide/agents:old': D1 });
    const { d, promoted, dryRuns } = deps(registry, { 'envs/staging/agents.yaml': VALUES });
    const result = await runPipeline(rollback({ 'INPUT_IMAGE-TAG': '1.2' }), d);
    // A tag shown to name the digest needs no look at the file's own tag: no extra read of the GitOps repository.
    expect(dryRuns).toEqual([]);
    expect(result.entries[0]!.diff).toEqual(['-  tag: old', `-  digest: ${D1}`, '+  tag: "1.2"', `+  digest: ${D2}`]);
    const text = promoted[0]!.describe(result.promotion.changedFiles);
    expect(text.title).toBe('Promote agents 1.2 (sha256:2222222) to staging');
    expect(text.body).toContain('Tag: `1.2` (from the image-tag input; it points at sha256:2222222)');
  });

  it('removes a tag that names another image when no tag is known to name the digest, and says so', async () => {
    const registry = fakeRegistry({ 'pull.example:5000/ameide/agents': [D2] }, { 'pull.example:5000/ameide/agents:old': D1 });
    const { d, promoted, dryRuns } = deps(registry, { 'envs/staging/agents.yaml': VALUES });
    const result = await runPipeline(rollback(), d);
    expect(dryRuns).toHaveLength(1);
    expect(result.entries[0]!.diff).toEqual(['-  tag: old', `-  digest: ${D1}`, `+  digest: ${D2}`]);
    expect(promoted[0]!.describe(result.promotion.changedFiles).body).toContain(
      "Tag: removed: no tag is known to point at sha256:2222222 (the file's `old` points at sha256:1111111), so the file names the image by digest alone",
    );
  });

  it("keeps the file's tag when it already names the digest, and keeps any tag when asked to", async () => {
    const registry = fakeRegistry({ 'pull.example:5000/ameide/agents': [D2] }, { 'pull.example:5000/ameide/agents:old': D2 });
    const first = deps(registry, { 'envs/staging/agents.yaml': VALUES });
    expect((await runPipeline(rollback(), first.d)).entries[0]!.diff).toEqual([`-  digest: ${D1}`, `+  digest: ${D2}`]);
    const asked = deps(fakeRegistry({ 'pull.example:5000/ameide/agents': [D2] }), { 'envs/staging/agents.yaml': VALUES });
    const kept = await runPipeline(rollback({ 'INPUT_TAG-POLICY': 'keep' }), asked.d);
    expect(kept.entries[0]!.diff).toEqual([`-  digest: ${D1}`, `+  digest: ${D2}`]);
    expect(kept.tag?.note).toBe('kept as the file has it (tag-policy: keep)');
  });
});

describe('runPipeline with a build', () => {
  const build = (over: Record<string, string> = {}) =>
    inputs({ INPUT_IMAGE: 'ameide/agents', INPUT_REGISTRY: 'push.example', 'INPUT_IMAGE-TAG': '1.4.2', 'INPUT_PULL-REGISTRY': '', ...over });
  const values = VALUES.replaceAll('pull.example:5000', 'push.example');

  it('checks the target file and key before anything is built', async () => {
    const registry = fakeRegistry({});
    const cases: Record<string, string>[] = [{}, { 'envs/staging/agents.yaml': values.replace('ameide/agents', 'ameide/web') }];
    for (const files of cases) {
      const { d, builds, promoted } = deps(registry, files);
      await expect(runPipeline(build(), d)).rejects.toThrow(/^envs\/staging\/agents.yaml/);
      expect(builds).toEqual([]);
      expect(promoted).toEqual([]);
    }
  });

  it('push: false builds, pins nothing, and succeeds with the digest it knows', async () => {
    const registry = fakeRegistry({});
    const { d, builds, promoted } = deps(registry, { 'envs/staging/agents.yaml': values });
    const result = await runPipeline(build({ INPUT_PUSH: 'false' }), d);
    expect(builds.map((b) => b.push)).toEqual([false]);
    expect(registry.calls).toEqual([]);
    expect(promoted).toEqual([]);
    expect(result).toMatchObject({ digest: D3, pinnedRef: '', promotion: { operation: 'none', changedFiles: [] } });
    expect(result.notes.join()).toMatch(/push is false: the image was built .* but not pushed, so nothing was pinned/);
  });

  it('a dry run builds without pushing and shows the pin of the tag as the registry has it', async () => {
    const registry = fakeRegistry({ 'push.example/ameide/agents': [D2] }, { 'push.example/ameide/agents:1.4.2': D2 });
    const { d, builds, promoted, dryRuns, logger } = deps(registry, { 'envs/staging/agents.yaml': values });
    const result = await runPipeline(build({ 'INPUT_DRY-RUN': 'true' }), d);
    expect(builds.map((b) => b.push)).toEqual([false]);
    expect(promoted).toEqual([]);
    expect(dryRuns).toHaveLength(2);
    expect(logger.lines).toContain('[agents] ✅ dry run: would change envs/staging/agents.yaml');
    expect(result.digest).toBe(D2);
    expect(result.promotion.operation).toBe('none');
    expect(logger.lines.join('\n')).toContain(['--- envs/staging/agents.yaml', '-  tag: old', `-  digest: ${D1}`, '+  tag: 1.4.2', `+  digest: ${D2}`].join('\n'));
  });

  it('a dry run whose tag is not at the registry yet says the digest is known after the push', async () => {
    const registry = fakeRegistry({});
    const { d, promoted, logger } = deps(registry, { 'envs/staging/agents.yaml': values });
    const result = await runPipeline(build({ 'INPUT_DRY-RUN': 'true' }), d);
    expect(promoted).toEqual([]);
    expect(result.digest).toBe('');
    expect(result.entries[0]!.diff).toEqual(['-  tag: old', `-  digest: ${D1}`, '+  tag: 1.4.2', '+  digest: (known after the push)']);
    expect(result.notes).toEqual(['`push.example/ameide/agents:1.4.2` is not at the registry yet, so the digest is known after the push.']);
    expect(logger.lines.join('\n')).toContain('+  digest: (known after the push)');
  });
});
