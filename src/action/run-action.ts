// Runs the pipeline for the action: real dependencies, outputs set as soon as known (so they are set
// before a failure is rethrown), and the job summary. Loaded only after the inputs are valid.
import * as core from '@actions/core';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { redact } from '../runtime/secrets.js';
import { runPipeline } from '../promote/pipeline.js';
import { outputsOf } from './outputs.js';
import { realDeps } from '../promote/real-deps.js';
import { summaryMarkdown } from '../report/summary.js';
import type { DigestpinRequest } from '../request.js';
import { actionsLogger } from './actions-logger.js';

export async function runAction(request: Readonly<DigestpinRequest>, env: NodeJS.ProcessEnv): Promise<void> {
  const logger = actionsLogger();
  await mkdir(request.run.tempDir, { recursive: true });
  const scratch = await mkdtemp(join(request.run.tempDir, 'digestpin-'));
  const output = (name: string, value: string) => core.setOutput(name, redact(value));
  try {
    const result = await runPipeline(request, realDeps(request, logger, scratch, output));
    for (const [name, value] of Object.entries(outputsOf(result))) output(name, value);
    if (env.GITHUB_STEP_SUMMARY) {
      await core.summary.addRaw(summaryMarkdown({ entries: result.entries, ...result.promotion, dryRun: request.gitops.dryRun })).write();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
