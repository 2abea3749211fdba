// Slim cache of GitHub's OpenAPI description (@octokit/openapi): every path+method (to say whether a request exists at
// all) plus request/response schemas of the operations digestpin's contract covers. Built once per package version
// under os.tmpdir(), so each vitest worker reads a few hundred KB instead of parsing the 73 MB description.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The REST operations the GitHub backend (and its tests) may call. Anything else is outside the contract. */
export const COVERED_OPERATIONS = ['git/create-ref', 'git/update-ref', 'git/delete-ref', 'git/get-blob', 'pulls/create', 'pulls/list'];

export interface SlimOperation {
  operationId: string;
  requestBody?: unknown;
  /** status -> JSON schema of the documented reply (`null` when documented without a body). */
  responses: Record<string, unknown>;
}

export interface SlimSpec {
  version: string;
  /** `METHOD /path/{template}` -> operationId, for every operation GitHub documents. */
  routes: Record<string, string>;
  covered: Record<string, SlimOperation>;
}

const require = createRequire(import.meta.url);
const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head'];

type OpenApiOperation = {
  operationId: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

function build(file: string, version: string): SlimSpec {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, OpenApiOperation>> };
  const routes: Record<string, string> = {};
  const covered: Record<string, SlimOperation> = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      routes[`${method.toUpperCase()} ${path}`] = op.operationId;
      if (!COVERED_OPERATIONS.includes(op.operationId)) continue;
      const responses: Record<string, unknown> = {};
      for (const [status, r] of Object.entries(op.responses ?? {})) responses[status] = r.content?.['application/json']?.schema ?? null;
      covered[op.operationId] = { operationId: op.operationId, requestBody: op.requestBody?.content?.['application/json']?.schema, responses };
    }
  }
  return { version, routes, covered };
}

let cached: SlimSpec | undefined;

/** Loads the slim spec, building the cache file on first use (atomic rename: parallel workers may race). */
export function loadSlimSpec(): SlimSpec {
  if (cached) return cached;
  const pkgFile = join(dirname(require.resolve('@octokit/openapi')), 'package.json');
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  const key = createHash('sha256').update(`${version}\n${COVERED_OPERATIONS.join(',')}\nv1`).digest('hex').slice(0, 12);
  const cacheFile = join(tmpdir(), `digestpin-openapi-${version}-${key}.json`);
  if (existsSync(cacheFile)) {
    cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as SlimSpec;
    return cached;
  }
  cached = build(join(dirname(pkgFile), 'generated', 'api.github.com.deref.json'), version);
  const temp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(cached));
  renameSync(temp, cacheFile);
  return cached;
}
