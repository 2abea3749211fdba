// End to end through the bundled action: sign what was built (sign: true, an encrypted cosign.key from a
// "secret") and check it under a prod-like policy before the pin; an unsigned image stops with one ::error::
// line and no commit. The real cosign verifies what the action signed; the key never shows in the log.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RegistryServer } from '../support/registry-server.js';
import { cleanup, runActionBundle, type ActionRun } from '../support/action-runner.js';
import { createBareRepo, type BareRepo } from '../support/git-fixtures.js';
import { cosignKeyPair, cosignVerify, provenanceBuild, type KeyPair } from '../integration/verify/fixtures.js';

const FILE = 'environments/prod/example-service/values.yaml';
const BUILDER = 'https://github.com/ameide/example-service/actions/runs/4242';
let registry: RegistryServer;
let repo: BareRepo;
let key: KeyPair;
let signed: ActionRun;

function inputs(extra: Record<string, string>): Record<string, string> {
  return {
    'gitops-repository': repo.path,
    environment: 'prod',
    service: 'example-service',
    'values-file': FILE,
    key: 'image',
    mode: 'direct',
    'verify-require': 'attestation',
    'verify-keys': readFileSync(key.pub, 'utf8'),
    'verify-builder-id': BUILDER,
    ...extra,
  };
}

beforeAll(async () => {
  registry = await startRegistry();
  key = await cosignKeyPair('action', 'action-key-password');
  repo = await createBareRepo({ [FILE]: `image:\n  repository: ${registry.host}/demo/example-service\n  tag: "old"\n` });
  signed = await runActionBundle(
    inputs({
      context: 'examples/service',
      platforms: 'linux/amd64,linux/arm64',
      provenance: `mode=min,builder-id=${BUILDER}`,
      image: 'demo/example-service',
      registry: registry.host,
      'image-tag': 'signed-1',
      sign: 'true',
      'sign-key': readFileSync(key.key, 'utf8'),
      'sign-key-password': key.password,
    }),
  );
});
afterAll(async () => {
  cleanup(signed);
  await registry?.stop();
  await repo?.cleanup();
});

describe('the action with sign: true and a verify policy', () => {
  it('signs the built index, verifies signature and provenance, then pins', async () => {
    expect(signed.errors, signed.stdout).toEqual([]);
    expect(signed.outputs.operation).toBe('committed');
    expect(signed.stdout).toMatch(/::group::Sign/);
    expect(signed.stdout).toMatch(/::group::Verify/);
    expect(await repo.readFile(FILE)).toContain(`digest: ${signed.outputs.digest}`);
    const byCosign = await cosignVerify(key.pub, `${registry.host}/demo/example-service@${signed.outputs.digest}`);
    expect(byCosign.ok, byCosign.output).toBe(true);
  });

  it('shows what was verified in the job summary', () => {
    expect(signed.summary).toMatch(/Verified: cosign signature by key sha256:[0-9a-f]{12} \(inline key 1\)/);
    expect(signed.summary).toContain(`Verified: provenance https://slsa.dev/provenance/v0.2 for linux/amd64, linux/arm64, builder ${BUILDER}`);
  });

  it('never prints the key or its password, and masks every line of the key', () => {
    const keyLines = readFileSync(key.key, 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    // ::add-mask:: commands are consumed by the runner, never shown; everything else must be clean.
    const masks = signed.stdout.split('\n').filter((l) => l.startsWith('::add-mask::')).map((l) => l.slice('::add-mask::'.length));
    for (const line of keyLines) expect(masks).toContain(line);
    expect(masks).toContain(key.password);
    const shown = signed.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    for (const text of [shown, signed.stderr, signed.summary]) {
      for (const line of keyLines) expect(text).not.toContain(line);
      expect(text).not.toContain(key.password);
    }
  });

  it('a dry run with sign: true makes no registry write at all: no signature, no push, no cache export', async () => {
    const writes = () => registry.accessLog().filter((l) => /"(PUT|POST|PATCH|DELETE) /.test(l));
    const [head, log] = [await repo.head(), writes().length];
    // The tag names the image the first run built and signed: a dry run shows that pin and must not re-sign it.
    const run = await runActionBundle(
      inputs({
        context: 'examples/service',
        image: 'demo/example-service',
        registry: registry.host,
        'image-tag': 'signed-1',
        'dry-run': 'true',
        'cache-to': `type=registry,ref=${registry.host}/demo/example-service:buildcache`,
        sign: 'true',
        'sign-key': readFileSync(key.key, 'utf8'),
        'sign-key-password': key.password,
      }),
    );
    // The failure message shows the log without its ::add-mask:: lines (they hold the key).
    const shown = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n');
    try {
      expect(run.errors, shown).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(writes().slice(log), shown).toEqual([]);
      expect(run.stdout).not.toMatch(/::group::Sign/);
      expect(run.stdout).toContain('dry run: the cache export (cache-to) was skipped');
      expect(run.outputs.digest).toBe(signed.outputs.digest);
      expect(await repo.head()).toBe(head);
    } finally {
      cleanup(run);
    }
  });

  it('an unsigned image (good provenance, no signature) stops with one ::error:: line naming the policy, and nothing is committed', async () => {
    const before = await repo.head();
    const unsigned = await provenanceBuild(`${registry.host}/demo/example-service:unsigned`, BUILDER, 'https://github.com/ameide/example-service.git', ['linux/amd64']);
    const run = await runActionBundle(inputs({ 'image-ref': `${registry.host}/demo/example-service@${unsigned}` }));
    try {
      expect(run.exitCode).toBe(1);
      expect(run.errors).toHaveLength(1);
      expect(run.errors[0]).toMatch(
        /^::error title=digestpin::verify policy 'signature' failed for 127\.0\.0\.1:\d+\/demo\/example-service@sha256:[0-9a-f]{64}: no cosign signature was found .*; the promotion to prod stopped before any GitOps write$/,
      );
      expect(run.stdout).toContain('[example-service] ❌ the prod policy does not hold');
      expect(await repo.head()).toBe(before);
    } finally {
      cleanup(run);
    }
  });
});
