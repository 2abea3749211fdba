// digestpin.yaml, text in, typed config out: YAML syntax, then the JSON Schema, then what the schema can't
// say (a target's selecting keys, through values/target-spec.ts). Pure; every error names the file and line.
import { parseDocument, type Document, type Node } from 'yaml';
import { FileError } from '../runtime/errors.js';
import { targetFromSpec } from '../values/target-spec.js';
import { lineAt, validateConfig } from './validate.js';
import type { DigestpinConfig, EnvironmentConfig, RawEnvironment, RawService, RawTarget, ServiceConfig, TargetConfig } from './types.js';

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

function toEnvironment(name: string, raw: RawEnvironment, doc: Document, text: string, file: string): EnvironmentConfig {
  const services = new Map<string, ServiceConfig>();
  for (const [svc, entry] of Object.entries(raw.services ?? {})) {
    services.set(svc, toService(svc, entry, { doc, text, file, path: ['environments', name, 'services', svc] }));
  }
  const v = raw.verify;
  return {
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
  for (const [name, env] of Object.entries(raw.environments)) environments.set(name, toEnvironment(name, env, doc, text, file));
  return { environments };
}
