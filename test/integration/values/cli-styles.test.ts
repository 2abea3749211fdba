// `digestpin pin --style/--marker/--container`, symlinks and non-UTF-8 files, and `digestpin lint --json / --chart`,
// through the real CLI dispatcher on files in a temp directory.
import { cpSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const FIXTURES = join(import.meta.dirname, '../../fixtures/values');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digestpin-styles-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const out: string[] = [];
  const logger = memoryLogger();
  const code = await runCli(argv, { stdout: (t) => out.push(t), logger, env: {}, cwd: dir });
  return { code, out, err: logger.lines };
}
const write = (name: string, text: string | Buffer) => writeFileSync(join(dir, name), text);
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const copy = (fixture: string, name = fixture) => cpSync(join(FIXTURES, fixture), join(dir, name));

describe('digestpin pin --style', () => {
  it('sha writes the hex digest into the field the chart reads', async () => {
    copy('grafana-values.yaml', 'values.yaml');
    const r = await cli(['pin', '--file', 'values.yaml', '--key', 'image', '--style', 'sha', '--digest', D1, '--tag', '11.3.0']);
    expect(r).toEqual({ code: 0, out: [`pinned values.yaml: image.sha ${D1} (was unset, tag set to 11.3.0)`], err: [] });
    expect(read('values.yaml')).toContain(`  tag: "11.3.0"\n  sha: "${'1'.repeat(64)}"\n`);
  });

  it('tag-digest writes tag@digest, and reports the old digest', async () => {
    copy('argo-cd-renovate.yaml', 'values.yaml');
    const r = await cli(['pin', '--file', 'values.yaml', '--key', 'global.image', '--style', 'tag-digest', '--digest', D1]);
    expect(r.out).toEqual([`pinned values.yaml: global.image.tag ${D1} (was sha256:${'2'.repeat(64)})`]);
    expect(read('values.yaml')).toContain(`    tag: v2.14.2@${D1} # renovate: keep\n`);
  });

  it('reference pins a container of a raw Deployment by name', async () => {
    copy('deployment-raw.yaml', 'deployment.yaml');
    const r = await cli(['pin', '--file', 'deployment.yaml', '--container', 'agents', '--digest', D1, '--repository', 'ghcr.io/acme/agents']);
    expect(r.code).toBe(0);
    expect(read('deployment.yaml')).toContain(`          image: ghcr.io/acme/agents:v1.4.2@${D1} # the app\n`);
  });

  it('--marker pins the lines a Flux image policy marks', async () => {
    copy('flux-helmrelease-markers.yaml', 'release.yaml');
    const r = await cli(['pin', '--file', 'release.yaml', '--marker', 'agents', '--digest', D1, '--tag', 'v1.4.2', '--check']);
    expect(r.code).toBe(0);
    expect(r.out.slice(1)).toEqual(['-      tag: v1.4.1 # {"$imagepolicy": "flux-system:agents:tag"}', `+      tag: v1.4.2@${D1} # {"$imagepolicy": "flux-system:agents:tag"}`]);
  });

  it.each([
    [['--key', 'image', '--style', 'bogus'], /input '--style': style 'bogus' is not one of digest, sha, tag-digest, reference, registry/],
    [['--key', 'image', '--sha-key', 'x'], /input '--sha-key': sha-key needs style sha/],
    [['--kustomize-image', 'web', '--style', 'sha'], /style can't be combined with kustomize-image/],
    [['--marker', 'a', '--key', 'image'], /give exactly one of/],
  ])('refuses flags that do not fit together %#', async (flags, message) => {
    write('values.yaml', 'image:\n  repository: web\n');
    const r = await cli(['pin', '--file', 'values.yaml', ...flags, '--digest', D1]);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(message);
  });
});

describe('digestpin pin on files that must not be rewritten', () => {
  it('refuses a symlink and leaves the link and its target as they were', async () => {
    write('real.yaml', 'image:\n  repository: web\n');
    symlinkSync('real.yaml', join(dir, 'values.yaml'));
    const r = await cli(['pin', '--file', 'values.yaml', '--key', 'image', '--digest', D1]);
    expect(r).toEqual({ code: 1, out: [], err: ['error: values.yaml: is a symbolic link (to real.yaml); pin the file it points to instead (nothing was changed)'] });
    expect(lstatSync(join(dir, 'values.yaml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'values.yaml'))).toBe('real.yaml');
    expect(read('real.yaml')).toBe('image:\n  repository: web\n');
  });

  it('refuses a file that is not UTF-8 with the byte offset, and writes nothing', async () => {
    const bytes = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nimage:\n  repository: web\n')]);
    write('values.yaml', bytes);
    const r = await cli(['pin', '--file', 'values.yaml', '--key', 'image', '--digest', D1]);
    expect(r.code).toBe(1);
    expect(r.err).toEqual(['error: values.yaml:1: is not valid UTF-8: byte 0xe9 at byte offset 5; save the file as UTF-8 (nothing was changed)']);
    expect(readFileSync(join(dir, 'values.yaml'))).toEqual(bytes);
    expect(readdirSync(dir)).toEqual(['values.yaml']);
  });
});

describe('digestpin lint --json and --chart', () => {
  it('--json prints one JSON document with numbers and an array', async () => {
    write('v.yaml', `image:\n  repository: node\n  tag: 18.19.0@sha256:${'2'.repeat(64)}\n  digest: ${D1}\n`);
    const r = await cli(['lint', '--json', 'v.yaml']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out.join('\n'));
    expect(report).toMatchObject({ files: 1, errors: 1, warnings: 0 });
    expect(report.problems).toEqual([expect.objectContaining({ file: 'v.yaml', line: 3, severity: 'error', rule: 'tag-digest-mismatch' })]);
  });

  it('--chart reports a pinned digest the chart never reads, naming the style that matches', async () => {
    cpSync(join(FIXTURES, 'charts/argo-cd'), join(dir, 'argo-cd'), { recursive: true });
    copy('charts/pinned/argo-cd-digest.yaml', 'dev.yaml');
    const r = await cli(['lint', '--chart', 'argo-cd', 'dev.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toEqual(['dev.yaml:3: global.image.digest: the chart never reads .Values.global.image.digest, so the cluster would not run the pinned digest; it reads tag, repository, imagePullPolicy: use style tag-digest']);
  });

  it('--chart passes a pin the chart reads, through a vendored helper too', async () => {
    cpSync(join(FIXTURES, 'charts/bitnami-nginx'), join(dir, 'nginx'), { recursive: true });
    const r = await cli(['lint', '--chart', 'nginx']);
    expect(r.code).toBe(0);
    expect(r.out).toEqual(['nginx/values.yaml:28: info: image.digest (not pinned yet): the chart passes .Values.image to a template that reads .digest']);
  });

  it('--chart on a folder without Chart.yaml is one clear error', async () => {
    const r = await cli(['lint', '--chart', '.', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toEqual(["error: input '--chart': '.' holds no Chart.yaml; give the chart's folder"]);
  });
});
