// The real side effects for the pipeline, shared by the action and the CLI: buildx (after a private
// docker login), the registry client, the GitOps backend, the file system. `scratch` is a temp dir.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dockerLogin, runBuild } from '../buildx/index.js';
import { createRegistryClient, parseReference } from '../registry/index.js';
import { createBackend } from '../gitops/select.js';
import { exec } from '../runtime/exec.js';
import type { Logger } from '../runtime/logger.js';
import type { DigestpinRequest } from '../request.js';
import { runPipeline, type PipelineDeps, type PipelineResult } from './pipeline.js';

function realDeps(request: Readonly<DigestpinRequest>, logger: Logger, scratch: string, output?: PipelineDeps['output']): PipelineDeps {
  return {
    logger,
    output,
    readFile: (path) => readFile(path, 'utf8'),
    registry: (options) => createRegistryClient({ ...options, logger }),
    gitops: (req) => createBackend({ repository: req.gitops.repository, token: req.gitops.token, apiUrl: req.gitops.apiUrl, tempDir: scratch, logger }),
    build: async (build) => {
      const creds = request.registry.credentials;
      // The first tag is the derived push reference; its registry is where buildx pushes.
      const host = build.tags[0] ? parseReference(build.tags[0], 'tags').registry : undefined;
      const env = creds && host ? await dockerLogin(host, creds, { exec, dockerConfigDir: join(scratch, 'docker-config'), logger }) : undefined;
      return runBuild(build, { exec, logger, env });
    },
  };
}

/** Runs the pipeline with the real dependencies in a scratch folder under the run's temp dir, removed afterwards. */
export async function runWithRealDeps(request: Readonly<DigestpinRequest>, logger: Logger, output?: PipelineDeps['output']): Promise<PipelineResult> {
  await mkdir(request.run.tempDir, { recursive: true });
  const scratch = await mkdtemp(join(request.run.tempDir, 'digestpin-'));
  try {
    return await runPipeline(request, realDeps(request, logger, scratch, output));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
