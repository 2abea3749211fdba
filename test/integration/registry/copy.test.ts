// copyImage on real docker-registry instances: a buildx multi-platform image with provenance is copied by digest
// to a second registry (htpasswd), read back by skopeo and imagetools; a rerun uploads nothing; within one
// registry blobs are mounted across repositories; refusals name both registries and never the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../../src/runtime/exec.js';
import { copyImage } from '../../../src/registry/copy.js';
import { RegistryError } from '../../../src/runtime/errors.js';
import { dockerLogin, pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';

const USER = 'copy-bot';
const PASSWORD = 'Copy-Secret-9f3a';
const stamp = `${process.pid}-${Date.now()}`;

/** What skopeo sees at a reference: the raw manifest bytes' digest and the platforms of the index. */
async function skopeoRaw(ref: string, creds?: string): Promise<{ digest: string; platforms: string[]; entries: number }> {
  const args = ['inspect', '--raw', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), `docker://${ref}`];
  const { stdout } = await exec('skopeo', args, { quiet: true, timeoutMs: 60_000 });
  const { createHash } = await import('node:crypto');
  const index = JSON.parse(stdout) as { manifests: Array<{ platform?: { os: string; architecture: string } }> };
  return {
    digest: `sha256:${createHash('sha256').update(stdout).digest('hex')}`,
    platforms: index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`),
    entries: index.manifests.length,
  };
}

/** The registry writes its access log a moment after it answers. */
const settle = () => new Promise((r) => setTimeout(r, 500));

function writes(registry: RegistryServer, since: number): string[] {
  return registry.accessLog().slice(since).filter((l) => /"(PUT|POST|PATCH) /.test(l));
}

describe('copyImage between two registries', () => {
  let source: RegistryServer;
  let target: RegistryServer;
  let image: PushedImage;
  const credentials = () => ({ [target.host]: { username: USER, password: PASSWORD } });

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry({ kind: 'htpasswd', username: USER, password: PASSWORD })]);
    image = await pushImage(`${source.host}/team/agents:1.0.0`, {
      platforms: ['linux/amd64', 'linux/arm64'],
      provenance: true,
      content: `copy ${stamp}`,
    });
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
  });

  it('copies the index, platform and attestation manifests and blobs; the target serves the same digest', async () => {
    const result = await copyImage(
      { credentials: credentials(), dockerConfigPath: false },
      { registry: source.host, repository: 'team/agents', digest: image.digest },
      { registry: target.host, repository: 'mirror/agents', tag: '1.0.0' },
    );
    expect(result.digest).toBe(image.digest);
    // 2 platform manifests + 2 attestation manifests + the index.
    expect(result.manifestsPushed).toBe(5);
    expect(result.blobsCopied).toBeGreaterThanOrEqual(4);
    expect(result.blobsMounted).toBe(0);

    const before = await skopeoRaw(`${source.host}/team/agents@${image.digest}`);
    const after = await skopeoRaw(`${target.host}/mirror/agents@${image.digest}`, `${USER}:${PASSWORD}`);
    expect(after).toEqual(before);
    expect(after.digest).toBe(image.digest);
    expect(after.platforms).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64', 'unknown/unknown']));
    // The tag was pointed at the digest too.
    const tagged = await skopeoRaw(`${target.host}/mirror/agents:1.0.0`, `${USER}:${PASSWORD}`);
    expect(tagged.digest).toBe(image.digest);

    // imagetools (logged in to the target only) reads the same index and every platform's provenance there.
    const env = { DOCKER_CONFIG: await dockerLogin(target.host, USER, PASSWORD) };
    const inspect = (format: string) =>
      exec('docker', ['buildx', 'imagetools', 'inspect', '--format', format, `${target.host}/mirror/agents@${image.digest}`], { env, quiet: true, timeoutMs: 60_000 });
    expect((await inspect('{{json .Manifest}}')).stdout).toContain(image.digest);
    const provenance = JSON.parse((await inspect('{{json .Provenance}}')).stdout) as Record<string, unknown>;
    expect(Object.keys(provenance).sort()).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('a second copy uploads nothing', async () => {
    await settle();
    const mark = target.accessLog().length;
    const result = await copyImage(
      { credentials: credentials(), dockerConfigPath: false },
      { registry: source.host, repository: 'team/agents', digest: image.digest },
      { registry: target.host, repository: 'mirror/agents' },
    );
    expect(result).toMatchObject({ digest: image.digest, blobsCopied: 0, blobsMounted: 0, manifestsPushed: 0 });
    expect(result.requests).toBeLessThanOrEqual(4);
    await settle();
    expect(target.accessLog().length).toBeGreaterThan(mark);
    expect(writes(target, mark)).toEqual([]);
  });

  it('a second repository at the target gets its own blobs (blobs of another registry cannot be mounted)', async () => {
    const result = await copyImage(
      { credentials: credentials(), dockerConfigPath: false },
      { registry: source.host, repository: 'team/agents', digest: image.digest },
      { registry: target.host, repository: 'other/agents' },
    );
    // Blobs live per repository: across registries nothing can be mounted, so all are uploaded again.
    expect(result.blobsMounted).toBe(0);
    expect(result.blobsCopied).toBeGreaterThanOrEqual(4);
    expect((await target.manifest('other/agents', image.digest)).bodyDigest).toBe(image.digest);
  });

  it('within one registry, blobs are mounted from the source repository, not uploaded', async () => {
    await settle();
    const mark = source.accessLog().length;
    const result = await copyImage(
      { dockerConfigPath: false },
      { registry: source.host, repository: 'team/agents', digest: image.digest },
      { registry: source.host, repository: 'staging/agents' },
    );
    expect(result.blobsCopied).toBe(0);
    expect(result.blobsMounted).toBeGreaterThanOrEqual(4);
    expect(result.manifestsPushed).toBe(5);
    await settle();
    const log = source.accessLog().slice(mark);
    expect(log.filter((l) => /"POST \/v2\/staging\/agents\/blobs\/uploads\/\?mount=sha256%3A[0-9a-f]{64}&from=team%2Fagents HTTP\/1.1" 201/.test(l)).length).toBe(result.blobsMounted);
    expect(log.filter((l) => /"PUT \/v2\/staging\/agents\/blobs\/uploads/.test(l))).toEqual([]);
    expect((await source.manifest('staging/agents', image.digest)).bodyDigest).toBe(image.digest);
  });

  it('wrong credentials at the target: one line naming both registries, without the password', async () => {
    const error = await copyImage(
      { credentials: { [target.host]: { username: USER, password: 'not-the-password' } }, dockerConfigPath: false },
      { registry: source.host, repository: 'team/agents', digest: image.digest },
      { registry: target.host, repository: 'denied/agents' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    const message = (error as Error).message;
    expect(message).toContain(source.host);
    expect(message).toContain(target.host);
    expect(message).toMatch(/HTTP 401/);
    expect(message).not.toContain('not-the-password');
    expect(message).not.toContain('\n');
    expect((await target.manifest('denied/agents', image.digest)).status).toBe(404);
  });

  it('no credentials for the target: says none were found', async () => {
    const error = await copyImage(
      { dockerConfigPath: false },
      { registry: source.host, repository: 'team/agents', digest: image.digest },
      { registry: target.host, repository: 'anon/agents' },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no credentials were found/);
  });

  it('a digest the source does not have: names both registries and the digest, and writes no manifest', async () => {
    const missing = `sha256:${'0'.repeat(64)}`;
    await settle();
    const mark = target.accessLog().length;
    const error = await copyImage(
      { credentials: credentials(), dockerConfigPath: false },
      { registry: source.host, repository: 'team/agents', digest: missing },
      { registry: target.host, repository: 'mirror/agents' },
    ).catch((e: unknown) => e);
    expect((error as RegistryError).status).toBe(404);
    expect((error as Error).message).toContain(`copy ${source.host}/team/agents@${missing} -> ${target.host}/mirror/agents`);
    expect((error as Error).message).toContain('does not serve manifest');
    await settle();
    expect(writes(target, mark)).toEqual([]);
  });
});
