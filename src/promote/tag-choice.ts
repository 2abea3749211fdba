// Decides what each pin does with the file's tag, so a pin never leaves a tag that names another image than
// its digest (a chart rendering `repository:tag` would deploy that other image). The first tag known or shown
// to point at the digest is set; else a file's own tag is kept if it points there; else the tag is removed.
// `keep` only when the user asks for it. The registry lookup comes in as `pointsAt`; the rest is pure.
import { shortDigest } from '../report/promotion-text.js';
import type { TagPolicy } from '../values/types.js';

export interface TagCandidate {
  tag: string;
  /** Where the tag came from, for the PR: "the image reference", "the dev pin", … */
  from: string;
  /** Already known to point at the digest (built and pushed by this run, or resolved to it). */
  known?: boolean;
}

export interface TagChoice {
  /** One policy per pin, in the order of the pins. */
  policies: TagPolicy[];
  /** The tag the pins set, when they set one. */
  tag?: string;
  /** One sentence for the PR body and the summary: which tag, or why none. */
  note: string;
}

export interface TagChoiceInput {
  requested: 'set' | 'keep' | 'remove';
  digest: string;
  candidates: TagCandidate[];
  /** How many pins the choice is for. */
  count: number;
  /** The tag each target file names now (a Renovate-style `1.2@sha256:…` counts by its tag part); read only
   * when no candidate names the digest, since it may cost a read of the GitOps repository. */
  currentTags(): Promise<(string | undefined)[]>;
  /** The digest `tag` names at the registry the cluster pulls from; undefined when the tag is not there. */
  pointsAt(tag: string): Promise<string | undefined>;
}

/** `18.19.0@sha256:…` -> `18.19.0`. */
export function bareTag(tag: string | undefined): string | undefined {
  const bare = tag?.split('@')[0]?.trim();
  return bare || undefined;
}

export async function chooseTags(input: TagChoiceInput): Promise<TagChoice> {
  const count = input.count;
  const all = (policy: TagPolicy) => Array.from({ length: count }, () => policy);
  if (input.requested === 'keep') return { policies: all({ mode: 'keep' }), note: 'kept as the file has it (tag-policy: keep)' };
  if (input.requested === 'remove') return { policies: all({ mode: 'remove' }), note: 'removed (tag-policy: remove)' };
  const checked = new Map<string, string | undefined>();
  const lookup = async (tag: string) => {
    if (!checked.has(tag)) checked.set(tag, await input.pointsAt(tag));
    return checked.get(tag);
  };
  const refused: string[] = [];
  for (const c of input.candidates) {
    if (c.known || (await lookup(c.tag)) === input.digest) {
      return { policies: all({ mode: 'set', value: c.tag }), tag: c.tag, note: `\`${c.tag}\` (from ${c.from}; it points at ${shortDigest(input.digest)})` };
    }
    refused.push(`\`${c.tag}\` from ${c.from} ${describe(checked.get(c.tag))}`);
  }
  const policies: TagPolicy[] = [];
  const notes = new Set<string>();
  let kept: string | undefined;
  for (const current of (await input.currentTags()).map(bareTag)) {
    if (current && (await lookup(current)) === input.digest) {
      policies.push({ mode: 'set', value: current });
      kept = current;
      notes.add(`\`${current}\` kept: it already points at ${shortDigest(input.digest)}`);
    } else {
      policies.push({ mode: 'remove' });
      if (current) refused.push(`the file's \`${current}\` ${describe(checked.get(current))}`);
      notes.add(`${current ? 'removed' : 'none set'}: no tag is known to point at ${shortDigest(input.digest)}${refused.length ? ` (${[...new Set(refused)].join('; ')})` : ''}, so the file names the image by digest alone`);
    }
  }
  return { policies, tag: kept, note: [...notes].join('; ') || 'none' };
}

function describe(digest: string | undefined): string {
  return digest ? `points at ${shortDigest(digest)}` : 'is not at the registry';
}
