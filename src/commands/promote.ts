// `digestpin promote`: pin an already-pushed image (verified at the registry first) in a GitOps repository;
// with --all, --group, --services, --auto or --rollback, the promotion bot: plan the chain, run what is due.
import { memoryLogger } from '../runtime/logger.js';
import { readChainInputs } from '../inputs.js';
import type { CommandMain } from './types.js';
import { pipelineInputs, runPipelineCommand, type PipelineCommand } from './pipeline-command.js';
import { asFlag, runChainCommand } from './chain-run.js';
import { CHAIN_ALIASES, PROMOTE_ALIASES, PROMOTE_FLAGS } from './vocabulary.js';

export const PROMOTE: PipelineCommand = {
  name: 'promote',
  synopsis:
    '--repo REPO --environment E (--values-file F [--key PATH | --kustomize-image NAME] | --config C) (--image-ref REF | --image NAME --digest D | --from-environment E) [options]\n' +
    '       digestpin promote --config C --repo REPO (--from E --to E | --auto) (--all | --group G | --services S,…) [options]\n' +
    '       digestpin promote --config C --repo REPO --to E --service S --rollback N',
  flags: PROMOTE_FLAGS,
  aliases: { ...PROMOTE_ALIASES, ...CHAIN_ALIASES },
};

/** `--service a --service b` means several services (the bot), never "the last one wins". */
function repeatedService(argv: string[]): string[] {
  const end = argv.indexOf('--') === -1 ? argv.length : argv.indexOf('--');
  const given = argv.slice(0, end).filter((t) => t === '--service' || t.startsWith('--service='));
  if (given.length < 2) return argv;
  return argv.map((t, i) => (i < end && t === '--service' ? '--services' : i < end && t.startsWith('--service=') ? `--services=${t.slice(10)}` : t));
}

export const main: CommandMain = async (given, io) => {
  const argv = repeatedService(given);
  // Parsed once quietly to see whether this is a bot run; the one-target path parses (and warns) itself.
  const { help, json, env, typed } = pipelineInputs(PROMOTE, argv, { ...io, logger: memoryLogger() });
  if (!help) {
    env['INPUT_ARGOCD-TOKEN'] = io.env.ARGOCD_TOKEN;
    let chain;
    try {
      chain = readChainInputs(env);
    } catch (error) {
      throw asFlag(error, PROMOTE.flags, typed);
    }
    if (chain) return runChainCommand(chain, io, { json }, { flags: PROMOTE.flags, typed });
  }
  return runPipelineCommand(PROMOTE, argv, io);
};
