// Contract of the pinning engine: pure, text in and text out. Keep these names stable.

/** How a pin is written: the field (or fields) a chart reads. See README "Pin styles". */
export type PinStyle = 'digest' | 'sha' | 'tag-digest' | 'reference' | 'registry';

/** Where in a file the digest goes. */
export type PinTarget =
  /**
   * A Helm values image block, by key path: `image`, `migrations.image`, `sidecars[0].image`. `style` says which
   * fields the chart reads: `digest` (default: repository/tag/digest), `sha` (hex only, in `shaKey`, default `sha`),
   * `tag-digest` (`tag: <tag>@sha256:…`), `registry` (ingress-nginx: `registry` + `image` + `digest`).
   */
  | { kind: 'helm'; path: string; style?: Exclude<PinStyle, 'reference'>; shaKey?: string }
  /**
   * One string holding `repo:tag@sha256:…`: the field at `path`, or with `container` the `image` of the container
   * of that name (in the list at `path`, or in any `containers` / `initContainers` list when `path` is absent).
   */
  | { kind: 'reference'; path?: string; container?: string }
  /** Every line carrying a setter marker: digestpin's `# digestpin: NAME[:field]` or Flux's `{"$imagepolicy": "ns:NAME[:field]"}`. */
  | { kind: 'marker'; name: string }
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

/**
 * What a pin did to the tag beside its digest, so the caller can say it (a pin never leaves a tag that
 * disagrees with its digest unless `keep` was asked for). `absent`: the target has no tag field.
 */
export interface TagOutcome {
  /** The target's key path (or marker name), as in changes. */
  target: string;
  action: 'kept' | 'set' | 'removed' | 'absent';
  before?: string;
  after?: string;
}

export interface PinResult {
  text: string;
  changed: boolean;
  changes: PinChange[];
  /** Digest previously pinned at the target, if any (for PR bodies: old -> new). */
  previousDigest?: string;
  /** One entry per pin, in the order given: what happened to its tag. */
  tags: TagOutcome[];
}

export interface LintProblem {
  file: string;
  line: number;
  /** `info` only says what was checked (e.g. the chart reads the pinned field); it never fails a lint. */
  severity: 'error' | 'warning' | 'info';
  rule: string;
  message: string;
}
