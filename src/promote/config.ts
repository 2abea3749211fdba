// The GitOps config file (digestpin.yaml): which file and key each service uses in each environment.
// Pure: text in, pins out; errors name the config file and line.
//
//   environments:
//     dev:
//       mode: direct                 # optional, overrides the mode input
//       services:
//         agents: { file: envs/dev/agents.yaml, key: image }
//         web:    { file: envs/dev/kustomization.yaml, kustomize-image: ameide/web }
//     prod:
//       immutable: true              # lint: tag-only image blocks are errors here
import { isMap, isScalar, parseDocument, type Document, type Node } from 'yaml';
import { FileError } from '../runtime/errors.js';
import type { PinSpec } from '../request.js';
import { targetFromSpec } from '../values/target-spec.js';
import type { PinTarget } from '../values/types.js';

export interface EnvironmentConfig {
  name: string;
  mode?: 'direct' | 'pull-request';
  immutable: boolean;
  services: Map<string, { file: string; target: PinTarget }>;
}

export interface DigestpinConfig {
  environments: Map<string, EnvironmentConfig>;
}

function lineOf(text: string, node: Node | null | undefined): number | undefined {
  const offset = node?.range?.[0];
  if (offset === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

export function parseConfig(text: string, file: string): DigestpinConfig {
  const doc: Document = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new FileError(file, first.linePos?.[0]?.line, (first.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''));
  const envs = doc.get('environments', true);
  if (!isMap(envs)) throw new FileError(file, lineOf(text, doc.contents), "needs a map 'environments:' of environment names");
  const environments = new Map<string, EnvironmentConfig>();
  for (const pair of envs.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const where = lineOf(text, pair.key as Node);
    if (!isMap(pair.value)) throw new FileError(file, where, `environment '${name}' must be a map with 'services:'`);
    const body = pair.value.toJSON() as Record<string, unknown>;
    const mode = body.mode;
    if (mode !== undefined && mode !== 'direct' && mode !== 'pull-request') {
      throw new FileError(file, lineOf(text, pair.value.get('mode', true) as Node), `mode '${String(mode)}' is not direct or pull-request`);
    }
    const services = new Map<string, { file: string; target: PinTarget }>();
    const servicesNode = pair.value.get('services', true);
    if (servicesNode !== undefined && !isMap(servicesNode)) throw new FileError(file, where, `environment '${name}': services must be a map`);
    for (const svc of isMap(servicesNode) ? servicesNode.items : []) {
      const svcName = isScalar(svc.key) ? String(svc.key.value) : '';
      const line = lineOf(text, svc.key as Node);
      const entry = (isMap(svc.value) ? svc.value.toJSON() : {}) as Record<string, unknown>;
      const path = str(entry.file);
      if (!path) throw new FileError(file, line, `service '${svcName}' in '${name}' needs 'file:'`);
      if (path.startsWith('/') || path.split('/').includes('..')) throw new FileError(file, line, `file '${path}' must stay inside the GitOps repository`);
      const target = targetFromSpec({ key: str(entry.key), 'kustomize-image': str(entry['kustomize-image']), 'yaml-path': str(entry['yaml-path']) });
      if ('problem' in target) throw new FileError(file, line, `service '${svcName}' in '${name}': ${target.problem}`);
      services.set(svcName, { file: path.replace(/^\.\//, ''), target });
    }
    environments.set(name, { name, mode: mode as EnvironmentConfig['mode'], immutable: body.immutable === true, services });
  }
  return { environments };
}

/** The pins for one service in one environment; an unknown environment or service is an error naming the file. */
export function pinsFor(config: DigestpinConfig, file: string, environment: string, service: string): { pins: PinSpec[]; env: EnvironmentConfig } {
  const env = config.environments.get(environment);
  if (!env) {
    throw new FileError(file, undefined, `environment '${environment}' is not defined (defined: ${[...config.environments.keys()].join(', ') || 'none'})`);
  }
  const svc = env.services.get(service);
  if (!svc) {
    throw new FileError(file, undefined, `service '${service}' has no entry under environments.${environment}.services (entries: ${[...env.services.keys()].join(', ') || 'none'})`);
  }
  return { pins: [{ environment, service, file: svc.file, target: svc.target }], env };
}
