// Real buildx into a real registry: the digest runBuild returns is the one the registry serves for the tag.
// Few builds, all of examples/service (FROM scratch, no RUN), so both platforms build without QEMU.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { dockerLogin, runBuild, type BuildRequest, type BuildResult } from '../../../src/buildx/index.js';
import { ExecError, RegistryError } from '../../../src/runtime/errors.js';
import { exec } from '../../../src/runtime/exec.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { startRegistry, type RegistryServer } from '../../support/registry-server.js';

const SERVICE = resolve(import.meta.dirname, '../../../examples/service');
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const USER = { username: 'builder', password: 'pw-Zq81-never-shown' };

let registry: RegistryServer;
let authRegistry: RegistryServer;
let temp: string;
/** Tags the docker driver left in the local image store, removed in afterAll. */
const pushedNames: string[] = [];

function request(overrides: Partial<BuildRequest>): BuildRequest {
  return {
    context: SERVICE, platforms: [], buildArgs: {}, labels: [], tags: [], cacheFrom: [], cacheTo: [], push: true,
    metadataFile: join(temp, `metadata-${Math.random().toString(36).slice(2)}.json`), ...overrides,
  };
}

async function build(req: BuildRequest, env?: Record<string, string>) {
  const logger = memoryLogger();
  const result = await runBuild(req, { exec, logger, env });
  pushedNames.push(...result.imageNames);
  return { result, logger };
}

async function listing(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return Promise.all(entries.sort().map(async (e) => `${e}:${(await stat(join(dir, e))).mtimeMs}`));
}

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), 'digestpin-build-it-'));
  [registry, authRegistry] = await Promise.all([startRegistry(), startRegistry({ kind: 'htpasswd', ...USER })]);
});

afterAll(async () => {
  // The docker driver also keeps each pushed image in the local image store; don't leave test tags behind.
  if (pushedNames.length > 0) await exec('docker', ['image', 'rm', '--force', ...new Set(pushedNames)], { allowFailure: true, quiet: true });
  await Promise.all([registry?.stop(), authRegistry?.stop()]);
  if (temp) await rm(temp, { recursive: true, force: true });
});

describe('runBuild with real buildx', () => {
  let multi: BuildResult;
  let multiLines: string[];
  let serviceBefore: string[];

  beforeAll(async () => {
    serviceBefore = await listing(SERVICE);
    const { result, logger } = await build(request({
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: [`${registry.host}/examples/service:multi`, `${registry.host}/examples/service:latest`],
      buildArgs: { VERSION: '1.2.3', REVISION: 'c0ffee' },
      labels: ['org.opencontainers.image.vendor=digestpin-tests'],
      provenance: 'mode=max',
    }));
    multi = result;
    multiLines = logger.lines;
  });

  test('a linux/amd64,linux/arm64 build with provenance pushes an OCI index whose digest the registry serves for the tag', async () => {
    const served = await registry.manifest('examples/service', 'multi');
    expect(served.status).toBe(200);
    expect(multi.digest).toBe(served.digest);
    expect(served.bodyDigest).toBe(multi.digest);
    expect(multi.mediaType).toBe(OCI_INDEX);
    expect(served.mediaType).toBe(OCI_INDEX);
    expect(multi.pushed).toBe(true);
    expect(multi.imageNames).toEqual([`${registry.host}/examples/service:multi`, `${registry.host}/examples/service:latest`]);
    expect((await registry.manifest('examples/service', 'latest')).digest).toBe(multi.digest);

    const index = JSON.parse(served.body) as { manifests: Array<{ platform?: { os: string; architecture: string }; annotations?: Record<string, string> }> };
    const images = index.manifests.filter((m) => m.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest');
    const attestations = index.manifests.filter((m) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest');
    expect(images.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(attestations).toHaveLength(2);
  });

  test('build args and labels reach the image config the cluster will pull', async () => {
    const index = JSON.parse((await registry.manifest('examples/service', multi.digest)).body) as { manifests: Array<{ digest: string; platform?: { architecture: string } }> };
    const arm = index.manifests.find((m) => m.platform?.architecture === 'arm64')!;
    const manifest = JSON.parse((await registry.manifest('examples/service', arm.digest)).body) as { config: { digest: string } };
    const config = JSON.parse(await registry.blob('examples/service', manifest.config.digest)) as { architecture: string; config: { Labels: Record<string, string> } };
    expect(config.architecture).toBe('arm64');
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.revision': 'c0ffee',
      'org.opencontainers.image.vendor': 'digestpin-tests',
    });
  });

  test('the build streams its output to the logger and leaves the service directory untouched', async () => {
    expect(multiLines[0]).toMatch(/^\$ docker buildx build --platform linux\/amd64,linux\/arm64 /);
    expect(multiLines.some((line) => line.includes('pushing manifest'))).toBe(true);
    expect(await listing(SERVICE)).toEqual(serviceBefore);
  });

  test('a single-platform build without provenance pushes a plain manifest and reports its digest', async () => {
    const { result } = await build(request({ platforms: ['linux/arm64'], tags: [`${registry.host}/examples/service:single`], provenance: 'false' }));
    const served = await registry.manifest('examples/service', 'single');
    expect(result.digest).toBe(served.digest);
    expect(result.mediaType).toBe(served.mediaType);
    expect(result.mediaType).toMatch(/manifest\.v[12]\+json$/);
    expect(result.digest).not.toBe(multi.digest);
  });

  test('a bad Dockerfile instruction fails with one ExecError line and leaves no metadata', async () => {
    const context = await mkdtemp(join(temp, 'bad-'));
    await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nBOGUS instruction\n');
    const req = request({ context, tags: [`${registry.host}/examples/broken:1`] });
    const error = await runBuild(req, { exec, logger: memoryLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    const message = (error as ExecError).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^docker buildx build failed \(exit 1\): .*unknown instruction: BOGUS/i);
    await expect(readFile(req.metadataFile)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await registry.manifest('examples/broken', '1')).status).toBe(404);
  });
});

describe('dockerLogin with a registry that wants a password', () => {
  test('without the login env the push is refused: an ExecError line with the registry\'s reason', async () => {
    const req = request({ platforms: ['linux/amd64'], tags: [`${authRegistry.host}/examples/service:nologin`] });
    pushedNames.push(...req.tags); // the docker driver tags the image locally before the push fails
    const error = await runBuild(req, { exec, logger: memoryLogger(), env: { DOCKER_CONFIG: join(temp, 'empty-config') } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect((error as Error).message).toMatch(/^docker buildx build failed \(exit 1\): .*(401|unauthorized|authorization)/i);
    expect((error as Error).message).not.toContain('\n');
  });

  test('a wrong password is a RegistryError that names the registry and not the password', async () => {
    const error = await dockerLogin(authRegistry.host, { username: USER.username, password: 'wrong-pass-9931' }, {
      exec, dockerConfigDir: join(temp, 'cfg-wrong'), sourceConfigDir: join(temp, 'no-such-config'),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toContain(authRegistry.host);
    expect((error as Error).message).not.toContain('wrong-pass-9931');
  });

  test('logs in inside a private DOCKER_CONFIG, and the build pushes with it', async () => {
    const userConfig = join(temp, 'user-docker');
    const userJson = JSON.stringify({ auths: { 'other.example.com': { auth: 'eDp5' } }, credsStore: 'desktop', currentContext: 'default' });
    await exec('mkdir', ['-p', userConfig], { quiet: true });
    await writeFile(join(userConfig, 'config.json'), userJson);
    const logger = memoryLogger();
    const env = await dockerLogin(authRegistry.host, USER, { exec, logger, dockerConfigDir: join(temp, 'cfg'), sourceConfigDir: userConfig });

    expect(env).toEqual({ DOCKER_CONFIG: join(temp, 'cfg') });
    expect(await readFile(join(userConfig, 'config.json'), 'utf8')).toBe(userJson);
    const privateConfig = JSON.parse(await readFile(join(temp, 'cfg', 'config.json'), 'utf8')) as { auths: Record<string, unknown>; credsStore?: string };
    expect(Object.keys(privateConfig.auths).sort()).toEqual([authRegistry.host, 'other.example.com'].sort());
    expect(privateConfig.credsStore).toBeUndefined();

    const { result, logger: buildLogger } = await build(request({ platforms: ['linux/amd64'], tags: [`${authRegistry.host}/examples/service:auth`] }), env);
    expect(result.digest).toBe((await authRegistry.manifest('examples/service', 'auth')).digest);
    for (const line of [...logger.lines, ...buildLogger.lines]) expect(line).not.toContain(USER.password);
  });
});
