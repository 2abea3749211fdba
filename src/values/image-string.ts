// One-string image references as values files hold them: `repo`, `repo:tag`, `repo@sha256:…`, `repo:tag@sha256:…`,
// and tags that carry their own digest (Renovate's `tag: 18.19.0@sha256:…`). Lenient split, exact re-join.

export interface ImageString {
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits a reference string; a colon before the last slash is a registry port, not a tag. */
export function parseImageString(value: string): ImageString {
  const at = value.indexOf('@');
  const name = at >= 0 ? value.slice(0, at) : value;
  const digest = at >= 0 ? value.slice(at + 1) : undefined;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return { repository: name.slice(0, colon), tag: name.slice(colon + 1), ...(digest !== undefined ? { digest } : {}) };
  return { repository: name, ...(digest !== undefined ? { digest } : {}) };
}

export function formatImageString(image: ImageString): string {
  return `${image.repository}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}

/** A tag value split into its tag and an embedded digest (`v1@sha256:…`). */
export function splitTag(value: string): { tag: string; digest?: string } {
  const at = value.indexOf('@');
  return at >= 0 ? { tag: value.slice(0, at), digest: value.slice(at + 1) } : { tag: value };
}
