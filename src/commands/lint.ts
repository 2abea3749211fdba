// `digestpin lint [--immutable] [--json] PATH...`: checks image blocks in values files (directories recurse into
// *.yaml / *.yml), prints `file:line: message`, annotates in GitHub Actions, exits 1 on errors.
// `digestpin lint --chart CHART [VALUES...]` also says, per image block, whether the chart reads the pinned field.
// `digestpin lint --online [--config FILE]` also checks that every pinned digest is still at its registry.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { FileError, InputError } from '../runtime/errors.js';
import { decodeUtf8, lintText, type LintProblem } from '../values/index.js';
import { chartReads } from '../values/chart-check.js';
import { lintAgainstChart } from '../values/chart-lint.js';
import { readLocalChart } from '../chart/read-chart.js';
import { parseCommandArgs } from './args.js';
import type { CliIO, CommandMain } from './types.js';
import type { OnlineReport } from './lint-online.js';

const HELP = `usage: digestpin lint [--immutable] [--json] PATH...
       digestpin lint --chart CHART [--json] [VALUES...]
       digestpin lint --online [--config digestpin.yaml] [--json] [PATH...]

Checks image blocks (maps under image / *Image keys) in YAML files; directories are searched for *.yaml and *.yml.
Reports legacy image.graph keys, missing repository, malformed digest, a repository with a tag or digest,
a tag whose own @sha256: differs from digest:, duplicate keys and YAML syntax errors; with --immutable, also
image blocks that pin only a tag.
  --chart CHART   read the Helm chart's templates (CHART/templates, CHART/charts/*/templates) and say, for each
                  image block of the values files (default CHART/values.yaml), whether the chart reads the field
                  the pin writes; an ignored pinned field is an error, and the report names the style that matches
  --online        also check that every pinned digest still exists at the registry it is pulled from (one HEAD
                  per distinct digest): a cleaned-up registry is caught before Argo CD's next sync fails to pull
  --config FILE   lint every file of every environment of digestpin.yaml; pins are read as pinning reads them,
                  and an environment's pull-registry is where its digests are checked
  --alias CLUSTER=HOST      reach registry CLUSTER at HOST; repeatable (with --online)
  --insecure-registry HOST  reach HOST over plain http (loopback hosts always are); repeatable (with --online)
  --credentials-for HOST    give DIGESTPIN_REGISTRY_USERNAME/PASSWORD to HOST; repeatable (with --online)
  --json          print {"files", "errors", "warnings", "problems": [...]} instead of lines (with --online, also
                  "online": {"checked", "requests", "missing": [{"file", "line", "image", "registry", "digest"}]})

credentials (--online): DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD go to the hosts named by
--credentials-for and the config's pull-registry values, never to a host a linted file merely names (a pull
request could add one); other hosts use the docker config's own per-host logins.`;

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
  return `${p.file}:${p.line}: ${p.severity === 'error' ? '' : `${p.severity}: `}${p.message}`;
}

export function annotation(p: LintProblem): string {
  const level = p.severity === 'info' ? 'notice' : p.severity;
  return `::${level} file=${escapeProperty(p.file)},line=${p.line}::${escapeData(p.message)}`;
}

async function filesToLint(io: CliIO, positionals: string[], chart: string | undefined, fromConfig: string[] = []): Promise<{ path: string; shown: string }[]> {
  const files: { path: string; shown: string }[] = [];
  const given = [...(positionals.length > 0 ? positionals : chart ? [join(chart, 'values.yaml')] : []), ...fromConfig];
  if (given.length === 0) throw new InputError('PATH', 'give at least one file or directory to lint (or --config)');
  for (const p of given) await collect(resolve(io.cwd, p), p, files);
  return files;
}

/** Lint only reads, so a symlinked file is read through; bytes that are not UTF-8 are refused with their offset. */
async function readValues(path: string, shown: string): Promise<string> {
  return decodeUtf8(await readFile(path), shown);
}

export const main: CommandMain = async (argv: string[], io: CliIO) => {
  const options = {
    immutable: { type: 'boolean' },
    json: { type: 'boolean' },
    chart: { type: 'string' },
    online: { type: 'boolean' },
    config: { type: 'string' },
    alias: { type: 'string', multiple: true },
    'insecure-registry': { type: 'string', multiple: true },
    'credentials-for': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  } as const;
  const { values, positionals } = parseCommandArgs('lint', argv, options, true);
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const chart = values.chart ? await readLocalChart(resolve(io.cwd, values.chart)) : undefined;
  if (values.chart && !chart) throw new InputError('--chart', `'${values.chart}' holds no Chart.yaml; give the chart's folder`);
  const reads = chart ? chartReads(chart.templates) : undefined;
  // The registry client and the config parser load only for --online / --config.
  const onlineModule = values.online || values.config ? await import('./lint-online.js') : undefined;
  const configured = values.config ? await onlineModule!.loadConfigForLint(io, values.config) : undefined;
  const fromConfig = configured ? await onlineModule!.pinsFromConfig(configured.config, configured.root, configured.shownRoot) : undefined;
  const shownFiles = fromConfig?.files.map((f) => join(configured!.shownRoot, f)) ?? [];
  const files = await filesToLint(io, positionals, values.chart, shownFiles);
  const problems: LintProblem[] = [...(fromConfig?.problems ?? [])];
  const texts = new Map<string, string>();
  for (const file of files) {
    const shown = relative(io.cwd, file.path).startsWith('..') ? file.shown : relative(io.cwd, file.path);
    if (texts.has(shown)) continue;
    const text = await readValues(file.path, shown);
    texts.set(shown, text);
    // With --config, a file of an `immutable: true` environment is linted as immutable (issue 9).
    const configOptions = configured ? onlineModule!.lintOptionsInConfig(configured, file.path) : { immutable: false };
    const found = lintText(text, shown, { ...configOptions, immutable: Boolean(values.immutable) || configOptions.immutable });
    const clean = !found.some((p) => p.rule === 'yaml-syntax' || p.rule === 'duplicate-key');
    if (reads && clean) found.push(...lintAgainstChart(text, shown, reads, chart!.vendored));
    problems.push(...found.sort((a, b) => a.line - b.line));
  }
  const online: OnlineReport | undefined = values.online ? await onlineModule!.checkOnline(io, values, texts, fromConfig && { pins: fromConfig.pins, shownFiles }) : undefined;
  if (online) problems.push(...online.findings);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  if (values.json) {
    const missing = online?.findings.filter((f) => f.rule === 'digest-missing').map(({ file, line, image, registry, digest }) => ({ file, line, image, registry, digest }));
    const extra = online ? { online: { checked: online.checked, requests: online.requests, missing } } : {};
    io.stdout(JSON.stringify({ files: texts.size, errors, warnings, problems, ...extra }));
  } else {
    const annotate = io.env.GITHUB_ACTIONS === 'true';
    for (const problem of problems) {
      io.stdout(formatProblem(problem));
      if (annotate) io.stdout(annotation(problem));
    }
  }
  const checkedOnline = online ? `, ${online.checked} pinned digest(s) checked at their registries` : '';
  io.logger.info(`lint: ${texts.size} file(s) checked${chart ? ` against ${chart.templates.length} chart template(s)` : ''}${checkedOnline}, ${errors} error(s)`);
  return errors > 0 ? 1 : 0;
};
