// Quoting values inside one-line messages: a value from a file can be kilobytes long (a block of YAML, a
// certificate), so it is cut to a readable length with its full size said.

/** `value` as-is when short, else its start, an ellipsis and how long it was. Line breaks are shown as \\n. */
export function cut(value: string, max = 60): string {
  const flat = value.replace(/\r?\n/g, '\\n');
  return flat.length <= max ? flat : `${flat.slice(0, max)}… (${value.length} characters)`;
}
