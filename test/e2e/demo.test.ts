// The README's first command: `npm run demo` (scripts/demo.sh, which runs `digestpin ship` from dist/)
// pins dev in a local GitOps repository, and can run twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/action-runner.js';
import { gitIdentityEnv } from '../support/git-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'digestpin-demo-test-'));
const gitDir = join(dir, 'gitops.git');
const FILE = 'environments/dev/example-service/values.yaml';
const git = async (...args: string[]) => (await execa('git', ['--git-dir', gitDir, ...args], { env: gitIdentityEnv })).stdout;
const demo = () => execa('bash', ['scripts/demo.sh'], { cwd: ROOT, reject: false, env: { DIGESTPIN_DEMO_DIR: dir } });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run demo', () => {
  it('builds, verifies, pins dev with a direct commit, and runs again', async () => {
    const first = await demo();
    expect(first.exitCode, `${first.stdout}\n${first.stderr}`).toBe(0);
    const digest = /^digest: +(sha256:[0-9a-f]{64})$/m.exec(first.stdout)?.[1];
    expect(digest).toBeDefined();
    const served = await fetch(`http://localhost:5000/v2/demo/example-service/manifests/${digest}`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    expect(served.headers.get('docker-content-digest')).toBe(digest);
    expect(await git('show', `main:${FILE}`)).toContain(`digest: "${digest}"`);
    expect(first.stdout).toContain(`+  digest: "${digest}"`);

    const second = await demo();
    expect(second.exitCode, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(await git('rev-list', '--count', 'main')).toBe('3');
    const again = /^digest: +(sha256:[0-9a-f]{64})$/m.exec(second.stdout)?.[1];
    expect(await git('show', `main:${FILE}`)).toContain(`digest: "${again}"`);
  });
});
