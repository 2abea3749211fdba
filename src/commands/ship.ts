// `digestpin ship`: the whole pipeline from the command line, as the action runs it: build and push with
// buildx, verify the digest at the pull side, pin, commit or open the PR.
import type { Logger } from '../runtime/logger.js';
import type { CommandMain } from './types.js';
import { runPipelineCommand, type PipelineCommand, type Values } from './pipeline-command.js';
import { BUILD_ALIASES, OLD_FILE, OLD_LABELS, PROMOTE_ALIASES, SHIP_FLAGS } from './vocabulary.js';

const { file: _file, labels: _labels, ...promoteAliases } = PROMOTE_ALIASES;

/**
 * For one release, --file and --labels may still carry their old meanings: --file is the values file when
 * neither --values-file nor --config says where the pin goes; a --labels value without '=' is a PR label.
 */
function legacy(values: Values, typed: Record<string, string>, logger: Logger): void {
  if (typeof values.file === 'string' && values['values-file'] === undefined && values.config === undefined) {
    logger.warning(OLD_FILE);
    values['values-file'] = values.file;
    typed['values-file'] = '--file';
    delete values.file;
  }
  const labels = (values.labels as string[] | undefined) ?? [];
  const prLabels = labels.filter((l) => !l.includes('='));
  if (prLabels.length) {
    logger.warning(OLD_LABELS);
    values.labels = labels.filter((l) => l.includes('='));
    values['pr-labels'] = [...((values['pr-labels'] as string[] | undefined) ?? []), ...prLabels];
  }
}

export const SHIP: PipelineCommand = {
  name: 'ship',
  synopsis: '--image NAME --registry HOST --image-tag T --repo REPO --environment E (--values-file F | --config C) [--file Dockerfile] [options]',
  flags: SHIP_FLAGS,
  aliases: { ...BUILD_ALIASES, ...promoteAliases },
  legacy,
};

export const main: CommandMain = (argv, io) => runPipelineCommand(SHIP, argv, io);
