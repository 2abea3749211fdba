// Pre-flight: the target files and keys are checked in the GitOps repository before anything is built or
// pushed. It runs the backend's own dry run (read, apply the edits, write nothing) with a stand-in digest,
// so it checks exactly what the real promotion will apply, and hands back each file's current text.
import { diffLines, readPin } from '../values/index.js';
import type { ChangedFile, GitOpsBackend } from '../gitops/types.js';
import type { PromotionEntry, SourceInfo } from '../report/promotion-text.js';
import { planPromotion, type PlannedPin } from './plan.js';
import type { GitOpsSpecLike } from './plan-types.js';

/** A digest no registry serves; it never leaves this process (the dry run writes nothing). */
export const STAND_IN_DIGEST = `sha256:${'0'.repeat(64)}`;
const UNKNOWN = '(known after the push)';

export interface TargetCheck {
  /** The files as the dry run saw them, with the stand-in pin applied. */
  files: ChangedFile[];
}

export async function preflight(backend: GitOpsBackend, pins: PlannedPin[], gitops: GitOpsSpecLike, source: SourceInfo): Promise<TargetCheck> {
  const standIn = pins.map((p) => ({ ...p, digest: STAND_IN_DIGEST }));
  const result = await backend.promote(planPromotion(standIn, { ...gitops, dryRun: true }, source));
  return { files: result.changedFiles };
}

/** The tag each pin's file names now (undefined when it names none, or the file was not read). */
export function currentTags(pins: PlannedPin[], check: TargetCheck | undefined): (string | undefined)[] {
  return pins.map((p) => {
    const text = check?.files.find((f) => f.path === p.spec.file)?.before;
    if (text === undefined) return undefined;
    try {
      return readPin(text, p.spec.target, p.spec.file).tag;
    } catch {
      // A target readPin can't read (a bare yaml-path) has no tag to agree with.
      return undefined;
    }
  });
}

/** What a dry run shows when the digest is known only after the push: the pre-flight diff, stand-in spelled out. */
export function standInEntries(pins: PlannedPin[], check: TargetCheck): PromotionEntry[] {
  const spell = (line: string) => line.replaceAll(STAND_IN_DIGEST, UNKNOWN);
  return pins.map((p) => {
    const file = check.files.find((f) => f.path === p.spec.file);
    const before = file?.before === undefined ? undefined : safeDigest(file.before, p);
    return {
      service: p.spec.service,
      environment: p.spec.environment,
      file: p.spec.file,
      pinnedRef: `${p.repository}@${UNKNOWN}`,
      oldDigest: before,
      newDigest: '',
      tag: p.tag.mode === 'set' ? p.tag.value : undefined,
      diff: (file ? (file.summary?.diff ?? diffLines(file.before ?? '', file.after)) : []).map(spell),
    };
  });
}

function safeDigest(text: string, p: PlannedPin): string | undefined {
  try {
    return readPin(text, p.spec.target, p.spec.file).digest;
  } catch {
    return undefined;
  }
}
