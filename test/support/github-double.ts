// Stateful GitHub double over a real bare repository (github-double-git.ts). It serves exactly what the GitHub
// backend calls: the GraphQL read query and mutations (executed against GitHub's real schema) and three REST
// endpoints, answering as GitHub documents: STALE_DATA, 422s ("Reference already exists", "Update is not a fast
// forward", "A pull request already exists"), and injected faults (5xx, secondary limits, RATE_LIMITED, drops).
import { execute, parse } from 'graphql';
import { COVERED_OPERATIONS } from './github-openapi.js';
import { contract, gitHubGraphqlSchema, interceptGitHub, type Exchange, type GitHubInterceptor, type Reply } from './github-contract.js';
import { BareRepo, ZERO_OID } from './github-double-git.js';
import { overlay, sampleFromSchema } from './github-samples.js';

export interface DoublePullRequest {
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
  head: string;
  base: string;
  state: 'OPEN' | 'CLOSED';
  draft: boolean;
  comments: string[];
  labelIds: string[];
  reviewerIds: string[];
  assigneeIds: string[];
  autoMerge?: string;
}

export interface DoubleOptions {
  owner?: string;
  repo?: string;
  baseBranch?: string;
  files: Record<string, string>;
  labels?: string[];
  users?: string[];
  teams?: string[];
}

class GhError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const DOCS = 'https://docs.github.com/rest';
const validation = (message: string): Reply => ({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message }], documentation_url: DOCS } });

export class GitHubDouble {
  readonly owner: string;
  readonly name: string;
  readonly pulls: DoublePullRequest[] = [];
  private faults: Array<{ match: (ex: Exchange) => boolean; reply: Reply; times: number }> = [];
  private hooks: Array<{ match: (ex: Exchange) => boolean; action: () => Promise<unknown> }> = [];
  private nextNumber = 1;
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
    const hook = this.hooks.findIndex((h) => h.match(ex));
    if (hook >= 0) await this.hooks.splice(hook, 1)[0]?.action();
    if (ex.path === '/graphql') return this.graphql(ex.body as { query: string; variables?: Record<string, unknown> });
    switch (ex.operationId) {
      case 'git/create-ref':
        return this.createRef(ex.body as { ref: string; sha: string });
      case 'git/update-ref':
        return this.updateRef(`refs/${ex.params.ref}`, ex.body as { sha: string; force?: boolean });
      case 'pulls/create':
        return this.createPull(ex.body as { head: string; base: string; title: string; body?: string; draft?: boolean });
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
    return { status: 201, body: this.gitRef(body.ref, body.sha) };
  }

  private async updateRef(ref: string, body: { sha: string; force?: boolean }): Promise<Reply> {
    const old = await this.git.revParse(ref);
    if (!old) return { status: 422, body: { message: 'Reference does not exist', documentation_url: DOCS } };
    if (!body.force && !(await this.git.isAncestor(old, body.sha))) return { status: 422, body: { message: 'Update is not a fast forward', documentation_url: DOCS } };
    if (!(await this.git.compareAndSwap(ref, body.sha, old))) return { status: 422, body: { message: 'Update is not a fast forward', documentation_url: DOCS } };
    return { status: 200, body: this.gitRef(ref, body.sha) };
  }

  private async createPull(body: { head: string; base: string; title: string; body?: string; draft?: boolean }): Promise<Reply> {
    const [head, base] = await Promise.all([this.git.revParse(`refs/heads/${body.head}`), this.git.revParse(`refs/heads/${body.base}`)]);
    if (!head || !base) return validation(`${head ? 'base' : 'head'} branch does not exist`);
    if (head === base) return validation(`No commits between ${body.base} and ${body.head}`);
    // No await between the check and the insert: racing requests see each other, as on GitHub.
    if (this.openPulls(body.head).some((p) => p.base === body.base)) return validation(`A pull request already exists for ${this.owner}:${body.head}.`);
    const number = this.nextNumber++;
    const pr: DoublePullRequest = {
      id: `PR_${number}`, number, url: `https://github.com/${this.owner}/${this.name}/pull/${number}`, title: body.title, body: body.body ?? '',
      head: body.head, base: body.base, state: 'OPEN', draft: Boolean(body.draft), comments: [], labelIds: [], reviewerIds: [], assigneeIds: [],
    };
    this.pulls.push(pr);
    const schema = contract().spec.covered['pulls/create']?.responses['201'];
    const reply = overlay(sampleFromSchema(schema as never), {
      id: number, node_id: pr.id, number, html_url: pr.url, title: pr.title, body: pr.body, state: 'open', draft: pr.draft,
      head: { ref: body.head, sha: head }, base: { ref: body.base, sha: base },
    });
    return { status: 201, body: reply };
  }

  private pending: Array<{ expression: string; resolve: (t: string | null | undefined) => void; reject: (e: unknown) => void }> = [];

  /** Batches the `object(expression:)` fields of one query into a single `git cat-file --batch`. */
  private readBlob(expression: string): Promise<string | null | undefined> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) {
        setImmediate(() => {
          const batch = this.pending;
          this.pending = [];
          this.git.readBlobs(batch.map((b) => b.expression)).then(
            (texts) => batch.forEach((b, i) => b.resolve(texts[i])),
            (error: unknown) => batch.forEach((b) => b.reject(error)),
          );
        });
      }
      this.pending.push({ expression, resolve, reject });
    });
  }

  private pull(id: string): DoublePullRequest {
    const pr = this.pulls.find((p) => p.id === id);
    if (!pr) throw new GhError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
    return pr;
  }

  private prNode(pr: DoublePullRequest) {
    return { ...pr, state: pr.state };
  }

  private repository() {
    const repoId = `R_${this.owner}_${this.name}`;
    return {
      id: repoId,
      nameWithOwner: `${this.owner}/${this.name}`,
      ref: async ({ qualifiedName }: { qualifiedName: string }) => {
        const oid = await this.git.revParse(qualifiedName);
        return oid ? { target: { __typename: 'Commit', oid } } : null;
      },
      object: async ({ expression }: { expression: string }) => {
        const text = await this.readBlob(expression);
        if (text === undefined) return null;
        return text === null ? { __typename: 'Tree' } : { __typename: 'Blob', text };
      },
      pullRequests: ({ headRefName, baseRefName }: { headRefName?: string; baseRefName?: string }) => ({
        nodes: this.openPulls(headRefName).filter((p) => !baseRefName || p.base === baseRefName).map((p) => this.prNode(p)),
      }),
      label: ({ name }: { name: string }) => ((this.options.labels ?? []).includes(name) ? { id: `LA_${name}`, name } : null),
      assignableUsers: ({ query }: { query: string }) => ({
        nodes: (this.options.users ?? []).filter((u) => u.toLowerCase().includes(query.toLowerCase())).map((login) => ({ id: `U_${login}`, login })),
      }),
      owner: { __typename: 'Organization', team: ({ slug }: { slug: string }) => ((this.options.teams ?? []).includes(slug) ? { id: `T_${slug}`, slug } : null) },
    };
  }

  private async createCommitOnBranch({ input }: { input: { branch: { branchName: string }; expectedHeadOid: string; message: { headline: string; body?: string }; fileChanges?: { additions?: Array<{ path: string; contents: string }>; deletions?: Array<{ path: string }> } } }) {
    const ref = `refs/heads/${input.branch.branchName}`;
    const head = await this.git.revParse(ref);
    if (!head) throw new GhError('NOT_FOUND', `Could not resolve to a Ref with the name ${input.branch.branchName}.`);
    const stale = () => new GhError('STALE_DATA', `Expected branch to point to "${input.expectedHeadOid}" but it did not. Pull and try again.`);
    if (head !== input.expectedHeadOid) throw stale();
    const files = [
      ...(input.fileChanges?.additions ?? []).map((a) => ({ path: a.path, text: Buffer.from(a.contents, 'base64').toString('utf8') })),
      ...(input.fileChanges?.deletions ?? []).map((d) => ({ path: d.path })),
    ];
    const message = input.message.body ? `${input.message.headline}\n\n${input.message.body}` : input.message.headline;
    const oid = await this.git.commitFiles(head, files, message);
    if (!(await this.git.compareAndSwap(ref, oid, head))) throw stale();
    return { commit: { oid, url: `https://github.com/${this.owner}/${this.name}/commit/${oid}` } };
  }

  private mutations() {
    return {
      createCommitOnBranch: (args: never) => this.createCommitOnBranch(args),
      updatePullRequest: ({ input }: { input: { pullRequestId: string; title?: string; body?: string } }) => {
        const pr = this.pull(input.pullRequestId);
        if (input.title !== undefined) pr.title = input.title;
        if (input.body !== undefined) pr.body = input.body;
        return { pullRequest: this.prNode(pr) };
      },
      addComment: ({ input }: { input: { subjectId: string; body: string } }) => {
        this.pull(input.subjectId).comments.push(input.body);
        return { clientMutationId: null };
      },
      closePullRequest: ({ input }: { input: { pullRequestId: string } }) => {
        const pr = this.pull(input.pullRequestId);
        pr.state = 'CLOSED';
        return { pullRequest: this.prNode(pr) };
      },
      addLabelsToLabelable: ({ input }: { input: { labelableId: string; labelIds: string[] } }) => {
        this.pull(input.labelableId).labelIds.push(...input.labelIds);
        return { clientMutationId: null };
      },
      requestReviews: ({ input }: { input: { pullRequestId: string; userIds?: string[]; teamIds?: string[] } }) => {
        this.pull(input.pullRequestId).reviewerIds.push(...(input.userIds ?? []), ...(input.teamIds ?? []));
        return { clientMutationId: null };
      },
      addAssigneesToAssignable: ({ input }: { input: { assignableId: string; assigneeIds: string[] } }) => {
        this.pull(input.assignableId).assigneeIds.push(...input.assigneeIds);
        return { clientMutationId: null };
      },
      enablePullRequestAutoMerge: ({ input }: { input: { pullRequestId: string; mergeMethod?: string } }) => {
        this.pull(input.pullRequestId).autoMerge = input.mergeMethod ?? 'MERGE';
        return { clientMutationId: null };
      },
    };
  }

  private async graphql(body: { query: string; variables?: Record<string, unknown> }): Promise<Reply> {
    const document = parse(body.query);
    const isMutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation');
    const root = isMutation
      ? this.mutations()
      : {
          repository: ({ owner, name }: { owner: string; name: string }) => {
            if (owner !== this.owner || name !== this.name) throw new GhError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
            return this.repository();
          },
        };
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
