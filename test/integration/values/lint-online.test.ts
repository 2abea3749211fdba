// `digestpin lint --online` on a real registry: every pinned digest (Helm block, kustomize entry, reference string,
// the same digest in two files) is checked with one HEAD per distinct digest; a manifest deleted through the
// registry API is reported at its file and line, with the image and the registry, and the exit code is 1.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { freePort, pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';

const stamp = `${process.pid}-${Date.now()}`;
let registry: RegistryServer;
let agents: PushedImage;
let web: PushedImage;
let dir: string;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const logger = memoryLogger();
  const code = await runCli(['lint', ...argv], { stdout: (t) => out.push(t), logger, env: { DOCKER_CONFIG: '/nonexistent' }, cwd: dir });
  return { code, out, err: logger.lines.filter((l) => !l.startsWith('debug:')) };
}

function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const manifestHeads = (since: number) => registry.accessLog().slice(since).filter((l) => /"HEAD \/v2\/[^ ]+\/manifests\/sha256:/.test(l));

beforeAll(async () => {
  registry = await startRegistry();
  [agents, web] = await Promise.all([
    pushImage(`${registry.host}/team/agents:1.0.0`, { platforms: ['linux/amd64', 'linux/arm64'], content: `agents ${stamp}` }),
    pushImage(`${registry.host}/team/web:2.0.0`, { content: `web ${stamp}` }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'digestpin-lint-online-'));
  const h = registry.host;
  write('environments/dev/agents/values.yaml', `# agents\nimage:\n  repository: ${h}/team/agents\n  tag: 1.0.0\n  digest: ${agents.digest}\nreplicas: 1\n`);
  write('environments/dev/web/values.yaml', `image:\n  repository: ${h}/team/web\n  tag: 2.0.0\n  digest: ${web.digest}\n`);
  write('environments/prod/agents/kustomization.yaml', `resources:\n  - deployment.yaml\nimages:\n  - name: agents\n    newName: ${h}/team/agents\n    digest: ${agents.digest}\n`);
  write('environments/prod/web/deployment.yaml', `spec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ${h}/team/web:2.0.0@${web.digest}\n`);
  write('environments/dev/tag-only/values.yaml', `image:\n  repository: ${h}/team/agents\n  tag: 1.0.0\n`);
  write(
    'digestpin.yaml',
    [
      'environments:',
      '  dev:',
      '    services:',
      '      agents: { file: environments/dev/agents/values.yaml, key: image }',
      '      web: { file: environments/dev/web/values.yaml, key: image }',
      '  prod:',
      '    services:',
      '      agents: { file: environments/prod/agents/kustomization.yaml, kustomize-image: agents }',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('digestpin lint --online', () => {
  it('every pin present: exit 0, one HEAD per distinct digest', async () => {
    const mark = registry.accessLog().length;
    const { code, out, err } = await cli('--online', '--json', 'environments');
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    const report = JSON.parse(out[0]!) as { files: number; errors: number; online: { checked: number; requests: number; missing: unknown[] } };
    expect(report).toMatchObject({ files: 5, errors: 0, online: { checked: 2, requests: 2, missing: [] } });
    expect(manifestHeads(mark)).toHaveLength(2);
    expect(err).toContain('lint: 5 file(s) checked, 2 pinned digest(s) checked at their registries, 0 error(s)');
  });

  it('a manifest deleted at the registry: each pin of it is reported at file:line with the image and registry', async () => {
    const deleted = await fetch(`${registry.url}/v2/team/web/manifests/${web.digest}`, { method: 'DELETE' });
    expect(deleted.status).toBe(202);
    const { code, out } = await cli('--online', 'environments');
    expect(code).toBe(1);
    const image = `${registry.host}/team/web`;
    expect(out).toEqual([
      `environments/dev/web/values.yaml:4: ${image}@${web.digest} is missing at registry ${registry.host} (HTTP 404): the cluster can't pull it`,
      `environments/prod/web/deployment.yaml:6: ${image}@${web.digest} is missing at registry ${registry.host} (HTTP 404): the cluster can't pull it`,
    ]);

    const json = await cli('--online', '--json', 'environments');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out[0]!).online.missing).toEqual([
      { file: 'environments/dev/web/values.yaml', line: 4, image, registry: registry.host, digest: web.digest },
      { file: 'environments/prod/web/deployment.yaml', line: 6, image, registry: registry.host, digest: web.digest },
    ]);
  });

  it('--config checks every file of every environment, and says where', async () => {
    const { code, out } = await cli('--online', '--config', 'digestpin.yaml');
    expect(code).toBe(1);
    expect(out).toEqual([`environments/dev/web/values.yaml:4: ${registry.host}/team/web@${web.digest} is missing at registry ${registry.host} (HTTP 404): the cluster can't pull it`]);
  });

  it('without --online nothing is asked of the registry', async () => {
    // The registry writes its access log a moment after answering; let the earlier tests' lines land first.
    await new Promise((r) => setTimeout(r, 500));
    const mark = registry.accessLog().length;
    const { code } = await cli('environments');
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(registry.accessLog().slice(mark)).toEqual([]);
  });

  it('a registry that cannot be reached: the pin is reported as not checked, exit 1', async () => {
    const port = await freePort();
    write('other/values.yaml', `image:\n  repository: 127.0.0.1:${port}/team/gone\n  digest: ${agents.digest}\n`);
    const { code, out } = await cli('--online', 'other');
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^other/values.yaml:3: 127\\.0\\.0\\.1:${port}/team/gone@${agents.digest} could not be checked at registry 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });
});
