import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pae, type DsseEnvelope } from '../../../src/verify/dsse.js';
import { fingerprintOf } from '../../../src/verify/keys.js';
import { checkSignedAttestations } from '../../../src/verify/signed-attestation-check.js';

const DIGEST = `sha256:${'f'.repeat(64)}`;
const SLSA = 'https://slsa.dev/provenance/v0.2';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const keys = [{ key: publicKey, fingerprint: fingerprintOf(publicKey), source: 'k' }];

function envelope(statement: object, key = privateKey): DsseEnvelope {
  const body = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', pae('application/vnd.in-toto+json', body), key).toString('base64');
  return { payloadType: 'application/vnd.in-toto+json', payload: body.toString('base64'), signatures: [{ sig }] };
}

const statement = (digest = DIGEST, type = SLSA) => ({ _type: 'https://in-toto.io/Statement/v0.1', predicateType: type, subject: [{ name: 'x', digest: { sha256: digest.slice(7) } }], predicate: { builder: { id: 'b' } } });

describe('DSSE and signed attestations', () => {
  it('encodes PAE as the DSSE spec’s example', () => {
    expect(new TextDecoder().decode(pae('http://example.com/HelloWorld', new TextEncoder().encode('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('passes a statement signed by a trusted key that names this digest', () => {
    expect(checkSignedAttestations([{ envelope: envelope(statement()), where: 'tag t.att', keyless: false }], keys, DIGEST, { require: 'attestation', keys: [] })).toMatchObject({ ok: true, predicateType: SLSA, builderId: 'b' });
  });

  it.each([
    ['another key', [{ envelope: envelope(statement(), generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey), where: 'w', keyless: false }], '1 signed attestation(s) found, none signed by a trusted key'],
    ['another digest', [{ envelope: envelope(statement(`sha256:${'0'.repeat(64)}`)), where: 'w', keyless: false }], `the provenance subject for this digest does not name the digest ${DIGEST} (w)`],
    ['another predicate', [{ envelope: envelope(statement(DIGEST, 'https://spdx.dev/Document')), where: 'w', keyless: false }], expect.stringContaining('has predicate type https://spdx.dev/Document, not')],
    ['a keyless bundle', [{ envelope: envelope(statement()), where: 'w', keyless: true }], '1 keyless Sigstore bundle(s) found, which are verified only with a trusted root and an identity policy (trusted-root, certificate-identity, certificate-oidc-issuer)'],
    ['nothing', [], 'no signed attestation was found'],
  ])('fails for %s', (_, found, reason) => {
    expect(checkSignedAttestations(found, keys, DIGEST, { require: 'attestation', keys: [] })).toEqual({ ok: false, reason });
  });

  it('refuses a tampered payload', () => {
    const e = envelope(statement());
    const tampered = { ...e, payload: Buffer.from(JSON.stringify(statement()).replace('"b"', '"evil"')).toString('base64') };
    expect(checkSignedAttestations([{ envelope: tampered, where: 'w', keyless: false }], keys, DIGEST, { require: 'attestation', keys: [] })).toEqual({ ok: false, reason: '1 signed attestation(s) found, none signed by a trusted key' });
  });
});
