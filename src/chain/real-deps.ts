// The bot's real side effects: the checkout's files, the GitOps backend's history, the registry (one HEAD
// per digest asked about), Argo CD's API for health gates, the registry copy for `copy: true`, and promote/'s
// pipeline with its own real dependencies.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DigestpinError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import { copyImage, copySignatureTags, createRegistryClient, servesDigest } from '../registry/index.js';
import { applicationHealth } from '../argocd/health.js';
import { registryOptions } from '../promote/registry-options.js';
import { createBackend } from '../gitops/select.js';
import type { GitOpsBackend } from '../gitops/types.js';
import { runWithRealDeps } from '../promote/real-deps.js';
import type { ChainInputs } from '../inputs.js';
import type { ChainDeps } from './types.js';


/** Real deps, and a cleanup for the scratch folder the backend's clone lives in. */
export async function realChainDeps(inputs: ChainInputs, logger: Logger, output?: (name: string, value: string) => void): Promise<{ deps: ChainDeps; close(): Promise<void> }> {
  const { base } = inputs;
  await mkdir(base.run.tempDir, { recursive: true });
  const scratch = await mkdtemp(join(base.run.tempDir, 'digestpin-chain-'));
  // The registry inputs' credentials go to the input hosts and to the registry each call names: an environment's
  // pull-registry comes from the config, which the GitOps repository's reviewers own (as the pipeline does).
  const optionsFor = (...hosts: string[]) => registryOptions(base.registry, [base.registry.push, base.registry.pull, ...hosts], logger);
  const clients = new Map<string, ReturnType<typeof createRegistryClient>>();
  const clientFor = (host: string) => clients.get(host) ?? clients.set(host, createRegistryClient(optionsFor(host))).get(host)!;
  let backend: Promise<GitOpsBackend> | undefined;
  const gitops = () => (backend ??= createBackend({ repository: base.gitops.repository, token: base.gitops.token, apiUrl: base.gitops.apiUrl, tempDir: scratch, logger }));
  const deps: ChainDeps = {
    logger,
    readFile: (path) => readFile(path, 'utf8'),
    now: () => new Date(),
    history: async (query) => {
      const b = await gitops();
      if (!b.history) throw new DigestpinError('this GitOps backend reads no history, so soak and rollback are unknown');
      return b.history(query);
    },
    present: (ref) => servesDigest(clientFor(ref.registry), ref),
    runPipeline: (request) => runWithRealDeps(request, logger, output),
    // No token: a health gate holds (it can't be shown to pass), which the plan says.
    health: inputs.argocdToken ? (q) => applicationHealth({ ...q, token: inputs.argocdToken! }) : undefined,
    copy: async (from, to) => {
      const options = optionsFor(from.registry, to.registry);
      const copied = await copyImage(options, from, to, { logger });
      // Signatures and attestations go along, so the target's verify policy can hold there.
      const tags = await copySignatureTags(options, from, to, { logger });
      if (tags.length) logger.info(`copied ${tags.join(', ')} beside it`);
      return copied;
    },
  };
  return { deps, close: () => rm(scratch, { recursive: true, force: true }) };
}
