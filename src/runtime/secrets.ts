// Process-wide secret registry. Everything that leaves the process (logs, errors, outputs, PR bodies,
// summaries) goes through redact(). Derived secrets (base64 pairs, bearer tokens) are registered too.

const secrets = new Set<string>();
const listeners: Array<(secret: string) => void> = [];

/** Registers a secret and the forms it is commonly seen in. Ignores short values, which would mask noise. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4) return;
  const forms = [value, Buffer.from(value).toString('base64'), encodeURIComponent(value)];
  for (const form of forms) {
    if (form.length < 4 || secrets.has(form)) continue;
    secrets.add(form);
    for (const listener of listeners) listener(form);
  }
}

/** Called for every secret registered from now on (the action forwards them to core.setSecret). */
export function onSecret(listener: (secret: string) => void): void {
  listeners.push(listener);
  for (const secret of secrets) listener(secret);
}

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** For tests only. */
export function clearSecrets(): void {
  secrets.clear();
}
