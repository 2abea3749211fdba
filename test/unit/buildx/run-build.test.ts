// runBuild's own behaviour around the process: the argv and env it hands to exec, a stale metadata file,
// and how a failed build reads. The real buildx runs in test/integration/build.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runBuild, type BuildRequest } from '../../../src/buildx/index.js';
import { ExecError, FileError } from '../../../src/runtime/errors.js';
import type { Exec, ExecOptions } from '../../../src/runtime/exec.js';
import { memoryLogger } from '../../../src/runtime/logger.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
let dir: string;
let request: BuildRequest;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'digestpin-build-unit-'));
  request = {
    context: '.', platforms: ['linux/amd64'], buildArgs: {}, labels: [], tags: ['127.0.0.1:5000/a/b:1'],
    cacheFrom: [], cacheTo: [], push: true, metadataFile: join(dir, 'metadata.json'),
  };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Stands in for buildx: records the call, then writes metadata or fails the way buildx does. */
function fakeDocker(behaviour: { metadata?: object; fail?: string }) {
  const calls: Array<{ file: string; args: readonly string[]; options?: ExecOptions }> = [];
  const exec: Exec = async (file, args, options) => {
    calls.push({ file, args, options });
    if (behaviour.fail !== undefined) throw new ExecError(`${file} ${args.join(' ')} exited with 1`, 1, behaviour.fail);
    if (behaviour.metadata) await writeFile(args[args.indexOf('--metadata-file') + 1]!, JSON.stringify(behaviour.metadata));
    return { stdout: '', stderr: '', exitCode: 0 };
  };
  return { exec, calls };
}

describe('runBuild', () => {
  test('runs docker with the buildx argv, the logger and the env, and returns the metadata digest', async () => {
    const docker = fakeDocker({
      metadata: { 'containerimage.digest': DIGEST, 'containerimage.descriptor': { mediaType: 'application/vnd.oci.image.index.v1+json', digest: DIGEST, size: 10 }, 'image.name': '127.0.0.1:5000/a/b:1' },
    });
    const logger = memoryLogger();
    const result = await runBuild(request, { exec: docker.exec, logger, env: { DOCKER_CONFIG: '/tmp/cfg' } });
    expect(result).toMatchObject({ digest: DIGEST, mediaType: 'application/vnd.oci.image.index.v1+json', imageNames: ['127.0.0.1:5000/a/b:1'], pushed: true });
    expect(docker.calls).toHaveLength(1);
    expect(docker.calls[0]!.file).toBe('docker');
    expect(docker.calls[0]!.args.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(docker.calls[0]!.options).toMatchObject({ logger, env: { DOCKER_CONFIG: '/tmp/cfg' } });
  });

  test('a metadata file left by an earlier run is not read back as this build\'s digest', async () => {
    await writeFile(request.metadataFile, JSON.stringify({ 'containerimage.digest': DIGEST }));
    const docker = fakeDocker({});
    await expect(runBuild(request, { exec: docker.exec, logger: memoryLogger() })).rejects.toThrow(FileError);
    await expect(readFile(request.metadataFile)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('a failed build is one ExecError line with buildx\'s reason and the full stderr kept', async () => {
    const stderr = 'Dockerfile:2\n--------------------\n>>> BOGUS x\n--------------------\nERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: BOGUS\n';
    const docker = fakeDocker({ fail: stderr });
    const error = await runBuild(request, { exec: docker.exec, logger: memoryLogger() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecError);
    expect((error as ExecError).message).toBe('docker buildx build failed (exit 1): failed to solve: dockerfile parse error on line 2: unknown instruction: BOGUS');
    expect((error as ExecError).exitCode).toBe(1);
    expect((error as ExecError).stderr).toBe(stderr);
  });

  test('an invalid request fails before any process starts', async () => {
    const docker = fakeDocker({});
    await expect(runBuild({ ...request, platforms: ['amd64'] }, { exec: docker.exec, logger: memoryLogger() })).rejects.toThrow(/input 'platforms'/);
    expect(docker.calls).toHaveLength(0);
  });
});
