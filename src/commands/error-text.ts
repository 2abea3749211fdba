// Error text as the CLI prints it: one line, with any long quoted value cut (a refusal once quoted a
// 716-character block of values). The value's length is kept, so the user still knows what was quoted.
const LIMIT = 80;
const KEEP = 60;

export function cutQuoted(message: string): string {
  return message.replace(/(['"`])([^'"`]{81,})\1/g, (_all, quote: string, value: string) =>
    value.length > LIMIT ? `${quote}${value.slice(0, KEEP)}…${quote} (${value.length} characters)` : `${quote}${value}${quote}`,
  );
}
