// The config as the pipeline uses it: checked before anything is built, every target of a service pinned
// in one promotion, and an immutable environment's rules enforced before any registry or GitOps call.
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { runPipeline, type PipelineDeps } from '../../../src/promote/pipeline.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import type { ImageReference, RegistryClient, Resolution } from '../../../src/registry/types.js';
import type { PromotionRequest } from '../../../src/gitops/types.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const VALUES = `image:\n  repository: pull.example:5000/ameide/agents\n  tag: old\n  digest: ${D1}\nworker:\n  image:\n    repository: pull.example:5000/ameide/agents\n    tag: old\n    digest: ${D1}\nmigrations:\n  image:\n    repository: pull.example:5000/ameide/agents-migrations\n    tag: old\n`;
const CONFIG = `environments:
  dev:
    services:
      agents:
        targets:
          - { file: envs/dev/agents.yaml, key: image }
          - { file: envs/dev/agents.yaml, key: worker.image }
          - { file: envs/dev/agents.yaml, key: migrations.image, image: ameide/agents-migrations }
  prod:
    immutable: true
    services:
      agents: { file: envs/prod/agents.yaml }
`;

function setup(config: string) {
  const calls: string[] = [];
  const promoted: PromotionRequest[] = [];
  const resolution = (digest: string): Resolution => ({ reference: { registry: 'pull.example:5000', repository: 'ameide/agents' }, digest, mediaType: 'application/vnd.oci.image.index.v1+json', kind: 'index', platforms: [], requests: 1 });
  const registry: RegistryClient = {
    resolve: async () => {
      calls.push('resolve');
      return resolution(D2);
    },
    verify: async (_ref, digest) => {
      calls.push(`verify ${digest}`);
      return resolution(digest);
    },
  };
  const deps: PipelineDeps = {
    logger: memoryLogger(),
    build: async () => {
      calls.push('build');
      throw new Error('no build here');
    },
    registry: () => registry,
    readFile: async (path) => (path.endsWith('digestpin.yaml') ? config : Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))),
    gitops: async () => ({
      async promote(request) {
        promoted.push(request);
        const changedFiles = request.edits.map((e) => ({ path: e.path, before: VALUES, after: e.apply(VALUES).text }));
        return { operation: 'committed', commitSha: 'abc', changedFiles, calls: 1 };
      },
    }),
  };
  return { deps, calls, promoted };
}

const request = (over: Record<string, string>) =>
  readInputs({
    'INPUT_GITOPS-REPOSITORY': 'ameide/gitops',
    INPUT_ENVIRONMENT: 'dev',
    INPUT_CONFIG: 'digestpin.yaml',
    INPUT_MODE: 'direct',
    GITHUB_WORKSPACE: '/ws',
    RUNNER_TEMP: '/tmp/rt',
    ...over,
  });

describe('the pipeline with a config', () => {
  it('pins every target of the service in one promotion', async () => {
    const { deps, promoted } = setup(CONFIG);
    const result = await runPipeline(request({ 'INPUT_IMAGE-REF': `pull.example:5000/ameide/agents:v2@${D2}` }), deps);
    expect(promoted).toHaveLength(1);
    const after = promoted[0]!.edits.reduce((text, e) => e.apply(text).text, VALUES);
    expect(after.match(new RegExp(D2, 'g'))).toHaveLength(2);
    expect(result.digest).toBe(D2);
  });

  it('pins a target that names another image only when that image is promoted', async () => {
    const { deps, promoted } = setup(CONFIG);
    await runPipeline(request({ INPUT_SERVICE: 'agents', 'INPUT_IMAGE-REF': `pull.example:5000/ameide/agents-migrations:v2@${D2}` }), deps);
    const after = promoted[0]!.edits.reduce((text, e) => e.apply(text).text, VALUES);
    expect(after).toBe(VALUES.replace('agents-migrations\n    tag: old\n', `agents-migrations\n    tag: v2\n    digest: ${D2}\n`));
  });

  it('fails on a misspelt key before anything is built or pushed', async () => {
    const { deps, calls, promoted } = setup(CONFIG.replace('key: worker.image', 'kee: worker.image'));
    await expect(runPipeline(request({ INPUT_IMAGE: 'ameide/agents', INPUT_REGISTRY: 'pull.example:5000', 'INPUT_IMAGE-TAG': 'v2' }), deps)).rejects.toThrow(
      "digestpin.yaml:7: unknown key 'kee' in environments.dev.services.agents.targets.1; did you mean 'key'?",
    );
    expect(calls).toEqual([]);
    expect(promoted).toEqual([]);
  });

  it.each([
    ['a rollback by digest without a tag', { INPUT_IMAGE: 'ameide/agents', 'INPUT_PULL-REGISTRY': 'pull.example:5000', INPUT_DIGEST: D2 }, /no tag is known for this digest/],
    ['tag-policy keep', { 'INPUT_IMAGE-REF': `pull.example:5000/ameide/agents:v2@${D2}`, 'INPUT_TAG-POLICY': 'keep' }, /tag-policy keep could leave a tag/],
  ])('refuses %s in an immutable environment, before any registry or GitOps call', async (_name, over, message) => {
    const { deps, calls, promoted } = setup(CONFIG);
    await expect(runPipeline(request({ INPUT_ENVIRONMENT: 'prod', ...over }), deps)).rejects.toThrow(message);
    expect(calls).toEqual([]);
    expect(promoted).toEqual([]);
  });

  it("verifies and pins at the environment's pull-registry when the pull-registry input is not given", async () => {
    const { deps, promoted } = setup(CONFIG.replace('  prod:\n    immutable: true\n', '  prod:\n    immutable: true\n    pull-registry: prod.example:5000\n'));
    const verified: string[] = [];
    const answer = (ref: ImageReference, digest: string): Resolution => ({ reference: ref, digest, mediaType: 'application/vnd.oci.image.index.v1+json', kind: 'index', platforms: [], requests: 1 });
    deps.registry = () => ({
      // The tag v2 names D2 wherever it is asked (the tag choice checks it before writing it beside the digest).
      resolve: async (ref) => answer(ref as ImageReference, D2),
      verify: async (ref, digest) => {
        const r = ref as ImageReference;
        verified.push(`${r.registry}/${r.repository}@${digest}`);
        return answer(r, digest);
      },
    });
    const result = await runPipeline(request({ INPUT_ENVIRONMENT: 'prod', 'INPUT_IMAGE-REF': `push.example:5000/ameide/agents:v2@${D2}`, 'INPUT_SET-REPOSITORY': 'true' }), deps);
    expect(verified).toEqual([`prod.example:5000/ameide/agents@${D2}`]);
    expect(result.pinnedRef).toBe(`prod.example:5000/ameide/agents@${D2}`);
    expect(promoted).toHaveLength(1);
    expect(promoted[0]!.edits[0]!.apply(VALUES).text).toContain(`image:\n  repository: prod.example:5000/ameide/agents\n  tag: v2\n  digest: ${D2}\n`);
  });

  it('lets the same rollback through with its tag, or with tag-policy remove', async () => {
    for (const over of [{ 'INPUT_IMAGE-TAG': 'v2' }, { 'INPUT_TAG-POLICY': 'remove' }] as Record<string, string>[]) {
      const { deps, promoted } = setup(CONFIG);
      await runPipeline(request({ INPUT_ENVIRONMENT: 'prod', INPUT_IMAGE: 'ameide/agents', 'INPUT_PULL-REGISTRY': 'pull.example:5000', INPUT_DIGEST: D2, ...over }), deps);
      expect(promoted).toHaveLength(1);
    }
  });
});
