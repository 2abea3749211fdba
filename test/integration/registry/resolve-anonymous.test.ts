// Real registries (docker-registry on loopback) and real buildx pushes: the digest digestpin resolves equals
// buildx's containerimage.digest and the registry's Docker-Content-Digest; push side vs pull side; CLI errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { exec } from '../../../src/runtime/exec.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { checkPushPullAgreement, createRegistryClient, MANIFEST_ACCEPT } from '../../../src/registry/index.js';
import { copyImage, freePort, pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';

let a: RegistryServer;
let b: RegistryServer;
let single: PushedImage;
let multi: PushedImage;
const stamp = `${process.pid}-${Date.now()}`;

beforeAll(async () => {
  [a, b] = await Promise.all([startRegistry(), startRegistry()]);
  single = await pushImage(`${a.host}/ameide/agents:dev`, {
    content: `single ${stamp}`,
    labels: { 'org.opencontainers.image.revision': 'c0ffee1', 'org.opencontainers.image.source': 'https://github.com/ameide/agents' },
  });
  multi = await pushImage(`${a.host}/ameide/multi:v1`, { content: `multi ${stamp}`, platforms: ['linux/amd64', 'linux/arm64'], provenance: true });
  await copyImage(`${a.host}/ameide/multi@${multi.digest}`, `${b.host}/ameide/multi:v1`);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

async function registryDigest(url: string, repository: string, reference: string): Promise<string | null> {
  const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers: { accept: MANIFEST_ACCEPT } });
  return response.headers.get('docker-content-digest');
}

const client = () => createRegistryClient({ dockerConfigPath: false, notFoundWindowMs: 0 });

describe('resolve against a real registry', () => {
  it('single-platform push: resolved == buildx metadata == registry header, in one request', async () => {
    const r = await client().resolve(single.ref);
    expect(r.digest).toBe(single.digest);
    expect(r.digest).toBe(await registryDigest(a.url, 'ameide/agents', 'dev'));
    expect(r).toMatchObject({ kind: 'manifest', requests: 1 });
  });

  it('multi-platform push with provenance resolves to the index digest, as pushed', async () => {
    expect(multi.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const r = await client().resolve(multi.ref, { describe: true });
    expect(r.digest).toBe(multi.digest);
    expect(r.digest).toBe(await registryDigest(a.url, 'ameide/multi', 'v1'));
    expect(r.kind).toBe('index');
    expect(r.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('picks one platform the way buildx imagetools inspect sees it', async () => {
    const { stdout } = await exec('docker', ['buildx', 'imagetools', 'inspect', multi.ref, '--format', '{{json .Manifest}}']);
    const manifests = (JSON.parse(stdout) as { manifests: Array<{ digest: string; platform: { os: string; architecture: string } }> }).manifests;
    const arm = manifests.find((m) => m.platform.architecture === 'arm64')!;
    const r = await client().resolve(multi.ref, { platform: 'linux/arm64' });
    expect(r.digest).toBe(arm.digest);
  });

  it('reads the OCI labels of the image config', async () => {
    const r = await client().resolve(single.ref, { labels: true });
    expect(r.labels).toMatchObject({
      'org.opencontainers.image.revision': 'c0ffee1',
      'org.opencontainers.image.source': 'https://github.com/ameide/agents',
    });
    expect(r.platforms).toEqual(['linux/amd64']);
  });

  it('verifies a known digest with one HEAD, as the registry log shows', async () => {
    const before = a.accessLog().length;
    const r = await client().verify(`${a.host}/ameide/multi`, multi.digest);
    expect(r.requests).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = a.accessLog().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`"HEAD /v2/ameide/multi/manifests/${multi.digest} HTTP/1.1" 200`);
  });

  it('retries a 404 while a push is still running, then resolves what the push made', async () => {
    const c = createRegistryClient({ dockerConfigPath: false, notFoundWindowMs: 30_000 });
    const ref = `${a.host}/ameide/late:v1`;
    const pending = c.resolve(ref);
    const pushed = await pushImage(ref, { content: `late ${stamp}` });
    const r = await pending;
    expect(r.digest).toBe(pushed.digest);
    expect(r.requests).toBeGreaterThan(1);
  });

  it('the copy in the second registry has the same digest', async () => {
    expect((await client().resolve(`${b.host}/ameide/multi:v1`)).digest).toBe(multi.digest);
  });
});

describe('push side vs pull side', () => {
  it('agrees when the cluster-side name (an alias of B) serves the copied digest', async () => {
    const aliases = { 'k3d-dev-reg:5000': b.host };
    const c = createRegistryClient({ dockerConfigPath: false, notFoundWindowMs: 0, aliases });
    const check = await checkPushPullAgreement(multi.ref, 'k3d-dev-reg:5000/ameide/multi', multi.digest, c, aliases);
    expect(check).toMatchObject({ agree: true });
    expect(check.pull?.reference.registry).toBe(b.host);
  });

  it('says in one sentence that A has it and B does not', async () => {
    const aliases = { 'k3d-dev-reg:5000': b.host };
    const c = createRegistryClient({ dockerConfigPath: false, notFoundWindowMs: 0, aliases });
    const check = await checkPushPullAgreement(single.ref, 'k3d-dev-reg:5000/ameide/agents', single.digest, c, aliases);
    expect(check.agree).toBe(false);
    expect(check.message).toBe(
      `pushed to ${a.host}/ameide/agents but k3d-dev-reg:5000/ameide/agents (reached as ${b.host}) does not serve ${single.digest}; they are two registries; push to the one the cluster pulls from, or copy the image there`,
    );
  });
});

describe('digestpin resolve (CLI)', () => {
  async function cli(...argv: string[]) {
    const logger = memoryLogger();
    const out: string[] = [];
    const code = await runCli(['resolve', ...argv], { logger, stdout: (t) => out.push(t), env: { DOCKER_CONFIG: '/nonexistent' } });
    return { code, out, lines: logger.lines.filter((l) => !l.startsWith('debug:')) };
  }

  it('prints the digest, and with --json digest, kind, platforms and labels', async () => {
    expect(await cli(multi.ref)).toEqual({ code: 0, out: [multi.digest], lines: [] });
    const json = await cli(multi.ref, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out[0]!)).toMatchObject({
      digest: multi.digest,
      kind: 'index',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
  });

  it('--labels prints the labels after the digest', async () => {
    const result = await cli(single.ref, '--labels');
    expect(result.code).toBe(0);
    expect(result.out[0]!.split('\n')).toEqual([
      single.digest,
      'org.opencontainers.image.revision=c0ffee1',
      'org.opencontainers.image.source=https://github.com/ameide/agents',
    ]);
  });

  it('--alias reaches a cluster-side name through the runner-side address', async () => {
    expect((await cli('k3d-dev-reg:5000/ameide/multi:v1', '--alias', `k3d-dev-reg:5000=${b.host}`)).out).toEqual([multi.digest]);
  });

  it.each([
    ['a missing tag', () => `${a.host}/ameide/agents:nope`, () => `registry ${a.host} does not serve tag 'nope' of repository 'ameide/agents' (HTTP 404)`],
    ['a missing repository', () => `${a.host}/ameide/ghost:v1`, () => `repository 'ameide/ghost' does not exist on registry ${a.host} (HTTP 404)`],
    ['a digest only in A, asked of B', () => `${b.host}/ameide/agents@${single.digest}`, () => `does not exist on registry ${b.host}`],
  ])('%s: exit 1 and one line', async (_name, ref, message) => {
    const result = await cli(ref());
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toContain(`error: ${ref()}: `);
    expect(result.lines[0]).toContain(message());
  });

  it('an unreachable registry: exit 1 and one line naming it', async () => {
    const port = await freePort();
    const result = await cli(`127.0.0.1:${port}/ameide/agents:dev`);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      `error: 127.0.0.1:${port}/ameide/agents:dev: could not reach 127.0.0.1:${port} (GET http://127.0.0.1:${port}/v2/ameide/agents/manifests/dev): ECONNREFUSED after 4 attempt(s)`,
    ]);
  });

  it('a malformed reference: exit 2 and one line', async () => {
    const result = await cli(`${a.host}/Ameide/agents:dev`);
    expect(result.code).toBe(2);
    expect(result.lines).toEqual([
      `error: input 'REF': '${a.host}/Ameide/agents:dev' is not a valid image reference: repository name 'Ameide/agents' must be lowercase`,
    ]);
  });
});
