// Formats a workflow command (`::error file=F,line=N::message`), the runner's documented stdout protocol.
// Kept apart from @actions/core so that an input error is reported without loading it (cold start).
import { redactLog } from '../runtime/secrets.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function workflowCommand(command: string, message: string, properties: Record<string, string | number | undefined> = {}): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${command}${props ? ` ${props}` : ''}::${escapeData(redactLog(message))}`;
}
