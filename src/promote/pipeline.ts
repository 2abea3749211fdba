// The whole path, phase by phase: build (or take a pushed image) -> verify the digest at the pull-side
// registry -> plan the pins -> one GitOps commit / PR -> report. Side effects come in through PipelineDeps.
import { dirname, join } from 'node:path';
import { DigestpinError, RegistryError } from '../runtime/errors.js';
import { serviceLine, type Logger } from '../runtime/logger.js';
import type { BuildResult } from '../buildx/types.js';
import { checkPushPullAgreement, formatReference, parseReference } from '../registry/index.js';
import type { ImageReference, RegistryClient, RegistryClientOptions, Resolution } from '../registry/types.js';
import type { GitOpsBackend, PromotionResult } from '../gitops/types.js';
import type { DigestpinRequest } from '../request.js';
import type { TagPolicy } from '../values/types.js';
import type { PromotionEntry } from '../report/promotion-text.js';
import { planPromotion, promotionEntries, type PlannedPin } from './plan.js';
import { buildRequestFor } from './build-request.js';
import { loadConfig, pinnedInEnvironment, targetPins, type LoadedConfig } from './targets.js';
import { warnIfChartIgnoresPins } from '../chart/local-check.js';

export interface PipelineDeps {
  logger: Logger;
  build(request: ReturnType<typeof buildRequestFor>): Promise<BuildResult>;
  registry(options: RegistryClientOptions): RegistryClient;
  gitops(request: Readonly<DigestpinRequest>): Promise<GitOpsBackend>;
  readFile(path: string): Promise<string>;
  /** Called as soon as an output is known, so outputs are set even when a later phase fails. */
  output?(name: string, value: string): void;
}

export interface PipelineResult {
  digest: string;
  /** Push side, repo@digest. */
  imageRef: string;
  /** Pull side, repo@digest: what the cluster pulls. */
  pinnedRef: string;
  resolution: Resolution;
  promotion: PromotionResult;
  entries: PromotionEntry[];
}

/**
 * One log group per phase. A failing phase gets its `[service] ❌` line here; the error itself is reported
 * once, by the top-level catch, so this rethrows it untouched.
 */
function phase<T>(deps: PipelineDeps, service: string, name: string, fn: () => Promise<T>): Promise<T> {
  return deps.logger.group(name, async () => {
    try {
      return await fn();
    } catch (error) {
      deps.logger.info(serviceLine(service, 'fail', `${name} failed`));
      throw error;
    }
  });
}

interface Pushed {
  push: ImageReference;
  digest?: string;
  tag?: string;
}

async function obtainImage(request: Readonly<DigestpinRequest>, deps: PipelineDeps, loaded: LoadedConfig | undefined): Promise<Pushed> {
  const { image, registry } = request;
  if (image.kind === 'environment') return pinnedInEnvironment(request, loaded!, image.from, deps.readFile);
  if (image.kind === 'build') {
    const push = parseReference(`${registry.push ?? registry.pull}/${image.name}:${image.tag}`, 'image');
    const build = buildRequestFor(request, image, push, join(request.run.tempDir, `digestpin-build-${process.pid}-${Date.now()}.json`));
    const result = await phase(deps, request.service, 'Build', () => {
      deps.logger.info(serviceLine(request.service, 'start', `building ${formatReference(push)}${image.build.platforms.length ? ` for ${image.build.platforms.join(', ')}` : ''}`));
      return deps.build(build);
    });
    if (!image.build.push) throw new DigestpinError('push is false: the image was built but not pushed, so there is no digest to pin', { input: 'push' });
    deps.logger.info(serviceLine(request.service, 'done', `built and pushed ${formatReference(push)} (${result.digest})`));
    return { push, digest: result.digest, tag: image.tag };
  }
  if (image.kind === 'image-ref') {
    const ref = parseReference(image.ref, 'image-ref');
    return { push: ref, digest: ref.digest, tag: ref.tag };
  }
  const push = parseReference(`${registry.push ?? registry.pull}/${image.name}`, 'image');
  return { push, digest: image.digest, tag: image.tag };
}

function pullSide(request: Readonly<DigestpinRequest>, push: ImageReference): ImageReference {
  const host = request.registry.pull ?? push.registry;
  return { registry: host, repository: push.repository };
}

/** Resolve (tag) or verify (digest) at the registry the cluster pulls from; never trust the push side alone. */
async function verifyAtPullSide(request: Readonly<DigestpinRequest>, pushed: Pushed, deps: PipelineDeps): Promise<Resolution> {
  const client = deps.registry({
    credentials: request.registry.credentials
      ? Object.fromEntries([pushed.push.registry, request.registry.pull].filter(Boolean).map((h) => [h!, request.registry.credentials!]))
      : undefined,
    aliases: request.registry.aliases,
    insecureRegistries: request.registry.insecure,
    logger: deps.logger,
  });
  const pull = pullSide(request, pushed.push);
  const options = { platform: request.registry.platform, labels: true, waitForPush: request.image.kind === 'build' };
  let digest = pushed.digest;
  if (!digest) {
    // image-ref by tag: the tag is resolved where it was pushed, then the digest is checked where it is pulled.
    digest = (await client.resolve({ ...pushed.push, digest: undefined }, { waitForPush: false })).digest;
  }
  try {
    return await client.verify(pull, digest, options);
  } catch (error) {
    if (!(error instanceof RegistryError) || error.status !== 404 || pull.registry === pushed.push.registry) throw error;
    // Say which side lacks it: never pushed at all, or pushed to a registry the cluster does not pull from.
    const check = await checkPushPullAgreement(pushed.push, pull, digest, client, request.registry.aliases);
    if (check.agree) return check.pull!;
    throw new RegistryError(`${check.message} (nothing was written)`, formatReference(pull), 404, { cause: error });
  }
}

function tagPolicy(request: Readonly<DigestpinRequest>, tag: string | undefined): TagPolicy {
  if (request.tagPolicy === 'set' && tag) return { mode: 'set', value: tag };
  return request.tagPolicy === 'remove' ? { mode: 'remove' } : { mode: 'keep' };
}

export async function runPipeline(request: Readonly<DigestpinRequest>, deps: PipelineDeps): Promise<PipelineResult> {
  const { logger } = deps;
  const svc = request.service;
  logger.info(serviceLine(svc, 'start', `promoting to ${request.environment}`));
  const loaded = await loadConfig(request, deps.readFile);
  // Where the pin goes is settled before anything is built or pushed: a config mistake fails first.
  const target = targetPins(request, loaded);
  const pushed = await obtainImage(request, deps, loaded);
  const resolution = await phase(deps, svc, 'Registry', async () => {
    logger.info(serviceLine(svc, 'start', `verifying the digest at ${pullSide(request, pushed.push).registry}`));
    const r = await verifyAtPullSide(request, pushed, deps);
    logger.info(serviceLine(svc, 'done', `${formatReference({ registry: r.reference.registry, repository: r.reference.repository })} serves ${r.digest} (${r.kind}${r.platforms.length ? `: ${r.platforms.join(', ')}` : ''})`));
    return r;
  });
  const pull = pullSide(request, pushed.push);
  const repository = formatReference({ registry: pull.registry, repository: pull.repository });
  const imageRef = `${formatReference({ registry: pushed.push.registry, repository: pushed.push.repository })}@${resolution.digest}`;
  deps.output?.('digest', resolution.digest);
  deps.output?.('image-ref', imageRef);
  deps.output?.('pinned-ref', `${repository}@${resolution.digest}`);
  // A local chart beside the values: warn when its templates never read the field a pin writes.
  await warnIfChartIgnoresPins(target.pins, loaded ? dirname(loaded.path) : undefined, logger);
  const mode = request.gitops.mode ?? target.mode ?? 'pull-request';
  const pins: PlannedPin[] = target.pins.map((spec) => ({ spec, repository, digest: resolution.digest, tag: tagPolicy(request, pushed.tag), setRepository: request.setRepository }));
  const plan = planPromotion(pins, { ...request.gitops, mode }, {
    serverUrl: request.run.serverUrl,
    sourceRepository: request.run.sourceRepository,
    sha: request.run.sha,
    runId: request.run.runId,
    labels: resolution.labels,
  });
  const promotion = await phase(deps, svc, 'GitOps', async () => {
    const backend = await deps.gitops(request);
    logger.info(serviceLine(svc, 'start', `${request.gitops.dryRun ? 'dry run: ' : ''}${mode} to ${request.gitops.repository} (${request.gitops.baseBranch})`));
    const result = await backend.promote(plan);
    logger.info(serviceLine(svc, 'done', `${result.operation}${result.pullRequestUrl ? ` ${result.pullRequestUrl}` : ''}${result.commitSha ? ` commit ${result.commitSha}` : ''}`));
    return result;
  });
  const changed = promotionEntries(pins, promotion.changedFiles);
  // Nothing changed: report the pins as they stand, so the summary still says what is deployed.
  const entries = changed.length
    ? changed
    : pins.map((p) => ({ service: p.spec.service, environment: p.spec.environment, file: p.spec.file, pinnedRef: `${repository}@${p.digest}`, oldDigest: p.digest, newDigest: p.digest, diff: [] }));
  return { digest: resolution.digest, imageRef, pinnedRef: `${repository}@${resolution.digest}`, resolution, promotion, entries };
}
