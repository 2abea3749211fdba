// The whole path, phase by phase: pre-flight (the target files and keys, before anything is built) -> build
// (or take a pushed image) -> verify the digest at the pull-side registry -> decide the tag -> one GitOps
// commit / PR -> report. A dry run writes nothing anywhere. Side effects come in through PipelineDeps.
import { dirname } from 'node:path';
import { DigestpinError, RegistryError } from '../runtime/errors.js';
import { serviceLine, type Logger } from '../runtime/logger.js';
import type { BuildResult } from '../buildx/types.js';
import { checkPushPullAgreement, formatReference } from '../registry/index.js';
import type { ImageReference, RegistryClient, RegistryClientOptions, Resolution } from '../registry/types.js';
import type { GitOpsBackend, PromotionResult } from '../gitops/types.js';
import type { DigestpinRequest } from '../request.js';
import type { TagPolicy } from '../values/types.js';
import type { PromotionEntry, SourceInfo } from '../report/promotion-text.js';
import { planPromotion, promotionEntries, type PlannedPin } from './plan.js';
import { buildRequestFor } from './build-request.js';
import { loadConfig, targetPins, withEnvironmentRegistry, type LoadedConfig } from './targets.js';
import { buildImage, imageOrigin, type ImageOrigin } from './image-origin.js';
import { currentTags, preflight, standInEntries, type TargetCheck } from './preflight.js';
import { chooseTags, type TagChoice } from './tag-choice.js';
import { registryOptions } from './registry-options.js';
import { verifyStep } from './verify-step.js';
import type { VerificationReport } from '../verify/types.js';
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
  /** '' when no digest is known: push: false, or a dry run whose tag is not at the registry yet. */
  digest: string;
  /** Push side, repo@digest. */
  imageRef: string;
  /** Pull side, repo@digest: what the cluster pulls. */
  pinnedRef: string;
  resolution?: Resolution;
  promotion: PromotionResult;
  entries: PromotionEntry[];
  /** Sentences for the reports besides the table (nothing pushed, digest known after the push, …). */
  notes: string[];
  source: SourceInfo;
  tag?: TagChoice;
  /** The cluster-side registry that was shown to serve the digest. */
  verifiedAt?: string;
  dryRun: boolean;
  /** What the supply-chain gate verified (unset when the policy is off). */
  verification?: VerificationReport;
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
}

function pullSide(request: Readonly<DigestpinRequest>, push: ImageReference): ImageReference {
  const host = request.registry.pull ?? push.registry;
  return { registry: host, repository: push.repository };
}

function clientFor(request: Readonly<DigestpinRequest>, push: ImageReference, deps: PipelineDeps): RegistryClient {
  return deps.registry(registryOptions(request.registry, [push.registry, request.registry.pull], deps.logger));
}

/** Resolve (tag) or verify (digest) at the registry the cluster pulls from; never trust the push side alone. */
async function verifyAtPullSide(request: Readonly<DigestpinRequest>, pushed: Pushed, client: RegistryClient, waitForPush: boolean): Promise<Resolution> {
  const pull = pullSide(request, pushed.push);
  const options = { platform: request.registry.platform, labels: true, waitForPush };
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

/** The digest `ref`'s tag names at its registry now, or undefined when the tag is not there. Reads only. */
async function tagDigest(client: RegistryClient, ref: ImageReference, platform?: string): Promise<string | undefined> {
  try {
    return (await client.resolve({ ...ref, digest: undefined }, { waitForPush: false, platform })).digest;
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return undefined;
    throw error;
  }
}

/** The tag policy the user asked for, as the pre-flight applies it (a build's tag is known up front). */
function requestedTag(request: Readonly<DigestpinRequest>): TagPolicy {
  const { image } = request;
  if (request.tagPolicy === 'set' && image.kind === 'build') return { mode: 'set', value: image.tag };
  return request.tagPolicy === 'remove' ? { mode: 'remove' } : { mode: 'keep' };
}


interface Run {
  request: Readonly<DigestpinRequest>;
  deps: PipelineDeps;
  pins: (digest: string, tags: TagPolicy[]) => PlannedPin[];
  gitops: Parameters<typeof planPromotion>[1];
  source: SourceInfo;
  backend: () => Promise<GitOpsBackend>;
  loaded: LoadedConfig | undefined;
}

const NOTHING: PromotionResult = { operation: 'none', changedFiles: [], calls: 0 };

function emptyResult(run: Run, digest: string, entries: PromotionEntry[], notes: string[], promotion = NOTHING): PipelineResult {
  return { digest, imageRef: '', pinnedRef: '', promotion, entries, notes, source: run.source, dryRun: run.request.gitops.dryRun };
}

function startRun(request: Readonly<DigestpinRequest>, deps: PipelineDeps, target: ReturnType<typeof targetPins>, repository: string, loaded: LoadedConfig | undefined): Run {
  let backend: Promise<GitOpsBackend> | undefined;
  return {
    request,
    deps,
    // A pin without a policy of its own keeps the tag (what the pre-flight reads with).
    pins: (digest, tags) => target.pins.map((spec, i) => ({ spec, repository, digest, tag: tags[i] ?? { mode: 'keep' }, setRepository: request.setRepository })),
    gitops: { ...request.gitops, mode: request.gitops.mode ?? target.mode ?? 'pull-request' },
    source: {
      serverUrl: request.run.serverUrl,
      sourceRepository: request.run.sourceRepository,
      sha: request.run.sha,
      runId: request.run.runId,
      fromEnvironment: request.image.kind === 'environment' ? request.image.from : undefined,
      rollback: request.rollback,
    },
    backend: () => (backend ??= deps.gitops(request)),
    loaded,
  };
}

export async function runPipeline(given: Readonly<DigestpinRequest>, deps: PipelineDeps): Promise<PipelineResult> {
  const { logger } = deps;
  const svc = given.service;
  logger.info(serviceLine(svc, 'start', `promoting to ${given.environment}${given.gitops.dryRun ? ' (dry run: nothing is pushed, committed or opened)' : ''}`));
  const loaded = await loadConfig(given, deps.readFile);
  const request = withEnvironmentRegistry(given, loaded);
  // Where the pin goes is settled before anything is built or pushed: a config mistake fails first.
  const target = targetPins(request, loaded);
  const origin = await imageOrigin(request, loaded, deps.readFile);
  const pull = pullSide(request, origin.push);
  const run = startRun(request, deps, target, formatReference(pull), loaded);
  const client = clientFor(request, origin.push, deps);
  if (request.image.kind !== 'build') return promote(run, { origin, pull, client, digest: origin.digest, waitForPush: false, notes: [] });
  const asked = target.pins.map(() => requestedTag(request));
  // Before the build, so nothing is built or pushed for a target that can't take the pin.
  const check = await phase(deps, svc, 'Pre-flight', async () => {
    logger.info(serviceLine(svc, 'start', `checking ${target.pins.map((p) => p.file).join(', ')} in ${request.gitops.repositoryDisplay}`));
    const result = await preflight(await run.backend(), run.pins('', asked), run.gitops, run.source);
    logger.info(serviceLine(svc, 'done', 'the target files and keys take the pin'));
    return result;
  });
  const built = await phase(deps, svc, 'Build', () => buildImage(request, origin, deps));
  if (built.pushed) return promote(run, { origin, pull, client, digest: built.digest, built: built.digest, waitForPush: true, check, notes: [] });
  if (!request.gitops.dryRun) {
    logger.info(serviceLine(svc, 'done', `push is false: built ${built.digest}; nothing was pushed or pinned`));
    return emptyResult(run, built.digest, [], [`push is false: the image was built (\`${built.digest}\`) but not pushed, so nothing was pinned.`]);
  }
  // A dry run: the pin shown is the one of the tag as the registry has it now, if it has it.
  const digest = await tagDigest(client, origin.push);
  if (!digest) return dryRunWithoutDigest(run, origin, asked, check);
  const note = `The build was not pushed; \`${formatReference(origin.push)}\` names \`${digest}\` at the registry now, so that is the pin shown.`;
  return promote(run, { origin, pull, client, digest, waitForPush: false, check, notes: [note] });
}

function dryRunWithoutDigest(run: Run, origin: ImageOrigin, asked: TagPolicy[], check: TargetCheck): PipelineResult {
  const entries = standInEntries(run.pins('', asked), check);
  logDiff(run.deps.logger, entries);
  const note = `\`${formatReference(origin.push)}\` is not at the registry yet, so the digest is known after the push.`;
  run.deps.logger.info(serviceLine(run.request.service, 'done', `dry run: ${note.replace(/`/g, '')}`));
  return emptyResult(run, '', entries, [note], { ...NOTHING, changedFiles: check.files });
}

function logDiff(logger: Logger, entries: PromotionEntry[]): void {
  for (const e of entries) if (e.diff.length) logger.info([`--- ${e.file}`, ...e.diff].join('\n'));
}

interface Verified {
  origin: ImageOrigin;
  pull: ImageReference;
  client: RegistryClient;
  digest?: string;
  /** The digest this run built and pushed: the only one sign: true may sign. Unset on a dry run. */
  built?: string;
  waitForPush: boolean;
  check?: TargetCheck;
  notes: string[];
}

/** One service's share of a promotion, verified at its pull registry and ready to be written. */
interface Member {
  pins: PlannedPin[];
  repository: string;
  imageRef: string;
  resolution: Resolution;
  verification?: VerificationReport;
  tag: TagChoice;
  source: SourceInfo;
}

/** Verify at the pull side, pass the supply-chain gate, choose the tags: everything but the GitOps write. */
async function prepareMember(run: Run, v: Verified): Promise<Member> {
  const { request, deps } = run;
  const { logger } = deps;
  const svc = request.service;
  const repository = formatReference(v.pull);
  const resolution = await phase(deps, svc, 'Registry', async () => {
    logger.info(serviceLine(svc, 'start', `verifying the digest at ${v.pull.registry}`));
    const r = await verifyAtPullSide(request, { push: v.origin.push, digest: v.digest }, v.client, v.waitForPush);
    logger.info(serviceLine(svc, 'done', `${formatReference({ registry: r.reference.registry, repository: r.reference.repository })} serves ${r.digest} (${r.kind}${r.platforms.length ? `: ${r.platforms.join(', ')}` : ''})`));
    return r;
  });
  // The supply-chain gate: sign (sign: true), then the target environment's policy, before any GitOps write.
  const verification = await verifyStep(request, run.loaded, { push: v.origin.push, digest: v.digest, built: v.built }, resolution, logger);
  const imageRef = `${formatReference({ registry: v.origin.push.registry, repository: v.origin.push.repository })}@${resolution.digest}`;
  // A local chart beside the values: warn when its templates never read the field a pin writes.
  await warnIfChartIgnoresPins(run.pins('', []).map((p) => p.spec), run.loaded ? dirname(run.loaded.path) : undefined, logger);
  const version = resolution.labels?.['org.opencontainers.image.version'];
  const tag = await chooseTags({
    requested: request.tagPolicy,
    digest: resolution.digest,
    candidates: [...v.origin.candidates, ...(version ? [{ tag: version, from: "the image's version label" }] : [])],
    count: run.pins('', []).length,
    currentTags: async () => {
      // Only when no tag is known to name the digest: the files' own tags, from the pre-flight or one read now.
      const check = v.check ?? (await preflight(await run.backend(), run.pins('', []), run.gitops, run.source));
      return currentTags(run.pins('', []), check);
    },
    pointsAt: (t) => tagDigest(v.client, { ...v.pull, tag: t }, request.registry.platform),
  });
  const source: SourceInfo = { ...run.source, labels: resolution.labels, tagNote: tag.note, verified: verification?.checks.map((c) => c.detail) };
  return { pins: run.pins(resolution.digest, tag.policies), repository, imageRef, resolution, verification, tag, source };
}

/** A group's other member: its own image (read, never built) and pins, verified as the main request is. */
async function prepareCompanion(companion: Readonly<DigestpinRequest>, deps: PipelineDeps): Promise<Member> {
  if (companion.image.kind === 'build') throw new DigestpinError(`${companion.service}: a service promoted with others must name a pushed image, not a build`, { input: 'service' });
  const loaded = await loadConfig(companion, deps.readFile);
  const request = withEnvironmentRegistry(companion, loaded);
  const target = targetPins(request, loaded);
  const origin = await imageOrigin(request, loaded, deps.readFile);
  const pull = pullSide(request, origin.push);
  const run = startRun(request, deps, target, formatReference(pull), loaded);
  return prepareMember(run, { origin, pull, client: clientFor(request, origin.push, deps), digest: origin.digest, waitForPush: false, notes: [] });
}

async function promote(run: Run, v: Verified): Promise<PipelineResult> {
  const { request, deps } = run;
  const { logger } = deps;
  const svc = request.service;
  const main = await prepareMember(run, v);
  const { resolution, repository, imageRef, tag } = main;
  deps.output?.('digest', resolution.digest);
  deps.output?.('image-ref', imageRef);
  deps.output?.('pinned-ref', `${repository}@${resolution.digest}`);
  const others: Member[] = [];
  for (const companion of request.companions ?? []) others.push(await prepareCompanion(companion, deps));
  const verified = [main, ...others].flatMap((m) => m.source.verified ?? []);
  const source: SourceInfo = { ...main.source, verified: verified.length ? verified : undefined };
  const pins = [main, ...others].flatMap((m) => m.pins);
  const plan = planPromotion(pins, run.gitops, source);
  const promotion = await phase(deps, svc, 'GitOps', async () => {
    const backend = await run.backend();
    logger.info(serviceLine(svc, 'start', `${request.gitops.dryRun ? 'dry run: ' : ''}${run.gitops.mode} to ${request.gitops.repositoryDisplay} (${request.gitops.baseBranch})`));
    const result = await backend.promote(plan);
    const outcome = request.gitops.dryRun ? `dry run: ${result.changedFiles.length ? `would change ${result.changedFiles.map((f) => f.path).join(', ')}` : 'already pinned, nothing would change'}` : result.operation;
    logger.info(serviceLine(svc, 'done', `${outcome}${result.pullRequestUrl ? ` ${result.pullRequestUrl}` : ''}${result.commitSha ? ` commit ${result.commitSha}` : ''}`));
    return result;
  });
  const changed = promotionEntries(pins, promotion.changedFiles);
  if (request.gitops.dryRun) logDiff(logger, changed);
  // Nothing changed: report the pins as they stand, so the summary still says what is deployed.
  const entries = changed.length
    ? changed
    : [main, ...others].flatMap((m) => m.pins.map((p) => ({ service: p.spec.service, environment: p.spec.environment, file: p.spec.file, pinnedRef: `${m.repository}@${p.digest}`, oldDigest: p.digest, newDigest: p.digest, tag: m.tag.tag, diff: [] })));
  return { digest: resolution.digest, imageRef, pinnedRef: `${repository}@${resolution.digest}`, resolution, promotion, entries, notes: v.notes, source, tag, verifiedAt: v.pull.registry, dryRun: request.gitops.dryRun, verification: main.verification };
}
