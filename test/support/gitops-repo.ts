// A real bare GitOps repository in a temp dir, with the few read-backs end-to-end tests assert on.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';

export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'fixture',
  GIT_AUTHOR_EMAIL: 'fixture@digestpin.invalid',
  GIT_COMMITTER_NAME: 'fixture',
  GIT_COMMITTER_EMAIL: 'fixture@digestpin.invalid',
};

export interface GitOpsRepo {
  /** Path of the bare repository (usable as a git remote). */
  path: string;
  head(branch?: string): Promise<string>;
  read(file: string, branch?: string): Promise<string>;
  commitCount(branch?: string): Promise<number>;
  branches(): Promise<string[]>;
  log(): Promise<string>;
  remove(): Promise<void>;
}

export async function gitopsRepo(files: Record<string, string>, branch = 'main'): Promise<GitOpsRepo> {
  const root = mkdtempSync(join(tmpdir(), 'digestpin-gitops-'));
  const seed = join(root, 'seed');
  const path = join(root, 'gitops.git');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, file)), { recursive: true });
    writeFileSync(join(seed, file), text);
  }
  const git = (args: string[], cwd = root) => execa('git', args, { cwd, env: GIT_IDENTITY });
  await git(['init', '-q', '-b', branch], seed);
  await git(['add', '-A'], seed);
  await git(['commit', '-qm', 'seed'], seed);
  await git(['clone', '-q', '--bare', seed, path]);
  const bare = async (args: string[], strip = true) =>
    (await execa('git', ['--git-dir', path, ...args], { env: GIT_IDENTITY, stripFinalNewline: strip })).stdout;
  return {
    path,
    head: (b = branch) => bare(['rev-parse', `refs/heads/${b}`]),
    read: (file, b = branch) => bare(['show', `${b}:${file}`], false),
    commitCount: async (b = branch) => Number(await bare(['rev-list', '--count', b])),
    branches: async () => (await bare(['for-each-ref', '--format=%(refname:short)', 'refs/heads'])).split('\n').filter(Boolean).sort(),
    log: () => bare(['log', '--all', '--format=%H%n%an <%ae>%n%B']),
    remove: async () => rmSync(root, { recursive: true, force: true }),
  };
}
