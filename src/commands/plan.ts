// `digestpin plan`: for every service and environment of the chain, what is pinned, what a promotion would
// change, and why one is held back (soak, health, unverified, already pinned). Writes nothing.
// --json prints it as JSON; --matrix as a GitHub Actions matrix of the promotions that are due.
import { dirname, resolve } from 'node:path';
import { readChainInputs } from '../inputs.js';
import { parseCommandArgs } from './args.js';
import { UsageError } from './usage-error.js';
import { asFlag, runChainCommand } from './chain-run.js';
import { inputsFromFlags, type Values } from './pipeline-command.js';
import { PROMOTE_FLAGS, type FlagSpec } from './vocabulary.js';
import type { CommandMain } from './types.js';

const pick = (...names: string[]): Record<string, FlagSpec> => Object.fromEntries(names.map((n) => [n, PROMOTE_FLAGS[n]!]));

export const PLAN_FLAGS: Record<string, FlagSpec> = {
  ...pick('config', 'gitops-repository', 'base-branch', 'from-environment', 'environment', 'services', 'group', 'auto'),
  ...pick('registry-aliases', 'insecure-registries', 'github-api-url'),
};

const ALIASES: Record<string, string> = { from: 'from-environment', to: 'environment', repo: 'gitops-repository', service: 'services' };

function help(): string {
  const rows = Object.entries(PLAN_FLAGS).map(([f, s]) => `  --${f}${s.type === 'string' ? ' VALUE' : ''}`.padEnd(44) + s.help);
  return [
    'usage: digestpin plan --config digestpin.yaml [--from E] [--to E] [--service S …| --group G] [--auto] [--json | --matrix]',
    '',
    ...rows,
    '  --from, --to, --repo, --service'.padEnd(44) + 'short names of --from-environment, --environment, --gitops-repository, --services',
    '  --json'.padEnd(44) + 'print the plan as JSON',
    '  --matrix'.padEnd(44) + 'print a GitHub Actions matrix ({"include": [...]}) of the promotions that are due',
    '',
    'The GitOps repository defaults to the folder of --config (a checkout is a git repository); its history',
    'gives the soak time. GITHUB_TOKEN reads a GitHub repository, ARGOCD_TOKEN asks Argo CD. Nothing is written.',
  ].join('\n');
}

export const main: CommandMain = async (argv, io) => {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = { json: { type: 'boolean' }, matrix: { type: 'boolean' }, help: { type: 'boolean' } };
  for (const [name, spec] of Object.entries(PLAN_FLAGS)) options[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) };
  for (const [alias, flag] of Object.entries(ALIASES)) options[alias] = options[flag]!;
  const { values } = parseCommandArgs('plan', argv, options);
  if (values.help) {
    io.stdout(help());
    return 0;
  }
  const typed: Record<string, string> = {};
  for (const [alias, flag] of Object.entries(ALIASES)) {
    const value = (values as Values)[alias];
    if (value === undefined) continue;
    if (Array.isArray(value)) (values as Values)[flag] = [...(((values as Values)[flag] as string[] | undefined) ?? []), ...value];
    else (values as Values)[flag] = value;
    typed[flag] = `--${alias}`;
  }
  if (values.json && values.matrix) throw new UsageError('--matrix', 'give --json or --matrix, not both');
  if (typeof values.config !== 'string') throw new UsageError('--config', 'is required: digestpin.yaml describes the chain (see digestpin plan --help)');
  const env: Record<string, string | undefined> = { ...inputsFromFlags(values as Values, PLAN_FLAGS), INPUT_PLAN: 'true' };
  // The checkout itself is a git repository: its history gives the soak time (an absolute path, never owner/name).
  env['INPUT_GITOPS-REPOSITORY'] ??= resolve(io.cwd, dirname(values.config));
  Object.assign(env, { 'INPUT_GITOPS-TOKEN': io.env.GITHUB_TOKEN || io.env.GH_TOKEN, 'INPUT_ARGOCD-TOKEN': io.env.ARGOCD_TOKEN, GITHUB_WORKSPACE: io.cwd, GITHUB_API_URL: io.env.GITHUB_API_URL });
  let inputs;
  try {
    inputs = readChainInputs(env)!;
  } catch (error) {
    throw asFlag(error, PLAN_FLAGS, typed);
  }
  return runChainCommand(inputs, io, { json: Boolean(values.json), matrix: Boolean(values.matrix) }, { flags: PLAN_FLAGS, typed });
};
