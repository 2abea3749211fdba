// The CLI's registry login from the environment: DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD,
// both or neither, for the hosts the caller names. The password becomes a secret before anything is logged.
import { InputError } from '../runtime/errors.js';
import { registerSecret } from '../runtime/secrets.js';
import type { Credentials } from '../registry/types.js';

export function envCredentials(env: NodeJS.ProcessEnv, hosts: string[]): Record<string, Credentials> | undefined {
  const username = env.DIGESTPIN_REGISTRY_USERNAME;
  const password = env.DIGESTPIN_REGISTRY_PASSWORD;
  if (!username && !password) return undefined;
  if (!username || !password) {
    throw new InputError(username ? 'DIGESTPIN_REGISTRY_PASSWORD' : 'DIGESTPIN_REGISTRY_USERNAME', 'set both DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, or neither');
  }
  registerSecret(password);
  return Object.fromEntries(hosts.map((h) => [h, { username, password }]));
}
