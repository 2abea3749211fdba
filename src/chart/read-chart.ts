// Reads a local Helm chart's templates (and those of charts vendored under charts/) as text, for the chart
// check. No helm binary exists here, so nothing is rendered: the check reads what the templates reference.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { ChartTemplate } from '../values/chart-check.js';

export interface LocalChart {
  templates: ChartTemplate[];
  /** Every dependency in Chart.yaml is vendored under charts/ (else a helper may read fields we can't see). */
  vendored: boolean;
}

async function walkTemplates(dir: string, prefix: string, out: ChartTemplate[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await walkTemplates(path, `${prefix}${e.name}/`, out);
    else if (e.isFile() && /\.(ya?ml|tpl|txt)$/.test(e.name)) out.push({ path: `${prefix}${e.name}`, text: await readFile(path, 'utf8') });
  }
}

/** The chart at `dir`, or undefined when `dir` holds no Chart.yaml. */
export async function readLocalChart(dir: string): Promise<LocalChart | undefined> {
  const chartYaml = await readFile(join(dir, 'Chart.yaml'), 'utf8').catch(() => undefined);
  if (chartYaml === undefined) return undefined;
  const templates: ChartTemplate[] = [];
  await walkTemplates(join(dir, 'templates'), 'templates/', templates);
  const sub = await readdir(join(dir, 'charts'), { withFileTypes: true }).catch(() => []);
  for (const e of sub.filter((x) => x.isDirectory())) await walkTemplates(join(dir, 'charts', e.name, 'templates'), `charts/${e.name}/templates/`, templates);
  const deps = (parseDocument(chartYaml).toJS() as { dependencies?: { name?: string }[] } | null)?.dependencies ?? [];
  const vendored = deps.every((d) => sub.some((e) => e.isDirectory() && e.name === d.name));
  return { templates, vendored };
}
