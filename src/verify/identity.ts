// The keyless identity policy: which identity (the certificate's SAN) and OIDC issuer a Sigstore signing
// certificate must carry. Pure and light. There is no "any identity": keyless without both is refused.
import { InputError } from '../runtime/errors.js';
import type { VerifyPolicy } from './types.js';

export interface KeylessIdentity {
  /** `certificate-identity`: the SAN, compared exactly. */
  identity?: string;
  /** `certificate-identity-regexp`: matched against the whole SAN (anchored, unlike cosign's). */
  identityRegexp?: RegExp;
  /** `certificate-oidc-issuer`: compared exactly. */
  issuer: string;
}

/** What a verified certificate says about its signer. */
export interface CertificateSigner {
  san?: string;
  issuer?: string;
}

/** The names a caller uses for each setting (config keys, action inputs, CLI flags), for its errors. */
export interface KeylessNames {
  trustedRoot: string;
  identity: string;
  identityRegexp: string;
  issuer: string;
}

/** digestpin.yaml's keys (the schema checks the rest; identity-or-regexp is checked here). */
export const CONFIG_NAMES: KeylessNames = {
  trustedRoot: 'verify.trusted-root',
  identity: 'verify.certificate-identity',
  identityRegexp: 'verify.certificate-identity-regexp',
  issuer: 'verify.certificate-oidc-issuer',
};

/** True when the policy asks for keyless trust at all (any of its four settings). */
export function wantsKeyless(policy: VerifyPolicy): boolean {
  return Boolean(policy.trustedRoot || policy.certificateIdentity || policy.certificateIdentityRegexp || policy.certificateOidcIssuer);
}

/**
 * The identity policy, checked for completeness: a trusted root, an issuer and exactly one of identity /
 * identity-regexp. Undefined when the policy is not keyless. Throws InputError naming the setting.
 */
export function keylessIdentity(policy: VerifyPolicy, names: KeylessNames = CONFIG_NAMES): KeylessIdentity | undefined {
  if (!wantsKeyless(policy) || policy.require === 'off') return undefined;
  if (policy.require === 'signature') {
    // Keyless cosign signatures (a Fulcio certificate on a .sig layer) are not verified: only bundles are.
    throw new InputError(names.trustedRoot, 'applies to require: attestation (keyless Sigstore bundles); keyless cosign .sig signatures are not verified');
  }
  if (!policy.trustedRoot) {
    const given = policy.certificateIdentity ? names.identity : policy.certificateIdentityRegexp ? names.identityRegexp : names.issuer;
    throw new InputError(given, `needs ${names.trustedRoot} (a Sigstore trusted_root.json); digestpin ships no public-good root`);
  }
  if (!policy.certificateOidcIssuer) throw new InputError(names.issuer, `is required with ${names.trustedRoot}: the OIDC issuer the signing certificate must name (e.g. https://token.actions.githubusercontent.com)`);
  if (policy.certificateIdentity && policy.certificateIdentityRegexp) throw new InputError(names.identityRegexp, `give ${names.identity} or ${names.identityRegexp}, not both`);
  if (!policy.certificateIdentity && !policy.certificateIdentityRegexp) {
    throw new InputError(names.identity, `is required with ${names.trustedRoot} (or ${names.identityRegexp}): a keyless signature by anyone is never trusted`);
  }
  return { identity: policy.certificateIdentity, identityRegexp: compileIdentity(policy.certificateIdentityRegexp, names.identityRegexp), issuer: policy.certificateOidcIssuer };
}

function compileIdentity(pattern: string | undefined, name: string): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    // Anchored: `acme/svc` must not pass `evil.example/acme/svc-fork`.
    return new RegExp(`^(?:${pattern})$`);
  } catch (error) {
    throw new InputError(name, `is not a valid regular expression (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}

/** `identity 'X'` or `identity matching /X/`, with the issuer: how a policy reads in messages. */
export function describeIdentity(id: KeylessIdentity): string {
  const who = id.identity !== undefined ? `identity '${id.identity}'` : `identity matching ${String(id.identityRegexp)}`;
  return `${who} (issuer ${id.issuer})`;
}

/** Why a verified signer is not the one the policy trusts, or undefined when it is. */
export function identityMismatch(id: KeylessIdentity, signer: CertificateSigner): string | undefined {
  const who = `signed by '${signer.san ?? '(no SAN)'}' (issuer ${signer.issuer ?? 'none'})`;
  if (signer.issuer !== id.issuer) return `${who}, not by issuer ${id.issuer}`;
  const san = signer.san ?? '';
  const matches = id.identity !== undefined ? san === id.identity : Boolean(id.identityRegexp?.test(san));
  if (!matches) return `${who}, not by ${id.identity !== undefined ? `identity '${id.identity}'` : `an identity matching ${String(id.identityRegexp)}`}`;
  return undefined;
}
