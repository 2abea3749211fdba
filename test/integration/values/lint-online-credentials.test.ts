// `lint --online` hands DIGESTPIN_REGISTRY_USERNAME/PASSWORD only to registries the user named (--credentials-for,
// or the config's pull-registry): a file in a pull request that names some registry gets no credentials sent to it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import { dockerLogin, pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';

const USER = 'lint-bot';
const PASSWORD = 'Lint-Secret-77c1';
let registry: RegistryServer;
let image: PushedImage;
let dir: string;

async function lint(...argv: string[]) {
  const out: string[] = [];
  const env = { DIGESTPIN_REGISTRY_USERNAME: USER, DIGESTPIN_REGISTRY_PASSWORD: PASSWORD, DOCKER_CONFIG: '/nonexistent' };
  const code = await runCli(['lint', '--online', ...argv], { stdout: (t) => out.push(t), logger: memoryLogger(), env, cwd: dir });
  return { code, out: out.join('\n') };
}

beforeAll(async () => {
  registry = await startRegistry({ kind: 'htpasswd', username: USER, password: PASSWORD });
  const dockerConfig = await dockerLogin(registry.host, USER, PASSWORD);
  image = await pushImage(`${registry.host}/team/app:1.0.0`, { dockerConfig, content: `lint-credentials ${process.pid}-${Date.now()}` });
  dir = mkdtempSync(join(tmpdir(), 'digestpin-lint-creds-'));
  writeFileSync(join(dir, 'values.yaml'), `image:\n  repository: ${registry.host}/team/app\n  tag: 1.0.0\n  digest: ${image.digest}\n`);
});
afterAll(async () => {
  await registry?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('lint --online credentials', () => {
  it('sends none to a registry a file merely names: the check says it could not be checked', async () => {
    const r = await lint('values.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toContain('could not be checked');
    expect(r.out).not.toContain(PASSWORD);
  });

  it('sends them to a registry named with --credentials-for, and the pin checks out', async () => {
    const r = await lint('--credentials-for', registry.host, 'values.yaml');
    expect(r.out).not.toContain('could not be checked');
    expect(r.code, r.out).toBe(0);
  });
});
