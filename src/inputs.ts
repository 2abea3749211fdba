// The one place that reads action inputs. Turns INPUT_* variables into a frozen DigestpinRequest;
// every bad value fails here, naming the input and what a good value looks like. Pure over `env`.
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from './runtime/errors.js';
import { registerSecret } from './runtime/secrets.js';
import { validatePlatforms } from './buildx/buildx-args.js';
import { isPlatformString, isValidDigest, isValidDomain, isValidRepositoryPath, isValidTag, parseAliases, parseReference } from './registry/reference.js';
import { TARGET_SPEC_KEYS, targetFromSpec } from './values/target-spec.js';
import { isGitHubRepository } from './gitops/select.js';
import { checkRemoteUrl } from './gitops/git/remote-url.js';
import { trustTokenRealm } from './registry/realm.js';
import type { BuildSpec, DigestpinRequest, ImageSource, PinSpec } from './request.js';
import { policyFromInputs } from './verify/policy.js';

type Env = Record<string, string | undefined>;

/** Same lookup as @actions/core getInput: INPUT_<NAME uppercased, spaces as _>, trimmed. */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function optional(env: Env, name: string): string | undefined {
  return getInput(env, name) || undefined;
}

export function getList(env: Env, name: string, separators: RegExp = /[\n,]/): string[] {
  return getInput(env, name)
    .split(separators)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function getBoolean(env: Env, name: string, fallback = false): boolean {
  const raw = getInput(env, name);
  if (!raw) return fallback;
  if (/^(true|yes|1)$/i.test(raw)) return true;
  if (/^(false|no|0)$/i.test(raw)) return false;
  throw new InputError(name, `'${raw}' is not a boolean; use true or false`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = getInput(env, name) || fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new InputError(name, `'${raw}' is not one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

const SERVICE = /^[a-zA-Z0-9][\w.-]*$/;

function host(env: Env, name: string): string | undefined {
  const value = optional(env, name);
  if (value && !isValidDomain(value)) throw new InputError(name, `'${value}' is not a registry host; use host[:port], e.g. ghcr.io or localhost:5000`);
  return value?.toLowerCase();
}

function imageName(env: Env): string | undefined {
  const name = optional(env, 'image');
  if (name && !isValidRepositoryPath(name)) {
    throw new InputError('image', `'${name}' is not a registry-neutral image name; use lowercase path segments such as ameide/agents`);
  }
  return name;
}

function buildSpec(env: Env): BuildSpec {
  const buildArgs = getList(env, 'build-args', /\n/);
  for (const arg of buildArgs) if (!/^[A-Za-z_][\w.-]*=/.test(arg)) throw new InputError('build-args', `'${arg.split('=')[0]}' is not KEY=VALUE`);
  // The build module's own rule, checked here so a bad value fails before anything runs.
  const platforms = validatePlatforms(getList(env, 'platforms'));
  return {
    context: getInput(env, 'context') || '.',
    file: optional(env, 'file'),
    platforms,
    buildArgs,
    target: optional(env, 'target'),
    labels: getList(env, 'labels', /\n/),
    extraTags: getList(env, 'tags'),
    provenance: optional(env, 'provenance'),
    sbom: optional(env, 'sbom'),
    cacheFrom: getList(env, 'cache-from', /\n/),
    cacheTo: getList(env, 'cache-to', /\n/),
    builder: optional(env, 'builder'),
    push: getBoolean(env, 'push', true),
  };
}

/** A templated reference whose tag or digest came out empty (a manual dispatch with none given) names the gap. */
function emptySuffix(ref: string): string {
  if (/[:@]$/.test(ref)) {
    throw new InputError('image-ref', `'${ref}' ends in an empty ${ref.endsWith('@') ? 'digest' : 'tag'}: give a digest, a tag or from-environment (one of them was left empty)`);
  }
  return ref;
}

function imageSource(env: Env, name: string | undefined, sha: string | undefined): ImageSource {
  const imageRef = optional(env, 'image-ref');
  const digest = optional(env, 'digest');
  const from = optional(env, 'from-environment');
  if (from) {
    if (imageRef || digest || name) throw new InputError('from-environment', 'give from-environment alone, without image, image-ref or digest');
    if (!optional(env, 'config')) throw new InputError('from-environment', 'needs config, which says where each environment pins the service');
    if (from === getInput(env, 'environment')) throw new InputError('from-environment', `'${from}' is the target environment itself`);
    return { kind: 'environment', from };
  }
  if (imageRef && (digest || name)) {
    throw new InputError('image-ref', 'give either image-ref, or image (with digest or a build), not both');
  }
  if (imageRef) return { kind: 'image-ref', ref: emptySuffix(imageRef) };
  if (!name) throw new InputError('image', 'is required unless image-ref is given: nothing names the image to pin (give image to build or with digest, image-ref as repo:tag or repo@digest, or from-environment)');
  const tag = optional(env, 'image-tag') ?? (sha ? `sha-${sha.slice(0, 7)}` : undefined);
  if (tag && !isValidTag(tag)) throw new InputError('image-tag', `'${tag}' is not a valid tag ([A-Za-z0-9_.-], at most 128, not starting with . or -)`);
  if (digest) {
    if (!isValidDigest(digest)) throw new InputError('digest', `'${digest}' is not a digest; use sha256: followed by 64 lowercase hex digits`);
    return { kind: 'digest', name, digest, tag: optional(env, 'image-tag') };
  }
  if (!tag) throw new InputError('image-tag', 'is required when GITHUB_SHA is not set (the default tag is sha-<short sha>)');
  return { kind: 'build', build: buildSpec(env), name, tag };
}

/** `registry-token-realms`: REGISTRY=REALM_HOST lines, each a token host the user vouches for (see realm.ts). */
function trustTokenRealms(lines: string[]): void {
  const pairs = parseAliases(lines, 'registry-token-realms', 'REGISTRY_HOST=TOKEN_REALM_HOST');
  for (const [registry, realm] of Object.entries(pairs)) trustTokenRealm(registry, realm);
}

function explicitPin(env: Env, environment: string, service: string): PinSpec[] | undefined {
  const file = optional(env, 'values-file');
  const spec = Object.fromEntries(TARGET_SPEC_KEYS.map((k) => [k, optional(env, k)]));
  if (!file) {
    const stray = TARGET_SPEC_KEYS.find((k) => spec[k] !== undefined);
    if (stray) throw new InputError('values-file', `is required with ${stray}`);
    return undefined;
  }
  if (isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
    throw new InputError('values-file', `'${file}' must be a path inside the GitOps repository, without '..'`);
  }
  const target = targetFromSpec(spec);
  if ('problem' in target) throw new InputError(TARGET_SPEC_KEYS.find((k) => spec[k] !== undefined && k !== 'key') ?? 'key', target.problem);
  return [{ environment, service, file: file.replace(/^\.\//, ''), target }];
}

function workspacePath(name: string, value: string | undefined, workspace: string): string | undefined {
  if (!value) return undefined;
  const full = resolve(workspace, value);
  const rel = relative(workspace, full);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new InputError(name, `'${value}' must stay inside the workspace`);
  return full;
}

/** sign / sign-key / sign-key-password: the key is a secret from the moment it is read. */
function signSpec(env: Env, image: ImageSource): DigestpinRequest['sign'] {
  const key = optional(env, 'sign-key');
  const password = optional(env, 'sign-key-password');
  registerSecret(key);
  registerSecret(password);
  // A runner masks a multiline secret line by line, so each line of the PEM is registered too.
  for (const line of (key ?? '').split('\n')) if (!line.startsWith('-----') && line.trim().length >= 8) registerSecret(line.trim());
  if (!getBoolean(env, 'sign')) return undefined;
  if (!key) throw new InputError('sign-key', 'is required with sign: true (a private key from a secret: cosign.key or a PKCS#8 PEM)');
  if (image.kind !== 'build') throw new InputError('sign', 'signs the image this action builds; with image-ref, digest or from-environment there is no build');
  return { key, password };
}

export function readInputs(env: Env): Readonly<DigestpinRequest> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const tempDir = env.RUNNER_TEMP || join(tmpdir(), 'digestpin');
  const token = optional(env, 'gitops-token');
  const password = optional(env, 'registry-password');
  registerSecret(token);
  registerSecret(password);

  const repository = getInput(env, 'gitops-repository');
  if (!repository) throw new InputError('gitops-repository', "is required: 'owner/name' on GitHub, or a git URL or path");
  // Parsed now, before anything is logged: its credentials become secrets, unsafe ones and bad URLs fail here.
  const repositoryDisplay = isGitHubRepository(repository) ? repository : checkRemoteUrl(repository, 'gitops-repository').display;
  const environment = getInput(env, 'environment');
  if (!environment) throw new InputError('environment', 'is required, e.g. dev');
  if (!SERVICE.test(environment)) throw new InputError('environment', `'${environment}' may hold only letters, digits, '.', '_' and '-'`);

  const name = imageName(env);
  const sha = env.GITHUB_SHA || undefined;
  const image = imageSource(env, name, sha);
  const service = optional(env, 'service') ?? (name ?? (image.kind === 'image-ref' ? parseReference(image.ref, 'image-ref').repository : undefined))?.split('/').pop();
  if (!service || !SERVICE.test(service)) throw new InputError('service', `'${service ?? ''}' is not a service name; set the service input`);
  const push = host(env, 'registry');
  if ((image.kind === 'build' || image.kind === 'digest') && !push && !optional(env, 'pull-registry')) {
    throw new InputError('registry', 'is required with image (the host to push to or pull from), e.g. ghcr.io');
  }
  const username = optional(env, 'registry-username');
  if (Boolean(username) !== Boolean(password)) throw new InputError(username ? 'registry-password' : 'registry-username', 'registry-username and registry-password go together');
  const platform = optional(env, 'platform');
  if (platform && !isPlatformString(platform)) throw new InputError('platform', `'${platform}' is not os/arch[/variant]`);

  const autoMerge = optional(env, 'auto-merge');
  if (autoMerge && !['merge', 'squash', 'rebase'].includes(autoMerge)) throw new InputError('auto-merge', `'${autoMerge}' is not merge, squash or rebase`);
  const reviewers = getList(env, 'reviewers');
  const configPath = workspacePath('config', optional(env, 'config'), workspace);
  const pins = explicitPin(env, environment, service);
  if (!pins && !configPath) throw new InputError('values-file', 'give values-file (with key or kustomize-image) or config');
  // Both would leave the config's mode, immutable and verify rules silently unused.
  if (pins && configPath) throw new InputError('values-file', 'give values-file or config, not both: config already says where each environment pins the service');
  const apiUrl = optional(env, 'github-api-url') ?? env.GITHUB_API_URL;

  const verify = policyFromInputs((n) => getInput(env, n), workspace);
  const sign = signSpec(env, image);
  trustTokenRealms(getList(env, 'registry-token-realms', /\n/));

  return Object.freeze({
    ...(verify ? { verify } : {}),
    ...(sign ? { sign } : {}),
    image,
    registry: {
      push,
      pull: host(env, 'pull-registry'),
      aliases: parseAliases(getList(env, 'registry-aliases', /\n/), 'registry-aliases', 'CLUSTER_HOST=RUNNER_ADDRESS'),
      insecure: getList(env, 'insecure-registries').map((h) => h.toLowerCase()),
      credentials: username && password ? { username, password } : undefined,
      platform,
    },
    environment,
    service,
    pins,
    configPath,
    tagPolicy: oneOf(env, 'tag-policy', ['set', 'keep', 'remove'] as const, 'set'),
    setRepository: getBoolean(env, 'set-repository'),
    gitops: {
      repository,
      repositoryDisplay,
      token,
      apiUrl,
      baseBranch: getInput(env, 'base-branch') || 'main',
      mode: getInput(env, 'mode') ? oneOf(env, 'mode', ['pull-request', 'direct'] as const, 'pull-request') : undefined,
      branchTemplate: getInput(env, 'branch-template') || 'digestpin/{environment}/{service}',
      pullRequest: {
        labels: getList(env, 'pr-labels'),
        reviewers: reviewers.filter((r) => !r.includes('/')),
        teamReviewers: reviewers.filter((r) => r.includes('/')).map((r) => r.split('/')[1]!),
        assignees: getList(env, 'assignees'),
        draft: getBoolean(env, 'draft'),
        autoMerge: autoMerge as 'merge' | 'squash' | 'rebase' | undefined,
        forceUpdate: getBoolean(env, 'force-update'),
        // The hidden github-token input defaults to the workflow's token: equal means gitops-token IS GITHUB_TOKEN.
        workflowToken: Boolean(token) && token === optional(env, 'github-token'),
      },
      dryRun: getBoolean(env, 'dry-run'),
    },
    run: {
      sha,
      sourceRepository: env.GITHUB_REPOSITORY || undefined,
      serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
      runId: env.GITHUB_RUN_ID || undefined,
      workspace,
      tempDir,
    },
  });
}

/** The promotion bot's run (issue 11): which promotions, and whether to write them or only plan. */
export interface ChainInputs {
  /** Everything a pipeline request of this run shares (gitops, registry, run context, config). */
  base: Readonly<DigestpinRequest>;
  configPath: string;
  selection: { from?: string; to?: string; services?: string[]; group?: string; all: boolean; auto: boolean };
  /** rollback: N, with environment and service. */
  rollback?: number;
  /** plan: true prints the plan (summary, outputs) and writes nothing. */
  plan: boolean;
  argocdToken?: string;
}

const CHAIN_INPUTS = ['services', 'group', 'all', 'auto', 'rollback', 'plan'];

/**
 * The bot's inputs, or undefined when none is given (a one-target run). The shared parts are read by
 * readInputs itself, on the inputs with the image named by the chain (each promotion reads its own).
 */
export function readChainInputs(env: Env): ChainInputs | undefined {
  if (!CHAIN_INPUTS.some((name) => getInput(env, name) && getInput(env, name) !== 'false')) return undefined;
  const config = optional(env, 'config');
  if (!config) throw new InputError('config', 'is required with services, group, all, auto, rollback or plan: it describes the environments and services');
  for (const name of ['image', 'image-ref', 'digest', 'values-file']) {
    if (optional(env, name)) throw new InputError(name, 'is not used with services, group, all, auto, rollback or plan: each promotion takes what its source environment pins');
  }
  const raw = getInput(env, 'rollback');
  if (raw && !/^[1-9][0-9]{0,2}$/.test(raw)) throw new InputError('rollback', `'${raw}' is not a number of steps back; use 1 for the digest before the current one`);
  const services = getList(env, 'services');
  for (const s of services) if (!SERVICE.test(s)) throw new InputError('services', `'${s}' is not a service name`);
  const to = optional(env, 'environment');
  const from = optional(env, 'from-environment');
  if (raw && (!to || !optional(env, 'service'))) throw new InputError('rollback', 'needs environment and service: the target to roll back');
  // A plan writes nothing; a rollback writes. A preview of a rollback is a dry run of it.
  if (raw && getBoolean(env, 'plan')) throw new InputError('plan', 'is not used with rollback: a plan writes nothing; use dry-run: true to preview the rollback');
  const argocdToken = optional(env, 'argocd-token');
  registerSecret(argocdToken);
  // The base request: readInputs' own checks, with the chain's stand-ins for what each promotion sets itself.
  const base = readInputs({ ...env, INPUT_ENVIRONMENT: to ?? 'chain', 'INPUT_FROM-ENVIRONMENT': from && from !== to ? from : 'chain-source', INPUT_SERVICE: optional(env, 'service') ?? services[0] ?? 'chain' });
  return {
    base,
    configPath: base.configPath!,
    selection: { from, to, services: optional(env, 'service') ? [getInput(env, 'service'), ...services] : services, group: optional(env, 'group'), all: getBoolean(env, 'all'), auto: getBoolean(env, 'auto') },
    rollback: raw ? Number(raw) : undefined,
    plan: getBoolean(env, 'plan'),
    argocdToken,
  };
}
