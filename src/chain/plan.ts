// `digestpin plan` and the first half of `promote`: the candidates of a selection, their facts gathered
// a few at a time, and each decided. Writes nothing.
import { reasonText } from './render.js';
import type { EnvironmentConfig } from '../config/index.js';
import { decide } from './decide.js';
import { gather, type GatherContext } from './gather.js';
import { candidates, type Selection } from './select.js';
import type { ChainDeps, Promotion } from './types.js';

/** Candidates gathered at once: enough to overlap registry and API latency, few enough to stay polite. */
const CONCURRENCY = 8;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function planChain(ctx: GatherContext, deps: ChainDeps, selection: Selection): Promise<Promotion[]> {
  const list = candidates(ctx.loaded.config, selection);
  const now = deps.now();
  const decided = await mapLimited(list, CONCURRENCY, async (c) => {
    const facts = await gather(ctx, deps, c);
    return decide(facts, ctx.loaded.config.environments.get(c.to) as EnvironmentConfig, now);
  });
  return holdIncompleteGroups(decided);
}

/**
 * A group is one PR: while one member is held (for anything but being pinned already), its due members wait
 * too, so the group never ships in parts and never opens a second PR beside a partial one.
 */
export function holdIncompleteGroups(promotions: Promotion[]): Promotion[] {
  const blocker = new Map<string, Promotion>();
  for (const p of promotions) {
    if (p.group && p.status === 'held' && p.reason?.kind !== 'pinned') blocker.set(`${p.from}>${p.to}>${p.group}`, blocker.get(`${p.from}>${p.to}>${p.group}`) ?? p);
  }
  return promotions.map((p) => {
    const b = p.group && p.status === 'due' ? blocker.get(`${p.from}>${p.to}>${p.group}`) : undefined;
    return b ? { ...p, status: 'held', reason: { kind: 'group', group: p.group!, member: b.service, memberReason: reasonText(b.reason!) } } : p;
  });
}
