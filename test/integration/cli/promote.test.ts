// `digestpin promote` in-process (runCli): a real registry and a real bare GitOps repository.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { createBareRepo, gitIdentityEnv, type BareRepo } from '../../support/git-fixtures.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';

const FILE = 'envs/dev/agents/values.yaml';
const ARGO = 'envs/dev/argocd/values.yaml';
let registry: RegistryServer;
let repo: BareRepo;
let image: PushedImage;

async function cli(args: string[], cwd = process.cwd()) {
  const out: string[] = [];
  const logger = memoryLogger();
  const saved = { ...process.env };
  Object.assign(process.env, gitIdentityEnv);
  try {
    const code = await runCli(['promote', ...args], { stdout: (t) => out.push(t), logger, env: {}, cwd });
    return { code, out: out.join('\n'), log: logger.lines.join('\n') };
  } finally {
    process.env = saved;
  }
}

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushImage(`${registry.host}/ameide/agents:2.0.0`, { content: 'cli-promote' });
  repo = await createBareRepo({
    [FILE]: `image:\n  repository: ${registry.host}/ameide/agents\n  tag: "1.0.0"\n`,
    // argo-cd-style chart: it renders only repository:tag, so the digest goes into the tag.
    [ARGO]: `server:\n  image:\n    repository: ${registry.host}/ameide/agents\n    tag: v1.0.0 # pinned by digestpin\n`,
  });
});
afterAll(async () => {
  await registry?.stop();
  await repo?.cleanup();
});

describe('digestpin promote', () => {
  it('--style tag-digest writes the digest where a chart that renders only repository:tag reads it', async () => {
    const r = await cli(['--repo', repo.path, '--environment', 'dev', '--service', 'agents', '--values-file', ARGO, '--key', 'server.image', '--style', 'tag-digest', '--image-ref', image.ref, '--mode', 'direct']);
    expect(r.code, r.log).toBe(0);
    expect(await repo.readFile(ARGO)).toBe(`server:\n  image:\n    repository: ${registry.host}/ameide/agents\n    tag: 2.0.0@${image.digest} # pinned by digestpin\n`);
  });

  it('names the input of a style that does not exist', async () => {
    const r = await cli(['--repo', repo.path, '--environment', 'dev', '--values-file', ARGO, '--style', 'digests', '--image-ref', image.ref]);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/--style.*'digests' is not one of digest, sha, tag-digest, reference, registry/);
  });

  it('--dry-run verifies and shows the change, and writes nothing', async () => {
    const before = await repo.head();
    const r = await cli(['--repo', repo.path, '--environment', 'dev', '--service', 'agents', '--values-file', FILE, '--image-ref', image.ref, '--mode', 'direct', '--dry-run']);
    expect(r.code, r.log).toBe(0);
    expect(r.out).toContain(`digest:    ${image.digest}`);
    expect(r.out).toContain('[dry run]');
    expect(r.out).toContain(`+  digest: ${image.digest}`);
    expect(await repo.head()).toBe(before);
  });

  it('commits the pin and prints the outputs as one JSON object', async () => {
    const r = await cli(['--repo', repo.path, '--environment', 'dev', '--file', FILE, '--image', `${registry.host}/ameide/agents`, '--digest', image.digest, '--tag', '2.0.0', '--mode', 'direct', '--json']);
    expect(r.code, r.log).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(json).toMatchObject({ digest: image.digest, operation: 'committed', 'pinned-ref': `${registry.host}/ameide/agents@${image.digest}`, 'changed-files': [FILE], 'commit-sha': await repo.head() });
    expect(await repo.readFile(FILE)).toBe(`image:\n  repository: ${registry.host}/ameide/agents\n  tag: "2.0.0"\n  digest: ${image.digest}\n`);
  });

  it('names the flag, not the action input, in a bad-input error', async () => {
    const r = await cli(['--repo', repo.path, '--environment', 'dev', '--file', '../x.yaml', '--image-ref', image.ref]);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/^error: input '--file': '..\/x.yaml' must be a path inside the GitOps repository/m);
    expect(r.log).toMatch(/^warning: --file for the values file is deprecated: use --values-file/m);
  });

  it('refuses a digest the registry does not serve, and writes nothing', async () => {
    const before = await repo.head();
    const missing = `sha256:${'0'.repeat(64)}`;
    const r = await cli(['--repo', repo.path, '--environment', 'dev', '--file', FILE, '--image', `${registry.host}/ameide/agents`, '--digest', missing, '--mode', 'direct']);
    expect(r.code).toBe(1);
    expect(r.log).toContain(missing);
    expect(await repo.head()).toBe(before);
  });
});

describe('digestpin promote --from-environment', () => {
  it('promotes what dev pins to staging, reading dev from the GitOps checkout', async () => {
    const files: Record<string, string> = {
      'digestpin.yaml': 'environments:\n  dev:\n    services:\n      agents: { file: envs/dev.yaml }\n  staging:\n    services:\n      agents: { file: envs/staging.yaml }\n',
      'envs/dev.yaml': `image:\n  repository: ${registry.host}/ameide/agents\n  tag: "2.0.0"\n  digest: ${image.digest}\n`,
      'envs/staging.yaml': `image:\n  repository: ${registry.host}/ameide/agents\n  tag: "1.0.0"\n  digest: ""\n`,
    };
    const checkout = mkdtempSync(join(tmpdir(), 'digestpin-checkout-'));
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(checkout, file)), { recursive: true });
      writeFileSync(join(checkout, file), text);
    }
    const remote = await createBareRepo(files);
    try {
      const r = await cli(['--repo', remote.path, '--config', 'digestpin.yaml', '--from-environment', 'dev', '--environment', 'staging', '--service', 'agents', '--mode', 'direct', '--json'], checkout);
      expect(r.code, r.log).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({ digest: image.digest, operation: 'committed' });
      expect(await remote.readFile('envs/staging.yaml')).toBe(files['envs/staging.yaml']!.replace('"1.0.0"', '"2.0.0"').replace('digest: ""', `digest: "${image.digest}"`));
      expect(await remote.readFile('envs/dev.yaml')).toBe(files['envs/dev.yaml']);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
      await remote.cleanup();
    }
  });
});
