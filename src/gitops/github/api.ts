// The narrow GitHub interface the backend uses: one GraphQL call and one REST call, each counted and each failure
// turned into a one-sentence GitOpsError. Errors the backend recovers from (races) are passed through as Recoverable.
import type { GitHubClient } from '../octokit.js';
import { describeFailure, gitHubError, type GitHubCallContext } from '../errors.js';

/** `lost`: a write whose outcome is unknown (no answer); one re-read tells whether it landed. */
export type Recoverable = 'stale' | 'ref-exists' | 'pr-exists' | 'lost';

/** A failure the backend handles itself (a race), with GitHub's message for the log. */
export class RecoverableError extends Error {
  constructor(
    readonly kind: Recoverable,
    message: string,
    /** For `lost`: the failure to report if the re-read shows the write did not land either. */
    readonly original?: unknown,
  ) {
    super(message);
  }
}

export interface GitHubApi {
  graphql<T>(query: string, variables: Record<string, unknown>, ctx: GitHubCallContext): Promise<T>;
  rest<T>(route: string, params: Record<string, unknown>, ctx: GitHubCallContext): Promise<T>;
  readonly calls: number;
}

/** Classifies GitHub's race answers: STALE_DATA / not a fast forward, "Reference already exists", PR exists. */
export function recoverable(error: unknown): Recoverable | undefined {
  const f = describeFailure(error);
  const text = `${f.message} ${JSON.stringify((error as { response?: { data?: unknown } })?.response?.data ?? '')}`;
  if (f.graphqlType === 'STALE_DATA' || /not a fast.?forward|expected branch to point to/i.test(text)) return 'stale';
  if (/reference already exists/i.test(text)) return 'ref-exists';
  if (/a pull request already exists/i.test(text)) return 'pr-exists';
  // The branch was moved back to base between our read and the PR request: re-read.
  if (/no commits between/i.test(text)) return 'stale';
  return undefined;
}

export function createApi(octokit: GitHubClient): GitHubApi {
  let calls = 0;
  const guard = async <T>(ctx: GitHubCallContext, fn: () => Promise<T>): Promise<T> => {
    calls += 1;
    try {
      return await fn();
    } catch (error) {
      const kind = recoverable(error);
      if (kind) throw new RecoverableError(kind, describeFailure(error).message);
      throw gitHubError(error, ctx);
    }
  };
  return {
    graphql: (query, variables, ctx) => guard(ctx, () => octokit.graphql(query, variables)),
    rest: (route, params, ctx) => guard(ctx, async () => (await octokit.request(route, params)).data),
    get calls() {
      return calls;
    },
  };
}
