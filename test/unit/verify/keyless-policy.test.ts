// The keyless identity policy (pure): completeness, exact and anchored-regexp identities, the issuer, how it
// arrives from inputs and digestpin.yaml, and how checkSignedAttestations holds a verified bundle to it.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { describeIdentity, identityMismatch, keylessIdentity } from '../../../src/verify/identity.js';
import type { KeylessOpened, KeylessVerifier } from '../../../src/verify/keyless.js';
import { effectivePolicy, policyFromInputs } from '../../../src/verify/policy.js';
import { checkSignedAttestations, type SignedAttestation } from '../../../src/verify/signed-attestation-check.js';
import type { VerifyPolicy } from '../../../src/verify/types.js';

const ISSUER = 'https://token.actions.githubusercontent.com';
const ID = 'https://github.com/acme/svc/.github/workflows/release.yml@refs/heads/main';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const SLSA1 = 'https://slsa.dev/provenance/v1';
const policy = (over: Partial<VerifyPolicy>): VerifyPolicy => ({ require: 'attestation', keys: [], ...over });
const full = policy({ trustedRoot: '/r.json', certificateIdentity: ID, certificateOidcIssuer: ISSUER });

describe('keyless identity policy', () => {
  it('is absent when no keyless setting is given, or the policy is off', () => {
    expect(keylessIdentity(policy({}))).toBeUndefined();
    expect(keylessIdentity({ ...full, require: 'off' })).toBeUndefined();
  });

  it.each([
    [{ certificateIdentity: ID, certificateOidcIssuer: ISSUER }, "input 'verify.certificate-identity': needs verify.trusted-root (a Sigstore trusted_root.json); digestpin ships no public-good root"],
    [{ trustedRoot: '/r.json', certificateIdentity: ID }, "input 'verify.certificate-oidc-issuer': is required with verify.trusted-root"],
    [{ trustedRoot: '/r.json', certificateOidcIssuer: ISSUER }, 'a keyless signature by anyone is never trusted'],
    [{ trustedRoot: '/r.json', certificateOidcIssuer: ISSUER, certificateIdentity: ID, certificateIdentityRegexp: '.*' }, 'give verify.certificate-identity or verify.certificate-identity-regexp, not both'],
    [{ trustedRoot: '/r.json', certificateOidcIssuer: ISSUER, certificateIdentityRegexp: '[' }, "input 'verify.certificate-identity-regexp': is not a valid regular expression"],
  ])('refuses an incomplete policy %#', (over, message) => {
    expect(() => keylessIdentity(policy(over))).toThrow(message);
  });

  it('refuses keyless settings under require: signature (keyless .sig signatures are not verified)', () => {
    expect(() => keylessIdentity({ ...full, require: 'signature' })).toThrow('applies to require: attestation');
  });

  it('compares the identity and the issuer exactly', () => {
    const id = keylessIdentity(full)!;
    expect(identityMismatch(id, { san: ID, issuer: ISSUER })).toBeUndefined();
    expect(identityMismatch(id, { san: `${ID}x`, issuer: ISSUER })).toBe(`signed by '${ID}x' (issuer ${ISSUER}), not by identity '${ID}'`);
    expect(identityMismatch(id, { san: ID, issuer: 'https://accounts.google.com' })).toBe(`signed by '${ID}' (issuer https://accounts.google.com), not by issuer ${ISSUER}`);
    expect(identityMismatch(id, {})).toBe(`signed by '(no SAN)' (issuer none), not by issuer ${ISSUER}`);
    expect(describeIdentity(id)).toBe(`identity '${ID}' (issuer ${ISSUER})`);
  });

  it('matches a regexp against the whole SAN', () => {
    const id = keylessIdentity(policy({ trustedRoot: '/r.json', certificateOidcIssuer: ISSUER, certificateIdentityRegexp: String.raw`https://github\.com/acme/[^/]+/\.github/workflows/release\.yml@refs/tags/v.*` }))!;
    expect(identityMismatch(id, { san: 'https://github.com/acme/svc/.github/workflows/release.yml@refs/tags/v1.2.0', issuer: ISSUER })).toBeUndefined();
    expect(identityMismatch(id, { san: 'https://github.com/acme/svc/.github/workflows/release.yml@refs/heads/main', issuer: ISSUER })).toMatch(/not by an identity matching/);
    // Unanchored, `acme` would pass any SAN that contains it.
    const loose = keylessIdentity(policy({ trustedRoot: '/r.json', certificateOidcIssuer: ISSUER, certificateIdentityRegexp: 'acme' }))!;
    expect(identityMismatch(loose, { san: 'https://github.com/evil/acme', issuer: ISSUER })).toMatch(/not by an identity matching \/\^\(\?:acme\)\$\//);
  });
});

describe('keyless settings from inputs and digestpin.yaml', () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('reads the verify-* keyless inputs, the root anchored in the workspace', () => {
    const inputs = { 'verify-require': 'attestation', 'verify-trusted-root': 'sigstore/root.json', 'verify-certificate-identity': ID, 'verify-certificate-oidc-issuer': ISSUER };
    expect(policyFromInputs(get(inputs), '/ws')).toMatchObject({ require: 'attestation', trustedRoot: '/ws/sigstore/root.json', certificateIdentity: ID, certificateOidcIssuer: ISSUER });
  });

  it.each([
    [{ 'verify-trusted-root': 'r.json' }, "input 'verify-trusted-root': needs verify-require (off, signature or attestation)"],
    [{ 'verify-require': 'attestation', 'verify-trusted-root': 'r.json', 'verify-certificate-oidc-issuer': ISSUER }, "input 'verify-certificate-identity': is required with verify-trusted-root (or verify-certificate-identity-regexp)"],
    [{ 'verify-require': 'attestation', 'verify-certificate-identity': ID, 'verify-certificate-oidc-issuer': ISSUER }, "input 'verify-certificate-identity': needs verify-trusted-root"],
  ])('rejects %j, naming the input', (values, message) => {
    expect(() => policyFromInputs(get(values), '/ws')).toThrow(message);
  });

  it("anchors the config's trusted-root in the config file's folder", () => {
    expect(effectivePolicy(undefined, policy({ trustedRoot: 'sigstore/root.json' }), '/gitops').trustedRoot).toBe('/gitops/sigstore/root.json');
    expect(effectivePolicy(undefined, policy({ trustedRoot: '/abs/root.json' }), '/gitops').trustedRoot).toBe('/abs/root.json');
  });

  const yaml = (verify: string) => `environments:\n  prod:\n    verify:\n${verify}    services: {}\n`;

  it('loads the keys from digestpin.yaml', () => {
    const env = parseConfig(yaml(`      require: attestation\n      trusted-root: r.json\n      certificate-identity-regexp: '^x$'\n      certificate-oidc-issuer: ${ISSUER}\n`), 'digestpin.yaml').environments.get('prod')!;
    expect(env.verify).toMatchObject({ trustedRoot: 'r.json', certificateIdentityRegexp: '^x$', certificateOidcIssuer: ISSUER });
  });

  it.each([
    ['      require: attestation\n      certificate-identity: x\n', 'digestpin.yaml:4: environments.prod.verify must have property trusted-root when property certificate-identity is present'],
    ['      require: attestation\n      trusted-root: r.json\n      certificate-identity: x\n', "digestpin.yaml:4: environments.prod.verify needs 'certificate-oidc-issuer:'"],
  ])('the schema refuses a partial keyless policy with one line %#', (verify, message) => {
    expect(() => parseConfig(yaml(verify), 'digestpin.yaml')).toThrow(message);
  });
});

describe('checkSignedAttestations with keyless trust', () => {
  const statement = (digest = DIGEST) => ({ _type: 'https://in-toto.io/Statement/v1', predicateType: SLSA1, subject: [{ name: 'i', digest: { sha256: digest.slice(7) } }], predicate: {} });
  // A stand-in for keyless.ts (whose real runs are in test/integration/verify/keyless.test.ts): it says what
  // @sigstore/verify would have said about each bundle.
  const verifier = (opened: KeylessOpened): KeylessVerifier => ({ root: '/r.json', open: () => opened });
  const found: SignedAttestation[] = [{ envelope: {}, where: 'Sigstore bundle sha256:0123456789ab', keyless: true, bundle: {} }];
  const trust = (opened: KeylessOpened) => ({ verifier: verifier(opened), identity: keylessIdentity(full)! });

  it('passes a verified bundle by the identity whose statement names this digest', () => {
    const outcome = checkSignedAttestations(found, [], DIGEST, full, trust({ ok: true, signer: { san: ID, issuer: ISSUER }, statement: statement(), evidence: 'logged in https://rekor.example at index 7' }));
    expect(outcome).toMatchObject({ ok: true, predicateType: SLSA1, signedBy: `keyless identity '${ID}' (issuer ${ISSUER})`, evidence: 'logged in https://rekor.example at index 7' });
  });

  it.each([
    [{ ok: false, reason: 'its certificate does not verify' } as KeylessOpened, 'Sigstore bundle sha256:0123456789ab (keyless): its certificate does not verify'],
    [{ ok: true, signer: { san: 'https://evil', issuer: ISSUER }, statement: statement(), evidence: '' } as KeylessOpened, `Sigstore bundle sha256:0123456789ab (keyless): signed by 'https://evil' (issuer ${ISSUER}), not by identity '${ID}'`],
    [{ ok: true, signer: { san: ID, issuer: ISSUER }, statement: statement(`sha256:${'b'.repeat(64)}`), evidence: '' } as KeylessOpened, `the provenance subject for this digest does not name the digest ${DIGEST} (Sigstore bundle sha256:0123456789ab)`],
  ])('fails %#', (opened, reason) => {
    expect(checkSignedAttestations(found, [], DIGEST, full, trust(opened))).toEqual({ ok: false, reason });
  });

  it('without trust, reports keyless bundles and never opens them', () => {
    expect(checkSignedAttestations(found, [], DIGEST, policy({}))).toEqual({ ok: false, reason: '1 keyless Sigstore bundle(s) found, which are verified only with a trusted root and an identity policy (trusted-root, certificate-identity, certificate-oidc-issuer)' });
  });
});
