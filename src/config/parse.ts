// digestpin.yaml, text in, typed config out: YAML syntax, then the JSON Schema, then what the schema can't
// say (a target's selecting keys, through values/target-spec.ts). Pure; every error names the file and line.
import { parseDocument, type Document, type Node } from 'yaml';
import { FileError } from '../runtime/errors.js';
import { targetFromSpec } from '../values/target-spec.js';
import { lineAt, validateConfig } from './validate.js';
import { checkChainRules } from './chain-rules.js';
import { parseDuration } from './duration.js';
import type { DigestpinConfig, EnvironmentConfig, RawConfig, RawEnvironment, RawService, RawTarget, ServiceConfig, TargetConfig } from './types.js';

function keyLine(doc: Document, text: string, path: string[]): number | undefined {
  const parent = doc.getIn(path.slice(0, -1), true) as { items?: { key: unknown }[] } | undefined;
  const pair = parent?.items?.find((p) => String((p.key as { value?: unknown })?.value) === path.at(-1));
  return lineAt(text, (pair?.key as Node | undefined)?.range?.[0]);
}

function toTarget(raw: RawTarget, file: string, where: string, line: number | undefined): TargetConfig {
  const { file: path, image, ...spec } = raw;
  const target = targetFromSpec(spec);
  if ('problem' in target) throw new FileError(file, line, `${where}: ${target.problem}`);
  return { file: path.replace(/^(\.\/)+/, ''), target, image, spec: raw, line };
}

function toService(name: string, raw: RawService, ctx: { doc: Document; text: string; file: string; path: string[] }): ServiceConfig {
  const line = keyLine(ctx.doc, ctx.text, ctx.path);
  const where = ctx.path.join('.');
  if (raw.targets) {
    const targets = raw.targets.map((t, i) => {
      const node = ctx.doc.getIn([...ctx.path, 'targets', i], true) as Node | undefined;
      return toTarget(t, ctx.file, `${where}.targets[${i}]`, lineAt(ctx.text, node?.range?.[0]));
    });
    return { name, targets, line };
  }
  const { targets: _none, ...inline } = raw;
  return { name, targets: [toTarget(inline as RawTarget, ctx.file, where, line)], line };
}

/** The line of the node at `path` (a map key's value, or a list item by index). */
function nodeLine(doc: Document, text: string, path: string[]): number | undefined {
  const node = doc.getIn(path.map((p) => (/^[0-9]+$/.test(p) ? Number(p) : p)), true) as Node | undefined;
  return lineAt(text, node?.range?.[0]) ?? keyLine(doc, text, path);
}

/** A top-level service as this environment sees it: `{env}` and `{service}` replaced in every file. */
function expand(raw: NonNullable<RawConfig['services']>[string], env: string, svc: string): RawService {
  const { environments: _envs, ...entry } = raw;
  const fill = (file: string) => file.replaceAll('{env}', env).replaceAll('{service}', svc);
  if (entry.targets) return { ...entry, targets: entry.targets.map((t) => ({ ...t, file: fill(t.file) })) } as RawService;
  return { ...entry, file: fill((entry as { file: string }).file) } as RawService;
}

function templatedServices(raw: RawConfig, env: string, ctx: { doc: Document; text: string; file: string }): Map<string, ServiceConfig> {
  const services = new Map<string, ServiceConfig>();
  for (const [svc, entry] of Object.entries(raw.services ?? {})) {
    for (const [i, name] of (entry.environments ?? []).entries()) {
      if (!(name in raw.environments)) {
        throw new FileError(ctx.file, nodeLine(ctx.doc, ctx.text, ['services', svc, 'environments', String(i)]), `services.${svc}.environments: '${name}' is not an environment of this file (environments: ${Object.keys(raw.environments).join(', ')})`);
      }
    }
    if (entry.environments && !entry.environments.includes(env)) continue;
    services.set(svc, toService(svc, expand(entry, env, svc), { ...ctx, path: ['services', svc] }));
  }
  return services;
}

function toEnvironment(name: string, raw: RawEnvironment, root: RawConfig, doc: Document, text: string, file: string): EnvironmentConfig {
  const services = templatedServices(root, name, { doc, text, file });
  for (const [svc, entry] of Object.entries(raw.services ?? {})) {
    services.set(svc, toService(svc, entry, { doc, text, file, path: ['environments', name, 'services', svc] }));
  }
  const v = raw.verify;
  const argocd = raw.health?.argocd;
  return {
    from: raw.from,
    auto: raw.auto === true,
    soak: raw.soak,
    soakMs: raw.soak === undefined ? undefined : parseDuration(raw.soak),
    pullRegistry: raw['pull-registry']?.toLowerCase(),
    copy: raw.copy === true,
    health: argocd ? { server: argocd.server, application: argocd.application } : undefined,
    name,
    mode: raw.mode,
    immutable: raw.immutable === true,
    verify: {
      require: v?.require ?? 'off',
      keys: v?.keys ?? [],
      predicateType: v?.['predicate-type'],
      builderId: v?.['builder-id'],
      sourceRepository: v?.['source-repository'],
      trustedRoot: v?.['trusted-root'],
      certificateIdentity: v?.['certificate-identity'],
      certificateIdentityRegexp: v?.['certificate-identity-regexp'],
      certificateOidcIssuer: v?.['certificate-oidc-issuer'],
    },
    services,
    line: keyLine(doc, text, ['environments', name]),
  };
}

export function parseConfig(text: string, file: string): DigestpinConfig {
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) throw new FileError(file, first.linePos?.[0]?.line, (first.message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''));
  const raw = validateConfig(doc, text, file);
  const environments = new Map<string, EnvironmentConfig>();
  for (const [name, env] of Object.entries(raw.environments)) environments.set(name, toEnvironment(name, env, raw, doc, text, file));
  const config: DigestpinConfig = { environments, groups: new Map(Object.entries(raw.groups ?? {})) };
  checkChainRules(config, file, { lineOf: (path) => nodeLine(doc, text, path) });
  return config;
}
