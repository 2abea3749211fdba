// Real docker-registry instances for tests and benchmarks: free loopback port, temp storage, optional htpasswd or
// token auth, killed by stop(). Reads manifests and blobs back as a client would (Basic auth under htpasswd).
// Also pushes small FROM-scratch images with buildx and reads their metadata.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { exec } from '../../src/runtime/exec.js';
import { freePort } from './ports.js';

export interface RegistryServer {
  /** `127.0.0.1:PORT`, as an image reference names it. */
  host: string;
  port: number;
  url: string;
  dir: string;
  /** Access-log lines (`"METHOD /v2/... HTTP/1.1" STATUS`) seen so far. */
  accessLog(): string[];
  /** GET a manifest by tag or digest, accepting indexes and manifests; a 404 is a status, not an error. */
  manifest(repository: string, reference: string): Promise<ServedManifest>;
  /** GET a blob's body as text; throws on any non-2xx answer. */
  blob(repository: string, digest: string): Promise<string>;
  stop(): Promise<void>;
}

export interface ServedManifest {
  status: number;
  /** The `Docker-Content-Digest` header, null when the registry sent none (e.g. 404). */
  digest: string | null;
  /** The `Content-Type` header, '' when absent. */
  mediaType: string;
  body: string;
  /** sha256 of the body as received, to check the header against the bytes. */
  bodyDigest: string;
}

export type RegistryAuth =
  | { kind: 'none' }
  | { kind: 'htpasswd'; username: string; password: string }
  | { kind: 'token'; realm: string; service: string; issuer: string; rootCertPath: string };

export { freePort } from './ports.js';

async function authSection(auth: RegistryAuth, dir: string): Promise<string> {
  if (auth.kind === 'htpasswd') {
    const { stdout } = await exec('htpasswd', ['-Bbn', auth.username, auth.password], { quiet: true });
    const file = join(dir, 'htpasswd');
    writeFileSync(file, `${stdout.trim()}\n`);
    return `auth:\n  htpasswd:\n    realm: digestpin-test\n    path: ${file}\n`;
  }
  if (auth.kind === 'token') {
    return `auth:\n  token:\n    realm: ${auth.realm}\n    service: ${auth.service}\n    issuer: ${auth.issuer}\n    rootcertbundle: ${auth.rootCertPath}\n`;
  }
  return '';
}

// Written out here rather than imported from src/registry, so a wrong accept list there can't hide in the tests.
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Reads manifests and blobs; sends Basic credentials under htpasswd auth (a token registry gets none, so 401). */
function registryReader(url: string, auth: RegistryAuth): Pick<RegistryServer, 'manifest' | 'blob'> {
  const authorization =
    auth.kind === 'htpasswd' ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
  const headers = (accept: string) => ({ accept, ...(authorization ? { authorization } : {}) });
  return {
    async manifest(repository, reference) {
      const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, { headers: headers(MANIFEST_ACCEPT) });
      // Hash the bytes as received, not a re-encoded string, so bodyDigest is the registry's content digest.
      const bytes = Buffer.from(await response.arrayBuffer());
      return {
        status: response.status,
        digest: response.headers.get('docker-content-digest'),
        mediaType: response.headers.get('content-type') ?? '',
        body: bytes.toString('utf8'),
        bodyDigest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      };
    },
    async blob(repository, digest) {
      const response = await fetch(`${url}/v2/${repository}/blobs/${digest}`, { headers: headers('*/*') });
      if (!response.ok) throw new Error(`blob ${repository}@${digest} at ${url}: HTTP ${response.status}`);
      return response.text();
    },
  };
}

async function waitUntilUp(url: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/v2/`);
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry at ${url} did not come up:\n${log().slice(-2000)}`);
}

/** Starts `docker-registry serve` on a free loopback port with its own storage directory. */
export async function startRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<RegistryServer> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  mkdirSync(join(dir, 'storage'));
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'storage')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${await authSection(auth, dir)}`,
  );
  let output = '';
  const child = execa('docker-registry', ['serve', config], { reject: false, buffer: false, stdin: 'ignore' });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const url = `http://${host}`;
  try {
    await waitUntilUp(url, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    host,
    port,
    url,
    dir,
    accessLog: () => output.split('\n').filter((l) => /"(GET|HEAD|PUT|POST|PATCH|DELETE) \/v2/.test(l)),
    ...registryReader(url, auth),
    stop: async () => {
      child.kill('SIGTERM');
      await child.catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PushedImage {
  /** `host/repo:tag` as pushed. */
  ref: string;
  /** buildx metadata `containerimage.digest`. */
  digest: string;
  mediaType: string;
}

export interface PushOptions {
  platforms?: string[];
  provenance?: boolean;
  /** DOCKER_CONFIG directory holding `docker login` credentials for the registry. */
  dockerConfig?: string;
  labels?: Record<string, string>;
  /** Text COPY'd into the image, so each test image has its own digest. */
  content?: string;
}

/** Builds a FROM scratch image with one COPY'd file and pushes it with buildx; returns the metadata digest. */
export async function pushImage(ref: string, options: PushOptions = {}): Promise<PushedImage> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-build-'));
  try {
    writeFileSync(join(dir, 'payload.txt'), `${options.content ?? ref}\n`);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY payload.txt /payload.txt\n');
    const metadata = join(dir, 'metadata.json');
    const args = ['buildx', 'build', '--push', '--metadata-file', metadata, '--tag', ref];
    if (options.platforms) args.push('--platform', options.platforms.join(','));
    args.push(`--provenance=${options.provenance ? 'mode=min' : 'false'}`);
    for (const [k, v] of Object.entries(options.labels ?? {})) args.push('--label', `${k}=${v}`);
    args.push(dir);
    const env = options.dockerConfig ? { DOCKER_CONFIG: options.dockerConfig } : undefined;
    // Setup, not the code under test: a push the local registry answered with a 5xx (seen once under load on the
    // token-auth registry) is tried again, up to 3 times in all.
    for (let attempt = 1; ; attempt++) {
      try {
        await exec('docker', args, { env, quiet: true, timeoutMs: 120_000 });
        break;
      } catch (error) {
        if (attempt >= 3 || !/unexpected status[^\n]*: 5\d\d /.test(String((error as Error).message))) throw error;
      }
    }
    const meta = JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, unknown>;
    const descriptor = meta['containerimage.descriptor'] as { mediaType: string };
    return { ref, digest: String(meta['containerimage.digest']), mediaType: descriptor.mediaType };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `docker login` into a fresh DOCKER_CONFIG dir (the machine's own config is never touched). */
export async function dockerLogin(host: string, username: string, password: string): Promise<string> {
  const dockerConfig = mkdtempSync(join(tmpdir(), 'digestpin-dockercfg-'));
  await exec('docker', ['--config', dockerConfig, 'login', '--username', username, '--password-stdin', host], {
    input: password,
    quiet: true,
  });
  return dockerConfig;
}

/** Copies an image by digest to another repository/registry, as a promotion between registries would. */
export async function copyImage(source: string, target: string, dockerConfig?: string): Promise<void> {
  const env = dockerConfig ? { DOCKER_CONFIG: dockerConfig } : undefined;
  await exec('docker', ['buildx', 'imagetools', 'create', '--tag', target, source], { env, quiet: true, timeoutMs: 60_000 });
}
