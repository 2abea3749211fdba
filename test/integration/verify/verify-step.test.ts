// The pipeline's gate on its own, with a config that gives each environment its own policy (the shape the
// config loader returns): the target environment's policy applies, its key paths are relative to the config
// file, and the verify-* inputs replace it whole.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStep } from '../../../src/promote/verify-step.js';
import type { LoadedConfig } from '../../../src/promote/targets.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import type { DigestpinRequest } from '../../../src/request.js';
import type { Resolution } from '../../../src/registry/types.js';
import type { VerifyPolicy } from '../../../src/verify/types.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { cosignKeyPair, cosignSign, cosignVerify, type KeyPair } from './fixtures.js';

let registry: RegistryServer;
let key: KeyPair;
let image: PushedImage;
let gitops: string;

function loaded(policies: Record<string, VerifyPolicy | undefined>): LoadedConfig {
  const environments = new Map(Object.entries(policies).map(([name, verify]) => [name, { name, immutable: false, services: new Map(), ...(verify ? { verify } : {}) }]));
  return { path: join(gitops, 'digestpin.yaml'), name: 'digestpin.yaml', config: { environments } } as LoadedConfig;
}

function request(environment: string, verify?: VerifyPolicy): Readonly<DigestpinRequest> {
  return {
    environment,
    service: 'svc',
    image: { kind: 'environment', from: 'dev' },
    registry: { aliases: {}, insecure: [] },
    run: { workspace: process.cwd(), tempDir: tmpdir(), serverUrl: 'https://github.com' },
    ...(verify ? { verify } : {}),
  } as unknown as DigestpinRequest;
}

const resolution = (): Resolution => ({ reference: { registry: registry.host, repository: 'acme/step', digest: image.digest }, digest: image.digest, mediaType: image.mediaType, kind: 'index', platforms: [], requests: 0 });
const pushed = () => ({ push: { registry: registry.host, repository: 'acme/step' }, digest: image.digest });

beforeAll(async () => {
  registry = await startRegistry();
  key = await cosignKeyPair('step');
  image = await pushImage(`${registry.host}/acme/step:1`, { content: 'step' });
  gitops = mkdtempSync(join(tmpdir(), 'digestpin-gitops-'));
  mkdirSync(join(gitops, 'keys'));
  writeFileSync(join(gitops, 'keys/prod.pub'), readFileSync(key.pub));
});
afterAll(async () => {
  await registry?.stop();
});

describe('verifyStep', () => {
  const config = () => loaded({ dev: undefined, prod: { require: 'signature', keys: ['keys/prod.pub'] } });

  it('applies nothing for an environment without a policy', async () => {
    expect(await verifyStep(request('dev'), config(), pushed(), resolution(), memoryLogger())).toBeUndefined();
  });

  it("applies the target environment's policy, with key paths relative to the config file", async () => {
    const error = await verifyStep(request('prod'), config(), pushed(), resolution(), memoryLogger()).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^verify policy 'signature' failed for .*: no cosign signature was found .*; the promotion to prod stopped before any GitOps write$/);
    await cosignSign(key, `${registry.host}/acme/step@${image.digest}`);
    const report = await verifyStep(request('prod'), config(), pushed(), resolution(), memoryLogger());
    expect(report?.checks[0]?.detail).toContain(`(${join(gitops, 'keys/prod.pub')})`);
  });

  it("never lets the verify-* inputs replace the config's policy; they apply where the config sets none", async () => {
    const off = await verifyStep(request('prod', { require: 'off', keys: [] }), config(), pushed(), resolution(), memoryLogger()).catch((e: Error) => e);
    expect((off as Error).message).toMatch(/^input 'verify-require': environments\.prod\.verify in .* already sets this environment's policy \(require: signature\)/);
    const other = await cosignKeyPair('step-other');
    const error = await verifyStep(request('dev', { require: 'signature', keys: [other.pub] }), config(), pushed(), resolution(), memoryLogger()).catch((e: Error) => e);
    expect((error as Error).message).toContain('none made by a trusted key');
  });

  it('a key file that is missing is an error naming the config setting', async () => {
    const broken = loaded({ prod: { require: 'signature', keys: ['keys/missing.pub'] } });
    const error = await verifyStep(request('prod'), broken, pushed(), resolution(), memoryLogger()).catch((e: Error) => e);
    expect((error as Error).message).toBe(`${join(gitops, 'digestpin.yaml')}: environments.prod.verify.keys: key file ${join(gitops, 'keys/missing.pub')} can't be read (ENOENT)`);
  });
});

describe('verifyStep with sign: true', () => {
  const writes = () => registry.accessLog().filter((l) => /"(PUT|POST|PATCH|DELETE) /.test(l));
  const signing = (dryRun: boolean): Readonly<DigestpinRequest> =>
    ({ ...request('dev'), image: { kind: 'build' }, sign: { key: readFileSync(key.key, 'utf8') }, gitops: { dryRun } }) as unknown as DigestpinRequest;
  const signedTags = async () => ((await (await fetch(`${registry.url}/v2/acme/step/tags/list`)).json()) as { tags: string[] }).tags.filter((t) => t.endsWith('.sig'));

  it('signs nothing on a dry run, even for a digest it names as built', async () => {
    const [log, before] = [writes().length, await signedTags()];
    await verifyStep(signing(true), config0(), { ...pushed(), built: image.digest }, resolution(), memoryLogger());
    expect(writes().length).toBe(log);
    expect(await signedTags()).toEqual(before);
  });

  it('signs nothing over an image this run did not push (no built digest)', async () => {
    const log = writes().length;
    await verifyStep(signing(false), config0(), pushed(), resolution(), memoryLogger());
    expect(writes().length).toBe(log);
  });

  it('signs the digest this run pushed', async () => {
    const other = await pushImage(`${registry.host}/acme/step:2`, { content: 'step-2' });
    const log = writes().length;
    const second: Resolution = { ...resolution(), digest: other.digest, reference: { registry: registry.host, repository: 'acme/step', digest: other.digest } };
    const logger = memoryLogger();
    await verifyStep(signing(false), config0(), { ...pushed(), digest: other.digest, built: other.digest }, second, logger);
    expect(writes().length).toBeGreaterThan(log);
    expect(await signedTags()).toContain(`sha256-${other.digest.slice(7)}.sig`);
    const byCosign = await cosignVerify(key.pub, `${registry.host}/acme/step@${other.digest}`);
    expect(byCosign.ok, byCosign.output).toBe(true);
  });
});

const config0 = () => loaded({ dev: undefined });
