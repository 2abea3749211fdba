// Runs the bundled action (dist/index.js) the way the Actions runner does: INPUT_* variables, and
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH and RUNNER_TEMP pointing at temp files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { gitIdentityEnv } from './git-fixtures.js';

export const ROOT = resolve(import.meta.dirname, '../..');
/** node_modules/.bin/node is the node@24 package: the runtime `runs.using: node24` gives. */
export const NODE24 = join(ROOT, 'node_modules/.bin/node');

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Lines of the form ::error...::message */
  errors: string[];
  tempDir: string;
}

/** Parses the `name<<DELIMITER ... DELIMITER` records @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    outputs[m[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

export async function runActionBundle(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'digestpin-e2e-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary.md'), event: join(dir, 'event.json') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  writeFileSync(files.event, JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'ameide/example-service' } }));
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  const result = await execa(NODE24, [join(ROOT, 'dist/index.js')], {
    cwd: ROOT,
    reject: false,
    extendEnv: false,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_WORKSPACE: ROOT,
      GITHUB_REPOSITORY: 'ameide/example-service',
      GITHUB_SHA: 'c0ffee0123456789abcdef0123456789abcdef01',
      GITHUB_RUN_ID: '4242',
      GITHUB_SERVER_URL: 'https://github.com',
      RUNNER_TEMP: join(dir, 'runner-temp'),
      ...gitIdentityEnv,
      ...inputEnv,
      ...env,
    },
  });
  const stdout = String(result.stdout);
  return {
    exitCode: result.exitCode ?? -1,
    stdout,
    stderr: String(result.stderr),
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    errors: stdout.split('\n').filter((l) => l.startsWith('::error')),
    tempDir: dir,
  };
}

export function cleanup(run: ActionRun): void {
  rmSync(run.tempDir, { recursive: true, force: true });
}
