// A throwaway `docker-registry serve` on a free loopback port with its own storage (and htpasswd auth when
// asked), so these tests don't depend on the stack's shared registry. Stopped by the pid it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../../src/runtime/exec.js';

export interface LocalRegistry {
  /** `127.0.0.1:PORT`, as it goes into image references. */
  host: string;
  /** GET a manifest by tag or digest, accepting indexes and manifests; returns the digest header and the body. */
  manifest(repository: string, reference: string): Promise<{ status: number; digest: string | null; mediaType: string; body: string; bodyDigest: string }>;
  blob(repository: string, digest: string): Promise<string>;
  stop(): Promise<void>;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startRegistry(auth?: { username: string; password: string }): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'digestpin-build-registry-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = [
    'version: 0.1',
    'log: { level: error, accesslog: { disabled: true } }',
    `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} } }`,
    `http: { addr: "${host}", secret: test-secret }`,
  ];
  if (auth) {
    const { stdout } = await exec('htpasswd', ['-Bbn', auth.username, auth.password], { quiet: true });
    await writeFile(join(dir, 'htpasswd'), `${stdout.trim()}\n`);
    config.push(`auth: { htpasswd: { realm: digestpin-test, path: ${join(dir, 'htpasswd')} } }`);
  }
  await writeFile(join(dir, 'config.yml'), `${config.join('\n')}\n`);
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const authorization = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : undefined;
  const headers = (accept: string) => ({ accept, ...(authorization ? { authorization } : {}) });
  await waitUntilUp(`http://${host}/v2/`, child, () => stderr);
  return {
    host,
    async manifest(repository, reference) {
      const response = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, { headers: headers(MANIFEST_ACCEPT) });
      const body = await response.text();
      return {
        status: response.status,
        digest: response.headers.get('docker-content-digest'),
        mediaType: response.headers.get('content-type') ?? '',
        body,
        bodyDigest: `sha256:${createHash('sha256').update(body).digest('hex')}`,
      };
    },
    async blob(repository, digest) {
      const response = await fetch(`http://${host}/v2/${repository}/blobs/${digest}`, { headers: headers('*/*') });
      if (!response.ok) throw new Error(`blob ${digest}: HTTP ${response.status}`);
      return response.text();
    },
    async stop() {
      if (child.exitCode === null && child.pid) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitUntilUp(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}): ${stderr().trim()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer at ${url}: ${stderr().trim()}`);
}
