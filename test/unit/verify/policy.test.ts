import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { redact } from '../../../src/runtime/secrets.js';
import { effectivePolicy, policyFromInputs, splitKeyEntries } from '../../../src/verify/policy.js';

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\nAAAA\n-----END PUBLIC KEY-----';
const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('verify policy from inputs and config', () => {
  it('splits a multiline input into whole PEM blocks and paths', () => {
    expect(splitKeyEntries(`keys/a.pub\n${PEM}\n\n  keys/b.pub  \n${PEM}`)).toEqual([PEM, PEM, 'keys/a.pub', 'keys/b.pub']);
  });

  it('reads the verify-* inputs, paths anchored in the workspace', () => {
    expect(policyFromInputs(get({ 'verify-require': 'attestation', 'verify-keys': 'keys/a.pub', 'verify-builder-id': 'https://ci' }), '/ws')).toEqual({
      require: 'attestation',
      keys: ['/ws/keys/a.pub'],
      predicateType: undefined,
      builderId: 'https://ci',
      sourceRepository: undefined,
    });
    expect(policyFromInputs(get({}), '/ws')).toBeUndefined();
  });

  it.each([
    [{ 'verify-require': 'maybe' }, "input 'verify-require': 'maybe' is not one of off, signature, attestation"],
    [{ 'verify-require': 'signature' }, "input 'verify-keys': is required with verify-require: signature (PEM public keys, or paths to them)"],
    [{ 'verify-keys': 'k.pub' }, "input 'verify-keys': needs verify-require (off, signature or attestation)"],
  ])('rejects %j', (values, message) => {
    expect(() => policyFromInputs(get(values), '/ws')).toThrow(message);
  });

  it("inputs never replace or weaken the config's policy; they apply where it sets none; the config applies with paths from its folder; nothing means off", () => {
    const fromConfig = { require: 'signature' as const, keys: ['keys/prod.pub', PEM] };
    const fromInputs = { require: 'off' as const, keys: [] };
    expect(() => effectivePolicy(fromInputs, fromConfig, '/gitops', 'environments.prod.verify in digestpin.yaml')).toThrow(
      "input 'verify-require': environments.prod.verify in digestpin.yaml already sets this environment's policy (require: signature); the verify-* inputs apply only where the config sets none, so change the config to change it",
    );
    const stricter = { require: 'signature' as const, keys: [PEM] };
    expect(effectivePolicy(stricter, { require: 'off', keys: [] }, '/gitops')).toBe(stricter);
    expect(effectivePolicy(stricter, undefined, '/gitops')).toBe(stricter);
    expect(effectivePolicy(undefined, fromConfig, '/gitops')).toEqual({ require: 'signature', keys: ['/gitops/keys/prod.pub', PEM] });
    expect(effectivePolicy(undefined, undefined, '/gitops')).toEqual({ require: 'off', keys: [] });
  });
});

describe('readInputs: verify and sign', () => {
  const base = {
    'INPUT_GITOPS-REPOSITORY': 'ameide/gitops',
    INPUT_ENVIRONMENT: 'prod',
    INPUT_IMAGE: 'ameide/agents',
    INPUT_REGISTRY: 'ghcr.io',
    'INPUT_VALUES-FILE': 'envs/prod/agents.yaml',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_WORKSPACE: '/work/ws',
    RUNNER_TEMP: '/tmp/rt',
  };

  it('puts the policy and the signing key on the request, and masks every line of the key', () => {
    const key = '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnsibmFtZSI6InNjcnlwdCIs\nInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
    const request = readInputs({ ...base, 'INPUT_VERIFY-REQUIRE': 'signature', 'INPUT_VERIFY-KEYS': PEM, INPUT_SIGN: 'true', 'INPUT_SIGN-KEY': key, 'INPUT_SIGN-KEY-PASSWORD': 'hunter2-password' });
    expect(request.verify).toMatchObject({ require: 'signature', keys: [PEM] });
    expect(request.sign).toEqual({ key: key.trim(), password: 'hunter2-password' });
    expect(redact('line InputArYW1zIjp7Ik4iOjY1NTM2LCJyIjo2 eyJrZGYiOnsibmFtZSI6InNjcnlwdCIs and hunter2-password')).toBe('line InputArYW1zIjp7Ik4iOjY1NTM2LCJyIjo2 *** and ***');
  });

  it.each([
    [{ INPUT_SIGN: 'true' }, "input 'sign-key': is required with sign: true"],
    [{ INPUT_SIGN: 'true', 'INPUT_SIGN-KEY': 'k', INPUT_IMAGE: undefined, 'INPUT_IMAGE-REF': 'ghcr.io/a/b:1', INPUT_REGISTRY: undefined }, "input 'sign': signs the image this action builds"],
  ])('rejects %j', (over, message) => {
    expect(() => readInputs({ ...base, ...over })).toThrow(message);
  });

  it('leaves verify and sign unset by default', () => {
    const request = readInputs(base);
    expect(request.verify).toBeUndefined();
    expect(request.sign).toBeUndefined();
  });
});
