// `digestpin promote`: pin an already-pushed image (verified at the registry first) in a GitOps repository.
import type { CommandMain } from './types.js';
import { runPipelineCommand, type PipelineCommand } from './pipeline-command.js';
import { PROMOTE_ALIASES, PROMOTE_FLAGS } from './vocabulary.js';

export const PROMOTE: PipelineCommand = {
  name: 'promote',
  synopsis: '--repo REPO --environment E (--values-file F [--key PATH | --kustomize-image NAME] | --config C) (--image-ref REF | --image NAME --digest D | --from-environment E) [options]',
  flags: PROMOTE_FLAGS,
  aliases: PROMOTE_ALIASES,
};

export const main: CommandMain = (argv, io) => runPipelineCommand(PROMOTE, argv, io);
