// Plans a promotion: from a verified digest and the pins of one or more services, the GitOps request
// (edits as pure functions of the file text, the branch, the PR text). Pure: no I/O.
import { FileError } from '../runtime/errors.js';
import { promotionBranch } from '../gitops/branch.js';
import { diffLines, pinText } from '../values/index.js';
import type { Pin, TagPolicy } from '../values/types.js';
import type { ChangedFile, EditSummary, FileEdit, GitOpsSpecLike, PromotionRequest } from './plan-types.js';
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
      const result = pinText(current, group.map(toPin), { file: path });
      // One pin per file can be summarised on its own (the GitHub backend quotes it when closing a superseded PR).
      const [only] = group;
      const summary: EditSummary | undefined =
        group.length === 1 && only
          ? { service: only.spec.service, environment: only.spec.environment, file: path, imageRef: `${only.repository}@${only.digest}`, oldDigest: result.previousDigest, newDigest: only.digest, diff: diffLines(current, result.text) }
          : undefined;
      return { text: result.text, summary };
    },
  }));
}

/** The tag a pin writes, when it writes one (a kept tag is not known here). */
export function tagOf(p: PlannedPin): string | undefined {
  return p.tag.mode === 'set' ? p.tag.value : undefined;
}

/** What the PR body says, from the files that really changed: the edit's own summary when the file holds one
 * pin, else recomputed (old digest from the old text) for each pin of the file. */
export function promotionEntries(pins: PlannedPin[], files: ChangedFile[]): PromotionEntry[] {
  return files.flatMap((file) => {
    const s = file.summary;
    if (s) {
      const pin = pins.find((p) => p.spec.file === file.path && p.spec.service === s.service);
      return [{ service: s.service, environment: s.environment, file: s.file, pinnedRef: s.imageRef, oldDigest: s.oldDigest, newDigest: s.newDigest, tag: pin && tagOf(pin), diff: s.diff }];
    }
    const diff = diffLines(file.before ?? '', file.after);
    return pins
      .filter((p) => p.spec.file === file.path)
      .map((p) => ({
        service: p.spec.service,
        environment: p.spec.environment,
        file: file.path,
        pinnedRef: `${p.repository}@${p.digest}`,
        oldDigest: file.before === undefined ? undefined : pinText(file.before, [toPin(p)], { file: file.path }).previousDigest,
        newDigest: p.digest,
        tag: tagOf(p),
        diff,
      }));
  });
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
      return { commitMessage: commitMessage(entries, source), title: promotionTitle(entries, source), body: promotionBody(entries, source) };
    },
    pullRequest: gitops.pullRequest,
    dryRun: gitops.dryRun,
  };
}
