// `rollback: N`: the N-th previous distinct digest of a target, read from its file's history, pinned with
// the tag that went with it through the one-target pipeline. The PR says it is a rollback.
import { DigestpinError, InputError } from '../runtime/errors.js';
import type { LoadedConfig } from '../config/index.js';
import type { DigestpinRequest } from '../request.js';
import { ownTarget, pinReader, readCurrentPin, type GatherContext } from './gather.js';
import { pickRollback } from './soak.js';
import type { ChainBase } from './execute.js';
import type { ChainDeps, RollbackPick } from './types.js';

/** Commits read per step back: a digest is usually pinned by one commit, sometimes re-pinned (tag) by more. */
const COMMITS_PER_STEP = 20;

export async function rollbackPick(ctx: GatherContext, deps: ChainDeps, env: string, service: string, steps: number): Promise<RollbackPick> {
  if (!deps.history) throw new DigestpinError('rollback needs the GitOps repository\'s history, which this backend does not read');
  const current = await readCurrentPin(ctx, deps, env, service);
  const target = ownTarget(ctx.loaded.config, ctx.loaded.name, env, service);
  const entries = await deps.history({ repository: ctx.repository, baseBranch: ctx.baseBranch, path: target.file, limit: Math.max(ctx.historyLimit, steps * COMMITS_PER_STEP) });
  const pick = pickRollback(entries, current.digest, steps, pinReader(ctx.loaded.config, ctx.loaded.name, env, service));
  if (!pick) {
    throw new InputError('rollback', `${target.file} has no ${steps === 1 ? 'previous digest' : `${steps}th previous distinct digest`} of ${service} in ${env} in its last ${entries.length} commits`);
  }
  return pick;
}

/** The pipeline request that pins the picked digest (by digest, with its tag) into the target. */
export function rollbackRequest(base: ChainBase, loaded: LoadedConfig, env: string, service: string, steps: number, pick: RollbackPick): DigestpinRequest {
  const [registry, ...path] = pick.repository.split('/');
  const pull = loaded.config.environments.get(env)?.pullRegistry ?? registry;
  return {
    ...base,
    environment: env,
    service,
    image: { kind: 'digest', name: path.join('/'), digest: pick.digest, tag: pick.tag },
    registry: { ...base.registry, push: registry, pull },
    rollback: { steps, digest: pick.digest, tag: pick.tag, commit: pick.oid },
  };
}
