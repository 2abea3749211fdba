// Turns a GitHub API failure (REST status or GraphQL error type) into one GitOpsError sentence that names what is
// missing: the token, `contents: write`, `pull-requests: write`, the Actions PR setting, or `workflows`. Redacted.
import { GitOpsError } from '../runtime/errors.js';
import { redact } from '../runtime/secrets.js';
import { boundFailure, GitHubTimeoutError } from './github/bounded-fetch.js';

/** What the backend was doing; decides which permission a 403/404 points at. */
export type GitHubStep =
  | 'read'
  | 'create-branch'
  | 'delete-branch'
  | 'commit'
  | 'open-pull-request'
  | 'update-pull-request'
  | 'close-pull-request'
  | 'pull-request-options'
  | 'read-blob'
  | 'move-branch'
  | 'comment';

export interface GitHubCallContext {
  step: GitHubStep;
  repository: string;
  /** Paths being written; a `.github/workflows/` path turns a refusal into the `workflows` hint. */
  paths?: string[];
}

interface Failure {
  status?: number;
  graphqlType?: string;
  message: string;
}

const PR_STEPS = new Set<GitHubStep>(['open-pull-request', 'update-pull-request', 'close-pull-request', 'pull-request-options', 'comment']);

/** Reads status, GraphQL error type and GitHub's own message from Octokit's RequestError / GraphqlResponseError. */
export function describeFailure(error: unknown): Failure {
  const e = error as {
    status?: number;
    message?: string;
    errors?: Array<{ type?: string; message?: string }>;
    response?: { data?: { message?: string; errors?: Array<{ type?: string; message?: string }> } };
  };
  const gqlErrors = e?.errors ?? e?.response?.data?.errors;
  const first = Array.isArray(gqlErrors) ? gqlErrors[0] : undefined;
  const dataMessage = typeof e?.response?.data?.message === 'string' ? e.response.data.message : undefined;
  const nested = Array.isArray(gqlErrors) ? gqlErrors.map((x) => x?.message).filter(Boolean).join('; ') : '';
  const message = [dataMessage, nested, e?.message].find((m) => typeof m === 'string' && m.length > 0) ?? String(error);
  return { status: typeof e?.status === 'number' ? e.status : undefined, graphqlType: first?.type, message };
}

function isWorkflowRefusal(f: Failure, ctx: GitHubCallContext): boolean {
  return /workflows?`? (scope|permission)/i.test(f.message) || (ctx.paths ?? []).some((p) => p.startsWith('.github/workflows/'));
}

function missing(f: Failure, ctx: GitHubCallContext): string {
  const repo = ctx.repository;
  if (/not permitted to create or approve pull requests/i.test(f.message)) {
    return `turn on the repository (or organization) setting "Allow GitHub Actions to create and approve pull requests" for ${repo}, or use a PAT / GitHub App token`;
  }
  if (isWorkflowRefusal(f, ctx) && !PR_STEPS.has(ctx.step)) {
    return `the token needs the \`workflows\` permission (scope) to change files under .github/workflows/ in ${repo}`;
  }
  if (ctx.step === 'read' || ctx.step === 'read-blob') {
    return `repository ${repo} was not found or the token cannot see it: check the name, and give the token \`contents: read\` on it (a GitHub App must be installed on it)`;
  }
  if (PR_STEPS.has(ctx.step)) return `the token needs \`pull-requests: write\` on ${repo}`;
  return `the token needs \`contents: write\` on ${repo}`;
}

/** One sentence for a failed GitHub call. Rate limits and 5xx say the call gave up after its retries. */
export function gitHubError(error: unknown, ctx: GitHubCallContext): GitOpsError {
  if (error instanceof GitOpsError) return error;
  const f = describeFailure(error);
  const where = `GitHub ${ctx.step} on ${ctx.repository}`;
  const bound = boundFailure(error);
  let text: string;
  if (bound) {
    // The status Octokit attaches to a failed fetch (500) was never sent by GitHub: say what really happened.
    text = bound instanceof GitHubTimeoutError ? `${where} timed out: ${bound.message}` : `${where} failed: ${bound.message}`;
    return new GitOpsError(redact(text), undefined, { cause: error });
  }
  if (f.status === 401 || /bad credentials/i.test(f.message)) {
    text = `${where} was refused (401 Bad credentials): set a valid token (a PAT, a GitHub App installation token or the workflow's GITHUB_TOKEN)`;
  } else if (f.graphqlType === 'RATE_LIMITED' || /rate limit/i.test(f.message)) {
    text = `${where} hit GitHub's rate limit and gave up waiting: ${f.message}`;
  } else if (f.status === 403 || f.status === 404 || f.graphqlType === 'FORBIDDEN' || f.graphqlType === 'NOT_FOUND') {
    text = `${where} was refused (${f.status ?? f.graphqlType}): ${missing(f, ctx)}`;
  } else if (f.status !== undefined && f.status >= 500) {
    text = `${where} failed: GitHub answered ${f.status} after retries (${f.message})`;
  } else {
    text = `${where} failed${f.status ? ` (${f.status})` : ''}: ${f.message}`;
  }
  return new GitOpsError(redact(text.replace(/\s*\n\s*/g, ' ')), f.status, { cause: error });
}
