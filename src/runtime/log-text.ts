// Makes text safe to print where a server may have chosen part of it: the Actions runner executes any stdout
// line that starts with `::` (or the legacy `##[`) as a workflow command, and a terminal obeys escape codes.
// Pure; applied by both loggers after redaction, so no server string can steer the log, whatever its source.

// C0 controls except tab, DEL, the C1 range (CSI and friends) and Unicode line breaks. inertText splits lines
// first, so within a line a newline is a character to show like the others.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;
const COMMAND_START = /^(\s*)(::|##\[)/;

function visible(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One line made inert: control characters shown as `\uXXXX`, a leading workflow-command marker broken up. */
export function inertLine(line: string): string {
  return line.replace(CONTROL, visible).replace(COMMAND_START, (_, space: string, marker: string) => `${space}${marker[0]}\u200b${marker.slice(1)}`);
}

/**
 * A log message made inert line by line. A carriage return counts as a line break (the runner splits on it),
 * so `ok\r::add-mask::x` can't hide a command after a harmless-looking start.
 */
export function inertText(text: string): string {
  return text.split(/\r\n|\r|\n/).map(inertLine).join('\n');
}

/** A string from a server quoted for an error or log line: JSON-escaped, at most `max` characters. */
export function quoteServerText(text: string, max = 120): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut).replace(CONTROL, visible);
}
