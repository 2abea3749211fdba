// The bot's commands (`plan`, and `promote` with --all/--group/--services/--auto/--rollback): real deps,
// one run, the plan as a table, JSON or a GitHub Actions matrix. Exit 1 when a promotion failed or a
// digest is missing at a target's pull registry; holds (soak, health, already pinned) are not failures.
import { InputError } from '../runtime/errors.js';
import type { ChainInputs } from '../inputs.js';
import type { CliIO } from './types.js';
import type { FlagSpec } from './vocabulary.js';

/** An InputError names the action input; on the command line it names the flag the user typed. */
export function asFlag(error: unknown, flags: Record<string, FlagSpec>, typed: Record<string, string>): unknown {
  if (!(error instanceof InputError)) return error;
  const flag = Object.entries(flags).find(([, s]) => s.input === error.context.input)?.[0];
  const shown = flag ? (typed[flag] ?? `--${flag}`) : error.context.input!;
  return new InputError(shown, error.message.replace(/^input '[^']+': /, ''));
}

export async function runChainCommand(inputs: ChainInputs, io: CliIO, out: { json: boolean; matrix?: boolean }, names: { flags: Record<string, FlagSpec>; typed: Record<string, string> }): Promise<number> {
  const [{ realChainDeps }, { runChain }, text, { planTable }, { matrixOf }] = await Promise.all([
    import('../chain/real-deps.js'),
    import('../chain/run.js'),
    import('../chain/outcome-text.js'),
    import('../chain/render.js'),
    import('../chain/matrix.js'),
  ]);
  const { deps, close } = await realChainDeps(inputs, io.logger);
  try {
    // A selection that names no environment, group or service of the config is a bad flag (exit 2).
    const report = await runChain(inputs, deps).catch((error: unknown) => {
      throw asFlag(error, names.flags, names.typed);
    });
    if (out.matrix) io.stdout(JSON.stringify(matrixOf(report.promotions)));
    else if (out.json) io.stdout(JSON.stringify(text.reportJson(report), null, 2));
    else io.stdout([...(report.promotions.length || report.planOnly ? [planTable(report.promotions)] : []), ...(report.planOnly ? [] : ['', ...text.outcomeLines(report)])].join('\n'));
    const problems = text.problems(report);
    for (const p of problems) io.logger.error(p);
    return problems.length ? 1 : 0;
  } finally {
    await close();
  }
}
