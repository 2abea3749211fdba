// Contract of the GitOps engine (both backends). Keep these names stable.

/**
 * One file change, as a pure function of the file's current text, so that a backend can re-apply it to a
 * fresh head after a race (STALE_DATA, non-fast-forward). Throws a DigestpinError when the edit can't apply.
 */
export interface FileEdit {
  path: string;
  apply(current: string | undefined): FileEditResult;
}

export interface FileEditResult {
  text: string;
  /** Human-readable facts for the PR body (e.g. old and new digest), keyed freely. */
  summary?: EditSummary;
}

export interface EditSummary {
  service: string;
  environment: string;
  file: string;
  imageRef: string;
  oldDigest?: string;
  newDigest: string;
  /** The exact changed lines, as `- old` / `+ new` diff lines. */
  diff: string[];
}

export interface ChangedFile {
  path: string;
  before: string | undefined;
  after: string;
  summary?: EditSummary;
}

export interface PullRequestOptions {
  labels?: string[];
  reviewers?: string[];
  teamReviewers?: string[];
  assignees?: string[];
  draft?: boolean;
  autoMerge?: 'merge' | 'squash' | 'rebase';
  /** Overwrite a promotion branch that holds commits digestpin did not make (default: leave it, report `blocked`). */
  forceUpdate?: boolean;
  /** The token is the workflow's GITHUB_TOKEN: its PRs start no workflows, so required checks never run. */
  workflowToken?: boolean;
}

export interface PromotionRequest {
  /** `owner/name` (GitHub backend) or a git URL / local path (git backend). */
  repository: string;
  baseBranch: string;
  mode: 'direct' | 'pull-request';
  /** Promotion branch for pull-request mode, deterministic per target, e.g. `digestpin/dev/agents`. */
  branch: string;
  edits: FileEdit[];
  /** Commit message, PR title and PR body, rendered from the files that really changed. Pure. */
  describe(files: ChangedFile[]): { commitMessage: string; title: string; body: string };
  pullRequest?: PullRequestOptions;
  dryRun?: boolean;
}

/**
 * `blocked`: the promotion branch holds someone else's commits, left as they are. `skipped`: a person closed the PR
 * for this very change, so none is opened again. Both end the run successfully, with `reason` saying why.
 */
export type Operation = 'created' | 'updated' | 'unchanged' | 'closed' | 'committed' | 'none' | 'blocked' | 'skipped';

export interface PromotionResult {
  operation: Operation;
  commitSha?: string;
  branch?: string;
  pullRequestNumber?: number;
  pullRequestUrl?: string;
  changedFiles: ChangedFile[];
  /** One line for `blocked` and `skipped`: why nothing was written. */
  reason?: string;
  /** API calls or git network operations made (for benchmarks). */
  calls: number;
}

/** One commit of a file's history on the base branch (issue 11: soak time and rollback read it). */
export interface PinHistoryEntry {
  oid: string;
  /**
   * ISO 8601 (UTC): when the change reached the base branch. The committer date (git: along first parents, so a merge
   * is dated by the merge); GitHub: the later merge time when a PR merged with a merge commit brought it (B18).
   */
  committedAt: string;
  /** The file at that commit; undefined if absent. */
  text?: string;
}

export interface HistoryQuery {
  repository: string;
  baseBranch: string;
  path: string;
  limit: number;
}

export interface GitOpsBackend {
  promote(request: PromotionRequest): Promise<PromotionResult>;
  /** Newest first; only commits that changed `path`. Reads only, never writes. */
  history?(query: HistoryQuery): Promise<PinHistoryEntry[]>;
}
