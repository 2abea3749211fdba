// A private scratch folder: made fresh by mkdtemp (a new, unpredictable name, mode 0700), so a folder or symlink
// another user planted under the shared temp dir is never followed or reused. Removed by the returned cleanup.
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestpinError } from './errors.js';

export interface PrivateDir {
  path: string;
  remove(): Promise<void>;
}

/** Creates `<parent>/digestpin-XXXXXX` owner-only, and checks that what was made is that directory. */
export async function createPrivateDir(parent: string = tmpdir()): Promise<PrivateDir> {
  const path = await mkdtemp(join(parent, 'digestpin-'));
  const stat = await lstat(path);
  const uid = process.getuid?.();
  // mkdtemp creates with 0700 and fails on an existing name; this only guards against an odd umask or filesystem.
  if (!stat.isDirectory() || (stat.mode & 0o077) !== 0 || (uid !== undefined && stat.uid !== uid)) {
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    throw new DigestpinError(`the temp folder ${path} is not a private directory of this user; set RUNNER_TEMP or TMPDIR to a folder only you can write`);
  }
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
