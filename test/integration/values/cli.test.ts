// `digestpin pin` and `digestpin lint` through the real CLI dispatcher, on files in a temp directory.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const VALUES = `# web values\nimage:\n  repository: ghcr.io/acme/web # the app\n  tag: 1.0.0\n\nreplicas: 2\n`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digestpin-values-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const logger = memoryLogger();
  const code = await runCli(argv, { stdout: (t) => out.push(t), logger, env, cwd: dir });
  return { code, out, err: logger.lines };
}

const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('digestpin pin', () => {
  it('pins in place, then reports the file as already pinned', async () => {
    write('values.yaml', VALUES);
    const first = await cli(['pin', '--file', 'values.yaml', '--key', 'image', '--digest', D1, '--repository', 'ghcr.io/acme/web']);
    expect(first).toEqual({ code: 0, out: [`pinned values.yaml: image.digest ${D1} (was unset)`], err: [] });
    expect(read('values.yaml')).toBe(VALUES.replace('  tag: 1.0.0\n', `  tag: 1.0.0\n  digest: ${D1}\n`));
    const second = await cli(['pin', '--file', 'values.yaml', '--key', 'image', '--digest', D1]);
    expect(second.code).toBe(0);
    expect(second.out).toEqual([`values.yaml already pins ${D1}`]);
    const third = await cli(['pin', '--file', 'values.yaml', '--key', 'image', '--digest', D2]);
    expect(third.out).toEqual([`pinned values.yaml: image.digest ${D2} (was ${D1})`]);
    expect(readdirSync(dir)).toEqual(['values.yaml']);
  });

  it('--check prints the diff and leaves the file byte-identical', async () => {
    write('values.yaml', VALUES);
    const r = await cli(['pin', '--file', 'values.yaml', '--key', 'image', '--digest', D1, '--remove-tag', '--check']);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([`values.yaml would change: image.digest ${D1} (was unset, tag 1.0.0 removed)`, '-  tag: 1.0.0', `+  digest: ${D1}`]);
    expect(read('values.yaml')).toBe(VALUES);
  });

  it('pins a kustomize image, creating the entry when asked', async () => {
    write('kustomization.yaml', 'resources:\n- deployment.yaml\n');
    const r = await cli(['pin', '--file', 'kustomization.yaml', '--kustomize-image', 'web', '--digest', D1, '--repository', 'registry.example.com/web', '--create']);
    expect(r.code).toBe(0);
    expect(read('kustomization.yaml')).toBe(`resources:\n- deployment.yaml\nimages:\n- name: web\n  newName: registry.example.com/web\n  digest: ${D1}\n`);
  });

  it('pins a generic yaml path', async () => {
    write('app.yaml', `spec:\n  source:\n    helm:\n      valuesObject:\n        image: {repository: web, digest: ${D2}}\n`);
    const r = await cli(['pin', '--file', 'app.yaml', '--yaml-path', 'spec.source.helm.valuesObject.image.digest', '--digest', D1]);
    expect(r.out).toEqual([`pinned app.yaml: spec.source.helm.valuesObject.image.digest ${D1} (was ${D2})`]);
    expect(read('app.yaml')).toContain(`image: {repository: web, digest: ${D1}}`);
  });

  it.each([
    ['a repository naming another image', VALUES, ['--key', 'image', '--repository', 'ghcr.io/acme/api'], 'error: values.yaml:3: \'image.repository\' names ghcr.io/acme/web, not ghcr.io/acme/api (pass --set-repository to replace it)'],
    ['a YAML syntax error', 'image:\n  repository: [web\n', ['--key', 'image'], /^error: values.yaml:3: YAML syntax error: /],
    ['duplicate keys', 'image:\n  repository: web\n  repository: api\n', ['--key', 'image'], /^error: values.yaml:3: duplicate key: /],
    ['an alias target', 'a: &a\n  repository: web\nimage: *a\n', ['--key', 'image'], /^error: values.yaml:3: 'image' is an alias/],
    ['a digest that is not a string', 'image:\n  repository: web\n  digest: 12\n', ['--key', 'image'], /^error: values.yaml:3: 'image.digest' is 12 \(number\), not a string$/],
  ])('refuses %s with exit 1 and leaves the file untouched', async (_, text, flags, message) => {
    write('values.yaml', text);
    const r = await cli(['pin', '--file', 'values.yaml', ...flags, '--digest', D1]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
    expect(read('values.yaml')).toBe(text);
    expect(readdirSync(dir)).toEqual(['values.yaml']);
  });

  it('reports a missing file in one line', async () => {
    const r = await cli(['pin', '--file', 'nope.yaml', '--key', 'image', '--digest', D1]);
    expect(r).toEqual({ code: 1, out: [], err: ['error: nope.yaml: no such file'] });
  });

  it.each([
    [['--file', 'v.yaml', '--key', 'image', '--digest', 'sha256:abc'], /input 'digest': 'sha256:abc' is not a digest/],
    [['--file', 'v.yaml', '--digest', D1], /give exactly one of --key PATH, --kustomize-image NAME, --yaml-path PATH or --marker NAME/],
    [['--file', 'v.yaml', '--key', 'image', '--yaml-path', 'a.b', '--digest', D1], /give exactly one of/],
    [['--file', 'v.yaml', '--key', 'image', '--digest', D1, '--tag', 'x', '--remove-tag'], /at most one of --tag T, --keep-tag, --remove-tag/],
    [['--file', 'v.yaml', '--key', 'image'], /input '--digest': is required/],
  ])('exits 2 on bad flags %#', async (flags, message) => {
    write('v.yaml', VALUES);
    const r = await cli(['pin', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(message);
    expect(read('v.yaml')).toBe(VALUES);
  });
});

describe('digestpin lint', () => {
  beforeEach(() => {
    mkdirSync(join(dir, 'env/prod'), { recursive: true });
    write('env/prod/web.yaml', 'image:\n  graph: ghcr.io/acme/web\n');
    write('env/prod/api.yml', `image:\n  repository: ghcr.io/acme/api\n  tag: 1.0.0\n  digest: ${D1}\n`);
    write('env/prod/notes.txt', 'image:\n  graph: x\n');
  });

  it('recurses into directories, prints file:line: message and exits 1', async () => {
    const r = await cli(['lint', 'env']);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      'env/prod/web.yaml:1: image has no repository; the chart contract requires image.repository',
      'env/prod/web.yaml:2: image.graph is the legacy key; rename it to image.repository',
    ]);
    expect(r.err).toEqual(['lint: 2 file(s) checked, 2 error(s)']);
  });

  it('emits GitHub annotations when GITHUB_ACTIONS=true', async () => {
    const r = await cli(['lint', 'env/prod/web.yaml'], { GITHUB_ACTIONS: 'true' });
    expect(r.out).toContain('::error file=env/prod/web.yaml,line=2::image.graph is the legacy key; rename it to image.repository');
  });

  it('exits 0 on clean files, and flags tag-only blocks with --immutable', async () => {
    write('clean.yaml', 'image:\n  repository: web\n  tag: 1.0.0\n');
    expect((await cli(['lint', 'clean.yaml', 'env/prod/api.yml'])).code).toBe(0);
    const r = await cli(['lint', '--immutable', 'clean.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toEqual(['clean.yaml:3: image pins only a tag; immutable environments need image.digest']);
  });

  it('reports a missing path in one line', async () => {
    const r = await cli(['lint', 'missing']);
    expect(r).toEqual({ code: 1, out: [], err: ['error: missing: no such file or directory'] });
  });
});
