// Argo CD contract harness: a loopback HTTP server whose every request is checked against Argo CD's published
// Swagger 2.0 description (shared/contracts/argocd-swagger.json: the method and path exist, query parameters are
// declared) and whose every reply the test gives is validated against that operation's response schema (the
// status's own, else `default`). Violations answer 599 and are kept for assertions, so a wrong double fails.
// argocd-swagger.json beside this file is Argo CD's `assets/swagger.json` (argoproj/argo-cd, Apache-2.0, 3.6.0
// development line, commit 37ee0097cf), vendored so the contract travels with the repository to CI.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export const ARGOCD_SWAGGER = fileURLToPath(new URL('./argocd-swagger.json', import.meta.url));

interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  responses: Record<string, { schema?: object }>;
}

interface Swagger {
  swagger: string;
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, object>;
}

export interface ArgoExchange {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  operationId?: string;
  params: Record<string, string>;
}

export interface ArgoReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is: a body that is not JSON, or not what its headers say (checked by the client, not the schema). */
  raw?: string;
  /** Answered by something in front of Argo CD (an ingress redirect, a proxy): outside Argo CD's contract. */
  proxy?: true;
}
export type ArgoHandler = (exchange: ArgoExchange) => Promise<ArgoReply> | ArgoReply;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let loaded: Swagger | undefined;

export class ArgoCdContract {
  readonly spec: Swagger;
  private readonly ajv: Ajv;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ method: string; regex: RegExp; names: string[]; op: Operation }>;

  constructor(spec?: Swagger) {
    this.spec = spec ?? (loaded ??= JSON.parse(readFileSync(ARGOCD_SWAGGER, 'utf8')) as Swagger);
    // Swagger 2.0 schemas are a JSON Schema draft-4 subset; protobuf formats (int64, byte...) carry no check here.
    this.ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
    for (const f of ['int32', 'int64', 'uint32', 'uint64', 'byte', 'double', 'float', 'boolean']) this.ajv.addFormat(f, true);
    this.ajv.addSchema({ $id: 'argocd', definitions: this.spec.definitions });
    this.templates = Object.entries(this.spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => {
        const names: string[] = [];
        const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_, n: string) => (names.push(n), '([^/]+)'));
        return { method: method.toUpperCase(), regex: new RegExp(`^${source}$`), names, op };
      }),
    );
  }

  /** The documented operation for a request; the template with the fewest parameters wins. */
  route(method: string, path: string): { op: Operation; params: Record<string, string> } | undefined {
    const hits = this.templates.filter((t) => t.method === method && t.regex.test(path)).sort((a, b) => a.names.length - b.names.length);
    const t = hits[0];
    if (!t) return undefined;
    const m = t.regex.exec(path) ?? [];
    return { op: t.op, params: Object.fromEntries(t.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? '')])) };
  }

  checkRequest(ex: ArgoExchange): string[] {
    const hit = this.route(ex.method, ex.path);
    if (!hit) return [`${ex.method} ${ex.path} is not an operation in Argo CD's API description`];
    ex.operationId = hit.op.operationId;
    ex.params = hit.params;
    const declared = new Set((hit.op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
    return [...ex.query.keys()].filter((k) => !declared.has(k)).map((k) => `${hit.op.operationId}: query parameter '${k}' is not declared`);
  }

  checkReply(ex: ArgoExchange, reply: ArgoReply): string[] {
    const hit = this.route(ex.method, ex.path);
    if (!hit) return [];
    if (reply.proxy) return [];
    const response = hit.op.responses[String(reply.status)] ?? hit.op.responses.default;
    if (!response) return [`${hit.op.operationId}: HTTP ${reply.status} is not a documented answer`];
    if (!response.schema) return [];
    if (reply.raw !== undefined || reply.proxy) return [];
    const ref = (response.schema as { $ref?: string }).$ref;
    const key = ref ?? JSON.stringify(response.schema);
    let fn = this.compiled.get(key);
    if (!fn) {
      const schema = ref ? { $ref: `argocd${ref}` } : response.schema;
      this.compiled.set(key, (fn = this.ajv.compile(schema)));
    }
    if (fn(reply.body)) return [];
    return (fn.errors ?? []).slice(0, 5).map((e) => `${hit.op.operationId} reply ${reply.status}: ${e.instancePath || '/'} ${e.message}`);
  }
}

export interface ArgoCdServer {
  url: string;
  exchanges: ArgoExchange[];
  violations: string[];
  stop(): Promise<void>;
}

/** Starts a loopback server answering with `handler`, every exchange contract-checked. */
export async function startArgoCdServer(handler: ArgoHandler, contract = new ArgoCdContract()): Promise<ArgoCdServer> {
  const exchanges: ArgoExchange[] = [];
  const violations: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ex: ArgoExchange = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, params: {} };
    exchanges.push(ex);
    void (async () => {
      const found = contract.checkRequest(ex);
      if (found.length) {
        violations.push(...found);
        res.writeHead(599, { 'content-type': 'text/plain' }).end(found.join('\n'));
        return;
      }
      const reply = await handler(ex);
      const wrong = contract.checkReply(ex, reply);
      if (wrong.length) {
        violations.push(...wrong);
        res.writeHead(599, { 'content-type': 'text/plain' }).end(wrong.join('\n'));
        return;
      }
      const body = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(body);
    })().catch((error: unknown) => {
      violations.push(`handler failed: ${(error as Error).message}`);
      res.writeHead(599).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    violations,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An Application as Argo CD serves it (fields from a real v2 reply), with the given sync, health and images. */
export function sampleApplication(name: string, sync: string, health: string, images: string[], revision = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'): object {
  return {
    metadata: { name, namespace: 'argocd', uid: '0c1d7e2a-3b4c-4d5e-8f90-a1b2c3d4e5f6', resourceVersion: '123456', generation: 42, creationTimestamp: '2026-11-30T09:00:00Z' },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/ameide/gitops.git', path: `environments/dev/${name}`, targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace: name },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
    status: {
      sync: { status: sync, revision, comparedTo: { source: { repoURL: 'https://github.com/ameide/gitops.git', path: `environments/dev/${name}` }, destination: { server: 'https://kubernetes.default.svc', namespace: name } } },
      health: { status: health, lastTransitionTime: '2026-12-01T15:00:00Z' },
      summary: { images },
      resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: name, name, status: sync, health: { status: health } }],
      operationState: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-12-01T14:59:00Z', finishedAt: '2026-12-01T14:59:05Z', operation: { sync: { revision } } },
      reconciledAt: '2026-12-01T15:00:00Z',
      sourceType: 'Helm',
    },
  };
}
