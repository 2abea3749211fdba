// Logger backed by @actions/core: groups, annotations with file and line, and masking through add-mask.
import * as core from '@actions/core';
import type { Logger } from '../runtime/logger.js';
import { onSecret, redact } from '../runtime/secrets.js';

export function actionsLogger(): Logger {
  onSecret((secret) => core.setSecret(secret));
  const props = (p?: { file?: string; startLine?: number; title?: string }) => (p ? { file: p.file, startLine: p.startLine, title: p.title } : undefined);
  return {
    info: (m) => core.info(redact(m)),
    debug: (m) => core.debug(redact(m)),
    warning: (m, p) => core.warning(redact(m), props(p)),
    error: (m, p) => core.error(redact(m), props(p)),
    group: (name, fn) => core.group(name, fn),
  };
}
