// Runs the pipeline for the action: real dependencies, outputs set as soon as known (so they are set
// before a failure is rethrown), and the job summary. Loaded only after the inputs are valid.
import * as core from '@actions/core';
import { redact } from '../runtime/secrets.js';
import type { Logger } from '../runtime/logger.js';
import { createPrivateDir } from '../runtime/temp-dir.js';
import { outputsOf } from './outputs.js';
import { runWithRealDeps } from '../promote/real-deps.js';
import type { PipelineResult } from '../promote/pipeline.js';
import { summaryMarkdown } from '../report/summary.js';
import { runReport } from '../promote/run-report.js';
import type { DigestpinRequest } from '../request.js';
import { actionsLogger } from './actions-logger.js';

export async function runAction(request: Readonly<DigestpinRequest>, env: NodeJS.ProcessEnv): Promise<void> {
  const logger = actionsLogger();
  // Outputs are redacted for the user's secrets only: a token a registry issued may equal `sha256`.
  const output = (name: string, value: string) => core.setOutput(name, redact(value));
  // Outside a runner there is no RUNNER_TEMP: a fresh private folder, never a fixed path under /tmp.
  const temp = env.RUNNER_TEMP ? undefined : await createPrivateDir();
  try {
    const run = temp ? { ...request, run: { ...request.run, tempDir: temp.path } } : request;
    const result = await runWithRealDeps(run, logger, output);
    for (const [name, value] of Object.entries(outputsOf(result))) output(name, value);
    if (env.GITHUB_STEP_SUMMARY) await writeSummary(result, logger);
  } finally {
    await temp?.remove();
  }
}

/** The pin has landed by now: a summary that can't be written (full disk, missing file) is a warning, not a failure. */
async function writeSummary(result: PipelineResult, logger: Logger): Promise<void> {
  try {
    await core.summary.addRaw(summaryMarkdown(runReport(result))).write();
  } catch (error) {
    core.summary.emptyBuffer();
    const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
    logger.warning(`the job summary could not be written (${reason}); the ${result.promotion.operation} result above stands`);
  }
}
