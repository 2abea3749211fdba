// The values pinning engine's public surface: pure text-in, text-out functions (no I/O).
export type { Pin, PinTarget, TagPolicy, PinChange, PinResult, LintProblem } from './types.js';
export { pinText, type PinOptions } from './pin.js';
export { lintText, type LintOptions } from './lint.js';
export { diffLines, lineDiff, type DiffLine } from './diff.js';
export { isDigest, normalizeRepository, sameRepository } from './reference.js';
export { readPin, type PinnedImage } from './read-pin.js';
export { targetFromSpec, TARGET_KEYS, type TargetSpec } from './target-spec.js';
