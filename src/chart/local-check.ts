// The chart check in a promotion: when a Helm chart (Chart.yaml) sits beside a target's values file in the
// GitOps checkout, warn for each pin whose field the chart's templates never read. Never fails the run.
import { dirname, join } from 'node:path';
import type { Logger } from '../runtime/logger.js';
import type { PinSpec } from '../request.js';
import { chartReads } from '../values/chart-check.js';
import { chartWarnings } from '../values/chart-lint.js';
import { readLocalChart } from './read-chart.js';

/** `root` is the GitOps checkout's folder that target files are relative to (the config file's folder). */
export async function warnIfChartIgnoresPins(pins: readonly PinSpec[], root: string | undefined, logger: Logger): Promise<number> {
  if (!root) return 0;
  let warned = 0;
  const byDir = new Map<string, PinSpec[]>();
  for (const pin of pins) byDir.set(dirname(pin.file), [...(byDir.get(dirname(pin.file)) ?? []), pin]);
  for (const [dir, group] of byDir) {
    try {
      const chart = await readLocalChart(join(root, dir));
      if (!chart) continue;
      const reads = chartReads(chart.templates);
      for (const pin of group) {
        for (const message of chartWarnings(reads, [pin.target], chart.vendored)) {
          logger.warning(`${message} (chart ${join(dir, 'Chart.yaml')})`, { file: pin.file });
          warned++;
        }
      }
    } catch (error) {
      logger.debug(`chart check skipped for ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return warned;
}
