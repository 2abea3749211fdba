// The supply-chain policy (per environment in digestpin.yaml, or from action inputs / CLI flags) and what a
// verification found. Shared by the config loader, inputs, the pipeline step and the report.

/** `verify:` of an environment. `keys` are PEM text or paths to PEM files (relative to the config's folder). */
export interface VerifyPolicy {
  require: 'off' | 'signature' | 'attestation';
  keys: string[];
  predicateType?: string;
  builderId?: string;
  sourceRepository?: string;
  /**
   * Keyless (Sigstore) trust: a `trusted_root.json` (Sigstore TrustedRoot format; a path, relative to the
   * config's folder) and the identity its certificates must carry. Keyless needs all three: the root, the
   * OIDC issuer, and the identity (exact, or a regexp matched against the whole SAN).
   */
  trustedRoot?: string;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
}

/** A key the policy trusts, loaded. */
export interface TrustedKey {
  /** `sha256:` + hex of the DER SubjectPublicKeyInfo: the same bytes whatever the PEM's line breaks. */
  fingerprint: string;
  /** Where it came from (a path, or `inline key N`), for messages. */
  source: string;
  key: import('node:crypto').KeyObject;
}

/** One satisfied check, for the PR body, the job summary and `--json`. */
export interface VerifiedCheck {
  kind: 'signature' | 'attestation';
  /** Signature: the key fingerprint. Attestation: the predicate type. */
  subject: string;
  /** Human text: `cosign signature by key sha256:ab12… (tag sha256-….sig)`. */
  detail: string;
}

export interface VerificationReport {
  /** `registry/repository@digest` that was verified (pull side). */
  image: string;
  digest: string;
  require: VerifyPolicy['require'];
  checks: VerifiedCheck[];
  /** Registry requests the verification made. */
  requests: number;
}
