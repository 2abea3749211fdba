// Time and requests to copy a multi-platform image (2 platforms + provenance, a 4 MiB layer each) between two
// local registries: digestpin's copyImage against `skopeo copy --all` on the same image, in the same run, both
// through counting proxies. Cold (empty target repository) and warm (target already has it); median of ROUNDS.
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { exec } from '../src/runtime/exec.js';
import { copyImage } from '../src/registry/copy.js';
import { freePort, pushImage, startRegistry, type RegistryServer } from '../test/support/registry-server.js';

const ROUNDS = 5;
const stamp = `${process.pid}-${Date.now()}`;

/** A reverse proxy that counts requests, so skopeo is measured the same way as digestpin. */
async function countingProxy(target: RegistryServer): Promise<{ host: string; count: () => number; stop: () => Promise<void> }> {
  let count = 0;
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const server: Server = createServer((req, res) => {
    count++;
    const upstream = httpRequest({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } }, (answer) => {
      // Upload locations name the registry's own address; rewrite them to the proxy so every request is counted.
      const headers = { ...answer.headers };
      if (typeof headers.location === 'string') headers.location = headers.location.replace(target.host, host);
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { host, count: () => count, stop: () => new Promise((r) => server.close(() => r())) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(run: () => Promise<unknown>, counters: Array<() => number>): Promise<{ ms: number; requests: number }> {
  const before = counters.reduce((n, c) => n + c(), 0);
  const start = performance.now();
  await run();
  return { ms: performance.now() - start, requests: counters.reduce((n, c) => n + c(), 0) - before };
}

async function main(): Promise<void> {
  const [source, target] = await Promise.all([startRegistry(), startRegistry()]);
  const [src, dst] = await Promise.all([countingProxy(source), countingProxy(target)]);
  const counters = [src.count, dst.count];
  try {
    const image = await pushImage(`${source.host}/bench/app:v1`, {
      platforms: ['linux/amd64', 'linux/arm64'],
      provenance: true,
      content: `${stamp}\n${randomBytes(2 * 1024 * 1024).toString('hex')}`,
    });
    const from = { registry: src.host, repository: 'bench/app', digest: image.digest };
    const rows: Record<string, { ms: number[]; requests: number[] }> = {};
    const add = (name: string, r: { ms: number; requests: number }) => {
      rows[name] ??= { ms: [], requests: [] };
      rows[name].ms.push(r.ms);
      rows[name].requests.push(r.requests);
    };
    const skopeo = (repo: string) =>
      exec('skopeo', ['copy', '--all', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', '-q', `docker://${src.host}/bench/app@${image.digest}`, `docker://${dst.host}/${repo}:v1`], { quiet: true, timeoutMs: 120_000 });
    const ours = (repo: string) => copyImage({ dockerConfigPath: false }, from, { registry: dst.host, repository: repo, tag: 'v1' });
    for (let i = 0; i < ROUNDS; i++) {
      // Alternate which goes first, so neither always meets a warmer registry.
      const order: Array<[string, (repo: string) => Promise<unknown>]> = i % 2 ? [['skopeo copy --all', skopeo], ['digestpin copyImage', ours]] : [['digestpin copyImage', ours], ['skopeo copy --all', skopeo]];
      for (const [name, run] of order) {
        const repo = `r${i}/${name.split(' ')[0]}`;
        add(`${name} (cold)`, await timed(() => run(repo), counters));
        add(`${name} (warm)`, await timed(() => run(repo), counters));
      }
      // Within one registry: digestpin mounts blobs across repositories; skopeo's figures on the same pair beside.
      const mountRepo = `m${i}/app`;
      add('digestpin copyImage (same registry, mount)', await timed(() => copyImage({ dockerConfigPath: false }, from, { registry: src.host, repository: mountRepo }), counters));
      add('skopeo copy --all (same registry)', await timed(() => exec('skopeo', ['copy', '--all', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false', '-q', `docker://${src.host}/bench/app@${image.digest}`, `docker://${src.host}/s${i}/app:v1`], { quiet: true, timeoutMs: 120_000 }), counters));
    }
    const check = await target.manifest('r0/digestpin', image.digest);
    if (check.bodyDigest !== image.digest) throw new Error(`the copy changed the digest: ${check.bodyDigest}`);
    const baseline = (suffix: string) => median(rows[`skopeo copy --all ${suffix}`]!.ms);
    console.log(`copy of ${src.host}/bench/app@${image.digest.slice(0, 19)} (2 platforms + provenance), median of ${ROUNDS} rounds`);
    console.log('| case | ms | requests | time vs skopeo |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, r] of Object.entries(rows)) {
      const suffix = name.includes('same registry') ? '(same registry)' : name.endsWith('(warm)') ? '(warm)' : '(cold)';
      const ratio = median(r.ms) / baseline(suffix);
      console.log(`| ${name} | ${median(r.ms).toFixed(1)} | ${median(r.requests)} | ${ratio.toFixed(2)}x |`);
    }
  } finally {
    await Promise.all([src.stop(), dst.stop()]);
    await Promise.all([source.stop(), target.stop()]);
  }
}

await main();
