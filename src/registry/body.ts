// Bounded reads of registry response bodies. A hostile or broken registry can send an endless body, stall in the
// middle of one or drop the connection; each read stops at a size cap or the request's deadline and fails with
// one line naming the registry, the request and what happened. Bodies not needed are cancelled, never drained.
import { RegistryError } from '../runtime/errors.js';
import { BodyReadFailed, BodyTooLarge, describeReadFailure, readBounded } from '../runtime/bounded-body.js';

export { describeReadFailure } from '../runtime/bounded-body.js';

const MiB = 1024 * 1024;

/**
 * Size caps. Manifests and indexes: the distribution spec has registries accept manifests up to 4 MiB, so a
 * bigger one can't have been pushed. Config blobs hold history and labels; 8 MiB is far above real ones. Token
 * replies are a JWT or two in JSON. Error bodies are only searched for an error code.
 */
export const BODY_LIMITS = { manifest: 4 * MiB, config: 8 * MiB, token: 1 * MiB, errorText: 64 * 1024 } as const;

/** What a request was, for messages: set by the transport on every response it returns. */
export interface RequestInfo {
  /** `GET http://host/v2/...` (no query: a token URL's query names the scope, which is noise here). */
  request: string;
  host: string;
  timeoutMs: number;
}

const infos = new WeakMap<Response, RequestInfo>();

export function rememberRequest(response: Response, info: RequestInfo): void {
  infos.set(response, info);
}

function infoOf(response: Response): RequestInfo {
  return infos.get(response) ?? { request: `request to ${response.url || 'the registry'}`, host: 'the registry', timeoutMs: 0 };
}

/**
 * Reads the whole body, at most `cap` bytes. `what` names the body in errors (`manifest`, `config blob`,
 * `token reply`). A Content-Length above the cap fails before anything is read.
 */
export async function readCapped(response: Response, cap: number, image: string, what: string): Promise<Uint8Array> {
  const info = infoOf(response);
  try {
    return await readBounded(response, cap);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      throw new RegistryError(`${image}: ${info.host} sent a ${what} larger than the ${cap}-byte limit (${info.request}); digestpin stopped reading`, image);
    }
    if (!(error instanceof BodyReadFailed)) throw error;
    const why = describeReadFailure(error.cause, info.timeoutMs);
    throw new RegistryError(`${image}: reading the ${what} from ${info.host} failed after ${error.bytes} bytes (${info.request}): ${why}`, image, undefined, { cause: error.cause });
  }
}

/** Up to BODY_LIMITS.errorText of an error body, as text; '' when it can't be read. Never throws. */
export async function readErrorText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_LIMITS.errorText) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // An error body that fails to arrive says nothing more than its status.
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, BODY_LIMITS.errorText).toString('utf8');
}

/** Drops a body that is not needed (HEAD replies, 401s, retried 5xx) without reading an endless one. */
export async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
