// `digestpin lint --online`: does every pinned digest still exist at the registry its environment pulls from?
// One HEAD by digest per distinct (registry, repository, digest), through the registry client; a missing one is
// reported at its file and line, so a cleaned-up registry is caught before Argo CD's next sync fails to pull.
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DigestpinError, oneLine, RegistryError } from '../runtime/errors.js';
import { lintOptionsFor, loadConfigFile, type DigestpinConfig } from '../config/index.js';
import {
  createRegistryClient,
  defaultDockerConfigPath,
  parseAliases,
  parseReference,
  reachedRegistry,
  type ImageReference,
  type RegistryClient,
} from '../registry/index.js';
import { decodeUtf8, normalizeRepository, readPin } from '../values/index.js';
import { findPinnedDigests, type PinnedDigest } from '../values/pinned-digests.js';
import { splitRegistry } from '../values/reference.js';
import type { LintProblem } from '../values/types.js';
import type { CliIO } from './types.js';
import { envCredentials } from './env-credentials.js';

/** A pin to check, with the registry its environment pulls from when the config names one. */
export interface OnlinePin extends PinnedDigest {
  environment?: string;
  pullRegistry?: string;
}

export interface OnlineFinding extends LintProblem {
  image: string;
  registry: string;
  digest: string;
}

export interface OnlineReport {
  /** Distinct (registry, repository, digest) checked. */
  checked: number;
  requests: number;
  findings: OnlineFinding[];
}

/** Where a pin is checked: the environment's pull registry replaces the host the file names. */
export function checkedReference(pin: OnlinePin): ImageReference {
  const name = pin.pullRegistry ? `${pin.pullRegistry}/${splitRegistry(normalizeRepository(pin.repository)).path}` : normalizeRepository(pin.repository);
  return { ...parseReference(name, pin.file), digest: pin.digest };
}

/** Checks every pin, one request per distinct digest (a missing one costs one more, to say what is missing). */
export async function checkPinsOnline(pins: OnlinePin[], client: RegistryClient, concurrency = 8): Promise<OnlineReport> {
  const groups = new Map<string, { ref: ImageReference; pins: OnlinePin[] }>();
  const findings: OnlineFinding[] = [];
  for (const pin of pins) {
    let ref: ImageReference;
    try {
      ref = checkedReference(pin);
    } catch {
      findings.push(finding(pin, pin.repository, '', 'digest-unchecked', `${pin.repository}@${pin.digest} can't be checked: '${pin.repository}' is not a registry/repository name`));
      continue;
    }
    const key = `${ref.registry}/${ref.repository}@${pin.digest}`;
    const group = groups.get(key) ?? { ref, pins: [] };
    group.pins.push(pin);
    groups.set(key, group);
  }
  let requests = 0;
  const queue = [...groups.values()];
  const worker = async () => {
    for (let g = queue.shift(); g; g = queue.shift()) {
      const image = `${g.ref.registry}/${g.ref.repository}`;
      try {
        const verified = await client.verify({ registry: g.ref.registry, repository: g.ref.repository }, g.ref.digest!, { waitForPush: false });
        requests += verified.requests;
      } catch (error) {
        const missing = error instanceof RegistryError && error.status === 404;
        for (const pin of g.pins) {
          findings.push(
            missing
              ? finding(pin, image, g.ref.registry, 'digest-missing', missingText(image, pin.digest, g.ref.registry, error as RegistryError))
              : finding(pin, image, g.ref.registry, 'digest-unchecked', `${image}@${pin.digest} could not be checked at registry ${g.ref.registry}: ${oneLine(error)}`),
          );
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { checked: groups.size, requests, findings };
}

function missingText(image: string, digest: string, registry: string, error: RegistryError): string {
  const repository = /repository '([^']*)' does not exist/.exec(error.message)?.[1];
  const gone = repository ? `; the registry has no repository '${repository}'` : '';
  return `${image}@${digest} is missing at registry ${registry} (HTTP 404${gone}): the cluster can't pull it`;
}

function finding(pin: OnlinePin, image: string, registry: string, rule: string, message: string): OnlineFinding {
  return { file: pin.file, line: pin.line, severity: 'error', rule, message, image, registry, digest: pin.digest };
}

/** Every pinned digest of every target of every environment, read as pinning reads it (styles, markers). */
export async function pinsFromConfig(config: DigestpinConfig, root: string, shownRoot: string): Promise<{ pins: OnlinePin[]; files: string[]; problems: LintProblem[] }> {
  const pins: OnlinePin[] = [];
  const problems: LintProblem[] = [];
  const files = new Set<string>();
  for (const env of config.environments.values()) {
    // `pull-registry` arrives with the promotion chain's config (issue 11); read it when the config has it.
    const pullRegistry = (env as { pullRegistry?: string }).pullRegistry;
    for (const service of env.services.values()) {
      for (const target of service.targets) {
        const shown = join(shownRoot, target.file);
        const bytes = await readFile(resolve(root, target.file)).catch((e: NodeJS.ErrnoException) => e);
        if (bytes instanceof Error) {
          const message = `${env.name}/${service.name}: ${target.file} can't be read (${bytes.code ?? bytes.message})`;
          problems.push({ file: shown, line: 1, severity: 'error', rule: 'unreadable-pin', message });
          continue;
        }
        files.add(target.file);
        try {
          const text = decodeUtf8(bytes, shown);
          const pin = readPin(text, target.target, shown);
          // readPin names the block's line; the digest's own line is where a reader looks.
          const line = findPinnedDigests(text, shown).find((p) => p.digest === pin.digest && p.line >= pin.line)?.line ?? pin.line;
          if (pin.digest) pins.push({ file: shown, line, repository: pin.repository, digest: pin.digest, environment: env.name, ...(pullRegistry ? { pullRegistry } : {}) });
        } catch (error) {
          const ctx = error instanceof DigestpinError ? error.context : {};
          problems.push({ file: ctx.file ?? shown, line: ctx.line ?? 1, severity: 'error', rule: 'unreadable-pin', message: `${env.name}/${service.name}: ${oneLine(error).replace(`${shown}: `, '')}` });
        }
      }
    }
  }
  return { pins, files: [...files], problems };
}

/** Loads `--config`; its files are relative to its folder, shown relative to the working directory. */
/** How the config says `file` is linted: immutable when an environment that pins into it says so; its sha-keys. */
export function lintOptionsInConfig(configured: { config: DigestpinConfig; root: string }, file: string): { immutable: boolean; shaKeys?: string[] } {
  const rel = relative(configured.root, file);
  if (rel.startsWith('..')) return { immutable: false };
  const { immutable, shaKeys } = lintOptionsFor(configured.config, rel.split(sep).join('/'));
  return { immutable, shaKeys };
}

export async function loadConfigForLint(io: CliIO, path: string) {
  const full = resolve(io.cwd, path);
  const loaded = await loadConfigFile(full, (p) => readFile(p, 'utf8'), path);
  const root = dirname(full);
  return { config: loaded.config, root, shownRoot: relative(io.cwd, root) || '.' };
}

/** The client for the check: the same credentials, aliases and insecure hosts as `digestpin resolve`. */
type OnlineValues = { alias?: string[]; 'insecure-registry'?: string[]; 'credentials-for'?: string[] };

/**
 * DIGESTPIN_REGISTRY_USERNAME/PASSWORD go only to registries the user named: `--credentials-for HOST` and the
 * config's `pull-registry` hosts. A host that merely appears in a linted file (a pull request can add one) gets
 * none, so a lint of untrusted changes can't hand the credentials to a registry of the author's choosing.
 */
export function onlineClient(io: CliIO, values: OnlineValues, pins: OnlinePin[]): RegistryClient {
  const aliases = parseAliases(values.alias ?? [], '--alias');
  const hosts = new Set<string>();
  const named = [...(values['credentials-for'] ?? []), ...pins.flatMap((p) => (p.pullRegistry ? [p.pullRegistry] : []))];
  for (const host of named) hosts.add(host.toLowerCase()).add(reachedRegistry(host.toLowerCase(), aliases));
  return createRegistryClient({
    aliases,
    insecureRegistries: values['insecure-registry'] ?? [],
    credentials: envCredentials(io.env, [...hosts]),
    dockerConfigPath: defaultDockerConfigPath(io.env),
    notFoundWindowMs: 0,
    logger: io.logger,
  });
}


/** Config targets are read as pinning reads them; any other file's pins are found by their shape. */
export async function checkOnline(io: CliIO, values: OnlineValues, texts: Map<string, string>, configured?: { pins: OnlinePin[]; shownFiles: string[] }): Promise<OnlineReport> {
  const covered = new Set(configured?.shownFiles ?? []);
  const pins: OnlinePin[] = [...(configured?.pins ?? [])];
  for (const [shown, text] of texts) if (!covered.has(shown)) pins.push(...findPinnedDigests(text, shown));
  return checkPinsOnline(pins, onlineClient(io, values, pins));
}
