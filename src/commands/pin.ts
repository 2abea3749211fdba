// `digestpin pin`: writes a digest into one values or kustomization file, in place (temp file + rename,
// so the file is never half-written), or with --check prints the diff and leaves the file alone.
import { randomBytes } from 'node:crypto';
import { lstat, readFile, readlink, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError, InputError } from '../runtime/errors.js';
import { decodeUtf8, diffLines, pinText, PIN_STYLES, targetFromSpec, TARGET_KEYS, type Pin, type PinResult, type PinTarget, type TagPolicy } from '../values/index.js';
import { parseCommandArgs } from './args.js';
import type { CliIO, CommandMain } from './types.js';

const HELP = `usage: digestpin pin --file F (--key PATH | --kustomize-image NAME | --yaml-path PATH | --marker NAME | --container NAME) --digest D [options]

Writes digest D into F, changing no other byte.
  --key PATH               Helm values image block (image, migrations.image, sidecars[0].image): sets PATH.digest
  --kustomize-image NAME   kustomization.yaml images: entry with name NAME: sets its digest
  --yaml-path PATH         any scalar path, e.g. spec.values.image.digest
  --marker NAME            every line marked # digestpin: NAME[:tag|:name|:digest], or Flux's
                           # {"$imagepolicy": "ns:NAME[:tag|:name|:digest]"}
  --style S                how --key is written, as the chart reads it: digest (default: repository/tag/digest),
                           sha (hex only, grafana), tag-digest (tag: v1@sha256:…, argo-cd), reference (one string
                           repo:tag@sha256:…), registry (ingress-nginx registry/image/digest)
  --sha-key NAME           the field for --style sha (default sha)
  --container NAME         --style reference on the image of the container NAME (in the list at --key, or in
                           any containers / initContainers list)

options:
  --repository R      the image being pinned; the block's repository (or newName) must name it
  --set-repository    write R into repository (or newName) instead of checking it
  --tag T | --keep-tag | --remove-tag   what to do with the tag (default: Helm keeps tag,
                      kustomize drops newTag, since kustomize would render name:tag@digest)
  --create            create the image block / images entry when it is missing
  --allow-alias       allow changing a value shared through a YAML anchor
  --check             print the diff and change nothing`;

const OPTIONS = {
  file: { type: 'string' },
  key: { type: 'string' },
  'kustomize-image': { type: 'string' },
  'yaml-path': { type: 'string' },
  marker: { type: 'string' },
  style: { type: 'string' },
  'sha-key': { type: 'string' },
  container: { type: 'string' },
  digest: { type: 'string' },
  repository: { type: 'string' },
  'set-repository': { type: 'boolean' },
  tag: { type: 'string' },
  'keep-tag': { type: 'boolean' },
  'remove-tag': { type: 'boolean' },
  create: { type: 'boolean' },
  'allow-alias': { type: 'boolean' },
  check: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

function targetOf(values: Values): PinTarget {
  if (TARGET_KEYS.filter((k) => values[k] !== undefined).length > 1 || (TARGET_KEYS.every((k) => values[k] === undefined) && !values.container)) {
    throw new InputError('--key', 'give exactly one of --key PATH, --kustomize-image NAME, --yaml-path PATH or --marker NAME');
  }
  const target = targetFromSpec(values);
  if ('problem' in target) {
    const flag = values.style && !PIN_STYLES.includes(values.style as never) ? '--style' : values['sha-key'] ? '--sha-key' : values.container ? '--container' : '--style';
    throw new InputError(flag, target.problem);
  }
  return target;
}

function tagOf(values: Values): TagPolicy | undefined {
  const given = [values.tag !== undefined, values['keep-tag'], values['remove-tag']].filter(Boolean).length;
  if (given > 1) throw new InputError('--tag', 'give at most one of --tag T, --keep-tag, --remove-tag');
  if (values.tag !== undefined) return { mode: 'set', value: values.tag };
  if (values['remove-tag']) return { mode: 'remove' };
  // No flag: the engine's default (Helm keeps the tag, kustomize drops newTag so the image renders name@digest).
  return values['keep-tag'] ? { mode: 'keep' } : undefined;
}

/** Turns parsed flags into the engine's Pin (pure; the engine validates the digest itself). */
export function pinFromFlags(values: Values): Pin {
  if (!values.digest) throw new InputError('--digest', 'is required, e.g. --digest sha256:<64 hex>');
  return {
    target: targetOf(values),
    digest: values.digest,
    ...(values.repository ? { repository: values.repository } : {}),
    setRepository: Boolean(values['set-repository']),
    ...(tagOf(values) ? { tag: tagOf(values) } : {}),
    createMissing: Boolean(values.create),
    allowAlias: Boolean(values['allow-alias']),
  };
}

/** Writes beside the target and renames over it: readers see the old file or the new one, never half. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const mode = (await stat(path)).mode & 0o7777;
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { mode });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * The file's text. A symlink is refused: renaming over it would replace the link with a regular file, and
 * writing through it could change a file outside the repository (the GitOps backends refuse links too).
 */
async function readText(path: string, shown: string): Promise<string> {
  try {
    const info = await lstat(path);
    if (info.isSymbolicLink()) {
      throw new FileError(shown, undefined, `is a symbolic link (to ${await readlink(path)}); pin the file it points to instead (nothing was changed)`);
    }
    return decodeUtf8(await readFile(path), shown);
  } catch (error) {
    if (error instanceof FileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new FileError(shown, undefined, code === 'ENOENT' ? 'no such file' : `can't read: ${code ?? String(error)}`);
  }
}

/** `, tag 1.0.0 removed` / `, tag set to v2 (was v1)`: said whenever the pin changed the tag. */
function tagNote(result: PinResult): string {
  const t = result.tags[0];
  if (t?.action === 'removed') return `, tag ${t.before ?? ''} removed`;
  if (t?.action === 'set') return `, tag set to ${t.after}${t.before ? ` (was ${t.before})` : ''}`;
  return '';
}

export const main: CommandMain = async (argv: string[], io: CliIO) => {
  const { values } = parseCommandArgs('pin', argv, OPTIONS);
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (!values.file) throw new InputError('--file', 'is required: the values or kustomization file to edit');
  const pin = pinFromFlags(values);
  const path = resolve(io.cwd, values.file);
  const before = await readText(path, values.file);
  const result = pinText(before, [pin], { file: values.file, verify: true, hints: 'cli' });
  if (!result.changed) {
    io.stdout(`${values.file} already pins ${pin.digest}`);
    return 0;
  }
  const digestChange = result.changes.find((c) => c.kind !== 'removed' && c.after?.includes(pin.digest.slice(pin.digest.indexOf(':') + 1))) ?? result.changes[0]!;
  const was = `${result.previousDigest ? `was ${result.previousDigest}` : 'was unset'}${tagNote(result)}`;
  if (values.check) {
    io.stdout(`${values.file} would change: ${digestChange.key} ${pin.digest} (${was})`);
    for (const line of diffLines(before, result.text)) io.stdout(line);
    return 0;
  }
  await writeFileAtomic(path, result.text);
  io.stdout(`pinned ${values.file}: ${digestChange.key} ${pin.digest} (${was})`);
  return 0;
};
