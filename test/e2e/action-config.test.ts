// The config through the bundled action: a typo fails before anything is built or pushed, with an
// annotation on the config's line; config with values-file is refused; every target of a service is pinned
// in one commit; an immutable environment refuses a rollback that would leave a stale tag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, pushImage, type PushedImage, type RegistryServer } from '../support/registry-server.js';
import { cleanup, runActionBundle } from '../support/action-runner.js';
import { createBareRepo, type BareRepo } from '../support/git-fixtures.js';

const block = (indent: string, host: string) => `${indent}repository: ${host}/ameide/agents\n${indent}tag: "1.0.0"\n${indent}digest: ""\n`;
let registry: RegistryServer;
let repo: BareRepo;
let image: PushedImage;
let values: string;

beforeAll(async () => {
  registry = await startRegistry();
  image = await pushImage(`${registry.host}/ameide/agents:2.0.0`, { content: 'e2e-config' });
  values = `# agents\nimage:\n${block('  ', registry.host)}worker:\n  image:\n${block('    ', registry.host)}`;
  repo = await createBareRepo({ 'envs/dev/agents.yaml': values, 'envs/prod/agents.yaml': values });
});

afterAll(async () => {
  await registry?.stop();
  await repo?.cleanup();
});

const inputs = (extra: Record<string, string>) => ({ 'gitops-repository': repo.path, environment: 'dev', service: 'agents', ...extra });

describe('the action with a config', () => {
  it('fails on a misspelt key before anything is built or pushed, pointing at the line', async () => {
    const before = await repo.head();
    const run = await runActionBundle(
      inputs({ config: 'test/fixtures/e2e/config/typo.yaml', context: 'examples/service', image: 'ameide/never-built', registry: registry.host, 'image-tag': 'never' }),
    );
    try {
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual([
        "::error file=test/fixtures/e2e/config/typo.yaml,line=8,title=digestpin::test/fixtures/e2e/config/typo.yaml:8: unknown key 'kustomizeImage' in environments.dev.services.agents; did you mean 'kustomize-image'?",
      ]);
      expect(run.stdout).not.toContain('Build');
      const tags = await fetch(`${registry.url}/v2/ameide/never-built/tags/list`);
      expect(tags.status).toBe(404);
      expect(await repo.head()).toBe(before);
    } finally {
      cleanup(run);
    }
  });

  it('refuses config together with values-file', async () => {
    const run = await runActionBundle(inputs({ config: 'test/fixtures/e2e/config/two-targets.yaml', 'values-file': 'envs/dev/agents.yaml', 'image-ref': image.ref }));
    try {
      expect(run.exitCode).toBe(1);
      expect(run.errors).toEqual(["::error title=digestpin::input 'values-file': give values-file or config, not both: config already says where each environment pins the service"]);
    } finally {
      cleanup(run);
    }
  });

  it('pins every target of the service in one commit', async () => {
    const before = await repo.head();
    const run = await runActionBundle(inputs({ config: 'test/fixtures/e2e/config/two-targets.yaml', 'image-ref': image.ref }));
    try {
      expect(run.errors, run.stdout).toEqual([]);
      expect(run.outputs).toMatchObject({ operation: 'committed', digest: image.digest, 'changed-files': JSON.stringify(['envs/dev/agents.yaml']) });
      expect(await repo.readFile('envs/dev/agents.yaml')).toBe(values.replaceAll('"1.0.0"', '"2.0.0"').replaceAll('digest: ""', `digest: "${image.digest}"`));
      expect(await repo.git(['rev-list', '--count', `${before}..main`])).toBe('1');
    } finally {
      cleanup(run);
    }
  });

  it('refuses, in an immutable environment, a rollback by digest that would keep a tag naming another image', async () => {
    const before = await repo.head();
    const run = await runActionBundle(
      inputs({ config: 'test/fixtures/e2e/config/two-targets.yaml', environment: 'prod', image: 'ameide/agents', 'pull-registry': registry.host, digest: image.digest, mode: 'direct' }),
    );
    try {
      expect(run.exitCode).toBe(1);
      expect(run.errors[0]).toMatch(/^::error file=test\/fixtures\/e2e\/config\/two-targets.yaml,line=10,title=digestpin::environment 'prod' is immutable: no tag is known for this digest/);
      expect(await repo.head()).toBe(before);
      expect(await repo.readFile('envs/prod/agents.yaml')).toBe(values);
    } finally {
      cleanup(run);
    }
  });
});
