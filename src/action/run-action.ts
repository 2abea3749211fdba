// Runs the pipeline for the action: real dependencies, outputs set as soon as known (so they are set
// before a failure is rethrown), and the job summary. Loaded only after the inputs are valid.
import * as core from '@actions/core';
import { redact } from '../runtime/secrets.js';
import { outputsOf } from './outputs.js';
import { runWithRealDeps } from '../promote/real-deps.js';
import { summaryMarkdown } from '../report/summary.js';
import type { DigestpinRequest } from '../request.js';
import { actionsLogger } from './actions-logger.js';

export async function runAction(request: Readonly<DigestpinRequest>, env: NodeJS.ProcessEnv): Promise<void> {
  const logger = actionsLogger();
  const output = (name: string, value: string) => core.setOutput(name, redact(value));
  const result = await runWithRealDeps(request, logger, output);
  for (const [name, value] of Object.entries(outputsOf(result))) output(name, value);
  if (env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(summaryMarkdown({ entries: result.entries, ...result.promotion, dryRun: request.gitops.dryRun, verified: result.verification?.checks.map((c) => c.detail) })).write();
  }
}
