// Reads one blob's exact bytes over REST (`GET /repos/{owner}/{repo}/git/blobs/{sha}`): for texts GraphQL cut at
// 512,000 bytes (B3) or could not return byte for byte (B17). Bytes that are not UTF-8 are refused with the offset.
import { decodeUtf8 } from '../../runtime/utf8.js';
import type { GitHubApi } from './api.js';
import type { Target } from './pull-request.js';

/** The blob's text, decoded strictly as UTF-8; `file` names it in the error (e.g. `main:apps/x/values.yaml`). */
export async function readBlobText(api: GitHubApi, t: Target, oid: string, file: string): Promise<string> {
  const blob = await api.rest<{ content: string; encoding: string }>(
    'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
    { owner: t.owner, repo: t.repo, file_sha: oid },
    { step: 'read-blob', repository: t.repository },
  );
  return blob.encoding === 'base64' ? decodeUtf8(Buffer.from(blob.content, 'base64'), file) : blob.content;
}
