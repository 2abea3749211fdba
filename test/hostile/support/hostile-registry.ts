// A registry on loopback that misbehaves on purpose, for the hostile suite. It serves one image (an index with
// linux/amd64 and linux/arm64, a config blob with labels) over the OCI distribution API, and one fault per mode.
// Counts the bytes it wrote, so a test can show the client stopped reading an endless body.
import { createHash } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type RegistryMode =
  | 'ok'
  | 'endless-manifest' // GET manifest: 200, then bytes forever
  | 'stall-headers' // never answers
  | 'stall-body' // headers and half the body, then nothing
  | 'reset-body' // headers and half the body, then the connection is cut
  | 'inject-platform' // an index entry whose platform holds newlines and workflow commands
  | 'inject-digest' // an index entry whose digest holds newlines and workflow commands
  | 'inject-labels' // config labels that hold newlines and workflow commands
  | 'lying-head' // HEAD names a digest the content does not hash to
  | 'token-sha256' // bearer auth whose token is the string `sha256`
  | 'endless-token' // bearer auth whose token reply never ends
  | 'redirect-basic' // Basic auth, then every manifest request redirected to another origin (`redirectTo`)
  | 'upload-elsewhere' // Basic auth, then a blob upload whose Location names another origin (`redirectTo`)
  | 'foreign-realm' // a bearer challenge whose token realm is on another origin (`redirectTo`)
  | 'endless-signature'; // GET of a cosign `.sig` manifest: 200, then bytes forever, no Content-Length

/** The credentials the auth modes accept: `deploy` / `Registry-Pass-5520`. */
export const CREDENTIALS = { username: 'deploy', password: 'Registry-Pass-5520' };
const BASIC = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;

export const INJECTION = '\n::warning title=pwned::injected by the registry\n::add-mask::sha256\r::error::x';

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export interface HostileImage {
  index: string;
  indexDigest: string;
  amd64Digest: string;
  blobs: Map<string, { body: string; type: string }>;
}

export function hostileImage(mode: RegistryMode): HostileImage {
  const labels = mode === 'inject-labels'
    ? { 'org.opencontainers.image.source': `https://example.invalid/x${INJECTION}`, [`key${INJECTION}`]: 'v' }
    : { 'org.opencontainers.image.revision': '0123abc' };
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: labels } });
  const amd64 = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length }, layers: [] });
  const arm64 = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length }, layers: [], arm: true });
  const amdEntry = {
    mediaType: OCI_MANIFEST,
    digest: mode === 'inject-digest' ? `sha256:abc${INJECTION}` : sha256(amd64),
    size: amd64.length,
    platform: { os: mode === 'inject-platform' ? `linux${INJECTION}` : 'linux', architecture: 'amd64' },
  };
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [amdEntry, { mediaType: OCI_MANIFEST, digest: sha256(arm64), size: arm64.length, platform: { os: 'linux', architecture: 'arm64' } }],
  });
  const blobs = new Map<string, { body: string; type: string }>([
    [sha256(amd64), { body: amd64, type: OCI_MANIFEST }],
    [sha256(arm64), { body: arm64, type: OCI_MANIFEST }],
    [sha256(config), { body: config, type: 'application/vnd.oci.image.config.v1+json' }],
  ]);
  return { index, indexDigest: sha256(index), amd64Digest: sha256(amd64), blobs };
}

export interface HostileRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  mode: RegistryMode;
  image: HostileImage;
  /** `METHOD path` of every request. */
  requests: string[];
  /** Authorization header of every request ('' when none). */
  authorizations: string[];
  /** Body bytes written so far, all requests together. */
  bytesWritten(): number;
  stop(): Promise<void>;
}

export async function startHostileRegistry(mode: RegistryMode, redirectTo?: string): Promise<HostileRegistry> {
  const image = hostileImage(mode);
  const requests: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<Socket>();
  let written = 0;
  const write = (res: ServerResponse, chunk: string | Buffer) => {
    written += Buffer.byteLength(chunk);
    return res.write(chunk);
  };
  const bearer = mode === 'token-sha256' || mode === 'endless-token';
  let port = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(`${req.method} ${url.pathname}`);
    authorizations.push(req.headers.authorization ?? '');
    if (mode === 'stall-headers') return;
    if (mode === 'redirect-basic') {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"' }).end();
      } else {
        res.writeHead(307, { location: `${redirectTo}${url.pathname}` }).end();
      }
      return;
    }
    if (mode === 'upload-elsewhere') {
      if (req.headers.authorization !== BASIC) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="hostile"' }).end();
        return;
      }
      if (req.method === 'POST' && url.pathname.endsWith('/blobs/uploads/')) {
        res.writeHead(202, { location: `${redirectTo}${url.pathname}session-1?_state=s` }).end();
        return;
      }
    }
    if (mode === 'foreign-realm' && !req.headers.authorization) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${redirectTo}/token",service="hostile"` }).end();
      return;
    }
    const endlessArtifact = mode === 'endless-signature' && req.method === 'GET' && /\/manifests\/sha256-[0-9a-f]{64}\.sig$/.test(url.pathname);
    if (url.pathname === '/token' || endlessArtifact) {
      if (mode === 'endless-token' || endlessArtifact) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        write(res, endlessArtifact ? '{"schemaVersion":2,"layers":"' : '{"token":"');
        const pump = () => {
          while (!res.destroyed && write(res, chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'sha256', expires_in: 300 }));
      return;
    }
    if (bearer && req.headers.authorization !== 'Bearer sha256') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="hostile"` }).end();
      return;
    }
    const m = /^\/v2\/([a-z0-9/._-]+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(url.pathname === '/v2/' ? 200 : 404).end();
      return;
    }
    const [, , kind, reference] = m;
    const byTag = kind === 'manifests' && (reference === 'v1' || reference === image.indexDigest);
    const served = byTag ? { body: image.index, type: OCI_INDEX } : image.blobs.get(reference!);
    if (!served) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
      return;
    }
    const digest = mode === 'lying-head' && req.method === 'HEAD' ? `sha256:${'e'.repeat(64)}` : sha256(served.body);
    if (mode === 'endless-manifest' && byTag && req.method === 'GET') {
      res.writeHead(200, { 'content-type': OCI_INDEX });
      const chunk = Buffer.alloc(64 * 1024, ' ');
      const pump = () => {
        while (!res.destroyed && write(res, chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    const headers = { 'content-type': served.type, 'docker-content-digest': digest, 'content-length': String(Buffer.byteLength(served.body)) };
    if (req.method === 'HEAD') {
      res.writeHead(200, headers).end();
      return;
    }
    if ((mode === 'stall-body' || mode === 'reset-body') && byTag) {
      res.writeHead(200, headers);
      write(res, served.body.slice(0, served.body.length >> 1));
      if (mode === 'reset-body') setTimeout(() => req.socket.destroy(), 50);
      return;
    }
    res.writeHead(200, headers);
    write(res, served.body);
    res.end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    mode,
    image,
    requests,
    authorizations,
    bytesWritten: () => written,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
