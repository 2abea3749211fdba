// The chart check inside a promotion: a local chart beside the values in the GitOps checkout whose templates never
// read the pinned field gives one warning naming the style to use; the pin still lands. Real files, fake registry.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';
import { runPipeline, type PipelineDeps } from '../../../src/promote/pipeline.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import type { ImageReference, RegistryClient } from '../../../src/registry/types.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const CHARTS = join(import.meta.dirname, '../../fixtures/values/charts');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'digestpin-chart-pipeline-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const registry: RegistryClient = {
  // The file's tag v2.14.2 names another image at the registry: the pin must not keep it beside D1.
  resolve: async (ref) => ({ reference: ref as ImageReference, digest: `sha256:${'2'.repeat(64)}`, mediaType: 'application/vnd.oci.image.index.v1+json', kind: 'index', platforms: [], requests: 1 }),
  verify: async (ref, digest) => ({ reference: ref as ImageReference, digest, mediaType: 'application/vnd.oci.image.index.v1+json', kind: 'index', platforms: [], requests: 1 }),
};

async function promote(style: string | undefined) {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  cpSync(join(CHARTS, 'argo-cd'), join(dir, 'charts/argo-cd'), { recursive: true });
  writeFileSync(join(dir, 'charts/argo-cd/values-dev.yaml'), 'global:\n  image:\n    repository: localhost:5000/argoproj/argocd\n    tag: v2.14.2\n');
  const target = `{ file: charts/argo-cd/values-dev.yaml, key: global.image${style ? `, style: ${style}` : ''} }`;
  writeFileSync(join(dir, 'digestpin.yaml'), `environments:\n  dev:\n    services:\n      argocd: ${target}\n`);
  const logger = memoryLogger();
  const files: Record<string, string> = {};
  const deps: PipelineDeps = {
    logger,
    build: async () => {
      throw new Error('no build');
    },
    registry: () => registry,
    readFile: (p) => readFile(p, 'utf8'),
    gitops: async () => ({
      async promote(request) {
        const changedFiles = await Promise.all(request.edits.map(async (e) => {
          const before = await readFile(join(dir, e.path), 'utf8');
          files[e.path] = e.apply(before).text;
          return { path: e.path, before, after: files[e.path]! };
        }));
        return { operation: 'committed', commitSha: 'abc', changedFiles, calls: 1 };
      },
    }),
  };
  const request = readInputs({
    'INPUT_GITOPS-REPOSITORY': 'ameide/gitops',
    INPUT_ENVIRONMENT: 'dev',
    INPUT_SERVICE: 'argocd',
    INPUT_CONFIG: 'digestpin.yaml',
    'INPUT_IMAGE-REF': `localhost:5000/argoproj/argocd@${D1}`,
    INPUT_MODE: 'direct',
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: join(dir, 'tmp'),
  });
  await runPipeline(request, deps);
  return { warnings: logger.lines.filter((l) => l.startsWith('warning:')), files };
}

describe('the chart check in a promotion', () => {
  it('warns when the chart beside the values never reads the pinned digest, and names the style', async () => {
    const { warnings, files } = await promote(undefined);
    expect(warnings).toEqual([
      'warning: charts/argo-cd/values-dev.yaml: global.image.digest: the chart never reads .Values.global.image.digest, so the cluster would not run the pinned digest; it reads tag, repository, imagePullPolicy: use style tag-digest (chart charts/argo-cd/Chart.yaml)',
    ]);
    expect(files['charts/argo-cd/values-dev.yaml']).toContain(`digest: ${D1}`);
    expect(files['charts/argo-cd/values-dev.yaml']).not.toContain('v2.14.2');
  });
});
