// End to end through the bundled action, on the plain-git backend: a real buildx build pushed to a real
// registry, verified under the cluster-side name (an alias), pinned by a direct commit to a real bare repo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { startRegistry, type RegistryServer } from '../support/registry-server.js';
import { cleanup, runActionBundle, NODE24, ROOT, type ActionRun } from '../support/action-runner.js';
import { createBareRepo, type BareRepo } from '../support/git-fixtures.js';

const VALUES = `# example-service in dev
replicaCount: 1

image:
  repository: k3d-dev-reg:5000/demo/example-service   # cluster-side registry
  tag: "bootstrap"
  digest: ""
  pullPolicy: IfNotPresent
`;
const CONFIG = 'examples/gitops/digestpin.yaml';

let registry: RegistryServer;
let other: RegistryServer;
let repo: BareRepo;
let first: ActionRun;

function baseInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'gitops-repository': repo.path,
    environment: 'dev',
    service: 'example-service',
    'values-file': 'environments/dev/example-service/values.yaml',
    key: 'image',
    mode: 'direct',
    'pull-registry': 'k3d-dev-reg:5000',
    'registry-aliases': `k3d-dev-reg:5000=${registry.host}`,
    ...extra,
  };
}

beforeAll(async () => {
  [registry, other] = await Promise.all([startRegistry(), startRegistry()]);
  repo = await createBareRepo({ 'environments/dev/example-service/values.yaml': VALUES, 'README.md': '# gitops\n' });
  first = await runActionBundle({
    ...baseInputs(),
    context: 'examples/service',
    platforms: 'linux/amd64,linux/arm64',
    provenance: 'mode=max',
    image: 'demo/example-service',
    registry: registry.host,
    'image-tag': 'e2e-1',
  });
});

afterAll(async () => {
  cleanup(first);
  await Promise.all([registry?.stop(), other?.stop()]);
  await repo?.cleanup();
});

describe('the action on the plain-git backend', () => {
  it('runs on Node 24', async () => {
    expect((await execa(NODE24, ['--version'])).stdout).toMatch(/^v24\./);
  });

  it('builds, pushes, verifies at the pull side and pins dev in one direct commit', async () => {
    expect(first.errors, first.stdout).toEqual([]);
    expect(first.exitCode).toBe(0);
    const registryDigest = (await registry.manifest('demo/example-service', 'e2e-1')).digest;
    expect(first.outputs.digest).toBe(registryDigest);
    expect(first.outputs['pinned-ref']).toBe(`k3d-dev-reg:5000/demo/example-service@${registryDigest}`);
    expect(first.outputs['image-ref']).toBe(`${registry.host}/demo/example-service@${registryDigest}`);
    expect(first.outputs.operation).toBe('committed');
    expect(first.outputs['changed-files']).toBe('["environments/dev/example-service/values.yaml"]');
    expect(first.outputs['commit-sha']).toBe(await repo.head());
    expect(first.outputs['pull-request-number']).toBe('');
  });

  it('changes exactly the tag and digest lines', async () => {
    const after = await repo.readFile('environments/dev/example-service/values.yaml');
    const expected = VALUES.replace('tag: "bootstrap"', 'tag: "e2e-1"').replace('digest: ""', `digest: "${first.outputs.digest}"`);
    expect(after).toBe(expected);
    expect(Number(await repo.git(['rev-list', '--count', 'main']))).toBe(2);
  });

  it('logs by phase with service lines and writes the job summary', () => {
    expect(first.stdout).toMatch(/::group::Build/);
    expect(first.stdout).toMatch(/::group::Registry/);
    expect(first.stdout).toMatch(/::group::GitOps/);
    expect(first.stdout).toContain('[example-service] ✅');
    const short = `sha256:${first.outputs.digest!.slice(7, 14)}`;
    expect(first.summary).toContain(`| example-service | dev | \`(none)\` → \`${short}\` | \`e2e-1\` | — | committed |`);
    expect(first.summary).toContain(`- \`k3d-dev-reg:5000/demo/example-service@${first.outputs.digest}\``);
    expect(first.summary).toContain('- Platforms: linux/amd64, linux/arm64');
    expect(first.summary).toContain('- Verified at: `k3d-dev-reg:5000`');
    expect(first.summary).toContain('- Source: [ameide/example-service@c0ffee0](https://github.com/ameide/example-service/commit/c0ffee0123456789abcdef0123456789abcdef01)');
    expect(first.summary).toContain('- Workflow run: [4242](https://github.com/ameide/example-service/actions/runs/4242)');
  });

  it('writes nothing into the workspace', async () => {
    const { stdout } = await execa('git', ['status', '--porcelain', '--', 'examples'], { cwd: ROOT });
    expect(stdout).toBe('');
  });

  it('is idempotent: the same image again makes no second commit', async () => {
    const again = await runActionBundle(baseInputs({ 'image-ref': `${registry.host}/demo/example-service@${first.outputs.digest}`, 'tag-policy': 'keep' }));
    try {
      expect(again.errors, again.stdout).toEqual([]);
      expect(again.outputs.operation).toBe('unchanged');
      expect(again.outputs.digest).toBe(first.outputs.digest);
      expect(Number(await repo.git(['rev-list', '--count', 'main']))).toBe(2);
    } finally {
      cleanup(again);
    }
  });
});

describe('bad input ends with one ::error:: line and no commit', () => {
  // [case, inputs, the ::error:: line, the phase whose ❌ line shows (none: it failed before any phase)]
  const cases: Array<[string, () => Record<string, string>, RegExp, string | undefined]> = [
    ['a missing required input', () => ({ ...baseInputs(), environment: '' }), /^::error title=digestpin::input 'environment': is required/, undefined],
    [
      'an unknown environment, before anything is built',
      () => ({ ...baseInputs({ 'values-file': '', key: '', config: CONFIG, environment: 'qa', context: 'examples/service', image: 'demo/example-service', registry: registry.host, 'image-tag': 'never-built' }) }),
      /examples\/gitops\/digestpin.yaml: environment 'qa' is not defined/,
      undefined,
    ],
    ['a malformed image-ref', () => baseInputs({ 'image-ref': 'Demo/Example:latest' }), /image-ref.*Demo\/Example:latest/, undefined],
    ['a build failure', () => baseInputs({ context: 'test/fixtures/e2e/broken-build', image: 'demo/example-service', registry: registry.host, 'image-tag': 'x' }), /buildx build failed.*BOGUS/i, 'Build'],
    [
      'a digest missing at the pull side',
      () => baseInputs({ 'image-ref': `${registry.host}/demo/example-service:e2e-1`, 'registry-aliases': `k3d-dev-reg:5000=${other.host}` }),
      /does not serve sha256:[0-9a-f]{64}; they are two registries.*nothing was written/,
      'Registry',
    ],
    ['a tag that was never pushed', () => baseInputs({ 'image-ref': `${registry.host}/demo/example-service:never-pushed` }), /never-pushed/, 'Registry'],
  ];

  it.each(cases)('%s', async (_name, inputs, message, failedPhase) => {
    const before = await repo.head();
    const run = await runActionBundle(inputs());
    try {
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(message);
      // Which phase failed, in the seed's per-service format.
      const marks = run.stdout.split('\n').filter((l) => l.includes('❌'));
      expect(marks).toEqual(failedPhase ? [`[example-service] ❌ ${failedPhase} failed`] : []);
      if (!failedPhase) expect(run.stdout).not.toContain('::group::');
      expect(await repo.head()).toBe(before);
      expect(await repo.branches()).toEqual(['main']);
    } finally {
      cleanup(run);
    }
  });
});

describe('secrets', () => {
  it('keeps the registry password out of every output, log, summary and commit', async () => {
    const password = 'pw-e2e-Very-Secret-9f3a';
    const secure = await startRegistry({ kind: 'htpasswd', username: 'ci', password });
    const run = await runActionBundle({
      ...baseInputs(),
      'registry-aliases': `k3d-dev-reg:5000=${secure.host}`,
      context: 'examples/service',
      image: 'demo/example-service',
      registry: secure.host,
      'image-tag': 'secret-1',
      'registry-username': 'ci',
      'registry-password': password,
    });
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.outputs.operation).toBe('committed');
      // ::add-mask:: is how the runner learns what to mask; it consumes those lines and never shows them.
      expect(run.stdout).toContain(`::add-mask::${password}`);
      expect(run.stdout).toContain(`::add-mask::${Buffer.from(`ci:${password}`).toString('base64')}`);
      const shown = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
      const everything = [shown, run.stderr, JSON.stringify(run.outputs), run.summary, await repo.git(['log', '--all', '--format=%H%n%an <%ae>%n%B']), await repo.readFile('environments/dev/example-service/values.yaml')].join('\n');
      expect(everything).not.toContain(password);
      expect(everything).not.toContain(Buffer.from(`ci:${password}`).toString('base64'));
    } finally {
      cleanup(run);
      await secure.stop();
    }
  });
});
