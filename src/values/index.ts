// The values pinning engine's public surface: pure text-in, text-out functions (no I/O).
export type { Pin, PinTarget, PinStyle, TagPolicy, TagOutcome, PinChange, PinResult, LintProblem } from './types.js';
export { pinText, type PinOptions } from './pin.js';
export { lintText, type LintOptions } from './lint.js';
export { diffLines, lineDiff, type DiffLine } from './diff.js';
export { isDigest, normalizeRepository, sameRepository } from './reference.js';
export { readPin, type PinnedImage } from './read-pin.js';
export { targetFromSpec, PIN_STYLES, TARGET_KEYS, TARGET_OPTION_KEYS, TARGET_SPEC_KEYS, type TargetSpec } from './target-spec.js';
export { decodeUtf8, invalidUtf8Offset } from '../runtime/utf8.js';
export { findMarkers, type Marker } from './pin-marker.js';
