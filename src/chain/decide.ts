// The planner's decision for one candidate: due, or held with the reason. Pure over the facts gathered
// (pins, history, Argo CD's answer, the target registry's answer). Holds are checked in the order a
// reader would fix them: nothing to promote, already pinned, soak, health, then the registry.
import type { EnvironmentConfig } from '../config/index.js';
import { runsPinnedImage } from '../argocd/gate.js';
import { soakedMs, type SoakStart } from './soak.js';
import type { Candidate } from './select.js';
import type { CurrentPin, HealthAnswer, HoldReason, Promotion } from './types.js';

export interface Facts {
  candidate: Candidate;
  source?: CurrentPin;
  /** Why the source pin could not be read, or names no digest. */
  sourceProblem?: string;
  target?: CurrentPin;
  /** Why the target pin could not be read. */
  targetProblem?: string;
  /** When the source's digest arrived; undefined when the target has no soak or the answer is not needed. */
  soak?: SoakStart | { error: string };
  health?: { application: string; answer?: HealthAnswer; error?: string };
  /** Does the target's pull registry serve the digest? Undefined when not asked. */
  present?: boolean;
  /** Why the target's pull registry could not be asked. */
  presentProblem?: string;
}

/** The host a target pulls from: its `pull-registry`, else the host the source pins. */
export function pullRegistryOf(target: EnvironmentConfig, source: CurrentPin | undefined): string {
  return target.pullRegistry ?? source?.repository.split('/')[0] ?? '';
}

/**
 * Argo CD runs the source pin when one of its images is that repository at that digest (it lists repo@digest or
 * repo:tag@digest); another repository that happens to run the same digest does not count.
 */
export function runsDigest(answer: HealthAnswer, repository: string, digest: string): boolean {
  const [registry = '', ...path] = repository.split('/');
  return answer.images.some((image) => runsPinnedImage(image, { registry, repository: path.join('/'), digest }));
}

function healthHold(facts: Facts, repository: string, digest: string): HoldReason | undefined {
  const h = facts.health;
  if (!h) return undefined;
  if (!h.answer) return { kind: 'health', application: h.application, sync: 'Unknown', health: 'Unknown', running: false, error: h.error ?? 'no answer' };
  const running = runsDigest(h.answer, repository, digest);
  if (h.answer.sync === 'Synced' && h.answer.health === 'Healthy' && running) return undefined;
  return { kind: 'health', application: h.application, sync: h.answer.sync, health: h.answer.health, running };
}

export function decide(facts: Facts, target: EnvironmentConfig, now: Date): Promotion {
  const { candidate, source } = facts;
  const pullRegistry = pullRegistryOf(target, source);
  const base = { ...candidate, source, target: facts.target, pullRegistry, copy: false };
  const held = (reason: HoldReason): Promotion => ({ ...base, status: 'held', reason });
  if (!source?.digest) return held({ kind: 'unreadable', detail: facts.sourceProblem ?? `${candidate.from} pins no digest for ${candidate.service} yet` });
  if (facts.targetProblem) return held({ kind: 'unreadable', detail: facts.targetProblem });
  if (facts.target?.digest === source.digest) return held({ kind: 'pinned' });
  if (target.soakMs !== undefined) {
    const soak = facts.soak;
    if (!soak || 'error' in soak) return held({ kind: 'history', detail: soak?.error ?? 'no history was read' });
    const soaked = soakedMs(soak, now);
    if (soaked < target.soakMs) return held({ kind: 'soak', soakedMs: soaked, requiredMs: target.soakMs, since: soak.since });
  }
  const health = healthHold(facts, source.repository, source.digest);
  if (health) return held(health);
  if (facts.presentProblem) return held({ kind: 'unverified', registry: pullRegistry, source: source.repository.split('/')[0] ?? '', error: facts.presentProblem });
  if (facts.present === false) {
    if (target.copy) return { ...base, status: 'due', copy: true };
    return held({ kind: 'unverified', registry: pullRegistry, source: source.repository.split('/')[0] ?? '' });
  }
  return { ...base, status: 'due' };
}
