// Stateful GitHub double over a real bare repository (github-double-git.ts). It serves exactly what the GitHub
// backend calls: the GraphQL read query and mutations (executed against GitHub's real schema, github-double-graph.ts)
// and four REST endpoints, and implements every entry of test/github/behaviours.md: STALE_DATA, 422s ("Reference
// already exists", "Update is not a fast forward", "A pull request already exists", "No commits between"), PRs closed
// by GitHub when their head is deleted or reset to base, fork PRs, truncated blobs, and injected faults.
import { execute, parse } from 'graphql';
import { COVERED_OPERATIONS } from './github-openapi.js';
import { contract, gitHubGraphqlSchema, interceptGitHub, type Exchange, type GitHubInterceptor, type Reply } from './github-contract.js';
import { BareRepo, ZERO_OID, type CommitOptions, type Identity } from './github-double-git.js';
import { GhError, mutationRoot, queryRoot, type DoublePullRequest, type GraphHost } from './github-double-graph.js';
import { overlay, sampleFromSchema } from './github-samples.js';

export type { DoublePullRequest } from './github-double-graph.js';

export interface DoubleOptions {
  owner?: string;
  repo?: string;
  baseBranch?: string;
  files: Record<string, string>;
  labels?: string[];
  users?: string[];
  teams?: string[];
  /** Repository setting "Allow auto-merge" (GitHub's default is off; the double's is on unless set). */
  autoMergeAllowed?: boolean;
  /** The token is a workflow's GITHUB_TOKEN: organization teams can't be read. */
  workflowToken?: boolean;
  /** Author of createCommitOnBranch commits (the token's user). */
  viewer?: Identity;
  /** A private repository on GitHub Free/Pro: `POST /pulls` with `draft: true` is refused with 422 (behaviour B20). */
  draftUnsupported?: boolean;
}

const DOCS = 'https://docs.github.com/rest';
const validation = (message: string): Reply => ({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message }], documentation_url: DOCS } });

export class GitHubDouble implements GraphHost {
  readonly owner: string;
  readonly name: string;
  readonly pulls: DoublePullRequest[] = [];
  private faults: Array<{ match: (ex: Exchange) => boolean; reply: Reply; times: number }> = [];
  private hooks: Array<{ match: (ex: Exchange) => boolean; action: () => Promise<unknown> }> = [];
  private nextNumber = 1;
  private lost: Array<(ex: Exchange) => boolean> = [];
  private stalls: Array<(ex: Exchange) => boolean> = [];
  interceptor!: GitHubInterceptor;

  private constructor(
    readonly git: BareRepo,
    readonly options: DoubleOptions,
  ) {
    this.owner = options.owner ?? 'acme';
    this.name = options.repo ?? 'gitops';
  }

  /** Creates the bare repository with `files` on the base branch and starts intercepting api.github.com. */
  static async start(options: DoubleOptions): Promise<GitHubDouble> {
    const git = await BareRepo.create(options.files, options.baseBranch ?? 'main');
    const double = new GitHubDouble(git, options);
    double.interceptor = interceptGitHub((ex) => double.handle(ex));
    return double;
  }

  async stop(): Promise<void> {
    this.interceptor.stop();
    await this.git.remove();
  }

  /** The next `times` requests matching `match` get `reply` instead of being served (a fault). */
  failNext(match: (ex: Exchange) => boolean, reply: Reply, times = 1): void {
    this.faults.push({ match, reply, times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** The next request matching `match` is served (it takes effect), but the answer never arrives: the connection drops. */
  loseAnswer(match: (ex: Exchange) => boolean): void {
    this.lost.push(match);
  }

  /** Requests matching `match` are never answered (a GitHub that hangs); `release()` lets them fail. */
  stall(match: (ex: Exchange) => boolean): void {
    this.stalls.push(match);
  }

  /** Runs `action` (e.g. another run landing a commit) just before the next request matching `match` is served. */
  before(match: (ex: Exchange) => boolean, action: () => Promise<unknown>): void {
    this.hooks.push({ match, action });
  }

  openPulls(head?: string): DoublePullRequest[] {
    return this.pulls.filter((p) => p.state === 'OPEN' && (head === undefined || p.head === head));
  }

  async text(ref: string, path: string): Promise<string | undefined> {
    return (await this.git.readBlobs([`${ref}:${path}`]))[0] ?? undefined;
  }

  async handle(ex: Exchange): Promise<Reply> {
    const fault = this.faults.find((f) => f.times > 0 && f.match(ex));
    if (fault) {
      fault.times -= 1;
      return fault.reply;
    }
    if (this.stalls.some((m) => m(ex))) return new Promise<Reply>(() => undefined);
    const hook = this.hooks.findIndex((h) => h.match(ex));
    if (hook >= 0) await this.hooks.splice(hook, 1)[0]?.action();
    const lose = this.lost.findIndex((m) => m(ex));
    if (lose >= 0) {
      this.lost.splice(lose, 1);
      await this.serve(ex);
      return { dropConnection: 'socket hang up after the request was served' };
    }
    return this.serve(ex);
  }

  private async serve(ex: Exchange): Promise<Reply> {
    if (ex.path === '/graphql') return this.graphql(ex.body as { query: string; variables?: Record<string, unknown> });
    switch (ex.operationId) {
      case 'git/create-ref':
        return this.createRef(ex.body as { ref: string; sha: string });
      case 'git/update-ref':
        return this.updateRef(`refs/${ex.params.ref}`, ex.body as { sha: string; force?: boolean });
      case 'git/delete-ref':
        return this.deleteRefRest(`refs/${ex.params.ref}`);
      case 'pulls/create':
        return this.createPull(ex.body as { head: string; base: string; title: string; body?: string; draft?: boolean });
      case 'git/get-blob':
        return this.getBlob(ex.params.file_sha ?? '');
      default:
        return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    }
  }

  private gitRef(ref: string, sha: string) {
    const url = `https://api.github.com/repos/${this.owner}/${this.name}/git/${ref}`;
    return { ref, node_id: `REF_${ref}`, url, object: { type: 'commit', sha, url: `${url}/commit` } };
  }

  private async createRef(body: { ref: string; sha: string }): Promise<Reply> {
    if (!(await this.git.revParse(body.sha))) return { status: 422, body: { message: 'Object does not exist', documentation_url: DOCS } };
    if (!(await this.git.compareAndSwap(body.ref, body.sha, ZERO_OID))) return { status: 422, body: { message: 'Reference already exists', documentation_url: DOCS } };
    await this.syncPulls();
    return { status: 201, body: this.gitRef(body.ref, body.sha) };
  }

  private async updateRef(ref: string, body: { sha: string; force?: boolean }): Promise<Reply> {
    const old = await this.git.revParse(ref);
    if (!old) return { status: 422, body: { message: 'Reference does not exist', documentation_url: DOCS } };
    if (!body.force && !(await this.git.isAncestor(old, body.sha))) return { status: 422, body: { message: 'Update is not a fast forward', documentation_url: DOCS } };
    if (!(await this.git.compareAndSwap(ref, body.sha, old))) return { status: 422, body: { message: 'Update is not a fast forward', documentation_url: DOCS } };
    await this.syncPulls();
    return { status: 200, body: this.gitRef(ref, body.sha) };
  }

  /** `DELETE /git/refs/{ref}`: 204, or 422 "Reference does not exist" (GitHub's answer for a missing ref). */
  private async deleteRefRest(ref: string): Promise<Reply> {
    const old = await this.git.revParse(ref);
    if (!old || !(await this.git.deleteRef(ref, old))) return { status: 422, body: { message: 'Reference does not exist', documentation_url: DOCS } };
    await this.syncPulls();
    return { status: 204 };
  }

  private async createPull(body: { head: string; base: string; title: string; body?: string; draft?: boolean }): Promise<Reply> {
    // Behaviour B20: checked before anything else, as GitHub does for a repository plan without draft PRs.
    if (body.draft && this.options.draftUnsupported) return { status: 422, body: { message: 'Draft pull requests are not supported in this repository.', documentation_url: `${DOCS}/pulls/pulls#create-a-pull-request` } };
    const [head, base] = await Promise.all([this.git.revParse(`refs/heads/${body.head}`), this.git.revParse(`refs/heads/${body.base}`)]);
    if (!head || !base) return validation(`${head ? 'base' : 'head'} branch does not exist`);
    if (await this.git.isAncestor(head, base)) return validation(`No commits between ${body.base} and ${body.head}`);
    // No await between the check and the insert: racing requests see each other, as on GitHub.
    if (this.openPulls(body.head).some((p) => p.base === body.base && p.headRepository === this.nameWithOwner)) return validation(`A pull request already exists for ${this.owner}:${body.head}.`);
    const pr = this.addPull({ head: body.head, base: body.base, title: body.title, body: body.body ?? '', draft: Boolean(body.draft) });
    await this.syncPulls();
    const schema = contract().spec.covered['pulls/create']?.responses['201'];
    const reply = overlay(sampleFromSchema(schema as never), {
      id: pr.number, node_id: pr.id, number: pr.number, html_url: pr.url, title: pr.title, body: pr.body, state: 'open', draft: pr.draft,
      head: { ref: body.head, sha: head }, base: { ref: body.base, sha: base },
    });
    return { status: 201, body: reply };
  }

  get defaultBranch(): string {
    return this.options.baseBranch ?? 'main';
  }

  /**
   * A person merges PR `number` with "Create a merge commit" at `committedAt` (epoch seconds): a real two-parent merge
   * on the base branch, the PR `MERGED` with `mergedAt`, and the commits it brought kept for associatedPullRequests.
   */
  async mergePull(number: number, committedAt = Math.floor(Date.now() / 1000)): Promise<string> {
    const pr = this.pulls.find((p) => p.number === number && p.state === 'OPEN');
    if (!pr) throw new Error(`no open pull request #${number}`);
    const baseRef = `refs/heads/${pr.base}`;
    const [base, head] = await Promise.all([this.git.revParse(baseRef), this.git.revParse(`refs/heads/${pr.head}`)]);
    if (!base || !head) throw new Error(`#${number}: head or base branch is gone`);
    const commitOids = (await this.git.commitsBetween(base, head)).map((c) => c.oid);
    const merge = await this.git.mergeCommit(base, head, `Merge pull request #${number} from ${this.owner}/${pr.head}`, committedAt);
    if (!merge) throw new Error(`#${number} does not merge cleanly`);
    if (!(await this.git.compareAndSwap(baseRef, merge, base))) throw new Error(`merge of #${number} raced`);
    Object.assign(pr, { state: 'MERGED', mergedAt: new Date(committedAt * 1000).toISOString().replace('.000Z', 'Z'), mergeCommit: merge, commitOids });
    await this.syncPulls();
    return merge;
  }

  /**
   * A person merges PR `number` with "Squash and merge": one new single-parent commit on base with the head's tree, the
   * PR `MERGED`, and the head branch left where it was (GitHub deletes head branches only when the repository setting
   * "Automatically delete head branches" is on, which is off by default: behaviour B19).
   */
  async squashPull(number: number): Promise<string> {
    const pr = this.pulls.find((p) => p.number === number && p.state === 'OPEN');
    if (!pr) throw new Error(`no open pull request #${number}`);
    const baseRef = `refs/heads/${pr.base}`;
    const [base, head] = await Promise.all([this.git.revParse(baseRef), this.git.revParse(`refs/heads/${pr.head}`)]);
    if (!base || !head) throw new Error(`#${number}: head or base branch is gone`);
    const squash = await this.git.squashCommit(base, head, `${pr.title} (#${number})`);
    if (!squash) throw new Error(`#${number} does not merge cleanly`);
    if (!(await this.git.compareAndSwap(baseRef, squash, base))) throw new Error(`squash of #${number} raced`);
    Object.assign(pr, { state: 'MERGED', mergedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), mergeCommit: squash, commitOids: [squash] });
    await this.syncPulls();
    return squash;
  }

  get nameWithOwner(): string {
    return `${this.owner}/${this.name}`;
  }

  /** Adds a PR as GitHub would hold it; `headRepository` other than this one makes it a fork PR. */
  addPull(p: { head: string; base: string; title: string; body?: string; draft?: boolean; headRepository?: string }): DoublePullRequest {
    const number = this.nextNumber++;
    const pr: DoublePullRequest = {
      id: `PR_${number}`, number, url: `https://github.com/${this.owner}/${this.name}/pull/${number}`, title: p.title, body: p.body ?? '',
      head: p.head, base: p.base, headRepository: p.headRepository ?? this.nameWithOwner, state: 'OPEN', draft: Boolean(p.draft),
      comments: [], labelIds: [], reviewerIds: [], assigneeIds: [],
    };
    this.pulls.push(pr);
    return pr;
  }

  /** A person closes the PR without merging. */
  closeByPerson(number: number): void {
    const pr = this.pulls.find((p) => p.number === number);
    if (pr) Object.assign(pr, { state: 'CLOSED', closedBy: 'person' });
  }

  /** A person pushes a commit onto `branch` from a clone: their own committer identity, no web-flow. */
  async pushCommit(branch: string, files: Record<string, string>, message: string, who: Identity = { name: 'Rita Reviewer', email: 'rita@example.com' }): Promise<string> {
    const ref = `refs/heads/${branch}`;
    const head = await this.git.revParse(ref);
    const oid = await this.git.commitFiles(head, Object.entries(files).map(([path, text]) => ({ path, text })), message, { author: who, committer: who });
    if (!(await this.git.compareAndSwap(ref, oid, head ?? ZERO_OID))) throw new Error(`push to ${branch} raced`);
    await this.syncPulls();
    return oid;
  }

  /**
   * A commit on `branch` as history fixtures need it: chosen dates (`committedAt`, `authoredAt`, epoch seconds), a
   * merge (`merge: [otherHead]`), a deletion (`text: undefined`) or raw bytes. Creates the branch from `from` if new.
   */
  async commitAt(branch: string, files: Record<string, string | Buffer | undefined>, message: string, options: CommitOptions & { from?: string } = {}): Promise<string> {
    const ref = `refs/heads/${branch}`;
    const head = await this.git.revParse(ref);
    const who = { name: 'Rita Reviewer', email: 'rita@example.com' };
    const oid = await this.git.commitFiles(head ?? options.from, Object.entries(files).map(([path, text]) => ({ path, text })), message, { author: who, committer: who, ...options });
    if (!(await this.git.compareAndSwap(ref, oid, head ?? ZERO_OID))) throw new Error(`commit to ${branch} raced`);
    await this.syncPulls();
    return oid;
  }

  /** A person deletes the branch (e.g. "Delete branch" on the PR page). */
  async deleteBranch(branch: string): Promise<void> {
    const ref = `refs/heads/${branch}`;
    const head = await this.git.revParse(ref);
    if (head) await this.git.deleteRef(ref, head);
    await this.syncPulls();
  }

  /**
   * GitHub closes an open PR whose head branch was deleted, or whose head has no commits left against its base
   * (e.g. the branch was reset to base), and such a PR can't be reopened (behaviours B1, B2).
   */
  async syncPulls(): Promise<void> {
    const open = this.pulls.filter((pr) => pr.state === 'OPEN' && pr.headRepository === this.nameWithOwner);
    if (open.length === 0) return;
    // One git call for every branch; only a PR whose head or base moved is checked again (a fleet of open PRs
    // would otherwise cost git processes per PR on every ref change).
    const refs = await this.git.refMap();
    for (const pr of open) {
      const head = refs.get(`refs/heads/${pr.head}`);
      const base = refs.get(`refs/heads/${pr.base}`);
      if (pr.synced && pr.synced.head === head && pr.synced.base === base) continue;
      pr.synced = { head, base };
      // Behaviour B19: refs/pull/N/head follows the head while the PR is open and stays when the PR closes or merges.
      if (head && head !== pr.pullRef && (await this.git.compareAndSwap(`refs/pull/${pr.number}/head`, head, pr.pullRef ?? ZERO_OID))) pr.pullRef = head;
      if (!head || !base || (await this.git.isAncestor(head, base))) Object.assign(pr, { state: 'CLOSED', closedBy: 'github' });
    }
  }

  private async getBlob(sha: string): Promise<Reply> {
    const [o] = await this.git.readObjects([sha]);
    if (!o || o.kind !== 'blob') return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
    const url = `https://api.github.com/repos/${this.nameWithOwner}/git/blobs/${o.oid}`;
    return { status: 200, body: { sha: o.oid, node_id: `B_${o.oid}`, size: o.bytes.byteLength, url, content: o.bytes.toString('base64'), encoding: 'base64' } };
  }

  private pending: Array<{ expression: string; resolve: (o: { oid: string; kind: string; bytes: Buffer } | undefined) => void; reject: (e: unknown) => void }> = [];

  /** Batches the `object(expression:)` fields of one query into a single `git cat-file --batch`. */
  readBlob(expression: string): Promise<{ oid: string; kind: string; bytes: Buffer } | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) {
        setImmediate(() => {
          const batch = this.pending;
          this.pending = [];
          this.git.readObjects(batch.map((b) => b.expression)).then(
            (objects) => batch.forEach((b, i) => b.resolve(objects[i])),
            (error: unknown) => batch.forEach((b) => b.reject(error)),
          );
        });
      }
      this.pending.push({ expression, resolve, reject });
    });
  }

  private async graphql(body: { query: string; variables?: Record<string, unknown> }): Promise<Reply> {
    const document = parse(body.query);
    const isMutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');
    const root = isMutation ? mutationRoot(this) : queryRoot(this);
    const result = await execute({ schema: gitHubGraphqlSchema(), document, rootValue: root, variableValues: body.variables });
    const errors = (result.errors ?? []).map((e) => ({
      type: e.originalError instanceof GhError ? e.originalError.type : 'INTERNAL',
      path: e.path,
      locations: e.locations,
      message: e.message,
    }));
    return { status: 200, body: errors.length ? { data: result.data ?? null, errors } : { data: result.data } };
  }
}

export { COVERED_OPERATIONS };

/** Matches a GraphQL request by the mutation or query field it runs, e.g. `createCommitOnBranch`. */
export function graphqlField(field: string): (ex: Exchange) => boolean {
  return (ex) => ex.path === '/graphql' && new RegExp(`\\b${field}\\(`).test(String((ex.body as { query?: string })?.query));
}
