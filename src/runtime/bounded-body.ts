// Reads an HTTP response body up to a size cap. A hostile or broken server can send an endless body, stall in
// the middle of one or drop the connection; the read stops at the cap (or the request's deadline, which the
// caller's fetch signal enforces) and says which of the two happened. Callers word their own one-line errors.

/** The body is (or declares itself) larger than the cap; it was cancelled, not drained. */
export class BodyTooLarge extends Error {}

/** The body stopped arriving after `bytes` bytes; `cause` is what the stream threw. */
export class BodyReadFailed extends Error {
  constructor(readonly bytes: number, cause: unknown) {
    super(`reading the body failed after ${bytes} bytes`, { cause });
  }
}

export async function readBounded(response: Response, cap: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge();
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch (error) {
      throw new BodyReadFailed(size, error);
    }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLarge();
    }
    chunks.push(step.value);
  }
  return Buffer.concat(chunks);
}

/** Why a request or a body read failed, in words: timeout, connection reset, or the error's own name. */
export function describeReadFailure(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const code = e?.code ?? e?.cause?.code;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || e?.message === 'terminated') return 'the connection was reset';
  return code ?? e?.cause?.message ?? e?.message ?? String(error);
}
