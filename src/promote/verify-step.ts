// The supply-chain gate of a promotion: signs what was built (sign: true), then checks the pinned digest at
// the pull-side registry against the target environment's policy (inputs win over the config). Runs after the
// digest is verified and before any GitOps write, so a failed policy writes nothing.
import { dirname } from 'node:path';
import { FileError, InputError } from '../runtime/errors.js';
import { serviceLine, type Logger } from '../runtime/logger.js';
import { formatReference } from '../registry/reference.js';
import type { ImageReference, RegistryClientOptions, Resolution } from '../registry/types.js';
import type { DigestpinRequest } from '../request.js';
import type { VerificationReport, VerifyPolicy } from '../verify/types.js';
import type { LoadedConfig } from './targets.js';
import { registryOptions } from './registry-options.js';

/** The target environment's `verify:` from the config, when the config loader provides one. */
function configPolicy(request: Readonly<DigestpinRequest>, loaded: LoadedConfig | undefined): VerifyPolicy | undefined {
  const env = loaded?.config.environments.get(request.environment) as { verify?: VerifyPolicy } | undefined;
  return env?.verify;
}

function clientOptions(request: Readonly<DigestpinRequest>, hosts: string[], logger: Logger): RegistryClientOptions {
  // The digest was verified just before: a 404 now is an answer, not a push still settling.
  return { ...registryOptions(request.registry, hosts, logger), notFoundWindowMs: 0 };
}

/** Where the image is, and `built`: the digest this run built and pushed, the only one it may sign. */
export interface StepImage {
  push: ImageReference;
  digest?: string;
  /** Set only when this run pushed its build (never on a dry run or push: false, never for an image it read). */
  built?: string;
}

/** Signs what this run pushed (sign: true); then verifies. Returns what was verified, or undefined when the policy is off. */
export async function verifyStep(
  request: Readonly<DigestpinRequest>,
  loaded: LoadedConfig | undefined,
  pushed: StepImage,
  resolution: Resolution,
  logger: Logger,
): Promise<VerificationReport | undefined> {
  const svc = request.service;
  const pull: ImageReference = { registry: request.registry.pull ?? pushed.push.registry, repository: pushed.push.repository };
  const options = clientOptions(request, [...new Set([pushed.push.registry, pull.registry])], logger);
  // A signature is a registry write: never on a dry run, and never over an image this run didn't push (a dry
  // run's pin is the digest the tag names now, which someone else built).
  if (request.sign && pushed.built && !request.gitops.dryRun) {
    const { signDigests } = await import('../verify/sign.js');
    // The index is signed (what was built); a platform pin's own digest too (a child of that index, pushed with
    // it), so the pinned digest carries one.
    const digests = [...new Set([pushed.built, resolution.digest])];
    await logger.group('Sign', async () => {
      const signed = await signDigests(request.sign!, { registry: pushed.push.registry, repository: pushed.push.repository }, digests, options);
      logger.info(serviceLine(svc, 'done', `signed ${digests.join(', ')} with key ${signed.fingerprint.slice(0, 19)}`));
    });
  }
  const { effectivePolicy } = await import('../verify/policy.js');
  const policy = effectivePolicy(request.verify, configPolicy(request, loaded), loaded ? dirname(loaded.path) : request.run.workspace, loaded ? `environments.${request.environment}.verify in ${loaded.name}` : undefined);
  if (policy.require === 'off') return undefined;
  const [{ createArtifactReader }, { loadTrustedKeys }, { verifyImage }, { PolicyError }] = await Promise.all([
    import('../registry/artifacts.js'),
    import('../verify/keys.js'),
    import('../verify/verify-image.js'),
    import('../verify/errors.js'),
  ]);
  return logger.group('Verify', async () => {
    const image = formatReference({ ...pull, digest: resolution.digest });
    logger.info(serviceLine(svc, 'start', `checking ${image} against the ${request.environment} policy (require: ${policy.require})`));
    const keys = await loadTrustedKeys(policy.keys, request.run.workspace, 'verify-keys').catch((error: unknown) => {
      // A key named in the config is the config file's problem: say which file and setting.
      if (request.verify || !loaded || !(error instanceof InputError)) throw error;
      const why = error.message.replace(/^input '[^']+': /, '');
      throw new FileError(loaded.path, undefined, `environments.${request.environment}.verify.keys: ${why}`);
    });
    try {
      const report = await verifyImage(createArtifactReader(options), pull, resolution.digest, policy, keys);
      for (const check of report.checks) logger.info(serviceLine(svc, 'done', check.detail));
      return report;
    } catch (error) {
      logger.info(serviceLine(svc, 'fail', `the ${request.environment} policy does not hold`));
      throw error instanceof PolicyError ? error.stoppedPromotion(request.environment) : error;
    }
  });
}
