// A dry run builds but writes nothing anywhere: the argv docker gets has no --push and no --cache-to (a
// registry or GHA cache export is a write), and the log says the cache export was skipped.
import { describe, expect, it } from 'vitest';
import { buildxArgs } from '../../../src/buildx/index.js';
import type { BuildRequest } from '../../../src/buildx/index.js';
import { buildImage } from '../../../src/promote/image-origin.js';
import type { DigestpinRequest } from '../../../src/request.js';

const CACHE_TO = ['type=registry,ref=127.0.0.1:5000/acme/app:buildcache,mode=max', 'type=gha,mode=max'];

function request(dryRun: boolean): Readonly<DigestpinRequest> {
  return {
    service: 'app',
    image: {
      kind: 'build',
      name: 'acme/app',
      tag: 'v1',
      build: { context: '.', platforms: [], buildArgs: [], labels: [], extraTags: [], cacheFrom: ['type=gha'], cacheTo: CACHE_TO, push: true },
    },
    gitops: { dryRun },
    run: { tempDir: '/tmp/runner', serverUrl: 'https://github.com' },
  } as unknown as DigestpinRequest;
}

async function argvFor(dryRun: boolean): Promise<{ argv: string[]; log: string[] }> {
  let seen: BuildRequest | undefined;
  const log: string[] = [];
  const deps = {
    build: async (r: BuildRequest) => ((seen = r), { digest: `sha256:${'a'.repeat(64)}` } as never),
    logger: { info: (m: string) => log.push(m) },
  };
  await buildImage(request(dryRun), { push: { registry: '127.0.0.1:5000', repository: 'acme/app', tag: 'v1' }, candidates: [] }, deps);
  return { argv: buildxArgs(seen!), log };
}

describe('the build argv of a dry run', () => {
  it('has no --cache-to and no --push, keeps --cache-from, and logs one line that the export was skipped', async () => {
    const { argv, log } = await argvFor(true);
    expect(argv).not.toContain('--cache-to');
    expect(argv).not.toContain('--push');
    expect(argv).toEqual(expect.arrayContaining(['--cache-from', 'type=gha']));
    expect(log.filter((l) => l.includes('cache export'))).toEqual(['[app] ✅ dry run: the cache export (cache-to) was skipped']);
  });

  it('outside a dry run, exports the cache as asked and pushes', async () => {
    const { argv, log } = await argvFor(false);
    expect(argv.filter((_, i) => argv[i - 1] === '--cache-to')).toEqual(CACHE_TO);
    expect(argv).toContain('--push');
    expect(log.some((l) => l.includes('cache export'))).toBe(false);
  });
});
