// Executes due promotions through promote/'s one-target pipeline: one request (and so one commit or PR)
// per service, or per group. A `copy: true` target gets the image copied by digest first. No second
// commit/PR path: everything written goes through runPipeline.
import { DigestpinError, oneLine } from '../runtime/errors.js';
import { serviceLine } from '../runtime/logger.js';
import type { LoadedConfig } from '../config/index.js';
import type { DigestpinRequest } from '../request.js';
import type { PipelineResult } from '../promote/pipeline.js';
import type { ChainDeps, CopyResult, Promotion } from './types.js';

/** What every request of a run shares: gitops, registry credentials, run context, the config. */
export type ChainBase = Omit<DigestpinRequest, 'image' | 'environment' | 'service' | 'pins' | 'rollback'>;

export interface Outcome {
  /** The promotions this request carried: one service, or a group's members. */
  promotions: Promotion[];
  result?: PipelineResult;
  copied?: CopyResult;
  error?: string;
}

/** Due promotions as units of one PR: a group's members together, every other service alone. */
export function units(due: Promotion[]): Promotion[][] {
  const byKey = new Map<string, Promotion[]>();
  for (const p of due) {
    const key = p.group ? `${p.from}>${p.to}>group:${p.group}` : `${p.from}>${p.to}>${p.service}`;
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  return [...byKey.values()];
}

function split(repository: string): { registry: string; repository: string } {
  const [registry, ...path] = repository.split('/');
  return { registry: registry!, repository: path.join('/') };
}

/** The request for one unit: what `from` pins, verified and written at the target's pull registry. */
export function requestFor(base: ChainBase, loaded: LoadedConfig, unit: Promotion[]): DigestpinRequest {
  const [first, ...rest] = unit;
  if (!first) throw new Error('an empty promotion unit');
  const env = loaded.config.environments.get(first.to)!;
  const registry = { ...base.registry, push: undefined, pull: env.pullRegistry ?? base.registry.pull };
  const gitops = { ...base.gitops, mode: base.gitops.mode ?? env.mode };
  const one = (p: Promotion): DigestpinRequest => ({ ...base, environment: p.to, service: p.service, image: { kind: 'environment', from: p.from }, registry, gitops });
  // A group is one commit or PR: the first member's request carries the others as companions, each verified
  // at the pull registry by the same pipeline, whatever image it pins.
  return rest.length ? { ...one(first), companions: rest.map(one) } : one(first);
}

async function copyFirst(deps: ChainDeps, p: Promotion): Promise<CopyResult | undefined> {
  if (!p.copy || !p.source?.digest) return undefined;
  if (!deps.copy) throw new DigestpinError(`${p.service}: ${p.pullRegistry} lacks ${p.source.digest} and copy: true is set, but this build of digestpin can't copy images yet`);
  const from = { ...split(p.source.repository), digest: p.source.digest };
  deps.logger.info(serviceLine(p.service, 'start', `copying ${from.registry}/${from.repository}@${from.digest} to ${p.pullRegistry}`));
  const copied = await deps.copy(from, { registry: p.pullRegistry, repository: from.repository });
  if (copied.digest !== from.digest) throw new DigestpinError(`the copy to ${p.pullRegistry} has digest ${copied.digest}, not ${from.digest}; nothing was written`, { image: `${p.pullRegistry}/${from.repository}` });
  deps.logger.info(serviceLine(p.service, 'done', `copied (${copied.blobsCopied} blobs copied, ${copied.blobsMounted} mounted)`));
  return copied;
}

async function executeUnit(base: ChainBase, loaded: LoadedConfig, deps: ChainDeps, unit: Promotion[]): Promise<Outcome> {
  const name = unit[0]!.group ?? unit[0]!.service;
  try {
    const request = requestFor(base, loaded, unit);
    if (base.gitops.dryRun && unit.some((p) => p.copy)) {
      deps.logger.info(serviceLine(name, 'done', `dry run: would copy the image to ${unit[0]!.pullRegistry} and then pin it`));
      return { promotions: unit };
    }
    let copied: CopyResult | undefined;
    for (const p of unit) copied = (await copyFirst(deps, p)) ?? copied;
    return { promotions: unit, copied, result: await deps.runPipeline(request) };
  } catch (error) {
    deps.logger.info(serviceLine(name, 'fail', oneLine(error)));
    return { promotions: unit, error: oneLine(error) };
  }
}

/** Runs every due unit in turn; a failing unit does not stop the others, and is reported with its error. */
export async function executeDue(base: ChainBase, loaded: LoadedConfig, deps: ChainDeps, promotions: Promotion[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const unit of units(promotions.filter((p) => p.status === 'due'))) outcomes.push(await executeUnit(base, loaded, deps, unit));
  return outcomes;
}
