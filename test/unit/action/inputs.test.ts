import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { InputError } from '../../../src/runtime/errors.js';
import { redact } from '../../../src/runtime/secrets.js';

const base = {
  'INPUT_GITOPS-REPOSITORY': 'ameide/gitops',
  INPUT_ENVIRONMENT: 'dev',
  INPUT_IMAGE: 'ameide/agents',
  INPUT_REGISTRY: 'ghcr.io',
  'INPUT_VALUES-FILE': 'envs/dev/agents.yaml',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_WORKSPACE: '/work/ws',
  RUNNER_TEMP: '/tmp/rt',
};

function inputs(over: Record<string, string | undefined>) {
  return readInputs({ ...base, ...over });
}

describe('readInputs', () => {
  it('builds a frozen request with the defaults a user expects', () => {
    const r = inputs({});
    expect(Object.isFrozen(r)).toBe(true);
    expect(r.image).toMatchObject({ kind: 'build', name: 'ameide/agents', tag: 'sha-0123456' });
    expect(r.service).toBe('agents');
    expect(r.pins).toEqual([{ environment: 'dev', service: 'agents', file: 'envs/dev/agents.yaml', target: { kind: 'helm', path: 'image' } }]);
    expect(r.gitops).toMatchObject({ repository: 'ameide/gitops', baseBranch: 'main', mode: undefined, dryRun: false, branchTemplate: 'digestpin/{environment}/{service}' });
    expect(r.run.tempDir).toBe('/tmp/rt');
    expect(r.tagPolicy).toBe('set');
  });

  it('reads lists, booleans and the build inputs', () => {
    const r = inputs({
      INPUT_PLATFORMS: 'linux/amd64, linux/arm64',
      'INPUT_BUILD-ARGS': 'A=1\nB=two words',
      'INPUT_PR-LABELS': 'promotion,dev',
      INPUT_REVIEWERS: 'alice, ameide/platform',
      INPUT_DRAFT: 'true',
      'INPUT_AUTO-MERGE': 'squash',
      INPUT_MODE: 'direct',
      'INPUT_REGISTRY-ALIASES': 'k3d-dev-reg:5000=localhost:5000',
    });
    expect(r.image.kind === 'build' && r.image.build).toMatchObject({ platforms: ['linux/amd64', 'linux/arm64'], buildArgs: ['A=1', 'B=two words'], push: true });
    expect(r.gitops.pullRequest).toMatchObject({ labels: ['promotion', 'dev'], reviewers: ['alice'], teamReviewers: ['platform'], draft: true, autoMerge: 'squash' });
    expect(r.gitops.mode).toBe('direct');
    expect(r.registry.aliases).toEqual({ 'k3d-dev-reg:5000': 'localhost:5000' });
  });

  it('takes image-ref instead of a build, and the service from it', () => {
    const r = inputs({ INPUT_IMAGE: undefined, INPUT_REGISTRY: undefined, 'INPUT_IMAGE-REF': 'ghcr.io/ameide/web:1.2' });
    expect(r.image).toEqual({ kind: 'image-ref', ref: 'ghcr.io/ameide/web:1.2' });
    expect(r.service).toBe('web');
  });

  it('takes the service from an image-ref on a host with a port', () => {
    const ref = `localhost:5000/ameide/agents@sha256:${'b'.repeat(64)}`;
    expect(inputs({ INPUT_IMAGE: undefined, INPUT_REGISTRY: undefined, 'INPUT_IMAGE-REF': ref }).service).toBe('agents');
  });

  it('takes a digest for promotions and rollbacks', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(inputs({ INPUT_DIGEST: d }).image).toEqual({ kind: 'digest', name: 'ameide/agents', digest: d, tag: undefined });
  });

  it('uses kustomize-image as the target', () => {
    expect(inputs({ 'INPUT_KUSTOMIZE-IMAGE': 'agents' }).pins?.[0]?.target).toEqual({ kind: 'kustomize', name: 'agents' });
  });

  it.each([
    [{ 'INPUT_GITOPS-REPOSITORY': '' }, 'gitops-repository', /is required/],
    [{ INPUT_ENVIRONMENT: '' }, 'environment', /is required/],
    [{ INPUT_ENVIRONMENT: 'dev env' }, 'environment', /letters, digits/],
    [{ INPUT_IMAGE: 'Ameide/Agents' }, 'image', /registry-neutral/],
    [{ INPUT_IMAGE: undefined }, 'image', /required unless image-ref/],
    [{ 'INPUT_IMAGE-REF': 'x:1' }, 'image-ref', /either image-ref, or image/],
    [{ INPUT_DIGEST: 'sha256:abc' }, 'digest', /64 lowercase hex/],
    [{ INPUT_REGISTRY: 'ghcr.io/x' }, 'registry', /host\[:port\]/],
    [{ INPUT_REGISTRY: undefined }, 'registry', /is required with image/],
    [{ INPUT_PLATFORMS: 'amd64' }, 'platforms', /os\/arch/],
    [{ 'INPUT_BUILD-ARGS': 'NOVALUE' }, 'build-args', /KEY=VALUE/],
    [{ INPUT_DRAFT: 'maybe' }, 'draft', /not a boolean/],
    [{ INPUT_MODE: 'yolo' }, 'mode', /not one of pull-request, direct/],
    [{ 'INPUT_TAG-POLICY': 'drop' }, 'tag-policy', /not one of set, keep, remove/],
    [{ 'INPUT_AUTO-MERGE': 'fast' }, 'auto-merge', /merge, squash or rebase/],
    [{ 'INPUT_VALUES-FILE': '../escape.yaml' }, 'values-file', /inside the GitOps repository/],
    [{ 'INPUT_VALUES-FILE': '/abs.yaml' }, 'values-file', /inside the GitOps repository/],
    [{ 'INPUT_VALUES-FILE': undefined }, 'values-file', /values-file .* or config/],
    [{ INPUT_CONFIG: '../../etc/digestpin.yaml', 'INPUT_VALUES-FILE': undefined }, 'config', /inside the workspace/],
    [{ INPUT_CONFIG: 'digestpin.yaml' }, 'values-file', /give values-file or config, not both/],
    [{ INPUT_CONFIG: 'digestpin.yaml', 'INPUT_VALUES-FILE': undefined, 'INPUT_FROM-ENVIRONMENT': 'dev', INPUT_ENVIRONMENT: 'prod', INPUT_IMAGE: undefined, INPUT_SERVICE: 'agents', 'INPUT_KUSTOMIZE-IMAGE': 'a' }, 'values-file', /is required with kustomize-image/],
    [{ 'INPUT_REGISTRY-ALIASES': 'k3d-dev-reg:5000' }, 'registry-aliases', /CLUSTER_HOST=RUNNER_ADDRESS/],
    [{ 'INPUT_REGISTRY-USERNAME': 'bob' }, 'registry-password', /go together/],
    [{ 'INPUT_IMAGE-TAG': '-bad' }, 'image-tag', /not a valid tag/],
    [{ GITHUB_SHA: undefined }, 'image-tag', /required when GITHUB_SHA/],
    [{ INPUT_PLATFORM: 'arm64' }, 'platform', /os\/arch/],
  ])('rejects %o naming the input %s', (over, input, message) => {
    let error: unknown;
    try {
      inputs(over as Record<string, string | undefined>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).context.input).toBe(input);
    expect((error as Error).message).toMatch(new RegExp(`^input '${input}': `));
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('registers the token and registry password as secrets', () => {
    inputs({ 'INPUT_GITOPS-TOKEN': 'ghp_supersecrettoken123', 'INPUT_REGISTRY-USERNAME': 'bot', 'INPUT_REGISTRY-PASSWORD': 'hunter2hunter2' });
    expect(redact('token ghp_supersecrettoken123 pw hunter2hunter2')).toBe('token *** pw ***');
    expect(redact(Buffer.from('hunter2hunter2').toString('base64'))).toBe('***');
  });
});
