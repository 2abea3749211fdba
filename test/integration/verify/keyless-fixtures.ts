// A local Sigstore for keyless tests, no network: @sigstore/mock's Fulcio-style CA (its certificates carry an
// SCT from a mock CT log) and Rekor-style transparency log (signed entry timestamps and checkpoints), the
// trusted_root.json that names them, real keyless DSSE bundles (v0.3) signed with an ephemeral key, and the
// real `oras attach` to put a bundle on an image as an OCI referrer, as actions/attest does.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializeCA, initializeCTLog, initializeTLog, initializeTSA } from '@sigstore/mock';
import { exec } from '../../../src/runtime/exec.js';
import { pae } from '../../../src/verify/dsse.js';

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';

type CA = Awaited<ReturnType<typeof initializeCA>>;
type TLog = Awaited<ReturnType<typeof initializeTLog>>;
type TSA = Awaited<ReturnType<typeof initializeTSA>>;

/** Rekor's v1 log entry, as the mock log returns it (its own type package is not installed). */
interface LoggedEntry {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: { signedEntryTimestamp: string; inclusionProof: { logIndex: number; rootHash: string; treeSize: number; hashes: string[]; checkpoint: string } };
}

export interface LocalSigstore {
  ca: CA;
  /** Absent in a TSA-only instance (as GitHub's own for private repositories): no log, no CT log. */
  tlog?: TLog;
  tsa?: TSA;
  /** The Sigstore TrustedRoot (JSON form) naming this CA, CT log and transparency log. */
  root: Record<string, unknown>;
}

const pair = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const spki = (key: KeyObject) => key.export({ format: 'der', type: 'spki' });
const b64 = (bytes: ArrayBufferView) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
const keyId = (key: KeyObject) => b64(createHash('sha256').update(spki(key)).digest());

function logInstance(baseUrl: string, publicKey: KeyObject) {
  return {
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(spki(publicKey)), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start: '2020-01-01T00:00:00Z' } },
    logId: { keyId: keyId(publicKey) },
  };
}

/**
 * A CA, CT log and transparency log of their own (the public-good shape), or with `tsaOnly` a CA and a
 * timestamp authority; and the trusted root that trusts exactly them. The clocks move the CA or the log in time.
 */
export async function localSigstore(name: string, options: { tsaOnly?: boolean; caClock?: Date; logClock?: Date } = {}): Promise<LocalSigstore> {
  const [caKeys, ctKeys, tlogKeys, tsaKeys] = [pair(), pair(), pair(), pair()];
  const tsaOnly = options.tsaOnly === true;
  // Clocks: certificates live 10 minutes from the CA's; the log stamps entries with its own.
  const ca = await initializeCA(caKeys, tsaOnly ? undefined : await initializeCTLog(ctKeys, options.caClock), options.caClock);
  const tlogUrl = `https://rekor.${name}.test`;
  const tlog = tsaOnly ? undefined : await initializeTLog(tlogUrl, tlogKeys, options.logClock);
  // The TSA stamps whole seconds, the next one: the mock (asn1js) writes a GeneralizedTime's fraction without
  // trailing zeros as DER asks (`.12`), which @sigstore/core's parser refuses ("invalid time") unless it has
  // exactly three digits, so about one stamp in ten failed. The next whole second is never before the TSA's or
  // the signing certificate's notBefore (whole seconds too).
  const tsa = tsaOnly ? await initializeTSA(tsaKeys, new Date(Math.floor(Date.now() / 1000) * 1000 + 1000)) : undefined;
  const root = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: tlog ? [logInstance(tlogUrl, tlogKeys.publicKey)] : [],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: `https://fulcio.${name}.test`,
        certChain: { certificates: [{ rawBytes: b64(ca.rootCertificate) }] },
        validFor: { start: '2020-01-01T00:00:00Z' },
      },
    ],
    ctlogs: tsaOnly ? [] : [logInstance(`https://ctfe.${name}.test`, ctKeys.publicKey)],
    timestampAuthorities: tsa
      ? [
          {
            subject: { organization: 'sigstore.mock', commonName: 'tsa' },
            uri: `https://tsa.${name}.test`,
            // The signing certificate first, then its issuer.
            certChain: { certificates: [{ rawBytes: b64(tsa.intCertificate) }, { rawBytes: b64(tsa.rootCertificate) }] },
            validFor: { start: '2020-01-01T00:00:00Z' },
          },
        ]
      : [],
  };
  return { ca, tlog, tsa, root };
}

export function writeRoot(sigstore: LocalSigstore, name = 'trusted_root.json'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'digestpin-root-')), name);
  writeFileSync(path, JSON.stringify(sigstore.root, null, 2));
  return path;
}

export interface KeylessSpec {
  /** The digest the statement's subject names. */
  digest: string;
  identity: string;
  issuer?: string;
  predicateType?: string;
  predicate?: unknown;
}

/**
 * A keyless bundle as Sigstore makes one: a short-lived certificate for an ephemeral key naming the
 * identity and issuer, a DSSE envelope of an in-toto statement, its `dsse` entry in the log with an
 * inclusion promise and proof, or (TSA-only) an RFC 3161 timestamp of the signature.
 */
export async function keylessBundle(sigstore: LocalSigstore, spec: KeylessSpec): Promise<Record<string, unknown>> {
  const signer = pair();
  const issuer = spec.issuer ?? GITHUB_ISSUER;
  const certificate = await sigstore.ca.issueCertificate({
    publicKey: spki(signer.publicKey),
    subjectAltName: spec.identity,
    extensions: [
      { oid: FULCIO_ISSUER_V1, value: issuer, legacy: true },
      { oid: FULCIO_ISSUER_V2, value: issuer },
    ],
  });
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'image', digest: { sha256: spec.digest.replace(/^sha256:/, '') } }],
    predicateType: spec.predicateType ?? 'https://slsa.dev/provenance/v1',
    predicate: spec.predicate ?? { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' }, runDetails: { builder: { id: 'https://github.com/actions/runner' } } },
  };
  const payload = Buffer.from(JSON.stringify(statement));
  const payloadType = 'application/vnd.in-toto+json';
  const signature = sign('sha256', pae(payloadType, payload), signer.privateKey);
  const certPem = `-----BEGIN CERTIFICATE-----\n${b64(certificate)}\n-----END CERTIFICATE-----\n`;
  // Rekor's canonicalized dsse v0.0.1 body: what the log signs, and what the verifier matches to the envelope.
  const envelopeJson = JSON.stringify({ payload: b64(payload), payloadType, signatures: [{ sig: b64(signature) }] });
  const body = {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: createHash('sha256').update(envelopeJson).digest('hex') },
      payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') },
      signatures: [{ signature: b64(signature), verifier: b64(Buffer.from(certPem)) }],
    },
  };
  return {
    mediaType: BUNDLE_V03,
    verificationMaterial: {
      certificate: { rawBytes: b64(certificate) },
      tlogEntries: sigstore.tlog ? [await tlogEntry(sigstore.tlog, body)] : [],
      ...(sigstore.tsa ? { timestampVerificationData: { rfc3161Timestamps: [{ signedTimestamp: b64(await timestampResponse(sigstore.tsa, signature)) }] } } : {}),
    },
    dsseEnvelope: { payload: b64(payload), payloadType, signatures: [{ sig: b64(signature), keyid: '' }] },
  };
}

/** The entry logged, as a bundle carries it: inclusion promise (SET) and proof with a signed checkpoint. */
async function tlogEntry(tlog: TLog, body: object): Promise<object> {
  const logged = Object.values(await tlog.log(body))[0] as LoggedEntry;
  const proof = logged.verification.inclusionProof;
  return {
    logIndex: String(logged.logIndex),
    logId: { keyId: Buffer.from(logged.logID, 'hex').toString('base64') },
    kindVersion: { kind: 'dsse', version: '0.0.1' },
    integratedTime: String(logged.integratedTime),
    inclusionPromise: { signedEntryTimestamp: logged.verification.signedEntryTimestamp },
    inclusionProof: { logIndex: String(proof.logIndex), rootHash: Buffer.from(proof.rootHash, 'hex').toString('base64'), treeSize: String(proof.treeSize), hashes: proof.hashes, checkpoint: { envelope: proof.checkpoint } },
    canonicalizedBody: logged.body,
  };
}

/** An RFC 3161 timestamp of the signature: the TSA's whole response, as sigstore's clients store it in a bundle. */
async function timestampResponse(tsa: TSA, signature: Buffer): Promise<Buffer> {
  const response = await tsa.timestamp({ artifactHash: createHash('sha256').update(signature).digest(), hashAlgorithmOID: '2.16.840.1.101.3.4.2.1', nonce: 42, policyOID: '1.2.3.4', certReq: false });
  return Buffer.from(response.buffer, response.byteOffset, response.byteLength);
}

/** The real `oras attach`: the bundle as a referrer of `ref@digest` (referrers tag schema, as docker-registry 2.8 needs). */
export async function attachBundle(imageRef: string, bundle: unknown): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-bundle-'));
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
  await exec('oras', ['attach', '--plain-http', '--distribution-spec', 'v1.1-referrers-tag', '--artifact-type', BUNDLE_V03, imageRef, `bundle.json:${BUNDLE_V03}`], { cwd: dir, quiet: true });
}
