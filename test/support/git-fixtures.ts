// Real bare git repositories in temp folders for tests and benchmarks. Every git call carries its own identity
// and ignores the machine's global/system config, so nothing set up by hand is needed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exec } from '../../src/runtime/exec.js';
import { FileError } from '../../src/runtime/errors.js';
import type { ChangedFile, FileEdit, PromotionRequest } from '../../src/gitops/types.js';

export const gitIdentityEnv: Record<string, string> = {
  GIT_AUTHOR_NAME: 'digestpin-fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
  GIT_COMMITTER_NAME: 'digestpin-fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  LC_ALL: 'C',
};

/** Runs git with the fixture identity; returns trimmed stdout. */
export async function git(args: readonly string[], cwd?: string, input?: string): Promise<string> {
  return (await exec('git', args, { cwd, env: gitIdentityEnv, input })).stdout.trim();
}

/** A `git fast-import` stream for one commit holding `files` (inline blobs), on top of `parent` if given. */
export function fastImportStream(files: Record<string, string>, branch: string, message = 'fixture', parent?: string): string {
  const parts = [`commit refs/heads/${branch}`, 'committer digestpin-fixture <fixture@example.invalid> 1700000000 +0000',
    `data ${Buffer.byteLength(message)}`, message];
  if (parent) parts.push(`from ${parent}`);
  for (const [path, text] of Object.entries(files)) {
    parts.push(`M 100644 inline ${path}`, `data ${Buffer.byteLength(text)}`, text);
  }
  return `${parts.join('\n')}\n\n`;
}

export interface BareRepo {
  /** Folder of the bare repository (usable as a local-path remote). */
  path: string;
  /** file:// URL of the same repository. */
  url: string;
  branch: string;
  git(args: readonly string[]): Promise<string>;
  /** Text of `file` at `ref` (default: the branch), or undefined when absent. */
  readFile(file: string, ref?: string): Promise<string | undefined>;
  /** Commit oid of `ref`, or undefined when the ref does not exist. */
  head(ref?: string): Promise<string | undefined>;
  /** Branch names. */
  branches(): Promise<string[]>;
  /** Installs an executable hook script (a test's stand-in for a server policy). */
  hook(name: string, script: string): Promise<void>;
  cleanup(): Promise<void>;
}

export interface BareRepoOptions {
  /** `git config` entries for the bare repository, e.g. `core.logAllRefUpdates: 'always'`. */
  config?: Record<string, string>;
}

/** A bare repository whose `branch` holds one commit with `files`. */
export async function createBareRepo(files: Record<string, string>, branch = 'main', options: BareRepoOptions = {}): Promise<BareRepo> {
  const root = await mkdtemp(join(tmpdir(), 'digestpin-bare-'));
  const path = join(root, 'gitops.git');
  await git(['init', '--quiet', '--bare', `--initial-branch=${branch}`, path]);
  for (const [key, value] of Object.entries(options.config ?? {})) await git(['config', key, value], path);
  if (Object.keys(files).length > 0) await git(['fast-import', '--quiet'], path, fastImportStream(files, branch));
  const run = (args: readonly string[]) => git(args, path);
  const head = async (ref = branch) => {
    const r = await exec('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${ref}^{commit}`], { cwd: path, allowFailure: true });
    return r.exitCode === 0 ? r.stdout.trim() : undefined;
  };
  return {
    path,
    url: pathToFileURL(path).href,
    branch,
    git: run,
    head,
    async readFile(file, ref = branch) {
      // --batch: the stripped final newline is the batch terminator, so the file's own trailing newline survives.
      const out = (await exec('git', ['cat-file', '--batch'], { cwd: path, input: `refs/heads/${ref}:${file}\n` })).stdout;
      const header = out.slice(0, out.indexOf('\n') === -1 ? out.length : out.indexOf('\n'));
      return / blob \d+$/.test(header) ? out.slice(header.length + 1) : undefined;
    },
    async branches() {
      const out = await run(['for-each-ref', '--format=%(refname:short)', 'refs/heads/']);
      return out ? out.split('\n') : [];
    },
    async hook(name, script) {
      const file = join(path, 'hooks', name);
      await writeFile(file, script);
      await chmod(file, 0o755);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

// ---- Promotion requests against these repositories (a minimal digest edit, independent of the values engine).

export const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

export function valuesFile(service: string, pin = digest(0)): string {
  return `image:\n  repository: registry.example/${service}\n  digest: ${pin}\n`;
}

/** Sets `digest:` in a values file; throws a FileError when the file or key is missing (a real conflict). */
export function pinEdit(path: string, service: string, newDigest: string): FileEdit {
  return {
    path,
    apply(current) {
      if (current === undefined) throw new FileError(path, undefined, 'file does not exist');
      const lines = current.split('\n');
      const index = lines.findIndex((l) => /^\s+digest:/.test(l));
      if (index < 0) throw new FileError(path, undefined, 'no image.digest key');
      const old = lines[index]!.split('digest:')[1]!.trim();
      lines[index] = lines[index]!.replace(/digest:.*/, `digest: ${newDigest}`);
      return {
        text: lines.join('\n'),
        summary: { service, environment: 'dev', file: path, imageRef: `registry.example/${service}@${newDigest}`, oldDigest: old, newDigest, diff: [`- digest: ${old}`, `+ digest: ${newDigest}`] },
      };
    },
  };
}

export function promotion(repository: string, edits: FileEdit[], overrides: Partial<PromotionRequest> = {}): PromotionRequest {
  return {
    repository,
    baseBranch: 'main',
    mode: 'direct',
    branch: 'digestpin/dev/app',
    edits,
    describe: (files: ChangedFile[]) => {
      const names = files.map((f) => f.summary?.service ?? f.path).join(', ');
      return { commitMessage: `Promote ${names} to dev\n\n${files.map((f) => f.path).join('\n')}`, title: `Promote ${names} to dev`, body: 'body' };
    },
    ...overrides,
  };
}

// All work folders of one test process live under one parent, removed when the process exits.
let workRoot: string | undefined;

export async function tempWorkDir(): Promise<string> {
  if (!workRoot) {
    const root = mkdtempSync(join(tmpdir(), 'digestpin-work-'));
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    workRoot = root;
  }
  return mkdtemp(join(workRoot, 'w-'));
}

/** What a backend left in its work folder (should be nothing). */
export async function leftovers(workDir: string): Promise<string[]> {
  return readdir(workDir);
}

export const noSleep = async () => {};

/**
 * Commits `bytes` at `path` on top of `branch` in the bare repository at `gitDir`, byte for byte (a Latin-1 file,
 * say, which a string-based fixture would re-encode). Returns the new commit id.
 */
export function commitBytes(gitDir: string, branch: string, path: string, bytes: Buffer, message = 'bytes fixture'): string {
  const head = execFileSync('git', ['rev-parse', `refs/heads/${branch}`], { cwd: gitDir, env: { ...process.env, ...gitIdentityEnv, GIT_DIR: gitDir } }).toString().trim();
  const stream = Buffer.concat([
    Buffer.from(`commit refs/heads/${branch}\ncommitter digestpin-fixture <fixture@example.invalid> 1700000001 +0000\ndata ${Buffer.byteLength(message)}\n${message}\nfrom ${head}\nM 100644 inline ${path}\ndata ${bytes.byteLength}\n`),
    bytes,
    Buffer.from('\n\n'),
  ]);
  execFileSync('git', ['fast-import', '--quiet'], { input: stream, env: { ...process.env, ...gitIdentityEnv, GIT_DIR: gitDir } });
  return execFileSync('git', ['rev-parse', `refs/heads/${branch}`], { env: { ...process.env, GIT_DIR: gitDir } }).toString().trim();
}
