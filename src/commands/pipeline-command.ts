// `promote` and `ship` share the action's pipeline: their flags are mapped onto the action's input
// names (commands/vocabulary.ts) and validated by the same readInputs(), so the CLI and the action accept
// exactly the same values, and an error names the flag the user typed.
import type { ParseArgsConfig } from 'node:util';
import { InputError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import { readInputs } from '../inputs.js';
import type { PipelineResult } from '../promote/pipeline.js';
import { runWithRealDeps } from '../promote/real-deps.js';
import { createPrivateDir } from '../runtime/temp-dir.js';
import { operationText } from '../report/summary.js';
import { parseCommandArgs } from './args.js';
import { jsonOutputs } from './json-output.js';
import type { AliasSpec, FlagSpec } from './vocabulary.js';
import type { CliIO } from './types.js';

export type { FlagSpec } from './vocabulary.js';

export interface PipelineCommand {
  name: string;
  synopsis: string;
  flags: Record<string, FlagSpec>;
  aliases: Record<string, AliasSpec>;
  /** Moves values given under an old meaning to their new flag (with a warning); ship's --file and --labels. */
  legacy?: (values: Values, typed: Record<string, string>, logger: Logger) => void;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export function inputsFromFlags(values: Values, flags: Record<string, FlagSpec>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [flag, spec] of Object.entries(flags)) {
    const value = values[flag];
    if (value === undefined || value === false) continue;
    const text = Array.isArray(value) ? value.join('\n') : value === true ? 'true' : String(value);
    env[`INPUT_${spec.input.toUpperCase()}`] = text;
  }
  return env;
}

/** Folds aliases into their flags, warning once for each old name; records which name the user typed. */
function foldAliases(values: Values, command: PipelineCommand, logger: Logger): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const [alias, spec] of Object.entries(command.aliases)) {
    const value = values[alias];
    if (value === undefined) continue;
    delete values[alias];
    if (spec.deprecated) logger.warning(spec.deprecated);
    const current = values[spec.flag];
    if (Array.isArray(value)) values[spec.flag] = [...((current as string[] | undefined) ?? []), ...value];
    else if (current !== undefined) throw new InputError(`--${alias}`, `give --${spec.flag} or --${alias}, not both (they are the same flag)`);
    else values[spec.flag] = value;
    typed[spec.flag] = `--${alias}`;
  }
  return typed;
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

export function helpText(command: PipelineCommand): string {
  const aliasesOf = (flag: string) => Object.entries(command.aliases).filter(([, a]) => a.flag === flag && !a.deprecated).map(([name]) => `--${name}`);
  const rows = Object.entries(command.flags).map(([f, s]) => {
    const names = [`--${f}`, ...aliasesOf(f)].join(', ');
    return `  ${names}${s.type === 'string' ? ' VALUE' : ''}`.padEnd(44) + s.help;
  });
  const old = Object.entries(command.aliases).filter(([, a]) => a.deprecated).map(([name, a]) => `  --${name} (deprecated: --${a.flag})`);
  return [
    `usage: digestpin ${command.name} ${command.synopsis}`,
    '',
    ...rows,
    '  --json'.padEnd(44) + 'print the outputs as one JSON object ({"error": …} on failure)',
    ...(old.length ? ['', 'old names, accepted for one more release:', ...old] : []),
    '',
    "Flags are named after the action's inputs (docs/cli.md). GITHUB_TOKEN is the token for a GitHub repository;",
    'DIGESTPIN_REGISTRY_USERNAME / DIGESTPIN_REGISTRY_PASSWORD log in to the registry.',
  ].join('\n');
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

function parseOptions(command: PipelineCommand): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };
  const add = (name: string, spec: FlagSpec) => (options[name] = spec.multiple ? { type: spec.type, multiple: true } : { type: spec.type });
  for (const [name, spec] of Object.entries(command.flags)) add(name, spec);
  for (const [name, alias] of Object.entries(command.aliases)) add(name, command.flags[alias.flag]!);
  return options;
}

/** The command line as the action's INPUT_* variables, with the flag name each input was typed as. */
export function pipelineInputs(command: PipelineCommand, argv: string[], io: CliIO): { help: boolean; json: boolean; env: Record<string, string | undefined>; typed: Record<string, string> } {
  const { values } = parseCommandArgs(command.name, argv, parseOptions(command));
  const typed = values.help ? {} : foldAliases(values as Values, command, io.logger);
  if (!values.help) command.legacy?.(values as Values, typed, io.logger);
  const env: Record<string, string | undefined> = { ...inputsFromFlags(values as Values, command.flags) };
  splitImageHost(env as Record<string, string>);
  env['INPUT_GITOPS-TOKEN'] = io.env.GITHUB_TOKEN || io.env.GH_TOKEN;
  env['INPUT_REGISTRY-USERNAME'] = io.env.DIGESTPIN_REGISTRY_USERNAME;
  env['INPUT_REGISTRY-PASSWORD'] = io.env.DIGESTPIN_REGISTRY_PASSWORD;
  Object.assign(env, { GITHUB_WORKSPACE: io.cwd, GITHUB_SHA: io.env.GITHUB_SHA, GITHUB_API_URL: io.env.GITHUB_API_URL });
  return { help: Boolean(values.help), json: Boolean(values.json), env, typed };
}

export async function runPipelineCommand(command: PipelineCommand, argv: string[], io: CliIO): Promise<number> {
  const { help, json, env, typed } = pipelineInputs(command, argv, io);
  if (help) {
    io.stdout(helpText(command));
    return 0;
  }
  let request;
  try {
    request = readInputs(env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const flag = Object.entries(command.flags).find(([, s]) => s.input === error.context.input)?.[0];
    const shown = flag ? (typed[flag] ?? `--${flag}`) : error.context.input!;
    throw new InputError(shown, error.message.replace(/^input '[^']+': /, ''));
  }
  // A fresh owner-only folder per run (mkdtemp), never a fixed path another user could plant a symlink at.
  const temp = await createPrivateDir();
  let result: PipelineResult;
  try {
    result = await runWithRealDeps({ ...request, run: { ...request.run, tempDir: temp.path } }, io.logger);
  } finally {
    await temp.remove();
  }
  io.stdout(json ? JSON.stringify(jsonOutputs(result, request.gitops.dryRun), null, 2) : renderHuman(result, request.gitops.dryRun));
  return 0;
}
