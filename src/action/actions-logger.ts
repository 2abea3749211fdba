// Logger backed by @actions/core: groups, annotations with file and line, and masking through add-mask.
import * as core from '@actions/core';
import type { Logger } from '../runtime/logger.js';
import { inertText } from '../runtime/log-text.js';
import { onSecret, redactLog } from '../runtime/secrets.js';

// core.info writes its text raw, so a line from a server could start a workflow command; each line is made inert.
const safe = (text: string) => inertText(redactLog(text));

export function actionsLogger(): Logger {
  onSecret((secret) => core.setSecret(secret));
  const props = (p?: { file?: string; startLine?: number; title?: string }) => (p ? { file: p.file, startLine: p.startLine, title: p.title } : undefined);
  return {
    info: (m) => core.info(safe(m)),
    debug: (m) => core.debug(safe(m)),
    warning: (m, p) => core.warning(redactLog(m), props(p)),
    error: (m, p) => core.error(redactLog(m), props(p)),
    notice: (m) => core.notice(redactLog(m)),
    group: (name, fn) => core.group(redactLog(name), fn),
  };
}
