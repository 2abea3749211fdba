// The chart check on real charts' layouts: which field each chart reads, and the style it suggests.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocalChart } from '../../../src/chart/read-chart.js';
import { chartReads, checkBlock, matchingStyle, type ChartReads } from '../../../src/values/chart-check.js';
import { chartWarnings } from '../../../src/values/chart-lint.js';

const CHARTS = join(import.meta.dirname, '../../fixtures/values/charts');
async function reads(name: string): Promise<ChartReads & { vendored: boolean }> {
  const chart = await readLocalChart(join(CHARTS, name));
  return { ...chartReads(chart!.templates), vendored: chart!.vendored };
}

describe('chart check', () => {
  it.each<[chart: string, block: string, field: string, verdict: string, style?: string]>([
    ['grafana', 'image', 'digest', 'ignores', 'sha'],
    ['grafana', 'image', 'sha', 'reads'],
    ['argo-cd', 'global.image', 'digest', 'ignores', 'tag-digest'],
    ['argo-cd', 'global.image', 'tag', 'reads'],
    ['argo-cd', 'dex.image', 'digest', 'ignores', 'tag-digest'],
    ['ingress-nginx', 'controller.image', 'digest', 'helper'],
    ['bitnami-nginx', 'image', 'digest', 'helper'],
    ['image-string', 'image', '', 'reads'],
    ['image-string', 'image', 'digest', 'ignores', 'reference'],
  ])('%s: %s.%s is %s', async (chart, block, field, verdict, style) => {
    const r = await reads(chart);
    const finding = checkBlock(r, block, field, r.vendored);
    expect(finding.verdict).toBe(verdict);
    expect(finding.suggestion?.style).toBe(style);
    if (verdict === 'ignores') expect(finding.message).toContain(`use style ${style}`);
  });

  it('reads templates of vendored dependencies, and knows when one is missing', async () => {
    const chart = await readLocalChart(join(CHARTS, 'bitnami-nginx'));
    expect(chart!.templates.map((t) => t.path)).toEqual(['templates/_helpers.tpl', 'templates/deployment.yaml', 'charts/common/templates/_images.tpl']);
    expect(chart!.vendored).toBe(true);
    expect(await readLocalChart(join(CHARTS, 'pinned'))).toBeUndefined();
  });

  it('a field read only through a helper is not suggested as a style', () => {
    const r = chartReads([{ path: 't.yaml', text: '{{ .Values.image.repository }}:{{ .Values.image.tag }}' }]);
    expect(matchingStyle(r, 'image')).toEqual({ style: 'tag-digest' });
    expect(matchingStyle(r, 'other')).toBeUndefined();
    expect(checkBlock(r, 'other', 'digest').message).toContain('it reads nothing under .Values.other');
  });

  it('understands index .Values "a" "b" and $.Values', () => {
    const r = chartReads([{ path: 't.yaml', text: '{{ index .Values "image" "digest" }} {{ $.Values.side.sha }}' }]);
    expect(checkBlock(r, 'image', 'digest').verdict).toBe('reads');
    expect(checkBlock(r, 'side', 'sha').verdict).toBe('reads');
  });

  it('gives the pipeline one warning per target the chart would not render', async () => {
    const r = await reads('argo-cd');
    const warnings = chartWarnings(r, [
      { kind: 'helm', path: 'global.image' },
      { kind: 'helm', path: 'global.image', style: 'tag-digest' },
      { kind: 'kustomize', name: 'x' },
    ]);
    expect(warnings).toEqual([expect.stringMatching(/^global.image.digest: the chart never reads .Values.global.image.digest.*use style tag-digest$/)]);
  });
});
