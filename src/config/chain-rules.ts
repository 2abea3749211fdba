// What the JSON Schema can't say about the chain: `from` names another environment and the chain has no
// cycle, `auto`/`soak`/`health` need a `from`, `copy` needs a `pull-registry`, group members and a
// templated service's environments exist. Pure; each error names the file, the line and the fix.
import { FileError } from '../runtime/errors.js';
import type { DigestpinConfig, EnvironmentConfig } from './types.js';

export interface RuleLines {
  /** Line of a key, by its path in the file. */
  lineOf(path: string[]): number | undefined;
}

function checkFrom(config: DigestpinConfig, env: EnvironmentConfig, file: string, lines: RuleLines): void {
  const at = (key: string) => lines.lineOf(['environments', env.name, key]) ?? env.line;
  const names = [...config.environments.keys()];
  if (env.from !== undefined) {
    if (env.from === env.name) throw new FileError(file, at('from'), `environments.${env.name}.from names the environment itself; name the environment it promotes from (one of ${names.filter((n) => n !== env.name).join(', ')})`);
    if (!config.environments.has(env.from)) throw new FileError(file, at('from'), `environments.${env.name}.from: '${env.from}' is not an environment of this file (environments: ${names.join(', ')})`);
  } else {
    for (const key of ['auto', 'soak', 'health'] as const) {
      const set = key === 'auto' ? env.auto : key === 'soak' ? env.soak !== undefined : env.health !== undefined;
      if (set) throw new FileError(file, at(key), `environments.${env.name}.${key} needs 'from:', the environment it promotes from`);
    }
  }
  if (env.copy && !env.pullRegistry) throw new FileError(file, at('copy'), `environments.${env.name}.copy: true needs 'pull-registry:', the registry to copy to`);
}

/** dev -> staging -> prod -> dev would promote forever: the first environment found on a cycle is named. */
function checkCycles(config: DigestpinConfig, file: string, lines: RuleLines): void {
  for (const start of config.environments.values()) {
    const seen = [start.name];
    let next = start.from;
    while (next !== undefined) {
      if (next === start.name) {
        throw new FileError(file, lines.lineOf(['environments', start.name, 'from']) ?? start.line, `the chain is a cycle (${[...seen, next].join(' → ')}); one environment must have no 'from:'`);
      }
      if (seen.includes(next)) break;
      seen.push(next);
      next = config.environments.get(next)?.from;
    }
  }
}

function checkGroups(config: DigestpinConfig, file: string, lines: RuleLines): void {
  const known = new Set([...config.environments.values()].flatMap((e) => [...e.services.keys()]));
  const owner = new Map<string, string>();
  for (const [group, members] of config.groups) {
    for (const [i, member] of members.entries()) {
      const line = lines.lineOf(['groups', group, String(i)]) ?? lines.lineOf(['groups', group]);
      if (!known.has(member)) throw new FileError(file, line, `groups.${group}: '${member}' is not a service of any environment (services: ${[...known].sort().join(', ') || 'none'})`);
      const other = owner.get(member);
      // A service in two groups would be written by two PRs (and two matrix jobs) at once.
      if (other) throw new FileError(file, line, `groups.${group}: '${member}' is already in group '${other}'; a service belongs to one group at most`);
      owner.set(member, group);
    }
  }
}

export function checkChainRules(config: DigestpinConfig, file: string, lines: RuleLines): void {
  for (const env of config.environments.values()) checkFrom(config, env, file, lines);
  checkCycles(config, file, lines);
  checkGroups(config, file, lines);
}
