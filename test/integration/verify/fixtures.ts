// Shared by the verify tests: real cosign key pairs, real `cosign sign` / `cosign verify`, a provenance build
// with a builder id and a git source, and `digestpin verify` run in-process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/commands/dispatch.js';
import { exec } from '../../../src/runtime/exec.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { gitIdentityEnv } from '../../support/git-fixtures.js';

export interface KeyPair {
  key: string;
  pub: string;
  password: string;
}

/** `cosign generate-key-pair` in a temp folder (COSIGN_PASSWORD as given). */
export async function cosignKeyPair(name: string, password = ''): Promise<KeyPair> {
  const dir = mkdtempSync(join(tmpdir(), `digestpin-keys-${name}-`));
  await exec('cosign', ['generate-key-pair', '--output-key-prefix', join(dir, name)], { env: { COSIGN_PASSWORD: password }, quiet: true, cwd: dir });
  return { key: join(dir, `${name}.key`), pub: join(dir, `${name}.pub`), password };
}

export async function cosignSign(pair: KeyPair, ref: string): Promise<void> {
  await exec('cosign', ['sign', '--key', pair.key, '--tlog-upload=false', '--allow-insecure-registry', '-y', ref], {
    env: { COSIGN_PASSWORD: pair.password },
    quiet: true,
    timeoutMs: 60_000,
  });
}

/** The real cosign's verdict: exit code and output. */
export async function cosignVerify(pub: string, ref: string): Promise<{ ok: boolean; output: string }> {
  const r = await exec('cosign', ['verify', '--key', pub, '--insecure-ignore-tlog=true', '--allow-insecure-registry', ref], {
    allowFailure: true,
    quiet: true,
    timeoutMs: 60_000,
  });
  return { ok: r.exitCode === 0, output: `${r.stdout}\n${r.stderr}` };
}

/**
 * A multi-platform FROM scratch build with SLSA provenance (mode=min) naming `builderId`, from a git checkout
 * whose origin is `source`, so buildkit records vcs.source as it does on a runner.
 */
export async function provenanceBuild(ref: string, builderId: string, source: string, platforms = ['linux/amd64', 'linux/arm64']): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-prov-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY payload.txt /payload.txt\n');
  writeFileSync(join(dir, 'payload.txt'), `${ref} ${Date.now()}\n`);
  const env = gitIdentityEnv;
  await exec('git', ['init', '-q', '.'], { cwd: dir, env, quiet: true });
  await exec('git', ['add', '-A'], { cwd: dir, env, quiet: true });
  await exec('git', ['commit', '-qm', 'fixture'], { cwd: dir, env, quiet: true });
  await exec('git', ['remote', 'add', 'origin', source], { cwd: dir, env, quiet: true });
  const metadata = join(dir, 'metadata.json');
  await exec(
    'docker',
    ['buildx', 'build', '--push', '--metadata-file', metadata, '--tag', ref, '--platform', platforms.join(','), `--provenance=mode=min,builder-id=${builderId}`, dir],
    { quiet: true, timeoutMs: 120_000 },
  );
  return String((JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, unknown>)['containerimage.digest']);
}

/** `digestpin verify ...` in-process: exit code, stdout and the log (where the one-line error goes). */
export async function verifyCli(args: string[]): Promise<{ code: number; out: string; log: string }> {
  const out: string[] = [];
  const logger = memoryLogger();
  const code = await runCli(['verify', ...args], { stdout: (t) => out.push(t), logger, env: {}, cwd: process.cwd() });
  return { code, out: out.join('\n'), log: logger.lines.join('\n') };
}
