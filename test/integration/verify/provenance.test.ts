// Provenance from real buildx multi-platform builds: found in the index, matched to each platform image, and
// checked for predicate type, builder id and source repository. Then the gate in the pipeline: a failed policy
// stops the promotion before any GitOps write; a held one is shown in the result and the job summary.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { runWithRealDeps } from '../../../src/promote/real-deps.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { summaryMarkdown } from '../../../src/report/summary.js';
import { runReport } from '../../../src/promote/run-report.js';
import { createBareRepo, gitIdentityEnv, type BareRepo } from '../../support/git-fixtures.js';
import { startRegistry, type RegistryServer } from '../../support/registry-server.js';
import { cosignKeyPair, cosignSign, provenanceBuild, verifyCli, type KeyPair } from './fixtures.js';

const BUILDER = 'https://github.com/acme/svc/actions/runs/42';
const SLSA = 'https://slsa.dev/provenance/v0.2';
let registry: RegistryServer;
let digest: string;
let ref: string;
let key: KeyPair;

beforeAll(async () => {
  registry = await startRegistry();
  key = await cosignKeyPair('prov');
  digest = await provenanceBuild(`${registry.host}/acme/svc:prov`, BUILDER, 'https://github.com/acme/svc.git');
  ref = `${registry.host}/acme/svc@${digest}`;
});
afterAll(async () => {
  await registry?.stop();
});

describe('digestpin verify --attestation (buildx provenance)', () => {
  it('finds the provenance of every platform image and matches each subject to its image manifest', async () => {
    const r = await verifyCli([ref, '--attestation', SLSA, '--builder-id', BUILDER, '--source-repository', 'acme/svc', '--json']);
    expect(r.code, r.log).toBe(0);
    const json = JSON.parse(r.out) as { verified: Array<{ kind: string; subject: string; detail: string }> };
    expect(json.verified).toEqual([
      { kind: 'attestation', subject: SLSA, detail: `provenance ${SLSA} for linux/amd64, linux/arm64, builder ${BUILDER}, source https://github.com/acme/svc.git` },
    ]);
  });

  it('fails on another builder id, naming the platform and both ids', async () => {
    const r = await verifyCli([ref, '--attestation', SLSA, '--builder-id', 'https://github.com/evil/fork/actions/runs/1']);
    expect(r.code).toBe(1);
    expect(r.log.trim()).toBe(
      `error: verify policy 'attestation' failed for ${ref}: the builder id for linux/amd64 is '${BUILDER}', not 'https://github.com/evil/fork/actions/runs/1'`,
    );
  });

  it('fails on another source repository', async () => {
    const r = await verifyCli([ref, '--attestation', SLSA, '--source-repository', 'https://github.com/acme/other']);
    expect(r.code).toBe(1);
    expect(r.log.trim()).toMatch(/the source repository for linux\/amd64 is 'https:\/\/github\.com\/acme\/svc\.git', not 'https:\/\/github\.com\/acme\/other'$/);
  });

  it('fails on a predicate type the image does not carry, listing what it has', async () => {
    const r = await verifyCli([ref, '--attestation', 'https://spdx.dev/Document']);
    expect(r.code).toBe(1);
    expect(r.log.trim()).toMatch(/the attestation for linux\/amd64 has predicate type https:\/\/slsa\.dev\/provenance\/v0\.2, not https:\/\/spdx\.dev\/Document$/);
  });

  it('a platform manifest digest alone carries no provenance: pin the index', async () => {
    const index = JSON.parse((await registry.manifest('acme/svc', digest)).body) as { manifests: Array<{ digest: string; platform: { os: string } }> };
    const child = index.manifests.find((m) => m.platform.os === 'linux')!.digest;
    const r = await verifyCli([`${registry.host}/acme/svc@${child}`, '--attestation', SLSA]);
    expect(r.code).toBe(1);
    expect(r.log).toContain('this digest is a single image manifest; buildx attaches provenance to the index, so pin the index digest');
  });
});

describe('the gate in the pipeline', () => {
  let repo: BareRepo;
  const FILE = 'envs/prod/svc.yaml';
  const saved = { ...process.env };

  beforeAll(async () => {
    repo = await createBareRepo({ [FILE]: `image:\n  repository: ${registry.host}/acme/svc\n  tag: "1.0.0"\n` });
    Object.assign(process.env, gitIdentityEnv);
  });
  afterAll(async () => {
    process.env = saved;
    await repo?.cleanup();
  });

  function request(extra: Record<string, string>) {
    return readInputs({
      'INPUT_IMAGE-REF': ref,
      'INPUT_GITOPS-REPOSITORY': repo.path,
      INPUT_ENVIRONMENT: 'prod',
      INPUT_SERVICE: 'svc',
      'INPUT_VALUES-FILE': FILE,
      INPUT_MODE: 'direct',
      GITHUB_WORKSPACE: process.cwd(),
      RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'digestpin-verify-run-')),
      ...extra,
    });
  }

  it('an unsigned digest under require: signature stops before any GitOps write, with one line', async () => {
    const before = await repo.head();
    const logger = memoryLogger();
    const error = await runWithRealDeps(request({ 'INPUT_VERIFY-REQUIRE': 'signature', 'INPUT_VERIFY-KEYS': key.pub }), logger).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `verify policy 'signature' failed for ${ref}: no cosign signature was found (looked at tag ${digest.replace(':', '-')}.sig and the OCI referrers of the digest); the promotion to prod stopped before any GitOps write`,
    );
    expect(logger.lines.join('\n')).toContain('[svc] ❌ the prod policy does not hold');
    expect(await repo.head()).toBe(before);
    expect(await repo.readFile(FILE)).not.toContain('digest');
  });

  it('once signed, require: attestation (with a key) holds, the pin is committed and the summary says what was verified', async () => {
    await cosignSign(key, ref);
    const pem = (await import('node:fs')).readFileSync(key.pub, 'utf8');
    const result = await runWithRealDeps(
      request({ 'INPUT_VERIFY-REQUIRE': 'attestation', 'INPUT_VERIFY-KEYS': pem, 'INPUT_VERIFY-BUILDER-ID': BUILDER, 'INPUT_VERIFY-SOURCE-REPOSITORY': 'acme/svc' }),
      memoryLogger(),
    );
    expect(result.promotion.operation).toBe('committed');
    expect(await repo.readFile(FILE)).toContain(`digest: ${digest}`);
    expect(result.verification?.checks.map((c) => c.kind)).toEqual(['signature', 'attestation']);
    const summary = summaryMarkdown(runReport(result));
    expect(summary).toMatch(/Verified: cosign signature by key sha256:[0-9a-f]{12} \(inline key 1\)/);
    expect(summary).toContain(`Verified: provenance ${SLSA} for linux/amd64, linux/arm64, builder ${BUILDER}`);
  });
});
