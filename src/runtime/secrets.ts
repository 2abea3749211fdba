// Process-wide secret registry. Everything that leaves the process (logs, errors, outputs, PR bodies,
// summaries) goes through redact(). Derived secrets (base64 pairs, bearer tokens) are registered too.
// Strings a server issued (registry bearer tokens) are kept apart: a server picks them, so one equal to
// `sha256` or to a digest must not blank out ordinary outputs; they are masked in log lines only (redactLog).

const secrets = new Set<string>();
const issued = new Set<string>();
const listeners: Array<(secret: string) => void> = [];

/** Registers a user's secret and the forms it is commonly seen in. Ignores short values, which would mask noise. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4) return;
  const forms = [value, Buffer.from(value).toString('base64'), encodeURIComponent(value)];
  for (const form of forms) {
    if (form.length < 4 || secrets.has(form)) continue;
    secrets.add(form);
    for (const listener of listeners) listener(form);
  }
}

/**
 * Registers a string a server issued (a bearer token). It never reaches the runner's add-mask (which would mask
 * it everywhere, outputs and summary included) and never redacts outputs, commits or PR text; log lines and
 * errors drop it. Short values are ignored: they can't be told from ordinary words.
 */
export function registerIssuedSecret(value: string | undefined): void {
  if (!value || value.length < 8 || secrets.has(value)) return;
  issued.add(value);
}

/** Called for every user secret registered from now on (the action forwards them to core.setSecret). */
export function onSecret(listener: (secret: string) => void): void {
  listeners.push(listener);
  for (const secret of secrets) listener(secret);
}

function mask(text: string, set: Iterable<string>): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...set].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** The user's secrets masked: for outputs, summaries, commit messages and PR text. */
export function redact(text: string): string {
  return mask(text, secrets);
}

/** The user's secrets and server-issued tokens masked: for log lines and error messages. */
export function redactLog(text: string): string {
  return mask(redact(text), issued);
}

/** For tests only. */
export function clearSecrets(): void {
  secrets.clear();
  issued.clear();
}
