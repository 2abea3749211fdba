// The buildx argv is the build phase's whole decision: each row is inputs -> the exact argv docker gets.
import { describe, expect, test } from 'vitest';
import { buildxArgs, normalizeBuildArgs } from '../../../src/buildx/index.js';
import type { BuildRequest } from '../../../src/buildx/index.js';
import { InputError } from '../../../src/runtime/errors.js';

const META = '/tmp/runner/digestpin-build-metadata.json';
const TAG = '127.0.0.1:5000/ameide/agents:sha-1234';

function request(overrides: Partial<BuildRequest> = {}): BuildRequest {
  return { context: '.', platforms: [], buildArgs: {}, labels: [], tags: [TAG], cacheFrom: [], cacheTo: [], push: true, metadataFile: META, ...overrides };
}

const tail = ['--metadata-file', META, '--push'];

describe('buildxArgs', () => {
  test.each<[string, Partial<BuildRequest>, string[]]>([
    ['minimal push', {}, ['--tag', TAG, ...tail, '.']],
    ['build only: no --push, no tags needed', { push: false, tags: [] }, ['--metadata-file', META, '.']],
    ['build only keeps tags', { push: false }, ['--tag', TAG, '--metadata-file', META, '.']],
    ['one platform', { platforms: ['linux/amd64'] }, ['--platform', 'linux/amd64', '--tag', TAG, ...tail, '.']],
    ['two platforms joined', { platforms: ['linux/amd64', 'linux/arm64'] }, ['--platform', 'linux/amd64,linux/arm64', '--tag', TAG, ...tail, '.']],
    ['platform with variant', { platforms: ['linux/arm/v7'] }, ['--platform', 'linux/arm/v7', '--tag', TAG, ...tail, '.']],
    ['build args as a record, in order', { buildArgs: { VERSION: '1.2.3', REVISION: 'abc' } }, ['--build-arg', 'VERSION=1.2.3', '--build-arg', 'REVISION=abc', '--tag', TAG, ...tail, '.']],
    ['build args as lines, = in value kept', { buildArgs: ['A=x=y', 'EMPTY='] }, ['--build-arg', 'A=x=y', '--build-arg', 'EMPTY=', '--tag', TAG, ...tail, '.']],
    ['build arg value with spaces is one argv element', { buildArgs: ['MSG=hello world; rm -rf /'] }, ['--build-arg', 'MSG=hello world; rm -rf /', '--tag', TAG, ...tail, '.']],
    ['labels', { labels: ['org.opencontainers.image.source=https://github.com/o/r', 'team=core'] }, ['--label', 'org.opencontainers.image.source=https://github.com/o/r', '--label', 'team=core', '--tag', TAG, ...tail, '.']],
    ['several tags', { tags: [TAG, 'registry.example.com/ameide/agents:latest'] }, ['--tag', TAG, '--tag', 'registry.example.com/ameide/agents:latest', ...tail, '.']],
    ['provenance mode=max', { provenance: 'mode=max' }, ['--tag', TAG, '--provenance', 'mode=max', ...tail, '.']],
    ['provenance false, sbom true', { provenance: 'false', sbom: 'true' }, ['--tag', TAG, '--provenance', 'false', '--sbom', 'true', ...tail, '.']],
    ['sbom generator attribute', { sbom: 'generator=registry.example.com/sbom:1' }, ['--tag', TAG, '--sbom', 'generator=registry.example.com/sbom:1', ...tail, '.']],
    ['cache from and to', { cacheFrom: ['type=registry,ref=r.example.com/c:buildcache'], cacheTo: ['type=inline'] }, ['--tag', TAG, '--cache-from', 'type=registry,ref=r.example.com/c:buildcache', '--cache-to', 'type=inline', ...tail, '.']],
    ['builder, target, file', { builder: 'ci-builder', target: 'runtime', file: 'docker/Dockerfile.prod' }, ['--tag', TAG, '--builder', 'ci-builder', '--target', 'runtime', '--file', 'docker/Dockerfile.prod', ...tail, '.']],
    ['git context', { context: 'https://github.com/o/r.git#main:svc' }, ['--tag', TAG, ...tail, 'https://github.com/o/r.git#main:svc']],
    ['tag with IPv6 loopback registry', { tags: ['[::1]:5000/a/b:1'] }, ['--tag', '[::1]:5000/a/b:1', ...tail, '.']],
    [
      'everything, in getArgs order',
      {
        context: 'examples/service', file: 'examples/service/Dockerfile', platforms: ['linux/amd64', 'linux/arm64'], buildArgs: ['VERSION=1'],
        target: 'final', labels: ['a=b'], provenance: 'mode=max', sbom: 'false', cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'], builder: 'b1',
      },
      [
        '--platform', 'linux/amd64,linux/arm64', '--build-arg', 'VERSION=1', '--label', 'a=b', '--tag', TAG, '--provenance', 'mode=max', '--sbom', 'false',
        '--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max', '--builder', 'b1', '--target', 'final', '--file', 'examples/service/Dockerfile',
        ...tail, 'examples/service',
      ],
    ],
  ])('%s', (_name, overrides, expected) => {
    expect(buildxArgs(request(overrides))).toEqual(['buildx', 'build', ...expected]);
  });
});

describe('buildxArgs validation names the input', () => {
  test.each<[string, string, Partial<BuildRequest>, RegExp]>([
    ['push without tags', 'tags', { tags: [] }, /at least one tag/],
    ['tag with uppercase repository', 'tags', { tags: ['127.0.0.1:5000/Ameide/agents:1'] }, /Ameide/],
    ['tag with a digest', 'tags', { tags: [`${TAG}@sha256:${'a'.repeat(64)}`] }, /no digest/],
    ['tag with whitespace', 'tags', { tags: ['r.example.com/a b:1'] }, /not an image reference/],
    ['platform without arch', 'platforms', { platforms: ['linux'] }, /'linux' is not os\/arch/],
    ['platform with spaces', 'platforms', { platforms: ['linux/amd64, linux/arm64'] }, /os\/arch/],
    ['duplicate platform', 'platforms', { platforms: ['linux/amd64', 'linux/amd64'] }, /twice/],
    ['build arg without =', 'build-args', { buildArgs: ['VERSION'] }, /'VERSION' is not KEY=value/],
    ['build arg with empty key', 'build-args', { buildArgs: ['=1'] }, /not KEY=value/],
    ['build arg key with a space', 'build-args', { buildArgs: { 'MY VAR': 'x' } }, /'MY VAR=…'/],
    ['bad build arg key does not echo the value', 'build-args', { buildArgs: ['1TOKEN=ghp_notechoed'] }, /^(?!.*ghp_notechoed)/],
    ['label without =', 'labels', { labels: ['team'] }, /not KEY=value/],
    ['provenance nonsense', 'provenance', { provenance: 'maximum' }, /true, false or key=value/],
    ['sbom with spaces', 'sbom', { sbom: 'generator = x' }, /true, false/],
    ['blank cache-from', 'cache-from', { cacheFrom: [' '] }, /empty/],
    ['cache-to over two lines', 'cache-to', { cacheTo: ['type=inline\ntype=gha'] }, /several lines/],
    ['builder with a slash', 'builder', { builder: 'a/b' }, /not a name/],
    ['target with a space', 'target', { target: 'my stage' }, /not a name/],
    ['blank file', 'file', { file: '' }, /empty/],
    ['stdin context', 'context', { context: '-' }, /not '-'/],
    ['flag-looking context', 'context', { context: '--push' }, /not '-' or a flag/],
    ['relative metadata file', 'metadata-file', { metadataFile: 'metadata.json' }, /absolute path/],
  ])('%s -> input %s', (_name, input, overrides, message) => {
    let caught: unknown;
    try {
      buildxArgs(request(overrides));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const error = caught as InputError;
    expect(error.context.input).toBe(input);
    expect(error.message).toMatch(new RegExp(`^input '${input}': `));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});

describe('normalizeBuildArgs', () => {
  test('a record and the equivalent lines give the same pairs', () => {
    expect(normalizeBuildArgs({ A: '1', B: 'two words' })).toEqual(normalizeBuildArgs(['A=1', 'B=two words']));
  });
});
