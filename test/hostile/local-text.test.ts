// What digestpin prints can't be steered (item 5), server tokens don't blank outputs (item 9), and the CLI's
// scratch folder is fresh and private, whatever another user planted under the temp dir (item 14).
import { afterEach, describe, expect, it } from 'vitest';
import { watch } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inertLine, inertText, quoteServerText } from '../../src/runtime/log-text.js';
import { memoryLogger } from '../../src/runtime/logger.js';
import { clearSecrets, redact, redactLog, registerIssuedSecret, registerSecret } from '../../src/runtime/secrets.js';
import { createPrivateDir } from '../../src/runtime/temp-dir.js';
import { runCli } from '../../src/commands/dispatch.js';
import { createBareRepo } from '../support/git-fixtures.js';
import { startHostileRegistry } from './support/hostile-registry.js';

afterEach(() => clearSecrets());

describe('inert log text', () => {
  it.each([
    ['a\n::add-mask::sha256', 'a\n:\u200b:add-mask::sha256'],
    ['ok\r::warning::x', 'ok\n:\u200b:warning::x'],
    ['  ::error::x', '  :\u200b:error::x'],
    ['##[group]x', '#\u200b#[group]x'],
    ['color \u001b[31mred', 'color \\u001b[31mred'],
    ['plain line :: inside', 'plain line :: inside'],
  ])('%j', (raw, shown) => {
    expect(inertText(raw)).toBe(shown);
  });

  it('shows a newline inside one line, and quotes server text', () => {
    expect(inertLine('a\nb')).toBe('a\\u000ab');
    expect(quoteServerText('linux\n::warning::x')).toBe('"linux\\n::warning::x"');
  });

  it('the loggers apply it to every line', () => {
    const logger = memoryLogger();
    logger.info('platform linux\n::add-mask::sha256');
    expect(logger.lines).toEqual(['platform linux\n:\u200b:add-mask::sha256']);
  });
});

describe('server-issued secrets', () => {
  it('are masked in logs but not in outputs; user secrets in both', () => {
    registerSecret('user-password-1');
    registerIssuedSecret('sha256');
    registerIssuedSecret('issued-token-0123456789');
    const text = 'sha256:abc user-password-1 issued-token-0123456789';
    expect(redact(text)).toBe('sha256:abc *** issued-token-0123456789');
    expect(redactLog(text)).toBe('sha256:abc *** ***');
  });
});

describe('private temp folders (item 14)', () => {
  it('createPrivateDir makes a fresh 0700 folder and removes it', async () => {
    const dir = await createPrivateDir();
    const stat = await lstat(dir.path);
    expect(stat.isDirectory()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o700);
    await dir.remove();
    await expect(lstat(dir.path)).rejects.toThrow();
  });

  it('the CLI never follows a symlink planted at the old fixed temp path, and leaves nothing behind', async () => {
    const root = await mkdtemp(join(tmpdir(), 'digestpin-plant-'));
    const attacker = join(root, 'attacker');
    const temp = join(root, 'tmp');
    await mkdir(attacker);
    await mkdir(temp);
    await symlink(attacker, join(temp, 'digestpin'));
    const registry = await startHostileRegistry('ok');
    const file = 'values.yaml';
    const repo = await createBareRepo({ [file]: `image:\n  repository: ${registry.host}/app\n  digest: ""\n` });
    // The attacker watches the folder the symlink points at: anything created there, even briefly, is seen.
    const seen: string[] = [];
    const watcher = watch(attacker, (_event, name) => seen.push(String(name)));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const lines: string[] = [];
      const code = await runCli(
        ['promote', '--repo', repo.path, '--environment', 'dev', '--service', 'app', '--file', file, '--image-ref', `${registry.host}/app:v1`, '--mode', 'direct'],
        { logger: { ...memoryLogger(), info: (m) => lines.push(m), error: (m) => lines.push(m) }, stdout: () => undefined, env: { DOCKER_CONFIG: '/nonexistent' }, cwd: root },
      );
      expect(lines.filter((l) => /error/.test(l))).toEqual([]);
      expect(code).toBe(0);
      expect(await repo.readFile(file)).toContain(registry.image.indexDigest);
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toEqual([]);
      expect(await readdir(attacker)).toEqual([]);
      expect((await readdir(temp)).sort()).toEqual(['digestpin']);
    } finally {
      watcher.close();
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await registry.stop();
      await repo.cleanup();
      await rm(root, { recursive: true, force: true });
    }
  });
});
