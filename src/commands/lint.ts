// `digestpin lint [--immutable] PATH...`: checks image blocks in values files (directories recurse into
// *.yaml / *.yml), prints `file:line: message`, annotates in GitHub Actions, exits 1 on errors.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { FileError, InputError } from '../runtime/errors.js';
import { lintText, type LintProblem } from '../values/index.js';
import { parseCommandArgs } from './args.js';
import type { CliIO, CommandMain } from './types.js';

const HELP = `usage: digestpin lint [--immutable] PATH...

Checks image blocks (maps under image / *Image keys) in YAML files; directories are searched for *.yaml and *.yml.
Reports legacy image.graph keys, missing repository, malformed digest, a repository with a tag or digest,
duplicate keys and YAML syntax errors; with --immutable, also image blocks that pin only a tag.`;

const SKIP_DIRS = new Set(['.git', 'node_modules']);

async function collect(path: string, shown: string, out: { path: string; shown: string }[]): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new FileError(shown, undefined, 'no such file or directory');
  }
  if (!info.isDirectory()) {
    out.push({ path, shown });
    return;
  }
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const child = join(path, entry.name);
    const childShown = join(shown, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) await collect(child, childShown, out);
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push({ path: child, shown: childShown });
  }
}

/** GitHub's workflow-command escaping: data escapes %, CR, LF; properties also escape : and ,. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatProblem(p: LintProblem): string {
  return `${p.file}:${p.line}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}

export function annotation(p: LintProblem): string {
  return `::${p.severity} file=${escapeProperty(p.file)},line=${p.line}::${escapeData(p.message)}`;
}

export const main: CommandMain = async (argv: string[], io: CliIO) => {
  const { values, positionals } = parseCommandArgs('lint', argv, { immutable: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new InputError('PATH', 'give at least one file or directory to lint');
  const files: { path: string; shown: string }[] = [];
  for (const p of positionals) await collect(resolve(io.cwd, p), p, files);
  const annotate = io.env.GITHUB_ACTIONS === 'true';
  let errors = 0;
  for (const file of files) {
    const text = await readFile(file.path, 'utf8');
    const shown = relative(io.cwd, file.path).startsWith('..') ? file.shown : relative(io.cwd, file.path);
    for (const problem of lintText(text, shown, { immutable: Boolean(values.immutable) })) {
      if (problem.severity === 'error') errors++;
      io.stdout(formatProblem(problem));
      if (annotate) io.stdout(annotation(problem));
    }
  }
  io.logger.info(`lint: ${files.length} file(s) checked, ${errors} error(s)`);
  return errors > 0 ? 1 : 0;
};
