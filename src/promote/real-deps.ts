// The real side effects for the pipeline, shared by the action and the CLI: buildx (after a private
// docker login), the registry client, the GitOps backend, the file system. `scratch` is a temp dir.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dockerLogin, runBuild } from '../build/index.js';
import { createRegistryClient } from '../registry/index.js';
import { createBackend } from '../gitops/select.js';
import { exec } from '../runtime/exec.js';
import type { Logger } from '../runtime/logger.js';
import type { DigestpinRequest } from '../request.js';
import type { PipelineDeps } from './pipeline.js';

export function realDeps(request: Readonly<DigestpinRequest>, logger: Logger, scratch: string, output?: PipelineDeps['output']): PipelineDeps {
  return {
    logger,
    output,
    readFile: (path) => readFile(path, 'utf8'),
    registry: (options) => createRegistryClient({ ...options, logger }),
    gitops: (req) => createBackend({ repository: req.gitops.repository, token: req.gitops.token, apiUrl: req.gitops.apiUrl, tempDir: scratch, logger }),
    build: async (build) => {
      const creds = request.registry.credentials;
      const host = build.tags[0]?.split('/')[0];
      const env = creds && host ? await dockerLogin(host, creds, { exec, dockerConfigDir: join(scratch, 'docker-config'), logger }) : undefined;
      return runBuild(build, { exec, logger, env });
    },
  };
}
