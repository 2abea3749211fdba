// Requests and time per resolution against real local registries (anonymous and token-auth), beside
// `docker buildx imagetools inspect` on the same images, counted by a small proxy in the same run.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { join } from 'node:path';
import { exec } from '../src/runtime/exec.js';
import { createRegistryClient, type RegistryClient, type ResolveOptions } from '../src/registry/index.js';
import { dockerLogin, freePort, pushImage, startRegistry, type RegistryServer } from '../test/support/registry-server.js';
import { startTokenServer, type TokenServer } from '../test/support/token-server.js';

const N = 200;
const stamp = `${process.pid}-${Date.now()}`;

/** A reverse proxy that counts requests, so a foreign client (buildx) can be measured the same way. */
async function countingProxy(target: RegistryServer): Promise<{ host: string; count: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    count++;
    const upstream = httpRequest(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${port}`, count: () => count, stop: () => new Promise((r) => server.close(() => r())) };
}

function countingFetch() {
  const counter = { requests: 0 };
  const wrapped: typeof fetch = (input, init) => {
    counter.requests++;
    return fetch(input, init);
  };
  return { counter, fetch: wrapped };
}

interface Row {
  case: string;
  firstRequests: number;
  requestsPerResolution: number;
  msPerResolution: number;
}

async function measure(name: string, make: (f: typeof fetch) => RegistryClient, run: (c: RegistryClient) => Promise<unknown>): Promise<Row> {
  const { counter, fetch: f } = countingFetch();
  const client = make(f);
  await run(client);
  const firstRequests = counter.requests;
  counter.requests = 0;
  const start = performance.now();
  for (let i = 0; i < N; i++) await run(client);
  const ms = performance.now() - start;
  return { case: name, firstRequests, requestsPerResolution: counter.requests / N, msPerResolution: ms / N };
}

async function imagetools(ref: string, requestsSoFar: () => number, dockerConfig?: string): Promise<{ requests: number; ms: number }> {
  const before = requestsSoFar();
  const start = performance.now();
  const env = dockerConfig ? { DOCKER_CONFIG: dockerConfig } : undefined;
  await exec('docker', ['buildx', 'imagetools', 'inspect', ref], { env, quiet: true });
  return { requests: requestsSoFar() - before, ms: performance.now() - start };
}

async function main(): Promise<void> {
  const anon = await startRegistry();
  const tokens: TokenServer = await startTokenServer({ users: { bench: 'bench-password' }, expiresIn: 3600 });
  const tokenReg = await startRegistry({ kind: 'token', realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertPath: tokens.rootCertPath });
  const proxies = [await countingProxy(anon), await countingProxy(tokenReg)];
  let dockerConfig: string | undefined;
  try {
    const single = await pushImage(`${anon.host}/bench/single:v1`, { content: `single ${stamp}` });
    const multi = await pushImage(`${anon.host}/bench/multi:v1`, { content: `multi ${stamp}`, platforms: ['linux/amd64', 'linux/arm64'], provenance: true });
    dockerConfig = await dockerLogin(tokenReg.host, 'bench', 'bench-password');
    const secured = await pushImage(`${tokenReg.host}/bench/multi:v1`, { dockerConfig, content: `token ${stamp}`, platforms: ['linux/amd64', 'linux/arm64'], provenance: true });
    // buildx reaches the token registry through the proxy's address, so give that address the same login.
    const configFile = join(dockerConfig, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { auths: Record<string, unknown> };
    config.auths[proxies[1]!.host] = config.auths[tokenReg.host];
    writeFileSync(configFile, JSON.stringify(config));
    const anonClient = (f: typeof fetch) => createRegistryClient({ fetch: f, dockerConfigPath: false });
    const tokenClient = (f: typeof fetch) => createRegistryClient({ fetch: f, dockerConfigPath: configFile });
    const resolve = (ref: string, options?: ResolveOptions) => (c: RegistryClient) => c.resolve(ref, options);

    const rows: Row[] = [
      await measure('tag, single-platform', anonClient, resolve(single.ref)),
      await measure('tag, multi-platform index', anonClient, resolve(multi.ref)),
      await measure('verify known digest', anonClient, (c) => c.verify(`${anon.host}/bench/multi`, multi.digest)),
      await measure('tag + platforms (--json)', anonClient, resolve(multi.ref, { describe: true, labels: true })),
      await measure('token registry: tag', tokenClient, resolve(secured.ref)),
      await measure('token registry: verify digest', tokenClient, (c) => c.verify(`${tokenReg.host}/bench/multi`, secured.digest)),
    ];
    const tokenRequestsBefore = tokens.requests.length;
    const viaProxy = (proxy: (typeof proxies)[number], ref: string) => ref.replace(/^[^/]+/, proxy.host);
    const baselines = [
      { case: 'imagetools inspect, single', ...(await imagetools(viaProxy(proxies[0]!, single.ref), proxies[0]!.count)) },
      { case: 'imagetools inspect, multi-platform', ...(await imagetools(viaProxy(proxies[0]!, multi.ref), proxies[0]!.count)) },
      {
        case: 'imagetools inspect, token registry',
        ...(await imagetools(viaProxy(proxies[1]!, secured.ref), () => proxies[1]!.count() + tokens.requests.length, dockerConfig)),
      },
    ];
    console.log(`digestpin registry client: ${N} resolutions per case (first = a fresh client, incl. 401 + token requests)`);
    console.table(rows.map((r) => ({ ...r, msPerResolution: Number(r.msPerResolution.toFixed(3)) })));
    console.log('baseline, same images, same run: docker buildx imagetools inspect (requests via counting proxy + token server)');
    console.table(baselines.map((b) => ({ ...b, ms: Number(b.ms.toFixed(1)) })));
    const tag = rows[1]!;
    const verify = rows[2]!;
    const tokenTag = rows[4]!;
    console.log(
      `ratios: imagetools/digestpin requests: multi tag ${(baselines[1]!.requests / tag.requestsPerResolution).toFixed(1)}x, ` +
        `token registry ${(baselines[2]!.requests / tokenTag.firstRequests).toFixed(1)}x (first, cold) / ${(baselines[2]!.requests / tokenTag.requestsPerResolution).toFixed(1)}x (cached); ` +
        `time per resolution: imagetools ${(baselines[1]!.ms / tag.msPerResolution).toFixed(0)}x digestpin (process start included)`,
    );
    const ok = tag.requestsPerResolution === 1 && verify.requestsPerResolution === 1 && tokenTag.requestsPerResolution === 1;
    console.log(`targets (tag = 1 request, verify = 1 request, token cached = 1 request): ${ok ? 'met' : 'NOT met'}; token requests by buildx: ${tokens.requests.length - tokenRequestsBefore}`);
  } finally {
    await Promise.all(proxies.map((p) => p.stop()));
    await Promise.all([anon.stop(), tokenReg.stop(), tokens.stop()]);
    if (dockerConfig) rmSync(dockerConfig, { recursive: true, force: true });
  }
}

await main();
