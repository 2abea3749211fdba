// copyImage against registries that misbehave (small node:http doubles beside a real docker-registry): a
// manifest whose bytes are not its digest, a blob longer than its descriptor, an upload location on another
// origin. Each fails in one line naming both sides, and nothing wrong lands at the target.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage } from '../../../src/registry/copy.js';
import { RegistryError } from '../../../src/runtime/errors.js';
import { startRegistry, type RegistryServer } from '../../support/registry-server.js';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as { port: number };
  return { host: `127.0.0.1:${address.port}`, stop: () => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())) };
}

const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
const layer = Buffer.from('layer bytes '.repeat(100));

function manifestWith(layerSize: number): { bytes: Buffer; digest: string } {
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layerSize }],
    }),
  );
  return { bytes, digest: sha(bytes) };
}

/** A source registry serving one manifest (possibly with wrong bytes) and the two blobs (possibly padded). */
function sourceHandler(manifest: { bytes: Buffer; digest: string }, opts: { tamperManifest?: boolean; padLayer?: boolean } = {}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if (url.includes('/manifests/')) {
      const body = opts.tamperManifest ? Buffer.concat([manifest.bytes, Buffer.from(' ')]) : manifest.bytes;
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'docker-content-digest': manifest.digest }).end(req.method === 'HEAD' ? undefined : body);
    } else if (url.endsWith(sha(config))) res.writeHead(200).end(config);
    else if (url.endsWith(sha(layer))) {
      // Chunked, with more bytes than the descriptor says: only the copy's own count can catch it.
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      res.write(layer);
      res.end(opts.padLayer ? Buffer.alloc(4096, 1) : undefined);
    } else res.writeHead(404).end();
  };
}

describe('copyImage against misbehaving registries', () => {
  let target: RegistryServer;
  beforeAll(async () => {
    target = await startRegistry();
  });
  afterAll(async () => target?.stop());

  it('a source whose manifest bytes are not its digest: refused, nothing pushed', async () => {
    const manifest = manifestWith(layer.length);
    const source = await serve(sourceHandler(manifest, { tamperManifest: true }));
    try {
      const error = await copyImage({ dockerConfigPath: false }, { registry: source.host, repository: 'a/b', digest: manifest.digest }, { registry: target.host, repository: 'x/tampered' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as Error).message).toMatch(new RegExp(`^copy ${source.host}/a/b@${manifest.digest} -> ${target.host}/x/tampered: the source ${source.host} served bytes for ${manifest.digest} that hash to sha256:`));
      expect((await target.manifest('x/tampered', manifest.digest)).status).toBe(404);
    } finally {
      await source.stop();
    }
  });

  it('a blob longer than its descriptor: the upload fails and the target has neither blob nor manifest', async () => {
    const manifest = manifestWith(layer.length);
    const source = await serve(sourceHandler(manifest, { padLayer: true }));
    try {
      const error = await copyImage({ dockerConfigPath: false, maxRetries: 0 }, { registry: source.host, repository: 'a/b', digest: manifest.digest }, { registry: target.host, repository: 'x/padded' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(
        new RegExp(`^copy ${source.host}/a/b@${manifest.digest} -> ${target.host}/x/padded: ${target.host}: PUT \\S+ failed: the source ${source.host} sent more than ${layer.length} bytes for blob ${sha(layer)}$`),
      );
      expect((error as Error).message).not.toContain('\n');
      const blob = await fetch(`${target.url}/v2/x/padded/blobs/${sha(layer)}`, { method: 'HEAD' });
      expect(blob.status).toBe(404);
      expect((await target.manifest('x/padded', manifest.digest)).status).toBe(404);
    } finally {
      await source.stop();
    }
  });

  it('the same source, well-behaved, copies: the double is honest', async () => {
    const manifest = manifestWith(layer.length);
    const source = await serve(sourceHandler(manifest));
    try {
      const result = await copyImage({ dockerConfigPath: false }, { registry: source.host, repository: 'a/b', digest: manifest.digest }, { registry: target.host, repository: 'x/good' });
      expect(result).toMatchObject({ digest: manifest.digest, blobsCopied: 2, manifestsPushed: 1 });
    } finally {
      await source.stop();
    }
  });

  it('an upload location on another origin is not followed with credentials', async () => {
    const manifest = manifestWith(layer.length);
    const source = await serve(sourceHandler(manifest));
    const seenElsewhere: Array<string | undefined> = [];
    const elsewhere = await serve((req, res) => {
      seenElsewhere.push(req.headers.authorization);
      res.writeHead(201).end();
    });
    // A target that asks for Basic credentials, then points uploads at another origin.
    const hostile = await serve((req, res) => {
      if (!req.headers.authorization) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end();
      if (req.method === 'HEAD') return void res.writeHead(404).end();
      if (req.method === 'POST') return void res.writeHead(202, { location: `http://${elsewhere.host}/upload/1` }).end();
      res.writeHead(500).end();
    });
    try {
      const error = await copyImage(
        { dockerConfigPath: false, credentials: { [hostile.host]: { username: 'u', password: 'hostile-secret-pw' } } },
        { registry: source.host, repository: 'a/b', digest: manifest.digest },
        { registry: hostile.host, repository: 'x/y' },
      ).catch((e: unknown) => e);
      expect((error as Error).message).toContain(`${hostile.host}: gave an upload location on another origin (http://${elsewhere.host})`);
      expect((error as Error).message).not.toContain('hostile-secret-pw');
      expect(seenElsewhere).toEqual([]);
    } finally {
      await Promise.all([source.stop(), elsewhere.stop(), hostile.stop()]);
    }
  });
});
