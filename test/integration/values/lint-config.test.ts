// `digestpin lint --config`: every file the config names is linted, and a file of an `immutable: true`
// environment is linted as immutable (a tag-only image block is an error there, and not elsewhere).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/dispatch.js';
import { memoryLogger } from '../../../src/runtime/logger.js';

let dir: string;
const TAG_ONLY = 'image:\n  repository: reg.example:5000/team/agents\n  tag: 1.0.0\n';

function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

async function lint(...argv: string[]) {
  const out: string[] = [];
  const code = await runCli(['lint', ...argv], { stdout: (t) => out.push(t), logger: memoryLogger(), env: {}, cwd: dir });
  return { code, out: out.join('\n') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'digestpin-lint-config-'));
  write('envs/dev/agents.yaml', TAG_ONLY);
  write('envs/prod/agents.yaml', TAG_ONLY);
  // grafana's layout, pinned with style sha under a custom key: the hex field is the pin.
  write('envs/prod/grafana.yaml', `image:\n  repository: reg.example:5000/grafana/grafana\n  tag: 10.1.0\n  checksum: ${'a'.repeat(64)}\n`);
  write('digestpin.yaml', [
    'environments:',
    '  dev:',
    '    services:',
    '      agents: { file: envs/dev/agents.yaml }',
    '  prod:',
    '    immutable: true',
    '    services:',
    '      agents: { file: envs/prod/agents.yaml }',
    '      grafana: { file: envs/prod/grafana.yaml, style: sha, sha-key: checksum }',
    '',
  ].join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('digestpin lint --config', () => {
  it("lints the immutable environment's files as immutable, and the others as they are", async () => {
    const r = await lint('--config', 'digestpin.yaml', '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { files: number; problems: Array<{ file: string; rule: string }> };
    expect(report.files).toBe(3);
    expect(report.problems.filter((p) => p.rule === 'tag-only').map((p) => p.file)).toEqual(['envs/prod/agents.yaml']);
  });
});
