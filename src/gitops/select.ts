// Picks the GitOps backend for a repository: `owner/name` is GitHub; a URL, an scp-style address or a
// path (./x, /x, file:) is the plain-git backend. Heavy clients load only for the backend in use.
import { InputError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import type { GitOpsBackend } from './types.js';

const GITHUB_REPO = /^([A-Za-z0-9-]+)\/([\w.-]+)$/;

export function isGitHubRepository(repository: string): boolean {
  return GITHUB_REPO.test(repository);
}

export interface BackendOptions {
  repository: string;
  token?: string;
  apiUrl?: string;
  tempDir: string;
  logger: Logger;
}

export async function createBackend(options: BackendOptions): Promise<GitOpsBackend> {
  const match = GITHUB_REPO.exec(options.repository);
  if (match) {
    if (!options.token) throw new InputError('gitops-token', `is required for the GitHub repository ${options.repository} (a PAT, an App installation token or GITHUB_TOKEN)`);
    const [{ createOctokit }, { createGitHubBackend }] = await Promise.all([import('./octokit.js'), import('./github/index.js')]);
    const octokit = createOctokit({ token: options.token, baseUrl: options.apiUrl, logger: options.logger });
    return createGitHubBackend({ octokit, owner: match[1]!, repo: match[2]!, logger: options.logger });
  }
  const { createGitBackend } = await import('./git/index.js');
  return createGitBackend({ remote: options.repository, workDir: options.tempDir, logger: options.logger });
}
