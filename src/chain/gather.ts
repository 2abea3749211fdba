// Gathers what the planner needs, asking only what a decision can turn on: history only for a soaking
// target whose pin would change, Argo CD only for a health-gated one, the target registry only for a digest
// that would move. Pins are read from the checked-out GitOps repository (the engine's readPin).
import { dirname, join } from 'node:path';
import { FileError, oneLine } from '../runtime/errors.js';
import { readPin } from '../values/index.js';
import { pinsFor, type DigestpinConfig, type EnvironmentConfig, type LoadedConfig } from '../config/index.js';
import { pullRegistryOf, type Facts } from './decide.js';
import { soakStart, type ReadPinAt } from './soak.js';
import type { Candidate } from './select.js';
import type { ChainDeps, CurrentPin } from './types.js';

export interface GatherContext {
  loaded: LoadedConfig;
  repository: string;
  baseBranch: string;
  /** How many commits of a file's history are read for soak (and rollback). */
  historyLimit: number;
}

/** The service's own image target in `env`: its first target without `image:`. */
export function ownTarget(config: DigestpinConfig, file: string, env: string, service: string) {
  const { pins } = pinsFor(config, file, env, service);
  return pins.find((p) => !p.image) ?? pins[0]!;
}

/** A reader of the service's own pin in any version of its file (for history). */
export function pinReader(config: DigestpinConfig, name: string, env: string, service: string): ReadPinAt {
  const target = ownTarget(config, name, env, service);
  return (text) => {
    try {
      return readPin(text, target.target, target.file);
    } catch {
      return undefined;
    }
  };
}

export async function readCurrentPin(ctx: GatherContext, deps: Pick<ChainDeps, 'readFile'>, env: string, service: string): Promise<CurrentPin> {
  const target = ownTarget(ctx.loaded.config, ctx.loaded.name, env, service);
  const text = await deps.readFile(join(dirname(ctx.loaded.path), target.file)).catch((e: NodeJS.ErrnoException) => {
    throw new FileError(target.file, undefined, `can't be read from the GitOps checkout (${e.code ?? e.message})`);
  });
  const pin = readPin(text, target.target, target.file);
  return { file: target.file, repository: pin.repository, tag: pin.tag, digest: pin.digest, line: pin.line };
}

async function soakFacts(ctx: GatherContext, deps: ChainDeps, c: Candidate, source: CurrentPin): Promise<Facts['soak']> {
  if (!deps.history) return { error: 'the GitOps backend reads no history, so the soak time is unknown' };
  try {
    const entries = await deps.history({ repository: ctx.repository, baseBranch: ctx.baseBranch, path: source.file, limit: ctx.historyLimit });
    return soakStart(entries, source.digest!, pinReader(ctx.loaded.config, ctx.loaded.name, c.from, c.service));
  } catch (error) {
    return { error: oneLine(error) };
  }
}

async function healthFacts(deps: ChainDeps, target: EnvironmentConfig, c: Candidate): Promise<Facts['health']> {
  const gate = target.health!;
  const application = gate.application.replaceAll('{service}', c.service).replaceAll('{env}', c.from);
  if (!deps.health) return { application, error: 'no Argo CD token (argocd-token input or ARGOCD_TOKEN)' };
  try {
    return { application, answer: await deps.health({ server: gate.server, application }) };
  } catch (error) {
    return { application, error: oneLine(error) };
  }
}

/** The facts of one candidate; a pin that can't be read becomes a hold reason, not a failure of the plan. */
export async function gather(ctx: GatherContext, deps: ChainDeps, c: Candidate): Promise<Facts> {
  const facts: Facts = { candidate: c };
  try {
    facts.source = await readCurrentPin(ctx, deps, c.from, c.service);
  } catch (error) {
    facts.sourceProblem = oneLine(error);
  }
  try {
    facts.target = await readCurrentPin(ctx, deps, c.to, c.service);
  } catch (error) {
    facts.targetProblem = oneLine(error);
  }
  const source = facts.source;
  if (!source?.digest || !facts.target || facts.target.digest === source.digest) return facts;
  const target = ctx.loaded.config.environments.get(c.to)!;
  if (target.soakMs !== undefined) facts.soak = await soakFacts(ctx, deps, c, source);
  if (target.health) facts.health = await healthFacts(deps, target, c);
  const [, ...path] = source.repository.split('/');
  try {
    facts.present = await deps.present({ registry: pullRegistryOf(target, source), repository: path.join('/'), digest: source.digest });
  } catch (error) {
    // A registry that can't be asked (401, down) holds this promotion with the reason; the rest of the plan goes on.
    facts.presentProblem = oneLine(error);
  }
  return facts;
}
