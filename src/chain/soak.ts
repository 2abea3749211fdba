// Soak and rollback from a file's history (newest first, only commits that changed it). Pure: the caller
// says how to read a digest (and tag) out of a version of the file.
import type { PinHistoryEntry, RollbackPick } from './types.js';

export type ReadPinAt = (text: string) => { repository: string; digest?: string; tag?: string } | undefined;

export interface SoakStart {
  /** When the current digest arrived (committedAt of the commit that put it there). */
  since?: string;
  /** False when the history ran out (limit) while still showing the digest: `since` is a lower bound. */
  complete: boolean;
}

/**
 * The commit that put `digest` into the file: the oldest of the newest run of entries whose pin is `digest`.
 * The newest entry not pinning it means the checkout is ahead of the history: no soak has started.
 */
export function soakStart(entries: PinHistoryEntry[], digest: string, read: ReadPinAt): SoakStart {
  let since: string | undefined;
  for (const entry of entries) {
    if (entry.text === undefined || read(entry.text)?.digest !== digest) return { since, complete: true };
    since = entry.committedAt;
  }
  return { since, complete: false };
}

/** Milliseconds the pin has soaked at `now`; 0 when no commit with it is known. */
export function soakedMs(start: SoakStart, now: Date): number {
  return start.since ? Math.max(0, now.getTime() - Date.parse(start.since)) : 0;
}

/**
 * The `steps`-th previous distinct digest of the file (1 = the one before the current), with the tag that
 * was beside it and the commit that pinned it. A digest seen before counts once; the current one never.
 */
export function pickRollback(entries: PinHistoryEntry[], current: string | undefined, steps: number, read: ReadPinAt): RollbackPick | undefined {
  const seen = new Set(current ? [current] : []);
  let count = 0;
  for (const [i, entry] of entries.entries()) {
    const pin = entry.text === undefined ? undefined : read(entry.text);
    if (!pin?.digest || seen.has(pin.digest)) continue;
    seen.add(pin.digest);
    count += 1;
    if (count === steps) {
      // The commit that pinned it is the oldest of this run of entries with the same digest.
      let first = entry;
      for (const older of entries.slice(i + 1)) {
        if (older.text === undefined || read(older.text)?.digest !== pin.digest) break;
        first = older;
      }
      return { digest: pin.digest, tag: pin.tag, repository: pin.repository, oid: first.oid, committedAt: first.committedAt };
    }
  }
  return undefined;
}
