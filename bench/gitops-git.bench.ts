// Benchmark: the git backend's sparse clone of one file from a GitOps repository of 20,000 files, against a full
// clone of the same repository, measured in the same run over file:// and over git:// (git daemon on loopback).
import { execa } from 'execa';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cloneSparse, createGitSession, DEFAULT_IDENTITY, parseRemote } from '../src/gitops/git/index.js';
import { createBareRepo, git, pinEdit, promotion, digest, valuesFile } from '../test/support/git-fixtures.js';
import { createGitBackend } from '../src/gitops/git/index.js';
import { exec } from '../src/runtime/exec.js';
import { memoryLogger } from '../src/runtime/logger.js';
import { freePort } from '../test/support/ports.js';

const FILES = 20_000;
// Median of SPARSE_RUNS for the fast case; the full clones write 20,000 files and take seconds, one run each.
const SPARSE_RUNS = 5;
const FULL_RUNS = 1;
const TARGET = 'clusters/c3/team-07/svc-0042/values.yaml';

/** 20,000 small files (a values file and a kustomization per service) under clusters/<c>/<team>/<service>/. */
function gitopsFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < FILES / 2; i++) {
    const dir = `clusters/c${i % 5}/team-${String(Math.floor(i / 5) % 40).padStart(2, '0')}/svc-${String(Math.floor(i / 200)).padStart(4, '0')}`;
    files[`${dir}/values.yaml`] = valuesFile(`svc-${i}`, digest(i)) + `replicas: ${i % 7}\nresources:\n  limits:\n    memory: ${128 + (i % 16) * 32}Mi\n`;
    files[`${dir}/kustomization-${i}.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy-${i}.yaml]\n`;
  }
  return files;
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

interface Sample { ms: number; bytes: number; blobs: number }

async function measure(label: string, runs: number, clone: (dir: string) => Promise<void>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let run = 0; run < runs; run++) {
    const root = await mkdtemp(join(tmpdir(), 'digestpin-bench-'));
    const dir = join(root, 'repo');
    const start = performance.now();
    await clone(dir);
    const ms = performance.now() - start;
    const bytes = await bytesUnder(join(dir, '.git', 'objects'));
    const listed = await git(['rev-list', '--objects', '--missing=print', 'HEAD'], dir);
    const blobs = listed.split('\n').filter((l) => !l.startsWith('?') && /\.yaml$/.test(l)).length;
    samples.push({ ms, bytes, blobs });
    await rm(root, { recursive: true, force: true });
  }
  samples.sort((a, b) => a.ms - b.ms);
  const median = samples[Math.floor(runs / 2)]!;
  console.log(`${label.padEnd(44)} ${median.ms.toFixed(0).padStart(6)} ms  ${(median.bytes / 1024).toFixed(0).padStart(7)} KiB in .git/objects  ${String(median.blobs).padStart(5)} blobs`);
  return median;
}

function ratio(name: string, sparse: Sample, full: Sample) {
  console.log(`  ${name}: full/sparse time ${(full.ms / sparse.ms).toFixed(1)}x, bytes ${(full.bytes / sparse.bytes).toFixed(1)}x`);
}


async function main() {
  const built = performance.now();
  const repo = await createBareRepo(gitopsFiles(), 'main', { config: { 'uploadpack.allowFilter': 'true' } });
  await repo.git(['repack', '-adq']);
  console.log(`GitOps repository: ${FILES} files, pack ${(await bytesUnder(join(repo.path, 'objects')) / 1024).toFixed(0)} KiB, built in ${(performance.now() - built).toFixed(0)} ms`);

  const sparse = (url: string) => async (dir: string) => {
    await mkdir(join(dir, '..'), { recursive: true });
    const session = createGitSession(exec, memoryLogger(), parseRemote(url), dir, DEFAULT_IDENTITY);
    await cloneSparse(session, 'main', [TARGET]);
  };
  const full = (url: string, ...extra: string[]) => async (dir: string) => {
    await git(['clone', '--quiet', ...extra, url, dir]);
  };

  console.log('\n-- file:// (the backend passes an upload-pack that allows the filter)');
  const fileSparse = await measure('sparse clone of one file (backend)', SPARSE_RUNS, sparse(repo.url));
  const fileFull = await measure('full clone (git clone URL)', FULL_RUNS, full(repo.url));
  const fileBare = await measure('full clone --no-checkout (transfer only)', FULL_RUNS, full(repo.url, '--no-checkout'));
  ratio('vs full clone', fileSparse, fileFull);
  ratio('vs full clone without checkout', fileSparse, fileBare);

  const port = await freePort();
  const daemon = execa('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${join(repo.path, '..')}`,
    '--listen=127.0.0.1', `--port=${port}`, '--informative-errors'], { reject: false });
  try {
    for (let i = 0; i < 50; i++) {
      const probe = await exec('git', ['ls-remote', `git://127.0.0.1:${port}/gitops.git`], { allowFailure: true });
      if (probe.exitCode === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = `git://127.0.0.1:${port}/gitops.git`;
    console.log('\n-- git:// (git daemon on loopback, server allows filters)');
    const netSparse = await measure('sparse clone of one file (backend)', SPARSE_RUNS, sparse(url));
    const netFull = await measure('full clone (git clone URL)', FULL_RUNS, full(url));
    ratio('vs full clone', netSparse, netFull);
  } finally {
    daemon.kill();
    await daemon;
  }

  const workDir = await mkdtemp(join(tmpdir(), 'digestpin-bench-work-'));
  const start = performance.now();
  const result = await createGitBackend({ remote: repo.url, workDir, logger: memoryLogger() })
    .promote(promotion(repo.url, [pinEdit(TARGET, 'svc-42', digest(999_999))]));
  console.log(`\nwhole direct-mode promotion of one file (clone, edit, commit, push): ${(performance.now() - start).toFixed(0)} ms, ${result.calls} git network calls, ${result.operation}`);
  await rm(workDir, { recursive: true, force: true });
  await repo.cleanup();
}

await main();
