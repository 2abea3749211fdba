// Refusal hints name only options the caller offers: `digestpin pin` has flags (--create, --tag T) that a promotion
// (the action, `promote`, `ship`) doesn't, and there the same option is an input or config key.

export type HintAudience = 'cli' | 'pipeline';

/** Each option as the CLI's `pin` spells it, and as a promotion does (absent: a promotion doesn't offer it). */
const OPTIONS: Record<string, { cli: string; pipeline?: string }> = {
  'set-repository': { cli: '--set-repository', pipeline: 'set-repository: true' },
  repository: { cli: '--repository IMAGE' },
  create: { cli: '--create' },
  'remove-tag': { cli: '--remove-tag', pipeline: 'tag-policy: remove' },
  tag: { cli: '--tag T', pipeline: 'a tagged image (image-tag, or image-ref with a tag)' },
  key: { cli: '--key', pipeline: 'key' },
  'allow-alias': { cli: '--allow-alias' },
};

/** ` (text)` with the option as this audience spells it, or '' when the audience has no such option. */
export function hint(src: { audience?: HintAudience }, option: string, text: (how: string) => string): string {
  const how = OPTIONS[option]?.[src.audience ?? 'pipeline'];
  return how ? ` (${text(how)})` : '';
}
