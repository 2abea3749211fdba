// One vocabulary for "where the digest goes", shared by the action's inputs, the CLI's flags and digestpin.yaml:
// the same keys mean the same target everywhere. Pure, and free of heavy imports (it is on the start-up path).
import type { PinStyle, PinTarget } from './types.js';

/** The keys that select a target, as users write them (input, flag or config key). */
export interface TargetSpec {
  /** Helm image block path (`image`, `server.image`), or for style `reference` the string field (`image`). */
  key?: string;
  'kustomize-image'?: string;
  'yaml-path'?: string;
  /** How the digest is written into a Helm block: digest (default), sha, tag-digest, reference, registry. */
  style?: string;
  /** Field name for style `sha` (default `sha`, as grafana's chart reads it). */
  'sha-key'?: string;
  /** For style `reference` in a container list: the container's `name`. */
  container?: string;
  /** A setter marker name: every line carrying it is pinned (digestpin's own or Flux's `$imagepolicy` form). */
  marker?: string;
}

/** Keys that say where the pin goes; at most one may be given (`container` may stand alone, see below). */
export const TARGET_KEYS = ['key', 'kustomize-image', 'yaml-path', 'marker'] as const;
/** Keys that refine how a Helm block (or a reference string) is pinned. */
export const TARGET_OPTION_KEYS = ['style', 'sha-key', 'container'] as const;
/** Every target key, for schemas and "did you mean" lists. */
export const TARGET_SPEC_KEYS = [...TARGET_KEYS, ...TARGET_OPTION_KEYS] as const;
export const PIN_STYLES: readonly PinStyle[] = ['digest', 'sha', 'tag-digest', 'reference', 'registry'];

const given = (v: string | undefined): v is string => v !== undefined && v !== '';

function styleOf(spec: TargetSpec): PinStyle | { problem: string } | undefined {
  if (!given(spec.style)) return undefined;
  if ((PIN_STYLES as readonly string[]).includes(spec.style)) return spec.style as PinStyle;
  return { problem: `style '${spec.style.slice(0, 40)}' is not one of ${PIN_STYLES.join(', ')}` };
}

/** Checks which refinements fit the selecting key; returns the reason when they don't. */
function optionProblem(spec: TargetSpec, style: PinStyle | undefined): string | undefined {
  const selector = TARGET_KEYS.find((k) => given(spec[k]));
  if (selector && selector !== 'key') {
    const extra = TARGET_OPTION_KEYS.filter((k) => given(spec[k]));
    if (extra.length) return `${extra.join(' and ')} can't be combined with ${selector} (${selector === 'marker' ? 'the marker says which field it marks' : 'it applies to Helm values only'})`;
  }
  if (given(spec['sha-key']) && style !== 'sha') return `sha-key needs style sha (got style ${style ?? 'digest'})`;
  if (given(spec['sha-key']) && !/^[A-Za-z0-9_-]+$/.test(spec['sha-key'])) return `sha-key '${spec['sha-key'].slice(0, 40)}' must be one field name (letters, digits, _ or -)`;
  if (given(spec.container) && style !== undefined && style !== 'reference') return `container selects a container's image string, which needs style reference (got style ${style})`;
  return undefined;
}

/** At most one selecting key may be given; none selects the Helm block `image`. A conflict returns its reason. */
export function targetFromSpec(spec: TargetSpec): PinTarget | { problem: string } {
  const keys = TARGET_KEYS.filter((k) => given(spec[k]));
  if (keys.length > 1) return { problem: `give only one of ${TARGET_KEYS.join(', ')} (got ${keys.join(' and ')})` };
  const style = styleOf(spec);
  if (style && typeof style === 'object') return style;
  const problem = optionProblem(spec, style);
  if (problem) return { problem };
  if (given(spec['kustomize-image'])) return { kind: 'kustomize', name: spec['kustomize-image'] };
  if (given(spec['yaml-path'])) return { kind: 'yaml-path', path: spec['yaml-path'] };
  if (given(spec.marker)) return { kind: 'marker', name: spec.marker };
  if (style === 'reference' || given(spec.container)) {
    return { kind: 'reference', ...(given(spec.key) || !given(spec.container) ? { path: spec.key || 'image' } : {}), ...(given(spec.container) ? { container: spec.container } : {}) };
  }
  const path = spec.key || 'image';
  if (!style || style === 'digest') return { kind: 'helm', path };
  if (style === 'sha') return { kind: 'helm', path, style, shaKey: spec['sha-key'] || 'sha' };
  return { kind: 'helm', path, style };
}
