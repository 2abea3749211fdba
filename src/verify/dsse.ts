// DSSE envelopes (the signed form of in-toto statements in cosign attestations and Sigstore bundles): the
// pre-authentication encoding, and opening an envelope with a trusted key. Pure, node:crypto only.
import { shortFingerprint } from './keys.js';
import { signatureVerifies } from './signature-check.js';
import type { TrustedKey } from './types.js';

export interface DsseEnvelope {
  payloadType?: string;
  payload?: string;
  signatures?: Array<{ keyid?: string; sig?: string }>;
}

/** PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in bytes. */
export function pae(payloadType: string, body: Uint8Array): Uint8Array {
  const type = new TextEncoder().encode(payloadType);
  const head = new TextEncoder().encode(`DSSEv1 ${type.length} ${payloadType} ${body.length} `);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

export type Opened = { ok: true; key: TrustedKey; statement: unknown } | { ok: false; reason: string };

/** The statement inside, when one of the envelope's signatures verifies under a trusted key. */
export function openEnvelope(envelope: DsseEnvelope, keys: TrustedKey[]): Opened {
  if (envelope.payloadType !== 'application/vnd.in-toto+json' || !envelope.payload) {
    return { ok: false, reason: `the envelope's payload type is '${envelope.payloadType ?? ''}', not application/vnd.in-toto+json` };
  }
  const body = new Uint8Array(Buffer.from(envelope.payload, 'base64'));
  const signed = pae(envelope.payloadType, body);
  for (const signature of envelope.signatures ?? []) {
    const key = keys.find((k) => signature.sig && signatureVerifies(signed, signature.sig, k.key));
    if (!key) continue;
    try {
      return { ok: true, key, statement: JSON.parse(new TextDecoder().decode(body)) };
    } catch {
      return { ok: false, reason: `the statement signed by key ${shortFingerprint(key.fingerprint)} is not JSON` };
    }
  }
  return { ok: false, reason: 'not signed by a trusted key' };
}
