// Deterministic promotion branch names: one branch (and so one open PR) per promotion target.
// Pure: `{environment}` and `{service}` placeholders in a template, sanitized into a valid git ref.
import { InputError } from '../runtime/errors.js';

export const DEFAULT_BRANCH_TEMPLATE = 'digestpin/{environment}/{service}';

export interface BranchTarget {
  environment: string;
  service: string;
}

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(['environment', 'service']);

/** Replaces what `git check-ref-format` forbids in one path component. */
function cleanComponent(part: string): string {
  return part
    .replace(/[\s~^:?*[\\\x00-\x1f\x7f]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/@\{/g, '-')
    .replace(/^[.-]+/, '')
    .replace(/(\.lock)+$/i, '')
    .replace(/\.+$/, '');
}

/** `digestpin/<env>/<service>` by default; the template must name both placeholders so targets never share a branch. */
export function promotionBranch(target: BranchTarget, template: string = DEFAULT_BRANCH_TEMPLATE): string {
  const used = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!KNOWN.has(name)) {
      throw new InputError('branch-template', `unknown placeholder {${name}}; use {environment} and {service}`);
    }
    used.add(name);
  }
  if (used.size < KNOWN.size) {
    throw new InputError('branch-template', `'${template}' must contain both {environment} and {service}`);
  }
  for (const [key, value] of Object.entries(target)) {
    if (!value.trim()) throw new InputError(key, 'must not be empty (it names the promotion branch)');
  }
  const filled = template.replace(PLACEHOLDER, (_, name: string) => (name === 'environment' ? target.environment : target.service));
  const parts = filled.split('/').map(cleanComponent).filter((p) => p.length > 0);
  if (parts.length === 0) throw new InputError('branch-template', `'${template}' yields an empty branch name`);
  return parts.join('/');
}
