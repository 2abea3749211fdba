// The bundled action runs the auto-promotion example's digestpin step, as GitHub would run it on push, in
// a GitOps repository made from examples/gitops (dev pinned to a real pushed image): the plan goes to the job
// summary and outputs, staging gets its promotion on the promotion branch (plain-git backend), a rerun adds
// nothing, and the plan mode writes nothing. The soak of the example config is measured from the GitOps
// history, which this branch's backends don't read yet, so the fixture config drops it (see the integration
// test for soak on a real history).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, ROOT, runActionBundle } from '../support/action-runner.js';
import { createBareRepo, git, type BareRepo } from '../support/git-fixtures.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../support/registry-server.js';

let registry: RegistryServer;
let repo: BareRepo;
let image: PushedImage;
let workspace: string;

function exampleFiles(host: string, digest: string): Record<string, string> {
  const root = join(ROOT, 'examples/gitops');
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path)] = readFileSync(path, 'utf8').replaceAll('localhost:5000', host);
    }
  };
  walk(root);
  files['digestpin.yaml'] = files['digestpin.yaml']!.replace(/\n +soak: .*/g, '');
  files['environments/dev/example-service/values.yaml'] = files['environments/dev/example-service/values.yaml']!.replace('tag: "bootstrap"\n  digest: ""', `tag: "1.2.3"\n  digest: "${digest}"`);
  return files;
}

/** The example step's `with:`, its expressions replaced as GitHub would on a push. */
function exampleInputs(): Record<string, string> {
  const w = parse(readFileSync(join(ROOT, 'examples/workflows/auto-promotion.yml'), 'utf8')) as { jobs: { promote: { steps: Array<{ uses?: string; with?: Record<string, unknown> }> } } };
  const step = w.jobs.promote.steps.find((s) => s.uses?.startsWith('digestpin/digestpin@'))!;
  const values: Record<string, string> = { 'github.repository': repo.path, 'steps.app-token.outputs.token': '', 'secrets.ARGOCD_TOKEN': '' };
  return Object.fromEntries(Object.entries(step.with!).map(([k, v]) => [k, String(v).replace(/\$\{\{ ([^}]+) \}\}/g, (_m, e: string) => values[e.trim()] ?? '')]));
}

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushImage(`${registry.host}/demo/example-service:1.2.3`, { content: 'e2e-chain' });
  repo = await createBareRepo(exampleFiles(registry.host, image.digest));
  workspace = mkdtempSync(join(tmpdir(), 'digestpin-e2e-chain-'));
  await git(['clone', '--quiet', repo.path, join(workspace, 'gitops')]);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await repo?.cleanup();
  rmSync(workspace, { recursive: true, force: true });
});

const run = (extra: Record<string, string> = {}) => runActionBundle({ ...exampleInputs(), ...extra }, { GITHUB_WORKSPACE: join(workspace, 'gitops'), GITHUB_EVENT_NAME: 'push' });

describe('the auto-promotion example, bundled', () => {
  it('plan: true writes nothing and reports the plan in the summary and outputs', async () => {
    const before = await repo.branches();
    const r = await run({ plan: 'true' });
    try {
      expect(r.exitCode, r.stdout).toBe(0);
      expect(r.outputs.due).toBe('1');
      expect(JSON.parse(r.outputs.matrix!)).toEqual({ include: [{ name: 'staging: example-service', from: 'dev', to: 'staging', services: 'example-service', group: '' }] });
      expect(r.summary).toContain('### digestpin plan');
      expect(r.summary).toMatch(/\| example-service \| dev → staging \| `\(none\)` \| \(none\) → sha256:\w{7} \| due \|/);
      expect(await repo.branches()).toEqual(before);
    } finally {
      cleanup(r);
    }
  });

  it('promotes dev into staging (auto: true) on the promotion branch, and a rerun adds nothing', async () => {
    const r = await run();
    try {
      expect(r.exitCode, r.stdout).toBe(0);
      expect(JSON.parse(r.outputs.promotions!)).toMatchObject([{ services: ['example-service'], from: 'dev', to: 'staging', digest: image.digest, operation: 'committed', error: null }]);
      expect(r.stdout).toContain('[example-service] ✅');
      expect(await repo.readFile('environments/staging/example-service/values.yaml', 'digestpin/staging/example-service')).toContain(`  tag: "1.2.3"\n  digest: ${image.digest}\n`);
      expect(r.summary).toContain('### digestpin promotions');
    } finally {
      cleanup(r);
    }
    const head = await repo.head('digestpin/staging/example-service');
    const again = await run();
    try {
      expect(again.exitCode, again.stdout).toBe(0);
      expect(await repo.head('digestpin/staging/example-service')).toBe(head);
    } finally {
      cleanup(again);
    }
  });
});
