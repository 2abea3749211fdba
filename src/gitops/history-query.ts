// Checks a HistoryQuery before either backend makes a call: a whole-number limit and a path inside the repository.
import { InputError } from '../runtime/errors.js';
import { checkTargetPath } from './git/argv.js';
import type { HistoryQuery, PinHistoryEntry } from './types.js';

/** A history list with the GitHub calls, or git network calls, that read it (benchmarks: calls per service). */
export type HistoryResult = PinHistoryEntry[] & { calls: number };

export function checkHistoryQuery(query: HistoryQuery): void {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw new InputError('limit', `history limit must be a whole number of at least 1, not ${query.limit}`);
  checkTargetPath(query.path);
}
