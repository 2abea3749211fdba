// The chart check as lint problems: for each image block of a values file, does the chart read the field its pin
// sits in? A pinned field the chart ignores is an error (the cluster keeps running the tag); a block not pinned yet
// whose default digest field is ignored is a warning naming the style to use. Pure.
import type { LintProblem, PinTarget } from './types.js';
import { checkBlock, pinnedField, type ChartReads } from './chart-check.js';
import { valuesBlocks } from './chart-blocks.js';

export function lintAgainstChart(text: string, file: string, reads: ChartReads, vendored = true): LintProblem[] {
  return valuesBlocks(text, file).map((b) => {
    const finding = checkBlock(reads, b.path, b.field, vendored);
    const where = b.field ? `${b.path}.${b.field}` : b.path;
    const severity = finding.verdict !== 'ignores' ? 'info' : b.pinned ? 'error' : 'warning';
    const rule = finding.verdict === 'ignores' ? 'chart-ignores-pin' : 'chart-reads-pin';
    return { file, line: b.line, severity, rule, message: `${where}${b.pinned ? '' : ' (not pinned yet)'}: ${finding.message}` };
  });
}

/** One warning per pin target the chart won't render, for the pipeline (local chart beside the values); the caller names the file. */
export function chartWarnings(reads: ChartReads, targets: readonly PinTarget[], vendored = true): string[] {
  const out: string[] = [];
  for (const t of targets) {
    if (t.kind !== 'helm' && !(t.kind === 'reference' && t.path && !t.container)) continue;
    const field = t.kind === 'helm' ? pinnedField(t.style, t.shaKey) : '';
    const finding = checkBlock(reads, t.path!, field, vendored);
    if (finding.verdict === 'ignores') out.push(`${field ? `${t.path}.${field}` : t.path}: ${finding.message}`);
  }
  return out;
}
