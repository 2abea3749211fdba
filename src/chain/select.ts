// Which promotions a run considers: every (service, from → to) pair the config's chain allows, narrowed by
// the run's selection (--from/--to, --service, --group, --all, --auto). Pure; a bad name is an InputError.
import { InputError } from '../runtime/errors.js';
import type { DigestpinConfig, EnvironmentConfig } from '../config/index.js';

export interface Selection {
  from?: string;
  to?: string;
  services?: string[];
  group?: string;
  /** Every service of the pair(s). */
  all?: boolean;
  /** Only environments with `auto: true` (the push-triggered and scheduled runs). */
  auto?: boolean;
}

export interface Candidate {
  service: string;
  from: string;
  to: string;
  group?: string;
}

function environment(config: DigestpinConfig, name: string, input: string): EnvironmentConfig {
  const env = config.environments.get(name);
  if (!env) throw new InputError(input, `'${name}' is not an environment of the config (environments: ${[...config.environments.keys()].join(', ')})`);
  return env;
}

/** The (from, to) pairs: one asked for, or every link of the chain (only `auto` ones with --auto). */
function pairs(config: DigestpinConfig, sel: Selection): Array<{ from: string; to: string }> {
  if (sel.to !== undefined) {
    const to = environment(config, sel.to, 'environment');
    const from = sel.from ?? to.from;
    if (from === undefined) throw new InputError('from-environment', `environment '${sel.to}' has no 'from:' in the config; give from-environment`);
    environment(config, from, 'from-environment');
    if (from === sel.to) throw new InputError('from-environment', `'${from}' is the target environment itself`);
    return [{ from, to: sel.to }];
  }
  if (sel.from !== undefined) environment(config, sel.from, 'from-environment');
  return [...config.environments.values()]
    .filter((e) => e.from !== undefined && (!sel.auto || e.auto) && (sel.from === undefined || e.from === sel.from))
    .map((e) => ({ from: e.from!, to: e.name }));
}

export function groupOf(config: DigestpinConfig, service: string): string | undefined {
  for (const [group, members] of config.groups) if (members.includes(service)) return group;
  return undefined;
}

function wanted(config: DigestpinConfig, sel: Selection): Set<string> | undefined {
  if (sel.group !== undefined) {
    const members = config.groups.get(sel.group);
    if (!members) throw new InputError('group', `'${sel.group}' is not a group of the config (groups: ${[...config.groups.keys()].join(', ') || 'none'})`);
    return new Set(members);
  }
  if (sel.services?.length) {
    const known = new Set([...config.environments.values()].flatMap((e) => [...e.services.keys()]));
    for (const s of sel.services) if (!known.has(s)) throw new InputError('services', `'${s}' is not a service of the config`);
    return new Set(sel.services);
  }
  return undefined;
}

/** Every candidate promotion, in config order: environments along the chain, services as declared. */
export function candidates(config: DigestpinConfig, sel: Selection): Candidate[] {
  const only = wanted(config, sel);
  const out: Candidate[] = [];
  for (const { from, to } of pairs(config, sel)) {
    const source = config.environments.get(from)!;
    for (const service of config.environments.get(to)!.services.keys()) {
      if (only && !only.has(service)) continue;
      // A service the source does not have can't be promoted from it; with --service that is an error.
      if (!source.services.has(service)) {
        if (sel.services?.includes(service)) throw new InputError('services', `'${service}' has no entry in environment '${from}', so there is nothing to promote to '${to}'`);
        continue;
      }
      out.push({ service, from, to, group: groupOf(config, service) });
    }
  }
  return out;
}
