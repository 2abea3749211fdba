// Contract harness: every request to GitHub in a test goes through one nock interceptor that checks it (REST: method,
// path and body against @octokit/openapi; GraphQL: document and variables against @octokit/graphql-schema) and checks
// the reply the test gives against the same description. Violations fail the request and are kept for assertions.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { buildSchema, execute, getVariableValues, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import nock from 'nock';
import { loadSlimSpec, type SlimSpec } from './github-openapi.js';

export interface Exchange {
  method: string;
  /** Path without the API prefix and query, e.g. `/repos/o/r/pulls`. */
  path: string;
  query: string;
  body: unknown;
  /** Set for REST requests inside the contract. */
  operationId?: string;
  /** Decoded path parameters of the REST template. */
  params: Record<string, string>;
}

export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** A dropped connection (the socket errors before any reply). */
  | { dropConnection: string };

export type Handler = (exchange: Exchange) => Promise<Reply> | Reply;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let schema: GraphQLSchema | undefined;

export function gitHubGraphqlSchema(): GraphQLSchema {
  if (!schema) {
    const dir = dirname(fileURLToPath(import.meta.resolve('@octokit/graphql-schema')));
    // GitHub's published SDL repeats a few EnterpriseOwnerInfo fields; GitHub itself serves it, so accept it as is.
    schema = buildSchema(readFileSync(join(dir, 'schema.graphql'), 'utf8'), { assumeValidSDL: true });
  }
  return schema;
}

export class Contract {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateFormats: true })).addFormat('repo.nwo', /^[^/]+\/[^/]+$/);
  private readonly compiled = new Map<unknown, ValidateFunction>();
  private readonly templates: Array<{ key: string; method: string; regex: RegExp; names: string[]; operationId: string }>;

  constructor(readonly spec: SlimSpec = loadSlimSpec()) {
    this.templates = Object.entries(spec.routes).map(([key, operationId]) => {
      const [method = '', path = ''] = key.split(' ');
      const names: string[] = [];
      const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, n: string) => (names.push(n), '([^/]+)'));
      return { key, method, regex: new RegExp(`^${source}$`), names, operationId };
    });
  }

  private schemaCheck(schemaValue: unknown, value: unknown, what: string): string[] {
    let fn = this.compiled.get(schemaValue);
    if (!fn) this.compiled.set(schemaValue, (fn = this.ajv.compile(schemaValue as object)));
    if (fn(value)) return [];
    return (fn.errors ?? []).slice(0, 5).map((e) => `${what}: ${e.instancePath || '/'} ${e.message}`);
  }

  /** Finds the documented operation; the most specific template wins (`/git/refs` over `/{x}`). */
  route(method: string, path: string): { operationId: string; params: Record<string, string> } | undefined {
    const hits = this.templates.filter((t) => t.method === method && t.regex.test(path));
    hits.sort((a, b) => a.names.length - b.names.length);
    const t = hits[0];
    if (!t) return undefined;
    const m = t.regex.exec(path) ?? [];
    return { operationId: t.operationId, params: Object.fromEntries(t.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')])) };
  }

  checkRest(ex: Exchange): string[] {
    const hit = this.route(ex.method, ex.path);
    if (!hit) return [`${ex.method} ${ex.path} is not an operation in GitHub's OpenAPI description`];
    ex.operationId = hit.operationId;
    ex.params = hit.params;
    const op = this.spec.covered[hit.operationId];
    if (!op) return [`${ex.method} ${ex.path} (${hit.operationId}) is outside digestpin's contract`];
    if (op.requestBody && ex.method !== 'GET') return this.schemaCheck(op.requestBody, ex.body, `${hit.operationId} request body`);
    return [];
  }

  checkGraphql(body: unknown): string[] {
    const { query, variables } = (body ?? {}) as { query?: string; variables?: Record<string, unknown> };
    if (typeof query !== 'string') return ['GraphQL request without a query'];
    let doc: DocumentNode;
    try {
      doc = parse(query);
    } catch (error) {
      return [`GraphQL syntax: ${(error as Error).message}`];
    }
    const errors = validate(gitHubGraphqlSchema(), doc).map((e) => `GraphQL: ${e.message}`);
    if (errors.length) return errors;
    const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const coerced = getVariableValues(gitHubGraphqlSchema(), op?.variableDefinitions ?? [], variables ?? {});
    return (coerced.errors ?? []).map((e) => `GraphQL variables: ${e.message}`);
  }

  /** A reply must match the schema documented for its status; undocumented statuses must still be GitHub's `{message}`. */
  checkRestReply(ex: Exchange, status: number, body: unknown): string[] {
    const op = ex.operationId ? this.spec.covered[ex.operationId] : undefined;
    if (!op) return [];
    const documented = op.responses[String(status)];
    if (documented) return this.schemaCheck(documented, body, `${op.operationId} ${status} reply`);
    if (status >= 400 && typeof (body as { message?: unknown })?.message !== 'string') return [`${op.operationId} ${status} reply lacks GitHub's "message"`];
    return [];
  }

  /** Re-executes the document over the reply's own data: any field the schema doesn't allow, or a wrong type, shows. */
  checkGraphqlReply(request: unknown, status: number, body: unknown): string[] {
    if (status !== 200) return typeof (body as { message?: unknown })?.message === 'string' ? [] : [`GraphQL ${status} reply lacks "message"`];
    const reply = body as { data?: unknown; errors?: Array<{ message?: unknown }> };
    const problems = (reply.errors ?? []).filter((e) => typeof e.message !== 'string').map(() => 'GraphQL error without a message');
    if (!reply.data) return reply.errors?.length ? problems : ['GraphQL reply with neither data nor errors'];
    const { query, variables } = request as { query: string; variables?: Record<string, unknown> };
    const result = execute({
      schema: gitHubGraphqlSchema(),
      document: parse(query),
      rootValue: reply.data,
      variableValues: variables,
      fieldResolver: (source, _args, _ctx, info) => (source as Record<string, unknown>)[info.path.key as string],
      // GitHub omits __typename unless asked: pick the possible type that has every key the reply gives.
      typeResolver: (value, _ctx, _info, abstractType) =>
        (value as { __typename?: string }).__typename ??
        gitHubGraphqlSchema()
          .getPossibleTypes(abstractType)
          .find((t) => Object.keys(value as object).every((k) => k in t.getFields()))?.name,
    }) as { data?: unknown; errors?: Array<{ message: string }> };
    const allowed = new Set((reply.errors ?? []).map((e) => JSON.stringify((e as { path?: unknown }).path)));
    for (const e of result.errors ?? []) if (!allowed.has(JSON.stringify((e as { path?: unknown }).path))) problems.push(`GraphQL reply: ${e.message}`);
    if (!result.errors?.length && JSON.stringify(result.data) !== JSON.stringify(reply.data)) problems.push('GraphQL reply holds fields or values the query did not ask for');
    return problems;
  }
}

export interface GitHubInterceptor {
  /** Every exchange, in order (REST and GraphQL). */
  readonly log: Exchange[];
  readonly violations: string[];
  /** Requests seen since the last reset (the benchmark's "API calls"). */
  readonly requests: number;
  resetCount(): void;
  stop(): void;
}

class DroppedConnection extends Error {
  readonly code = 'ECONNRESET';
}

let sharedContract: Contract | undefined;
export function contract(): Contract {
  return (sharedContract ??= new Contract());
}

/** Intercepts `origin` (REST at `prefix`, GraphQL at `graphqlPath`), checks both directions, and calls `handler`. */
export function interceptGitHub(handler: Handler, options: { origin?: string; prefix?: string; graphqlPath?: string } = {}): GitHubInterceptor {
  const origin = options.origin ?? 'https://api.github.com';
  const prefix = options.prefix ?? '';
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const c = contract();
  const log: Exchange[] = [];
  const violations: string[] = [];
  let requests = 0;
  const scope = nock(origin).persist();
  const respond = async (req: Request): Promise<[number, unknown, Record<string, string>]> => {
    requests += 1;
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    const raw = await req.text();
    const body = raw ? (JSON.parse(raw) as unknown) : undefined;
    const isGraphql = url.pathname === graphqlPath;
    const ex: Exchange = { method, path: isGraphql ? '/graphql' : url.pathname.slice(prefix.length), query: url.search, body, params: {} };
    log.push(ex);
    const wrong = isGraphql ? (method === 'POST' ? c.checkGraphql(body) : ['GraphQL must be POST']) : c.checkRest(ex);
    if (wrong.length) {
      violations.push(...wrong.map((w) => `${method} ${url.pathname}: ${w}`));
      return [400, { message: `contract violation: ${wrong[0]}` }, {}];
    }
    let reply: Reply;
    try {
      reply = await handler(ex);
    } catch (error) {
      violations.push(`${method} ${url.pathname}: the test's handler failed: ${(error as Error).message}`);
      return [500, { message: `test handler failed: ${(error as Error).message}` }, {}];
    }
    // Rejecting makes nock error the socket: the client sees a dropped connection, never a reply.
    if ('dropConnection' in reply) throw new DroppedConnection(reply.dropConnection);
    const out = reply.body ?? '';
    const bad = isGraphql ? c.checkGraphqlReply(body, reply.status, out) : c.checkRestReply(ex, reply.status, out);
    violations.push(...bad.map((w) => `${method} ${url.pathname} reply: ${w}`));
    return [reply.status, out, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }];
  };
  const interceptors = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((method) => {
    const interceptor = scope.intercept(/.*/, method);
    interceptor.reply((req: Request) =>
      respond(req).catch((error: Error) => {
        if (error instanceof DroppedConnection) throw error;
        violations.push(`${method} ${req.url}: the contract check failed: ${error.message}`);
        return [500, { message: `contract check failed: ${error.message}` }, {}];
      }),
    );
    return interceptor;
  });
  return {
    log,
    violations,
    get requests() {
      return requests;
    },
    resetCount: () => {
      requests = 0;
    },
    stop: () => {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
    },
  };
}
