// One vocabulary for "where the digest goes", shared by the action's inputs, the CLI's flags and digestpin.yaml:
// the same keys mean the same target everywhere. Pure.
import type { PinTarget } from './types.js';

/** The keys that select a target, as users write them (input, flag or config key). */
export interface TargetSpec {
  key?: string;
  'kustomize-image'?: string;
  'yaml-path'?: string;
}

export const TARGET_KEYS = ['key', 'kustomize-image', 'yaml-path'] as const;

/** At most one selecting key may be given; none selects the Helm block `image`. A conflict returns its reason. */
export function targetFromSpec(spec: TargetSpec): PinTarget | { problem: string } {
  const given = TARGET_KEYS.filter((k) => spec[k] !== undefined && spec[k] !== '');
  if (given.length > 1) return { problem: `give only one of ${TARGET_KEYS.join(', ')} (got ${given.join(' and ')})` };
  if (spec['kustomize-image']) return { kind: 'kustomize', name: spec['kustomize-image'] };
  if (spec['yaml-path']) return { kind: 'yaml-path', path: spec['yaml-path'] };
  return { kind: 'helm', path: spec.key || 'image' };
}
