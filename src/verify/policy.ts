// The policy that applies to a promotion, from action inputs or CLI flags and the target environment's
// `verify:` in digestpin.yaml. Pure and light (no crypto): inputs.ts loads it on the start-up path.
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../runtime/errors.js';
import { keylessIdentity, type KeylessNames } from './identity.js';
import type { VerifyPolicy } from './types.js';

export const REQUIRE_VALUES = ['off', 'signature', 'attestation'] as const;

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/g;

/** Splits a multiline input into entries: each PEM block whole, every other non-empty line (or comma item) a path. */
export function splitKeyEntries(text: string): string[] {
  const blocks = text.match(PEM_BLOCK) ?? [];
  const rest = text.replace(PEM_BLOCK, '\n').split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  return [...blocks, ...rest];
}

/** Key paths made absolute against `baseDir` (the workspace, or the config file's folder); PEM text is kept. */
export function anchorKeys(keys: readonly string[], baseDir: string): string[] {
  return keys.map((k) => (k.includes('-----BEGIN') || isAbsolute(k) ? k : resolve(baseDir, k)));
}

type Get = (name: string) => string;

export const INPUT_NAMES: KeylessNames = {
  trustedRoot: 'verify-trusted-root',
  identity: 'verify-certificate-identity',
  identityRegexp: 'verify-certificate-identity-regexp',
  issuer: 'verify-certificate-oidc-issuer',
};

const anchorPath = (path: string | undefined, baseDir: string) => (path && !isAbsolute(path) ? resolve(baseDir, path) : path);

/**
 * The verify-* inputs as a policy, or undefined when verify-require is not given. Given, it replaces the
 * environment's policy from the config whole, so what a workflow says is what is checked.
 */
export function policyFromInputs(get: Get, workspace: string): VerifyPolicy | undefined {
  const require = get('verify-require');
  const others = ['verify-keys', 'verify-predicate-type', 'verify-builder-id', 'verify-source-repository', ...Object.values(INPUT_NAMES)].filter((n) => get(n));
  if (!require) {
    if (others.length) throw new InputError(others[0]!, 'needs verify-require (off, signature or attestation)');
    return undefined;
  }
  if (!(REQUIRE_VALUES as readonly string[]).includes(require)) throw new InputError('verify-require', `'${require}' is not one of ${REQUIRE_VALUES.join(', ')}`);
  const keys = anchorKeys(splitKeyEntries(get('verify-keys')), workspace);
  if (require === 'signature' && !keys.length) throw new InputError('verify-keys', 'is required with verify-require: signature (PEM public keys, or paths to them)');
  const policy: VerifyPolicy = {
    require: require as VerifyPolicy['require'],
    keys,
    predicateType: get('verify-predicate-type') || undefined,
    builderId: get('verify-builder-id') || undefined,
    sourceRepository: get('verify-source-repository') || undefined,
    trustedRoot: anchorPath(get(INPUT_NAMES.trustedRoot) || undefined, workspace),
    certificateIdentity: get(INPUT_NAMES.identity) || undefined,
    certificateIdentityRegexp: get(INPUT_NAMES.identityRegexp) || undefined,
    certificateOidcIssuer: get(INPUT_NAMES.issuer) || undefined,
  };
  // A partial keyless policy fails here, naming the input, before anything is built.
  keylessIdentity(policy, INPUT_NAMES);
  return policy;
}

/**
 * The config's policy for the target environment is the floor the GitOps repository's owners set: a workflow's
 * verify-* inputs may set a policy where the config sets none (or `off`), never replace or weaken one, so a
 * promotion into prod can't be waved through by `verify-require: off` in a service repository. The config's key
 * and trusted-root paths are relative to the config file's folder.
 */
export function effectivePolicy(fromInputs: VerifyPolicy | undefined, fromConfig: VerifyPolicy | undefined, configDir: string, where = 'the config'): VerifyPolicy {
  if (fromInputs && fromConfig && fromConfig.require !== 'off') {
    throw new InputError('verify-require', `${where} already sets this environment's policy (require: ${fromConfig.require}); the verify-* inputs apply only where the config sets none, so change the config to change it`);
  }
  if (fromInputs) return fromInputs;
  if (fromConfig) return { ...fromConfig, keys: anchorKeys(fromConfig.keys ?? [], configDir), trustedRoot: anchorPath(fromConfig.trustedRoot, configDir) };
  return { require: 'off', keys: [] };
}
