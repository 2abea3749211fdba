// buildx's metadata file is the only source of the digest; anything off must stop the run with the file named.
import { describe, expect, test } from 'vitest';
import { buildFailureReason, parseBuildMetadata } from '../../../src/buildx/index.js';
import { FileError } from '../../../src/runtime/errors.js';
import { clearSecrets, registerSecret } from '../../../src/runtime/secrets.js';

const FILE = '/tmp/runner/build-metadata.json';
const INDEX = 'sha256:4530ff93199bf26d6ba586943fd62a4b97eb05ffdbdb45d9c2bf5971fc077cd8';

// As buildx 0.13 wrote it for a pushed linux/amd64,linux/arm64 build with provenance.
const pushedIndex = {
  'buildx.build.ref': 'default/default/xregkqcwq9hlvt6w9tc2pu4uy',
  'containerimage.config.digest': INDEX,
  'containerimage.descriptor': { mediaType: 'application/vnd.oci.image.index.v1+json', digest: INDEX, size: 1607 },
  'containerimage.digest': INDEX,
  'image.name': '127.0.0.1:5000/probe/svc:t1,127.0.0.1:5000/probe/svc:latest',
};

function fails(json: string): FileError {
  try {
    parseBuildMetadata(json, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(FileError);
    return error as FileError;
  }
  throw new Error('parseBuildMetadata accepted it');
}

describe('parseBuildMetadata', () => {
  test('a pushed index: digest, descriptor and every tag', () => {
    const metadata = parseBuildMetadata(JSON.stringify(pushedIndex), FILE);
    expect(metadata.digest).toBe(INDEX);
    expect(metadata.descriptor).toEqual({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: INDEX, size: 1607 });
    expect(metadata.imageNames).toEqual(['127.0.0.1:5000/probe/svc:t1', '127.0.0.1:5000/probe/svc:latest']);
    expect(metadata.raw['buildx.build.ref']).toBe('default/default/xregkqcwq9hlvt6w9tc2pu4uy');
  });

  test('a single-platform manifest keeps its media type; no image.name gives no names', () => {
    const digest = `sha256:${'8c'.repeat(32)}`;
    const json = JSON.stringify({
      'containerimage.descriptor': { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest, size: 693, platform: { os: 'linux', architecture: 'amd64' } },
      'containerimage.digest': digest,
    });
    const metadata = parseBuildMetadata(json, FILE);
    expect(metadata.descriptor.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(metadata.imageNames).toEqual([]);
  });

  test.each<[string, string, RegExp]>([
    ['no digest (nothing exported)', JSON.stringify({ 'buildx.build.ref': 'default/default/x' }), /has no containerimage\.digest/],
    ['a short digest', JSON.stringify({ ...pushedIndex, 'containerimage.digest': 'sha256:4530ff93' }), /'sha256:4530ff93' is not a sha256:<64 hex> digest/],
    ['an uppercase digest', JSON.stringify({ ...pushedIndex, 'containerimage.digest': INDEX.toUpperCase() }), /is not a sha256/],
    ['a digest that is a number', JSON.stringify({ ...pushedIndex, 'containerimage.digest': 42 }), /'42' is not a sha256/],
    ['no descriptor', JSON.stringify({ 'containerimage.digest': INDEX }), /no containerimage\.descriptor/],
    ['descriptor disagrees with the digest', JSON.stringify({ ...pushedIndex, 'containerimage.digest': `sha256:${'0'.repeat(64)}` }), /differs from containerimage\.digest/],
    ['descriptor without media type', JSON.stringify({ ...pushedIndex, 'containerimage.descriptor': { digest: INDEX, size: 1 } }), /no mediaType/],
    ['descriptor with a zero size', JSON.stringify({ ...pushedIndex, 'containerimage.descriptor': { mediaType: 'x', digest: INDEX, size: 0 } }), /size '0'/],
    ['not JSON', '{"containerimage.digest": ', /is not JSON/],
    ['empty file', '', /is not JSON/],
    ['a JSON array', '[]', /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
  ])('%s -> FileError naming the file', (_name, json, message) => {
    const error = fails(json);
    expect(error.context.file).toBe(FILE);
    expect(error.message.startsWith(`${FILE}: `)).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});

describe('buildFailureReason', () => {
  test('takes the ERROR line buildx prints after the Dockerfile excerpt', () => {
    const stderr = [
      '#1 [internal] load build definition from Dockerfile.bad',
      'Dockerfile.bad:2',
      '--------------------',
      '   2 | >>> BOGUS x',
      '--------------------',
      'ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: BOGUS',
      '',
    ].join('\n');
    expect(buildFailureReason(stderr)).toBe('failed to solve: dockerfile parse error on line 2: unknown instruction: BOGUS');
  });

  test('falls back to the last non-empty line, and redacts it', () => {
    registerSecret('s3cr3t-build-token');
    try {
      expect(buildFailureReason('starting\nunauthorized: token s3cr3t-build-token rejected\n\n')).toBe('unauthorized: token *** rejected');
    } finally {
      clearSecrets();
    }
  });

  test('nothing on stderr gives an empty reason', () => {
    expect(buildFailureReason('\n\n')).toBe('');
  });
});
