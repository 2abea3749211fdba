// The keyless gate in a real promotion: prod's `verify:` in digestpin.yaml names a trusted_root.json beside
// the config and the release workflow's identity. A bundle by another identity stops the promotion with one
// line and no commit; one by the trusted identity lets the pin through, and the summary names the identity.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { runWithRealDeps } from '../../../src/promote/real-deps.js';
import { runReport } from '../../../src/promote/run-report.js';
import { summaryMarkdown } from '../../../src/report/summary.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { createBareRepo, gitIdentityEnv, type BareRepo } from '../../support/git-fixtures.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { GITHUB_ISSUER, attachBundle, keylessBundle, localSigstore, type LocalSigstore } from './keyless-fixtures.js';

const FILE = 'envs/prod/svc.yaml';
const STAGING = 'envs/staging/svc.yaml';
const ID = 'https://github.com/acme/svc/.github/workflows/release.yml@refs/heads/main';
const FORK = 'https://github.com/someone/svc-fork/.github/workflows/release.yml@refs/heads/main';
let registry: RegistryServer;
let repo: BareRepo;
let sigstore: LocalSigstore;
let image: PushedImage;
let workspace: string;
const saved = { ...process.env };

beforeAll(async () => {
  registry = await startRegistry();
  sigstore = await localSigstore('pipeline');
  image = await pushImage(`${registry.host}/acme/svc:2.0.0`, { content: 'keyless-pipeline' });
  repo = await createBareRepo({
    [FILE]: `image:\n  repository: ${registry.host}/acme/svc\n  tag: "1.0.0"\n`,
    [STAGING]: `image:\n  repository: ${registry.host}/acme/svc\n  tag: "1.0.0"\n`,
  });
  workspace = mkdtempSync(join(tmpdir(), 'digestpin-keyless-ws-'));
  mkdirSync(join(workspace, 'sigstore'));
  writeFileSync(join(workspace, 'sigstore/trusted_root.json'), JSON.stringify(sigstore.root));
  writeFileSync(
    join(workspace, 'digestpin.yaml'),
    [
      'environments:',
      '  staging:',
      '    services:',
      `      svc: { file: ${STAGING}, key: image }`,
      '  prod:',
      '    verify:',
      '      require: attestation',
      '      trusted-root: sigstore/trusted_root.json',
      `      certificate-identity: ${ID}`,
      `      certificate-oidc-issuer: ${GITHUB_ISSUER}`,
      '    services:',
      `      svc: { file: ${FILE}, key: image }`,
      '',
    ].join('\n'),
  );
  Object.assign(process.env, gitIdentityEnv);
});
afterAll(async () => {
  process.env = saved;
  await repo?.cleanup();
  await registry?.stop();
});

const request = (extra: Record<string, string> = {}) =>
  readInputs({
    'INPUT_IMAGE-REF': `${registry.host}/acme/svc:2.0.0`,
    'INPUT_GITOPS-REPOSITORY': repo.path,
    INPUT_ENVIRONMENT: 'prod',
    INPUT_SERVICE: 'svc',
    INPUT_CONFIG: 'digestpin.yaml',
    INPUT_MODE: 'direct',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'digestpin-keyless-run-')),
    ...extra,
  });

describe('the keyless gate in a promotion', () => {
  it('a bundle by another identity stops the promotion before any GitOps write, with one line', async () => {
    await attachBundle(`${registry.host}/acme/svc@${image.digest}`, await keylessBundle(sigstore, { digest: image.digest, identity: FORK }));
    const before = await repo.head();
    const logger = memoryLogger();
    const error = await runWithRealDeps(request(), logger).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(
      new RegExp(`^verify policy 'attestation' failed for ${registry.host}/acme/svc@${image.digest}: Sigstore bundle sha256:[0-9a-f]{12} \\(keyless\\): signed by '${FORK.replace(/[./]/g, '\\$&')}' \\(issuer ${GITHUB_ISSUER.replace(/[./]/g, '\\$&')}\\), not by identity '${ID.replace(/[./]/g, '\\$&')}'; the promotion to prod stopped before any GitOps write$`),
    );
    expect(logger.lines.join('\n')).toContain('[svc] ❌ the prod policy does not hold');
    expect(await repo.head()).toBe(before);
    expect(await repo.readFile(FILE)).not.toContain('digest');
  });

  it('a bundle by the trusted identity lets the pin through, and the summary names the identity', async () => {
    await attachBundle(`${registry.host}/acme/svc@${image.digest}`, await keylessBundle(sigstore, { digest: image.digest, identity: ID }));
    const result = await runWithRealDeps(request(), memoryLogger());
    expect(result.promotion.operation).toBe('committed');
    expect(await repo.readFile(FILE)).toContain(`digest: ${image.digest}`);
    expect(result.verification?.checks).toHaveLength(1);
    const summary = summaryMarkdown(runReport(result));
    expect(summary).toContain(`Verified: attestation https://slsa.dev/provenance/v1 signed by keyless identity '${ID}' (issuer ${GITHUB_ISSUER}), found at Sigstore bundle sha256:`);
    expect(summary).toMatch(/logged in https:\/\/rekor\.pipeline\.test at index \d+/);
  });

  it("the verify-* keyless inputs apply where the config sets no policy (another issuer stops the run, with no write), and never replace prod's", async () => {
    const before = await repo.head();
    const inputs = {
      INPUT_ENVIRONMENT: 'staging',
      'INPUT_VERIFY-REQUIRE': 'attestation',
      'INPUT_VERIFY-TRUSTED-ROOT': 'sigstore/trusted_root.json',
      'INPUT_VERIFY-CERTIFICATE-IDENTITY-REGEXP': String.raw`https://github\.com/acme/svc/\.github/workflows/release\.yml@refs/heads/.+`,
      'INPUT_VERIFY-CERTIFICATE-OIDC-ISSUER': 'https://gitlab.com',
    };
    const error = await runWithRealDeps(request(inputs), memoryLogger()).catch((e: Error) => e);
    expect((error as Error).message).toContain(`(keyless): signed by '${FORK}' (issuer ${GITHUB_ISSUER}), not by issuer https://gitlab.com`);
    expect((error as Error).message).toMatch(/; the promotion to staging stopped before any GitOps write$/);
    expect(await repo.head()).toBe(before);
    const refused = await runWithRealDeps(request({ ...inputs, INPUT_ENVIRONMENT: 'prod' }), memoryLogger()).catch((e: Error) => e);
    expect((refused as Error).message).toMatch(/^input 'verify-require': environments\.prod\.verify in digestpin\.yaml already sets this environment's policy/);
    expect(await repo.head()).toBe(before);
  });
});
