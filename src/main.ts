// The action's run(): read inputs, run the pipeline with real dependencies, set outputs, write the summary.
// Inputs are read and checked before anything heavy loads, so a bad input fails fast. One top-level catch.
import { oneLine, type DigestpinError } from './runtime/errors.js';
import { workflowCommand } from './action/workflow-command.js';
import { readChainInputs, readInputs } from './inputs.js';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    // The promotion bot (services, group, all, auto, rollback or plan): each promotion is one pipeline run.
    const chain = readChainInputs(env);
    if (chain) {
      const { runChainAction } = await import('./chain/action.js');
      return await runChainAction(chain, env);
    }
    const request = readInputs(env);
    const { runAction } = await import('./action/run-action.js');
    await runAction(request, env);
  } catch (error) {
    const ctx = (error as Partial<DigestpinError>).context;
    process.stdout.write(`${workflowCommand('error', oneLine(error), { file: ctx?.file, line: ctx?.line, title: 'digestpin' })}\n`);
    if (env.DIGESTPIN_DEBUG && error instanceof Error && error.stack) process.stdout.write(`${workflowCommand('debug', error.stack)}\n`);
    process.exitCode = 1;
  }
}
