// Plans a promotion: from a verified digest and the pins of one or more services, the GitOps request
// (edits as pure functions of the file text, the branch, the PR text). Pure: no I/O.
import { FileError } from '../runtime/errors.js';
import { promotionBranch } from '../gitops/branch.js';
import { diffLines, pinText } from '../values/index.js';
import type { Pin, TagPolicy } from '../values/types.js';
import type { ChangedFile, FileEdit, GitOpsSpecLike, PromotionRequest } from './plan-types.js';
import type { PinSpec } from '../request.js';
import { commitMessage, promotionBody, promotionTitle, type PromotionEntry, type SourceInfo } from '../report/promotion-text.js';

export interface PlannedPin {
  spec: PinSpec;
  /** Pull-side repository written into values, e.g. k3d-dev-reg:5000/ameide/agents. */
  repository: string;
  digest: string;
  tag: TagPolicy;
  /** Write the repository instead of requiring the file to name it already. */
  setRepository: boolean;
}

function toPin(p: PlannedPin): Pin {
  return { target: p.spec.target, digest: p.digest, repository: p.repository, setRepository: p.setRepository, tag: p.tag };
}

/** One edit per file: all pins for that file applied together, so a batch is still one commit. */
export function fileEdits(pins: PlannedPin[]): FileEdit[] {
  const byFile = new Map<string, PlannedPin[]>();
  for (const p of pins) byFile.set(p.spec.file, [...(byFile.get(p.spec.file) ?? []), p]);
  return [...byFile].map(([path, group]) => ({
    path,
    apply(current: string | undefined) {
      if (current === undefined) throw new FileError(path, undefined, 'does not exist in the GitOps repository (check values-file or the config)');
      return { text: pinText(current, group.map(toPin), { file: path }).text };
    },
  }));
}

/** What the PR body says, recomputed from the files that really changed (old digest from the old text). */
export function promotionEntries(pins: PlannedPin[], files: ChangedFile[]): PromotionEntry[] {
  const entries: PromotionEntry[] = [];
  for (const file of files) {
    const diff = diffLines(file.before ?? '', file.after);
    for (const p of pins.filter((x) => x.spec.file === file.path)) {
      const previous = file.before === undefined ? undefined : pinText(file.before, [toPin(p)], { file: file.path }).previousDigest;
      entries.push({
        service: p.spec.service,
        environment: p.spec.environment,
        file: file.path,
        pinnedRef: `${p.repository}@${p.digest}`,
        oldDigest: previous,
        newDigest: p.digest,
        diff,
      });
    }
  }
  return entries;
}

export function planPromotion(pins: PlannedPin[], gitops: GitOpsSpecLike, source: SourceInfo): PromotionRequest {
  const environment = [...new Set(pins.map((p) => p.spec.environment))].join('+');
  return {
    repository: gitops.repository,
    baseBranch: gitops.baseBranch,
    mode: gitops.mode,
    // A batch shares one branch (and so one PR): its services joined with '+'.
    branch: promotionBranch({ environment, service: [...new Set(pins.map((p) => p.spec.service))].sort().join('+') }, gitops.branchTemplate),
    edits: fileEdits(pins),
    describe(files) {
      const entries = promotionEntries(pins, files);
      return { commitMessage: commitMessage(entries, source), title: promotionTitle(entries), body: promotionBody(entries, source) };
    },
    pullRequest: gitops.pullRequest,
    dryRun: gitops.dryRun,
  };
}
