// Error text as the CLI prints it: one line, with any long quoted value cut (a refusal once quoted a
// 716-character block of values). The value's length is kept, so the user still knows what was quoted.
const LIMIT = 80;
const KEEP = 60;

// A quoted value opens after a boundary and closes before one, and quotes pair left to right, so the text
// between two quoted values ("'a' failed for … is 'b'") is never taken for a value.
const QUOTED = /(^|[\s([{=:,])(['"`])(.*?)\2(?=$|[\s)\]}.,;:!?])/g;

export function cutQuoted(message: string): string {
  return message.replace(QUOTED, (all, before: string, quote: string, value: string) =>
    value.length > LIMIT ? `${before}${quote}${value.slice(0, KEEP)}…${quote} (${value.length} characters)` : all,
  );
}
