// Shared fixtures for the GitHub backend's tests and benchmark: digests, FileEdits built on the real pinning engine,
// a PR text renderer, fast Octokit settings (waits scaled to ~1 ms) and short race backoff.
import { createHash } from 'node:crypto';
import { createOctokit } from '../../src/gitops/octokit.js';
import { createGitHubBackend } from '../../src/gitops/github/index.js';
import type { ChangedFile, FileEdit, PromotionRequest } from '../../src/gitops/types.js';
import { memoryLogger } from '../../src/runtime/logger.js';
import { pinText } from '../../src/values/index.js';
import type { GitHubDouble } from './github-double.js';

export const TOKEN = 'ghp_TestTokenThatMustNeverLeak0123456789';
export const IMAGE = 'registry.test/acme/app';

export function digestOf(seed: string | number): string {
  return `sha256:${createHash('sha256').update(String(seed)).digest('hex')}`;
}

export function helmValues(digest: string, repository = IMAGE): string {
  return `replicas: 2\nimage:\n  repository: ${repository}\n  digest: ${digest}\n`;
}

/** Pins `digest` at `yamlPath` (default: the Helm `image` block) of `path`, with the real pinning engine. */
export function pinEdit(path: string, service: string, digest: string, options: { environment?: string; yamlPath?: string } = {}): FileEdit {
  return {
    path,
    apply(current) {
      if (current === undefined) throw new Error(`${path} does not exist`);
      const target = options.yamlPath ? ({ kind: 'yaml-path', path: options.yamlPath } as const) : ({ kind: 'helm', path: 'image' } as const);
      const r = pinText(current, [{ target, digest, repository: IMAGE }], { file: path });
      const diff = r.changes.map((c) => `- ${c.before ?? ''}\n+ ${c.after ?? ''}`);
      return {
        text: r.text,
        summary: { service, environment: options.environment ?? 'staging', file: path, imageRef: `${IMAGE}@${digest}`, oldDigest: r.previousDigest, newDigest: digest, diff },
      };
    },
  };
}

export function describeFiles(files: ChangedFile[]): { commitMessage: string; title: string; body: string } {
  const services = [...new Set(files.map((f) => f.summary?.service ?? f.path))].join(', ');
  const digest = files[0]?.summary?.newDigest.slice(0, 14) ?? '';
  const title = `Promote ${services} to staging (${digest})`;
  const rows = files.map((f) => `| ${f.summary?.service} | ${f.path} | ${f.summary?.oldDigest ?? ''} -> ${f.summary?.newDigest} |`);
  return { commitMessage: `${title}\n\n${rows.join('\n')}`, title, body: rows.join('\n') };
}

export function promotion(edits: FileEdit[], overrides: Partial<PromotionRequest> = {}): PromotionRequest {
  return { repository: 'acme/gitops', baseBranch: 'main', mode: 'pull-request', branch: 'digestpin/staging/app', edits, describe: describeFiles, ...overrides };
}

/** Octokit with every wait scaled to 1 ms per second, no gap between mutations; as a CI run would make it otherwise. */
export type OctokitExtra = { retries?: number; maxWaitSeconds?: number; requestTimeoutMs?: number; callTimeoutMs?: number; maxResponseBytes?: number };

export function fastOctokit(extra: OctokitExtra = {}) {
  const logger = memoryLogger();
  const octokit = createOctokit({ token: TOKEN, logger, msPerSecond: 1, mutationGapMs: 0, notificationGapMs: 0, ...extra });
  return { octokit, logger };
}

export function backendFor(double: GitHubDouble, options: OctokitExtra & { attempts?: number; baseDelayMs?: number; maxDelayMs?: number } = {}) {
  const { attempts: _a, baseDelayMs: _b, maxDelayMs: _m, ...extra } = options;
  const { octokit, logger } = fastOctokit(extra);
  const backend = createGitHubBackend({
    octokit,
    owner: double.owner,
    repo: double.name,
    logger,
    retry: { attempts: options.attempts ?? 10, baseDelayMs: options.baseDelayMs ?? 5, maxDelayMs: options.maxDelayMs ?? 200 },
  });
  return { backend, logger };
}
