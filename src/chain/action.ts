// The bot as the action runs it: plan (plan: true, the job summary and the `plan`/`matrix` outputs) or
// promote what is due; a rollback also sets the one-target outputs. Loaded only after the inputs are valid.
import * as core from '@actions/core';
import { DigestpinError } from '../runtime/errors.js';
import { redact } from '../runtime/secrets.js';
import { actionsLogger } from '../action/actions-logger.js';
import { outputsOf } from '../action/outputs.js';
import type { ChainInputs } from '../inputs.js';
import { realChainDeps } from './real-deps.js';
import { runChain } from './run.js';
import { matrixOf } from './matrix.js';
import { planJson } from './render.js';
import { problems, reportJson, reportMarkdown } from './outcome-text.js';

export async function runChainAction(inputs: ChainInputs, env: NodeJS.ProcessEnv): Promise<void> {
  const logger = actionsLogger();
  const output = (name: string, value: string) => core.setOutput(name, redact(value));
  const { deps, close } = await realChainDeps(inputs, logger);
  try {
    const report = await runChain(inputs, deps);
    output('plan', JSON.stringify(planJson(report.promotions)));
    output('matrix', JSON.stringify(matrixOf(report.promotions)));
    output('due', String(report.promotions.filter((p) => p.status === 'due').length));
    if (!report.planOnly) output('promotions', JSON.stringify((reportJson(report) as { results: unknown }).results));
    const result = report.rollback?.outcome.result;
    if (result) for (const [name, value] of Object.entries(outputsOf(result))) output(name, value);
    if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(reportMarkdown(report)).write();
    const failed = problems(report);
    if (failed.length) throw new DigestpinError(`${failed[0]}${failed.length > 1 ? ` (and ${failed.length - 1} more; see the job summary)` : ''}`);
  } finally {
    await close();
  }
}
