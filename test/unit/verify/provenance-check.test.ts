import { describe, expect, it } from 'vitest';
import { checkProvenance, normalizeRepository, sourceRepositoryOf, type FoundStatement } from '../../../src/verify/provenance-check.js';
import type { VerifyPolicy } from '../../../src/verify/types.js';

const AMD = `sha256:${'1'.repeat(64)}`;
const ARM = `sha256:${'2'.repeat(64)}`;
const V02 = 'https://slsa.dev/provenance/v0.2';
const V1 = 'https://slsa.dev/provenance/v1';
const images = [
  { digest: AMD, platform: 'linux/amd64' },
  { digest: ARM, platform: 'linux/arm64' },
];
const policy = (over: Partial<VerifyPolicy> = {}): VerifyPolicy => ({ require: 'attestation', keys: [], ...over });

function v02(digest: string, builder = 'https://ci/run/1', source = 'https://github.com/acme/svc.git'): FoundStatement {
  return {
    imageDigest: digest,
    predicateType: V02,
    statement: {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: V02,
      subject: [{ name: 'pkg:docker/x', digest: { sha256: digest.slice(7) } }],
      predicate: { builder: { id: builder }, metadata: { 'https://mobyproject.org/buildkit@v1#metadata': { vcs: { source } } } },
    },
  };
}

function v1(digest: string): FoundStatement {
  return {
    imageDigest: digest,
    predicateType: V1,
    statement: {
      _type: 'https://in-toto.io/Statement/v1',
      predicateType: V1,
      subject: [{ digest: { sha256: digest.slice(7) } }],
      predicate: {
        buildDefinition: { externalParameters: { configSource: { uri: 'https://github.com/acme/svc.git#refs/heads/main' } } },
        runDetails: { builder: { id: 'https://ci/run/2' } },
      },
    },
  };
}

describe('checkProvenance', () => {
  it('passes when every platform image has a matching statement', () => {
    expect(checkProvenance(images, [v02(AMD), v02(ARM)], policy({ builderId: 'https://ci/run/1', sourceRepository: 'acme/svc' }))).toEqual({
      ok: true,
      predicateType: V02,
      builderId: 'https://ci/run/1',
      sourceRepository: 'https://github.com/acme/svc.git',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
  });

  it('reads SLSA v1 (runDetails.builder.id, buildDefinition config source)', () => {
    expect(checkProvenance(images, [v1(AMD), v1(ARM)], policy({ predicateType: V1, builderId: 'https://ci/run/2', sourceRepository: 'github.com/acme/svc' }))).toMatchObject({ ok: true, predicateType: V1 });
  });

  it.each([
    ['a platform without provenance', [v02(AMD)], policy(), 'no provenance attestation for linux/arm64'],
    ['another predicate type', [v02(AMD), v02(ARM)], policy({ predicateType: V1 }), `the attestation for linux/amd64 has predicate type ${V02}, not ${V1}`],
    ['another builder', [v02(AMD), v02(ARM, 'https://evil')], policy({ builderId: 'https://ci/run/1' }), "the builder id for linux/arm64 is 'https://evil', not 'https://ci/run/1'"],
    ['another source', [v02(AMD, undefined, 'https://github.com/evil/svc')], policy({ sourceRepository: 'acme/svc' }), "the source repository for linux/amd64 is 'https://github.com/evil/svc', not 'acme/svc'"],
  ])('fails for %s', (_, found, p, reason) => {
    expect(checkProvenance(images, found, p)).toEqual({ ok: false, reason });
  });

  it('fails a statement whose subject is not the image manifest it is attached to', () => {
    const swapped = { ...v02(ARM), imageDigest: AMD };
    expect(checkProvenance([images[0]!], [swapped], policy())).toEqual({ ok: false, reason: `the provenance subject for linux/amd64 does not name its image manifest ${AMD}` });
  });

  it('fails a layer that is not an in-toto statement', () => {
    expect(checkProvenance([images[0]!], [{ imageDigest: AMD, predicateType: V02, statement: { hello: 1 } }], policy())).toMatchObject({ ok: false, reason: expect.stringContaining('is not an in-toto statement') });
  });
});

describe('normalizeRepository', () => {
  it.each([
    ['https://github.com/Acme/svc.git#main', 'github.com/acme/svc'],
    ['git@github.com:acme/svc.git', 'github.com/acme/svc'],
    ['ssh://git@gitlab.example:2222/group/sub/proj', 'gitlab.example:2222/group/sub/proj'],
    ['acme/svc', 'github.com/acme/svc'],
    ['github.com/acme/svc/', 'github.com/acme/svc'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeRepository(input)).toBe(expected);
  });

  it('reads a GitHub artifact attestation workflow repository as the source', () => {
    expect(sourceRepositoryOf({ buildDefinition: { externalParameters: { workflow: { repository: 'https://github.com/acme/svc' } } } })).toBe('https://github.com/acme/svc');
  });
});
