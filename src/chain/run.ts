// One run of the bot, for the CLI and the action: load the config, plan the selection, then (unless it is
// a plan) execute what is due, or pin a rollback. Returns what the reports need; writes only through deps.
import { relative } from 'node:path';
import { InputError } from '../runtime/errors.js';
import { loadConfigFile, type LoadedConfig } from '../config/index.js';
import type { ChainInputs } from '../inputs.js';
import { executeDue, type ChainBase, type Outcome } from './execute.js';
import { planChain } from './plan.js';
import { rollbackPick, rollbackRequest } from './rollback.js';
import type { GatherContext } from './gather.js';
import type { ChainDeps, Promotion, RollbackPick } from './types.js';

/** Commits of a file read for soak: enough to reach back past any soak a config sets, in one page. */
export const HISTORY_LIMIT = 50;

export interface ChainReport {
  loaded: LoadedConfig;
  promotions: Promotion[];
  outcomes: Outcome[];
  rollback?: { pick: RollbackPick; outcome: Outcome };
  planOnly: boolean;
}

export async function loadChainConfig(inputs: ChainInputs, deps: Pick<ChainDeps, 'readFile'>): Promise<LoadedConfig> {
  const { workspace } = inputs.base.run;
  return loadConfigFile(inputs.configPath, deps.readFile, relative(workspace, inputs.configPath) || inputs.configPath);
}

function baseOf(inputs: ChainInputs): ChainBase {
  const { image: _i, environment: _e, service: _s, pins: _p, rollback: _r, ...base } = inputs.base;
  return base;
}

export async function runChain(inputs: ChainInputs, deps: ChainDeps): Promise<ChainReport> {
  const loaded = await loadChainConfig(inputs, deps);
  const ctx: GatherContext = { loaded, repository: inputs.base.gitops.repository, baseBranch: inputs.base.gitops.baseBranch, historyLimit: HISTORY_LIMIT };
  const base = baseOf(inputs);
  if (inputs.rollback !== undefined) {
    const { to } = inputs.selection;
    const service = inputs.selection.services?.[0];
    if (!to || !service) throw new InputError('rollback', 'needs environment and service: the target to roll back');
    const pick = await rollbackPick(ctx, deps, to, service, inputs.rollback);
    const request = rollbackRequest(base, loaded, to, service, inputs.rollback, pick);
    const result = await deps.runPipeline(request);
    return { loaded, promotions: [], outcomes: [], rollback: { pick, outcome: { promotions: [], result } }, planOnly: false };
  }
  const { all, auto, services, group } = inputs.selection;
  if (!inputs.plan && !all && !auto && !services?.length && !group) {
    throw new InputError('all', 'say which services to promote: service/services, group, all, or auto');
  }
  const promotions = await planChain(ctx, deps, inputs.selection);
  if (inputs.plan) return { loaded, promotions, outcomes: [], planOnly: true };
  return { loaded, promotions, outcomes: await executeDue(base, loaded, deps, promotions), planOnly: false };
}
