// `promote` and `ship` share the action's pipeline: their flags are mapped onto the action's input
// names and validated by the same readInputs(), so the CLI and the action accept exactly the same values.
import type { ParseArgsConfig } from 'node:util';
import { InputError } from '../runtime/errors.js';
import { readInputs } from '../inputs.js';
import type { PipelineResult } from '../promote/pipeline.js';
import { runWithRealDeps } from '../promote/real-deps.js';
import { createPrivateDir } from '../runtime/temp-dir.js';
import { operationText } from '../report/summary.js';
import { outputsOf } from '../action/outputs.js';
import { parseCommandArgs } from './args.js';
import type { CliIO } from './types.js';

export interface FlagSpec {
  /** Action input the flag feeds. */
  input: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  help: string;
}

export function inputsFromFlags(values: Record<string, unknown>, flags: Record<string, FlagSpec>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(flags)) {
    const value = values[flag];
    if (value === undefined || value === false) continue;
    const text = Array.isArray(value) ? value.join('\n') : value === true ? 'true' : String(value);
    env[`INPUT_${spec.input.toUpperCase()}`] = text;
  }
  return env;
}

/** `--image localhost:5000/ameide/agents` is accepted as registry + image when --registry is absent. */
function splitImageHost(env: Record<string, string>): void {
  const image = env.INPUT_IMAGE;
  if (!image || env.INPUT_REGISTRY || env['INPUT_PULL-REGISTRY']) return;
  const [first, ...rest] = image.split('/');
  if (rest.length && first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    env.INPUT_REGISTRY = first;
    env.INPUT_IMAGE = rest.join('/');
  }
}

export function helpText(command: string, synopsis: string, flags: Record<string, FlagSpec>): string {
  const rows = Object.entries(flags).map(([f, s]) => `  --${f}${s.type === 'string' ? ' VALUE' : ''}`.padEnd(34) + s.help);
  return `usage: digestpin ${command} ${synopsis}\n\n${rows.join('\n')}\n  --json                          print the outputs as one JSON object\n\nGITHUB_TOKEN is the token for a GitHub repository; DIGESTPIN_REGISTRY_USERNAME / DIGESTPIN_REGISTRY_PASSWORD log in to the registry.`;
}

function renderHuman(result: PipelineResult, dryRun: boolean): string {
  const p = result.promotion;
  const lines = [
    `digest:    ${result.digest}`,
    `pinned:    ${result.pinnedRef}`,
    `operation: ${p.operation}${operationText(p.operation) === p.operation ? '' : ` (${operationText(p.operation)})`}${dryRun ? ' [dry run]' : ''}`,
  ];
  if (p.branch) lines.push(`branch:    ${p.branch}`);
  if (p.commitSha) lines.push(`commit:    ${p.commitSha}`);
  if (p.pullRequestUrl) lines.push(`pull request: #${p.pullRequestNumber} ${p.pullRequestUrl}`);
  for (const e of result.entries) if (e.diff.length) lines.push('', `--- ${e.file}`, ...e.diff);
  return lines.join('\n');
}

export async function runPipelineCommand(
  command: string,
  argv: string[],
  io: CliIO,
  flags: Record<string, FlagSpec>,
  synopsis: string,
): Promise<number> {
  const options: NonNullable<ParseArgsConfig['options']> = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
  for (const [flag, spec] of Object.entries(flags)) options[flag] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type };
  const { values } = parseCommandArgs(command, argv, options);
  if (values.help) {
    io.stdout(helpText(command, synopsis, flags));
    return 0;
  }
  const env: Record<string, string | undefined> = { ...inputsFromFlags(values, flags) };
  splitImageHost(env as Record<string, string>);
  env['INPUT_GITOPS-TOKEN'] = io.env.GITHUB_TOKEN || io.env.GH_TOKEN;
  env['INPUT_REGISTRY-USERNAME'] = io.env.DIGESTPIN_REGISTRY_USERNAME;
  env['INPUT_REGISTRY-PASSWORD'] = io.env.DIGESTPIN_REGISTRY_PASSWORD;
  Object.assign(env, { GITHUB_WORKSPACE: io.cwd, GITHUB_SHA: io.env.GITHUB_SHA, GITHUB_API_URL: io.env.GITHUB_API_URL });
  let request;
  try {
    request = readInputs(env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const flag = Object.entries(flags).find(([, s]) => s.input === error.context.input)?.[0] ?? error.context.input;
    throw new InputError(`--${flag}`, error.message.replace(/^input '[^']+': /, ''));
  }
  // A fresh owner-only folder per run (mkdtemp), never a fixed path another user could plant a symlink at.
  const temp = await createPrivateDir();
  let result: PipelineResult;
  try {
    result = await runWithRealDeps({ ...request, run: { ...request.run, tempDir: temp.path } }, io.logger);
  } finally {
    await temp.remove();
  }
  io.stdout(values.json ? JSON.stringify(outputsOf(result), null, 2) : renderHuman(result, request.gitops.dryRun));
  return 0;
}
