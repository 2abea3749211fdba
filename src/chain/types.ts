// The promotion bot's contract: what planning reads (pins, history, health, registry answers), what it
// decides (each promotion due or held, with the reason), and the side effects it is given (ChainDeps).
// Planning is pure; executing a due promotion is promote/'s runPipeline, reached through ChainDeps.
import type { Logger } from '../runtime/logger.js';
import type { ImageReference } from '../registry/types.js';
import type { DigestpinRequest } from '../request.js';
import type { PipelineResult } from '../promote/pipeline.js';

/** One commit that changed a file, newest first, as the GitOps backends read it (GitOpsBackend.history). */
export type { HistoryQuery, PinHistoryEntry } from '../gitops/types.js';
import type { HistoryQuery, PinHistoryEntry } from '../gitops/types.js';

/** Argo CD's answer for one Application (src/argocd/health.ts). */
export interface HealthAnswer {
  sync: string;
  health: string;
  /** Images the Application runs, as Argo CD lists them (status.summary.images). */
  images: string[];
}

export interface CopyResult {
  digest: string;
  blobsCopied: number;
  blobsMounted: number;
  requests: number;
}

/** What a service pins in one environment: the service's own image (its first target without `image:`). */
export interface CurrentPin {
  file: string;
  /** Pull-side repository with its registry host, e.g. registry.internal:5000/ameide/agents. */
  repository: string;
  tag?: string;
  digest?: string;
  line?: number;
}

export type HoldReason =
  | { kind: 'pinned' }
  | { kind: 'unreadable'; detail: string }
  | { kind: 'soak'; soakedMs: number; requiredMs: number; since?: string }
  | { kind: 'history'; detail: string }
  | { kind: 'health'; application: string; sync: string; health: string; running: boolean; error?: string }
  | { kind: 'unverified'; registry: string; source: string; error?: string }
  /** A group moves together: a member is held while another member is held (not merely already pinned). */
  | { kind: 'group'; group: string; member: string; memberReason: string };

export interface Promotion {
  service: string;
  /** The environment read (source) and the one written (target). */
  from: string;
  to: string;
  /** Set when the service belongs to a group: the group is one PR and one matrix job. */
  group?: string;
  source?: CurrentPin;
  target?: CurrentPin;
  status: 'due' | 'held';
  /** Why it is held (status 'held'); undefined when due. */
  reason?: HoldReason;
  /** The digest must be copied to the target's pull registry first (`copy: true` and missing there). */
  copy: boolean;
  /** The registry the target pulls from (and where the digest is verified). */
  pullRegistry: string;
}

/** The N-th previous distinct digest of a target, with the tag the file had beside it. */
export interface RollbackPick {
  digest: string;
  tag?: string;
  repository: string;
  /** The commit that pinned it. */
  oid: string;
  committedAt: string;
}

/** The side effects the bot is given; tests pass honest fakes, src/chain/real-deps.ts the real ones. */
export interface ChainDeps {
  logger: Logger;
  /** Reads a file of the checked-out GitOps repository (absolute path). */
  readFile(path: string): Promise<string>;
  now(): Date;
  /** Commits that changed `path` on the base branch, newest first. Absent: the backend can't tell. */
  history?(query: HistoryQuery): Promise<PinHistoryEntry[]>;
  /** Argo CD's answer for an Application. Absent: no token or no client, so a health gate holds. */
  health?(query: { server: string; application: string }): Promise<HealthAnswer>;
  /** Does the registry serve `digest` under this repository? (One HEAD.) */
  present(ref: ImageReference & { digest: string }): Promise<boolean>;
  /** Copies an image by digest between registries and verifies it after the copy. */
  copy?(from: ImageReference & { digest: string }, to: ImageReference): Promise<CopyResult>;
  /** promote/'s one-target pipeline. */
  runPipeline(request: Readonly<DigestpinRequest>): Promise<PipelineResult>;
}
