// Pure checks of provenance: each platform image of an index has an in-toto statement whose subject is that
// image manifest, with the wanted predicate type, builder id and source repository. Reads SLSA v0.2 and v1.
import type { VerifyPolicy } from './types.js';

export const SLSA_TYPES = ['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1'];
const STATEMENT_TYPES = ['https://in-toto.io/Statement/v0.1', 'https://in-toto.io/Statement/v1'];
const BUILDKIT_METADATA = 'https://mobyproject.org/buildkit@v1#metadata';

export interface PlatformImage {
  digest: string;
  platform?: string;
}

export interface FoundStatement {
  /** The image manifest the attestation manifest says it is about (vnd.docker.reference.digest). */
  imageDigest: string;
  predicateType: string;
  statement: unknown;
}

export type ProvenanceOutcome =
  | { ok: true; predicateType: string; builderId?: string; sourceRepository?: string; platforms: string[] }
  | { ok: false; reason: string };

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Builder id: SLSA v0.2 `builder.id`, v1 `runDetails.builder.id`. */
export function builderIdOf(predicate: unknown): string | undefined {
  const p = obj(predicate);
  return str(obj(p.builder).id) ?? str(obj(obj(p.runDetails).builder).id);
}

/** Where the build's source came from: config source URI, buildkit's vcs.source, or a GitHub workflow's repository. */
export function sourceRepositoryOf(predicate: unknown): string | undefined {
  const p = obj(predicate);
  const v02 = str(obj(obj(p.invocation).configSource).uri) ?? str(obj(obj(obj(p.metadata)[BUILDKIT_METADATA]).vcs).source);
  const ext = obj(obj(p.buildDefinition).externalParameters);
  const v1 = str(obj(ext.configSource).uri) ?? str(obj(obj(obj(obj(p.runDetails).metadata)[BUILDKIT_METADATA]).vcs).source);
  const workflow = str(obj(ext.workflow).repository);
  return v02 ?? v1 ?? workflow;
}

/**
 * `https://github.com/acme/svc.git#main`, `git@github.com:acme/svc` and `github.com/acme/svc` all name
 * `github.com/acme/svc`. A bare `owner/name` means GitHub.
 */
export function normalizeRepository(value: string): string {
  let v = value.trim().toLowerCase().replace(/[#?].*$/, '');
  v = v.replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]+@/, '');
  v = v.replace(/^([^/:]+):(?!\d)/, '$1/').replace(/\.git$/, '').replace(/\/+$/, '');
  return v.split('/').length === 2 ? `github.com/${v}` : v;
}

function hexOf(digest: string): { algorithm: string; hex: string } {
  const [algorithm = '', hex = ''] = digest.split(':');
  return { algorithm, hex };
}

function subjectNames(statement: unknown, digest: string): boolean {
  const { algorithm, hex } = hexOf(digest);
  const subjects = obj(statement).subject;
  return Array.isArray(subjects) && subjects.some((s) => obj(obj(s).digest)[algorithm] === hex);
}

export interface StatementFacts {
  reason?: string;
  builderId?: string;
  source?: string;
  type?: string;
}

/**
 * One in-toto statement against the policy: statement type, subject naming `digest`, builder id, source.
 * `label` names what it is about in messages (a platform, or `this digest`).
 */
export function checkStatement(statement: unknown, predicateType: string, digest: string, policy: VerifyPolicy, label: string, subjectWhat: string): StatementFacts {
  const s = obj(statement);
  if (!STATEMENT_TYPES.includes(String(s._type)) || s.predicateType !== predicateType) {
    return { reason: `the attestation for ${label} is not an in-toto statement of type ${predicateType}` };
  }
  if (!subjectNames(s, digest)) return { reason: `the provenance subject for ${label} does not name ${subjectWhat} ${digest}` };
  const builderId = builderIdOf(s.predicate);
  if (policy.builderId && builderId !== policy.builderId) return { reason: `the builder id for ${label} is '${builderId ?? ''}', not '${policy.builderId}'` };
  const source = sourceRepositoryOf(s.predicate);
  if (policy.sourceRepository && (!source || normalizeRepository(source) !== normalizeRepository(policy.sourceRepository))) {
    return { reason: `the source repository for ${label} is '${source ?? 'not recorded'}', not '${policy.sourceRepository}'` };
  }
  return { builderId, source, type: predicateType };
}

/** The predicate types a policy accepts: the one it names, or SLSA provenance v0.2 / v1. */
export function wantedTypes(policy: VerifyPolicy): string[] {
  return policy.predicateType ? [policy.predicateType] : SLSA_TYPES;
}

function checkOne(image: PlatformImage, found: FoundStatement[], policy: VerifyPolicy): StatementFacts {
  const label = image.platform ?? image.digest;
  const mine = found.filter((f) => f.imageDigest === image.digest);
  if (!mine.length) return { reason: `no provenance attestation for ${label}` };
  const wanted = wantedTypes(policy);
  const typed = mine.filter((f) => wanted.includes(f.predicateType));
  if (!typed.length) return { reason: `the attestation for ${label} has predicate type ${mine.map((f) => f.predicateType).join(', ')}, not ${wanted.join(' or ')}` };
  let last: StatementFacts = {};
  for (const f of typed) {
    last = checkStatement(f.statement, f.predicateType, image.digest, policy, label, 'its image manifest');
    if (!last.reason) return last;
  }
  return last;
}

/** Every platform image must pass; the first failure is the reason. */
export function checkProvenance(images: PlatformImage[], found: FoundStatement[], policy: VerifyPolicy): ProvenanceOutcome {
  if (!images.length) return { ok: false, reason: 'the index lists no platform images' };
  const passed: Array<ReturnType<typeof checkOne>> = [];
  for (const image of images) {
    const result = checkOne(image, found, policy);
    if (result.reason) return { ok: false, reason: result.reason };
    passed.push(result);
  }
  return {
    ok: true,
    predicateType: passed[0]!.type!,
    builderId: passed[0]!.builderId,
    sourceRepository: passed[0]!.source,
    platforms: images.map((i) => i.platform ?? i.digest),
  };
}
