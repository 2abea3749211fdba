// Cold start of the bundled action to its first input error, against a bare `node -e 0`, interleaved in
// the same run; then the overhead the action adds around a buildx build of examples/service.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startRegistry } from '../test/support/registry-server.js';
import { createBareRepo } from '../test/support/git-fixtures.js';
import { runActionBundle, cleanup, NODE24, ROOT } from '../test/support/action-runner.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

function timeOnce(args: string[], env: NodeJS.ProcessEnv): { ms: number; status: number | null; stdout: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(NODE24, args, { env, encoding: 'utf8' });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status, stdout: r.stdout };
}

function coldStart(rounds: number): void {
  const env = { PATH: process.env.PATH, GITHUB_ACTIONS: 'true' };
  const bare: number[] = [];
  const action: number[] = [];
  const first = timeOnce([join(ROOT, 'dist/index.js')], env);
  if (first.status !== 1 || !first.stdout.includes("::error title=digestpin::input 'gitops-repository': is required")) {
    throw new Error(`dist/index.js did not stop at its first input error: ${first.stdout}`);
  }
  for (let i = 0; i < rounds; i++) {
    bare.push(timeOnce(['-e', '0'], env).ms);
    action.push(timeOnce([join(ROOT, 'dist/index.js')], env).ms);
  }
  const ratio = median(action) / median(bare);
  console.log(`cold start, ${rounds} interleaved runs each (median):`);
  console.log(`  node -e 0                      ${ms(median(bare))}`);
  console.log(`  node dist/index.js (input err) ${ms(median(action))}`);
  console.log(`  ratio                          ${ratio.toFixed(2)}x   (target <= 1.5x)`);
}

async function buildOverhead(rounds: number): Promise<void> {
  const registry = await startRegistry();
  const values = 'image:\n  repository: REG/demo/example-service\n  tag: "x"\n  digest: ""\n'.replace('REG', registry.host);
  const repo = await createBareRepo({ 'envs/dev/values.yaml': values });
  const meta = mkdtempSync(join(tmpdir(), 'digestpin-bench-'));
  const build: number[] = [];
  const full: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await execa('docker', ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--provenance', 'mode=max', '--tag', `${registry.host}/demo/example-service:plain-${i}`, '--metadata-file', join(meta, `m${i}.json`), '--push', join(ROOT, 'examples/service')]);
      build.push(performance.now() - t);
      t = performance.now();
      const run = await runActionBundle({
        'gitops-repository': repo.path, environment: 'dev', service: 'example-service', 'values-file': 'envs/dev/values.yaml', mode: 'direct',
        context: 'examples/service', platforms: 'linux/amd64,linux/arm64', provenance: 'mode=max', image: 'demo/example-service', registry: registry.host, 'image-tag': `action-${i}`,
      });
      full.push(performance.now() - t);
      if (run.exitCode !== 0) throw new Error(`action failed: ${run.errors.join(' ')}`);
      cleanup(run);
    }
  } finally {
    rmSync(meta, { recursive: true, force: true });
    await registry.stop();
    await repo.cleanup();
  }
  console.log(`\nbuildx build of examples/service (linux/amd64+arm64, provenance, push), ${rounds} interleaved runs (median):`);
  console.log(`  docker buildx build alone                       ${ms(median(build))}`);
  console.log(`  the action: build + verify + pin + git commit   ${ms(median(full))}`);
  console.log(`  overhead the action adds around the build       ${ms(median(full) - median(build))}  (${(median(full) / median(build)).toFixed(2)}x the build)`);
}

coldStart(Number(process.env.ROUNDS ?? 30));
const buildRounds = Number(process.env.BUILD_ROUNDS ?? 5);
if (buildRounds > 0) await buildOverhead(buildRounds);
