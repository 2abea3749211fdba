// End to end through the bundled action, on a real registry and a real bare GitOps repository: the first-use
// promises of issue 9. A dry run writes nothing anywhere, push: false passes, the target is checked before the
// build, and a rollback by digest leaves a tag that names that digest (or none).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../support/registry-server.js';
import { cleanup, runActionBundle } from '../support/action-runner.js';
import { createBareRepo, type BareRepo } from '../support/git-fixtures.js';

const FILE = 'environments/dev/example-service/values.yaml';
const values = (repository: string, tag: string, digest: string) =>
  `# example-service in dev\nimage:\n  repository: ${repository}   # pulled by the cluster\n  tag: "${tag}"\n  digest: "${digest}"\n  pullPolicy: IfNotPresent\n`;

let registry: RegistryServer;
let repo: BareRepo;
let v1: PushedImage;
let v2: PushedImage;
const builtTags: string[] = [];

const writes = () => registry.accessLog().filter((l) => /"(PUT|POST|PATCH|DELETE) /.test(l));
async function tags(repository: string): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/${repository}/tags/list`);
  const body = (await response.json()) as { tags?: string[] | null };
  return response.ok ? (body.tags ?? []).sort() : [];
}

function build(tag: string, extra: Record<string, string> = {}): Record<string, string> {
  builtTags.push(`${registry.host}/demo/example-service:${tag}`);
  return {
    'gitops-repository': repo.path,
    environment: 'dev',
    service: 'example-service',
    'values-file': FILE,
    key: 'image',
    mode: 'pull-request',
    context: 'examples/service',
    image: 'demo/example-service',
    registry: registry.host,
    'image-tag': tag,
    ...extra,
  };
}

beforeAll(async () => {
  registry = await startRegistry();
  [v1, v2] = await Promise.all([
    pushImage(`${registry.host}/demo/example-service:v1`, { content: 'v1', labels: { 'org.opencontainers.image.version': 'v1' } }),
    pushImage(`${registry.host}/demo/example-service:v2`, { content: 'v2' }),
  ]);
  repo = await createBareRepo({ [FILE]: values(`${registry.host}/demo/example-service`, 'v2', v2.digest), 'README.md': '# gitops\n' });
});

afterAll(async () => {
  await registry?.stop();
  await repo?.cleanup();
  // The builds that were not pushed went to the local image store; leave the shared daemon as it was.
  if (builtTags.length) await execa('docker', ['image', 'rm', '--force', ...builtTags], { reject: false });
});

describe('a dry run writes nothing anywhere', () => {
  it('builds without pushing, and shows the pin as known after the push when the tag is new', async () => {
    const [head, before, log] = [await repo.head(), await tags('demo/example-service'), writes().length];
    const run = await runActionBundle(build('dry-new', { 'dry-run': 'true' }));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(writes().length).toBe(log);
      expect(await tags('demo/example-service')).toEqual(before);
      expect(await repo.head()).toBe(head);
      expect(await repo.branches()).toEqual(['main']);
      expect(run.outputs.operation).toBe('none');
      expect(run.outputs.digest).toBe('');
      expect(run.stdout).toContain('+  digest: "(known after the push)"');
      expect(run.summary).toContain('**Dry run:** nothing was pushed, committed or opened');
      expect(run.summary).toContain('is not at the registry yet, so the digest is known after the push');
      expect(run.summary).toContain(['```diff', `--- ${FILE}`, '-  tag: "v2"', `-  digest: "${v2.digest}"`, '+  tag: "dry-new"', '+  digest: "(known after the push)"', '```'].join('\n'));
    } finally {
      cleanup(run);
    }
  });

  it("shows the pin of the tag's current digest when the tag is already at the registry", async () => {
    const [head, log] = [await repo.head(), writes().length];
    const run = await runActionBundle(build('v1', { 'dry-run': 'true' }));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(writes().length).toBe(log);
      expect((await registry.manifest('demo/example-service', 'v1')).digest).toBe(v1.digest);
      expect(await repo.head()).toBe(head);
      expect(await repo.branches()).toEqual(['main']);
      expect(run.outputs).toMatchObject({ operation: 'none', digest: v1.digest, 'commit-sha': '' });
      expect(run.stdout).toContain(`+  digest: "${v1.digest}"`);
      expect(run.summary).toContain(`\`sha256:${v2.digest.slice(7, 14)}\` → \`sha256:${v1.digest.slice(7, 14)}\``);
    } finally {
      cleanup(run);
    }
  });
});

describe('push: false', () => {
  it('builds, pins nothing, sets the outputs it knows and exits 0', async () => {
    const [head, before] = [await repo.head(), await tags('demo/example-service')];
    const run = await runActionBundle(build('no-push', { push: 'false' }));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(await tags('demo/example-service')).toEqual(before);
      expect(await repo.head()).toBe(head);
      expect(run.outputs).toMatchObject({ operation: 'none', 'pinned-ref': '', 'changed-files': '[]' });
      expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(run.summary).toContain('push is false: the image was built');
    } finally {
      cleanup(run);
    }
  });
});

describe('pre-flight', () => {
  it('fails on a target file that is not in the GitOps repository before anything is built or pushed', async () => {
    const [before, log] = [await tags('demo/example-service'), writes().length];
    const run = await runActionBundle(build('never', { 'values-file': 'svc/Dockerfile' }));
    try {
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(/svc\/Dockerfile.*does not exist in the GitOps repository/);
      expect(run.stdout).not.toContain('::group::Build');
      expect(run.stdout).toContain('[example-service] ❌ Pre-flight failed');
      expect(writes().length).toBe(log);
      expect(await tags('demo/example-service')).toEqual(before);
    } finally {
      cleanup(run);
    }
  });
});

describe('a rollback by digest', () => {
  const rollback = (digest: string) => ({
    'gitops-repository': repo.path,
    environment: 'dev',
    service: 'example-service',
    'values-file': FILE,
    mode: 'direct',
    'image-ref': `${registry.host}/demo/example-service@${digest}`,
  });

  it('sets a tag that resolves to that digest at the registry, and says which', async () => {
    const run = await runActionBundle(rollback(v1.digest));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.outputs.operation).toBe('committed');
      const text = await repo.readFile(FILE);
      expect(text).toBe(values(`${registry.host}/demo/example-service`, 'v1', v1.digest));
      expect((await registry.manifest('demo/example-service', 'v1')).digest).toBe(v1.digest);
      expect(run.summary).toContain("- Tag: `v1` (from the image's version label; it points at");
    } finally {
      cleanup(run);
    }
  });

  it('removes the tag when no tag names the digest, so the file never names two images', async () => {
    const other = await pushImage(`${registry.host}/demo/example-service:scratch`, { content: 'untagged later' });
    await pushImage(`${registry.host}/demo/example-service:scratch`, { content: 'moved on' });
    const run = await runActionBundle(rollback(other.digest));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      const text = await repo.readFile(FILE);
      expect(text).not.toMatch(/tag:/);
      expect(text).toContain(`digest: "${other.digest}"`);
      expect(run.summary).toMatch(/- Tag: removed: no tag is known to point at sha256:[0-9a-f]{7} \(the file's `v1` points at sha256:[0-9a-f]{7}\)/);
    } finally {
      cleanup(run);
    }
  });
});
