// The job summary's facts, from a pipeline result: the table rows, tag, platforms, verifying registry,
// source and run links, and the notes (dry run, push: false). Pure.
import type { RunReport } from '../report/summary.js';
import type { PipelineResult } from './pipeline.js';

export function runReport(result: PipelineResult): RunReport {
  return {
    entries: result.entries,
    ...result.promotion,
    dryRun: result.dryRun,
    platforms: result.resolution?.platforms,
    verifiedAt: result.verifiedAt,
    source: result.source,
    // blocked / skipped end the run successfully; the reader of the summary must still see why nothing moved.
    notes: result.promotion.reason ? [...result.notes, `**${result.promotion.operation}:** ${result.promotion.reason}`] : result.notes,
  };
}
