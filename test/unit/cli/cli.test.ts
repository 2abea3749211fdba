// The CLI's own surface, in-process: version, help, "did you mean", one-line flag errors, --json on
// failure, the one vocabulary with the action (and the old names' deprecation), cut quoted values.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { pipelineInputs } from '../../../src/commands/pipeline-command.js';
import { PROMOTE } from '../../../src/commands/promote.js';
import { SHIP } from '../../../src/commands/ship.js';
import { cutQuoted } from '../../../src/commands/error-text.js';
import { jsonOutputs } from '../../../src/commands/json-output.js';
import type { PipelineResult } from '../../../src/promote/pipeline.js';
import { memoryLogger } from '../../../src/runtime/logger.js';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

async function cli(argv: string[]) {
  const out: string[] = [];
  const logger = memoryLogger();
  const code = await runCli(argv, { stdout: (t) => out.push(t), logger, env: {}, cwd: '/tmp' });
  return { code, out: out.join('\n'), err: logger.lines };
}

const BASE = ['--repo', 'ameide/gitops', '--environment', 'dev'];

describe('digestpin CLI', () => {
  it.each([['--version'], ['-V'], ['version']])('%s prints the version', async (flag) => {
    expect(await cli([flag])).toEqual({ code: 0, out: `digestpin ${version}`, err: [] });
  });

  it('help <command> prints that command\'s flags', async () => {
    const r = await cli(['help', 'promote']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: digestpin promote /);
    expect(r.out).toContain('--gitops-repository, --repo VALUE');
    expect(r.out).toContain('--values-file VALUE');
    expect(r.out).toContain('--file (deprecated: --values-file)');
    expect((await cli(['help'])).out).toContain("Run 'digestpin help <command>'");
  });

  it.each([
    [['promot'], "unknown command 'promot'; did you mean 'promote'?"],
    [['help', 'shp'], "unknown command 'shp'; did you mean 'ship'?"],
    [['frobnicate'], "unknown command 'frobnicate' (commands: resolve, pin, lint, promote, plan, verify, ship)"],
    [['promote', ...BASE, '--enviroment', 'dev'], "unknown flag '--enviroment'; did you mean '--environment'? (see 'digestpin promote --help')"],
    [['promote', ...BASE, '--valuesFile', 'x.yaml'], "unknown flag '--valuesFile'; did you mean '--values-file'?"],
    [['resolve', 'x', '--platfrom=linux/arm64'], "unknown flag '--platfrom'; did you mean '--platform'?"],
    [['promote', ...BASE, '--zzz'], "unknown flag '--zzz' (see 'digestpin promote --help')"],
    [['promote', '--environment'], "flag '--environment' needs a value (see 'digestpin promote --help')"],
    [['promote', '--dry-run=yes'], "flag '--dry-run' takes no value"],
    [['promote', 'stray'], "unexpected argument 'stray' (see 'digestpin promote --help')"],
    [['promote', '-x'], "unknown flag '-x'"],
    [['--json'], "unknown flag '--json' before a command"],
  ])('%j is one line on stderr, exit 2', async (argv, message) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain(message);
    expect(r.err[0]).not.toMatch(/To specify a positional argument|ERR_PARSE_ARGS/);
  });

  it('--json prints {"error": …} on stdout on failure, with the same exit code', async () => {
    const bad = await cli(['promote', ...BASE, '--values-file', '../x.yaml', '--image-ref', 'ghcr.io/a/b:1', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toEqual({ error: "input '--values-file': '../x.yaml' must be a path inside the GitOps repository, without '..'", input: '--values-file' });
    const unknown = await cli(['promote', '--json', '--enviroment', 'dev']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.out)).toMatchObject({ error: expect.stringContaining("did you mean '--environment'") });
    const plain = await cli(['promote', ...BASE, '--values-file', '../x.yaml', '--image-ref', 'ghcr.io/a/b:1']);
    expect(plain.out).toBe('');
  });

  it('cuts a long quoted value in an error and says how long it was', async () => {
    const long = `${'x '.repeat(357)}x`;
    const r = await cli(['promote', ...BASE, '--values-file', 'v.yaml', '--image-ref', 'ghcr.io/a/b:1', '--service', long]);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain(`'${long.slice(0, 60)}…' (715 characters)`);
    expect(r.err[0]!.length).toBeLessThan(200);
  });
});

describe('one vocabulary with the action', () => {
  const io = () => ({ stdout: () => {}, logger: memoryLogger(), env: {}, cwd: '/ws' });

  it('maps every flag onto the action input of the same name', () => {
    const { env } = pipelineInputs(PROMOTE, [...BASE, '--values-file', 'v.yaml', '--pr-labels', 'a,b', '--pr-labels', 'c', '--assignees', 'bob'], io());
    expect(env).toMatchObject({ 'INPUT_GITOPS-REPOSITORY': 'ameide/gitops', 'INPUT_VALUES-FILE': 'v.yaml', 'INPUT_PR-LABELS': 'a,b\nc', INPUT_ASSIGNEES: 'bob' });
    const action = parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> };
    for (const [flag, spec] of Object.entries({ ...PROMOTE.flags, ...SHIP.flags })) {
      expect(spec.input).toBe(flag);
      expect(Object.keys(action.inputs), `action.yml has no input '${flag}'`).toContain(flag);
    }
  });

  it('keeps the old promote names for one release, with a deprecation warning', () => {
    const log = io();
    const { env, typed } = pipelineInputs(PROMOTE, [...BASE, '--file', 'v.yaml', '--labels', 'promotion'], log);
    expect(env).toMatchObject({ 'INPUT_VALUES-FILE': 'v.yaml', 'INPUT_PR-LABELS': 'promotion' });
    expect(env.INPUT_FILE).toBeUndefined();
    expect(typed['values-file']).toBe('--file');
    expect(log.logger.lines).toEqual([expect.stringMatching(/^warning: --file for the values file is deprecated: use --values-file/), expect.stringMatching(/^warning: --labels for PR labels is deprecated: use --pr-labels/)]);
  });

  it('ship: --file is the Dockerfile and --labels are image labels, as in the action', () => {
    const log = io();
    const { env } = pipelineInputs(SHIP, [...BASE, '--file', 'svc/Dockerfile', '--values-file', 'v.yaml', '--labels', 'org.opencontainers.image.vendor=ameide', '--pr-labels', 'promotion'], log);
    expect(env).toMatchObject({ INPUT_FILE: 'svc/Dockerfile', 'INPUT_VALUES-FILE': 'v.yaml', INPUT_LABELS: 'org.opencontainers.image.vendor=ameide', 'INPUT_PR-LABELS': 'promotion' });
    expect(log.logger.lines).toEqual([]);
  });

  it('ship: an old-style --file (no --values-file or --config) and a --labels without = keep their old meaning, with a warning', () => {
    const log = io();
    const { env } = pipelineInputs(SHIP, [...BASE, '--file', 'v.yaml', '--labels', 'promotion', '--label', 'a=b'], log);
    expect(env.INPUT_FILE).toBeUndefined();
    expect(env).toMatchObject({ 'INPUT_VALUES-FILE': 'v.yaml', INPUT_LABELS: 'a=b', 'INPUT_PR-LABELS': 'promotion' });
    expect(log.logger.lines).toHaveLength(2);
  });

  it('refuses a flag given under two of its names', async () => {
    const r = await cli(['promote', '--repo', 'a/b', '--gitops-repository', 'c/d']);
    expect(r.code).toBe(2);
    expect(r.err[0]).toContain("input '--repo': give --gitops-repository or --repo, not both");
  });
});

describe('--json outputs', () => {
  it('gives numbers, arrays and null as JSON types', () => {
    const result = {
      digest: 'sha256:1',
      imageRef: 'a@sha256:1',
      pinnedRef: 'b@sha256:1',
      promotion: { operation: 'created', pullRequestNumber: 12, pullRequestUrl: 'https://x/pull/12', changedFiles: [{ path: 'a.yaml' }, { path: 'b.yaml' }], branch: 'digestpin/dev/agents' },
    } as unknown as PipelineResult;
    expect(jsonOutputs(result, false)).toEqual({
      digest: 'sha256:1',
      'image-ref': 'a@sha256:1',
      'pinned-ref': 'b@sha256:1',
      'changed-files': ['a.yaml', 'b.yaml'],
      'pull-request-number': 12,
      'pull-request-url': 'https://x/pull/12',
      operation: 'created',
      'commit-sha': null,
      branch: 'digestpin/dev/agents',
      'dry-run': false,
    });
  });

  it('cutQuoted leaves short values alone', () => {
    expect(cutQuoted("input 'x': 'short' is bad")).toBe("input 'x': 'short' is bad");
    expect(cutQuoted(`value "${'y'.repeat(100)}" is bad`)).toBe(`value "${'y'.repeat(60)}…" (100 characters) is bad`);
  });

  it('cutQuoted never takes the text between two quoted values for a value', () => {
    const between = ` failed for reg/acme/svc@sha256:${'0'.repeat(64)}: the source repository is `;
    const message = `policy 'attestation'${between}'https://github.com/acme/svc.git', not 'https://github.com/acme/other'`;
    expect(cutQuoted(message)).toBe(message);
  });
});
