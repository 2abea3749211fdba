// Contract of the pinning engine: pure, text in and text out. Keep these names stable.

/** Where in a file the digest goes. */
export type PinTarget =
  /** A Helm values image block, by key path: `image`, `migrations.image`, `sidecars[0].image`. */
  | { kind: 'helm'; path: string }
  /** A kustomization.yaml `images:` entry by `name`. */
  | { kind: 'kustomize'; name: string }
  /** Any YAML scalar path that receives the digest, e.g. `spec.values.image.digest`. */
  | { kind: 'yaml-path'; path: string };

export type TagPolicy = { mode: 'keep' } | { mode: 'remove' } | { mode: 'set'; value: string };

export interface Pin {
  target: PinTarget;
  /** `sha256:<64 hex>` or `sha512:<128 hex>`. */
  digest: string;
  /** The image being pinned (registry/path, no tag). `repository` (or kustomize `newName`) must name it, unless setRepository. */
  repository?: string;
  /** Write `repository` (or `newName`) instead of checking it. */
  setRepository?: boolean;
  tag?: TagPolicy;
  /** Create the image block / kustomize entry when it is absent. */
  createMissing?: boolean;
  /** Allow changing a value reached through an alias (other users of the anchor change too). */
  allowAlias?: boolean;
}

export interface PinChange {
  /** Dotted key path of the scalar that changed or was created. */
  key: string;
  /** 1-based line of the scalar in the output. */
  line: number;
  before?: string;
  after?: string;
  kind: 'changed' | 'created' | 'removed';
}

export interface PinResult {
  text: string;
  changed: boolean;
  changes: PinChange[];
  /** Digest previously pinned at the target, if any (for PR bodies: old -> new). */
  previousDigest?: string;
}

export interface LintProblem {
  file: string;
  line: number;
  severity: 'error' | 'warning';
  rule: string;
  message: string;
}
