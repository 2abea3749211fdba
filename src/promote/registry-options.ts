// The registry client's options for a run: the registry inputs' one login given to the hosts the run names (the
// push and pull sides, an environment's pull-registry), with the run's aliases and insecure hosts. Pure.
import type { Logger } from '../runtime/logger.js';
import type { RegistryClientOptions } from '../registry/types.js';
import type { RegistrySpec } from '../request.js';

export function registryOptions(spec: RegistrySpec, hosts: Array<string | undefined>, logger: Logger): RegistryClientOptions {
  const named = [...new Set(hosts.filter((h): h is string => Boolean(h)))];
  return {
    credentials: spec.credentials ? Object.fromEntries(named.map((h) => [h, spec.credentials!])) : undefined,
    aliases: spec.aliases,
    insecureRegistries: spec.insecure,
    logger,
  };
}
