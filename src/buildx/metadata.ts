// Reads buildx's `--metadata-file` JSON: the digest comes from here, never from the build log.
// Contract: returns a validated digest and descriptor, or throws FileError naming the file.
import { FileError } from '../runtime/errors.js';
import { isValidDigest } from '../registry/reference.js';
import type { BuildDescriptor, BuildMetadata } from './types.js';

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && isValidDigest(value);
}

/** Parses the metadata JSON buildx wrote to `file` (the path is only used in messages). */
export function parseBuildMetadata(json: string, file: string): BuildMetadata {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FileError(file, undefined, `buildx metadata is not JSON (${reason})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new FileError(file, undefined, 'buildx metadata is not a JSON object');
  }
  const record = raw as Record<string, unknown>;
  const digest = record['containerimage.digest'];
  if (digest === undefined) {
    throw new FileError(file, undefined, 'buildx metadata has no containerimage.digest: the build exported no image (was it pushed?)');
  }
  if (!isDigest(digest)) {
    throw new FileError(file, undefined, `containerimage.digest '${String(digest)}' is not a sha256:<64 hex> digest`);
  }
  const descriptor = parseDescriptor(record['containerimage.descriptor'], file);
  if (descriptor.digest !== digest) {
    throw new FileError(file, undefined, `containerimage.descriptor digest ${descriptor.digest} differs from containerimage.digest ${digest}`);
  }
  return { digest, descriptor, imageNames: splitNames(record['image.name']), raw: record };
}

function parseDescriptor(value: unknown, file: string): BuildDescriptor {
  if (value === null || typeof value !== 'object') {
    throw new FileError(file, undefined, 'buildx metadata has no containerimage.descriptor (buildx 0.10 or later writes it)');
  }
  const { mediaType, digest, size } = value as Record<string, unknown>;
  if (typeof mediaType !== 'string' || mediaType === '') {
    throw new FileError(file, undefined, 'containerimage.descriptor has no mediaType');
  }
  if (!isDigest(digest)) {
    throw new FileError(file, undefined, `containerimage.descriptor digest '${String(digest)}' is not a sha256:<64 hex> digest`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0) {
    throw new FileError(file, undefined, `containerimage.descriptor size '${String(size)}' is not a positive integer`);
  }
  return { mediaType, digest, size };
}

function splitNames(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value.split(',').map((name) => name.trim()).filter((name) => name !== '');
}
