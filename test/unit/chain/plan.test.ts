// The planner, pure over its facts: candidates of a selection, soak from history, health, the target
// registry's answer, already pinned; the matrix never gives two jobs one target; the rollback pick.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { candidates } from '../../../src/chain/select.js';
import { planChain } from '../../../src/chain/plan.js';
import { matrixOf } from '../../../src/chain/matrix.js';
import { pickRollback, soakStart } from '../../../src/chain/soak.js';
import { planTable, planMarkdown } from '../../../src/chain/render.js';
import { memoryLogger } from '../../../src/runtime/logger.js';
import type { ChainDeps, HealthAnswer, PinHistoryEntry, Promotion } from '../../../src/chain/types.js';

const D = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const values = (digest: string, tag = 'v1', host = 'dev.reg:5000') => `image:\n  repository: ${host}/ameide/svc\n  tag: "${tag}"\n  digest: "${digest}"\n`;

const CONFIG = `environments:
  dev: {}
  staging:
    from: dev
    auto: true
    soak: 1h
  prod:
    from: staging
    pull-registry: prod.reg:5000
    health:
      argocd: { server: https://argocd.example, application: '{service}-{env}' }
services:
  a: { file: '{env}/a.yaml' }
  b: { file: '{env}/b.yaml' }
  c: { file: '{env}/c.yaml' }
groups:
  pair: [b, c]
`;
const loaded = { path: '/repo/digestpin.yaml', name: 'digestpin.yaml', config: parseConfig(CONFIG, 'digestpin.yaml') };
const NOW = new Date('2026-12-01T12:00:00Z');

function deps(files: Record<string, string>, extra: { history?: Record<string, PinHistoryEntry[]>; health?: Record<string, HealthAnswer>; missing?: string[]; refusing?: string } = {}) {
  const asked: string[] = [];
  const d: ChainDeps = {
    logger: memoryLogger(),
    now: () => NOW,
    readFile: async (path) => {
      const text = files[path.replace('/repo/', '')];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    },
    history: async (q) => {
      asked.push(`history ${q.path}`);
      return extra.history?.[q.path] ?? [];
    },
    health: async (q) => {
      asked.push(`health ${q.application}`);
      const answer = extra.health?.[q.application];
      if (!answer) throw new Error(`404 ${q.application}`);
      return answer;
    },
    present: async (ref) => {
      asked.push(`present ${ref.registry}/${ref.repository}@${ref.digest.slice(0, 15)}`);
      if (extra.refusing && ref.repository.endsWith(extra.refusing)) throw new Error(`${ref.registry}/${ref.repository}: the registry answered 401 (check registry-username)`);
      return !(extra.missing ?? []).includes(`${ref.registry}@${ref.digest}`);
    },
    runPipeline: async () => {
      throw new Error('planning never runs the pipeline');
    },
  };
  return { deps: d, asked };
}

const ctx = { loaded, repository: '/repo', baseBranch: 'main', historyLimit: 50 };
const byKey = (ps: Promotion[]) => Object.fromEntries(ps.map((p) => [`${p.service}:${p.to}`, p.status === 'due' ? 'due' : p.reason!.kind]));

describe('candidates', () => {
  it('follow the chain, and narrow to a pair, a group, services or auto environments', () => {
    const c = loaded.config;
    expect(candidates(c, {}).map((x) => `${x.service}:${x.from}>${x.to}`)).toEqual(['a:dev>staging', 'b:dev>staging', 'c:dev>staging', 'a:staging>prod', 'b:staging>prod', 'c:staging>prod']);
    expect(candidates(c, { auto: true }).map((x) => x.to)).toEqual(['staging', 'staging', 'staging']);
    expect(candidates(c, { to: 'prod', group: 'pair' }).map((x) => `${x.service}:${x.group}`)).toEqual(['b:pair', 'c:pair']);
    expect(candidates(c, { from: 'dev', to: 'prod', services: ['a'] })).toEqual([{ service: 'a', from: 'dev', to: 'prod', group: undefined }]);
    expect(() => candidates(c, { to: 'dev' })).toThrow("input 'from-environment': environment 'dev' has no 'from:' in the config; give from-environment");
    expect(() => candidates(c, { to: 'qa' })).toThrow("input 'environment': 'qa' is not an environment of the config (environments: dev, staging, prod)");
    expect(() => candidates(c, { group: 'nope' })).toThrow("input 'group': 'nope' is not a group of the config (groups: pair)");
  });
});

describe('planChain', () => {
  const hour = 3_600_000;
  const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();

  it('holds an unsoaked pin with the time left, and releases it once soaked', async () => {
    const files = { 'dev/a.yaml': values(D(2)), 'staging/a.yaml': values(D(1)), 'prod/a.yaml': values(D(1), 'v1', 'prod.reg:5000') };
    const history = (agoMs: number) => ({ 'dev/a.yaml': [{ oid: 'c3', committedAt: at(agoMs - 1000), text: values(D(2), 'v2') }, { oid: 'c2', committedAt: at(agoMs), text: values(D(2)) }, { oid: 'c1', committedAt: at(5 * hour), text: values(D(1)) }] });
    const young = await planChain(ctx, deps(files, { history: history(20 * 60_000) }).deps, { to: 'staging', services: ['a'] });
    expect(young[0]).toMatchObject({ status: 'held', reason: { kind: 'soak', requiredMs: hour, since: at(20 * 60_000) } });
    expect(planTable(young)).toMatch(/held: soak: 40m left \(soaked 20m of 1h\)/);
    const old = await planChain(ctx, deps(files, { history: history(2 * hour) }).deps, { to: 'staging', services: ['a'] });
    expect(old[0]).toMatchObject({ status: 'due', source: { digest: D(2) }, target: { digest: D(1) }, pullRegistry: 'dev.reg:5000' });
  });

  it("holds a group's due member while another member is still soaking, so the group ships as one PR", async () => {
    const files = { 'dev/b.yaml': values(D(2)), 'staging/b.yaml': values(D(1)), 'dev/c.yaml': values(D(3)), 'staging/c.yaml': values(D(1)) };
    const soaked = (digest: string, agoMs: number) => [{ oid: `x${agoMs}`, committedAt: at(agoMs), text: values(digest) }];
    const history = { 'dev/b.yaml': soaked(D(2), 2 * hour), 'dev/c.yaml': soaked(D(3), 10 * 60_000) };
    const plan = await planChain(ctx, deps(files, { history }).deps, { to: 'staging', group: 'pair' });
    expect(byKey(plan)).toEqual({ 'b:staging': 'group', 'c:staging': 'soak' });
    expect(planTable(plan)).toMatch(/held: group pair moves together: c is held \(soak: 50m left/);
    // Once both have soaked, both are due together.
    const later = await planChain(ctx, deps(files, { history: { ...history, 'dev/c.yaml': soaked(D(3), 2 * hour) } }).deps, { to: 'staging', group: 'pair' });
    expect(byKey(later)).toEqual({ 'b:staging': 'due', 'c:staging': 'due' });
  });

  it('holds a promotion whose target registry refuses the question, and plans the others', async () => {
    // b's image lives in another repository, which the registry refuses to answer about.
    const other = values(D(3)).replace('ameide/svc', 'ameide/other');
    const files = { 'dev/a.yaml': values(D(2)), 'staging/a.yaml': values(D(1)), 'dev/b.yaml': other, 'staging/b.yaml': values(D(1)) };
    const history = { 'dev/a.yaml': [{ oid: 'a', committedAt: at(2 * hour), text: values(D(2)) }], 'dev/b.yaml': [{ oid: 'b', committedAt: at(2 * hour), text: other }] };
    const plan = await planChain(ctx, deps(files, { history, refusing: 'ameide/other' }).deps, { to: 'staging', services: ['a', 'b'] });
    expect(byKey(plan)).toEqual({ 'a:staging': 'due', 'b:staging': 'unverified' });
    expect(planTable(plan)).toMatch(/held: unverified: can't ask dev\.reg:5000 for the digest: dev\.reg:5000\/ameide\/other: the registry answered 401/);
  });

  it('holds on health until Argo CD runs the digest Synced and Healthy', async () => {
    const files = { 'staging/a.yaml': values(D(2)), 'prod/a.yaml': values(D(1), 'v1', 'prod.reg:5000') };
    const running = (sync: string, health: string, digest = D(2)) => ({ 'a-staging': { sync, health, images: [`dev.reg:5000/ameide/svc:v1@${digest}`] } });
    const degraded = await planChain(ctx, deps(files, { health: running('Synced', 'Degraded') }).deps, { to: 'prod', services: ['a'] });
    expect(degraded[0]!.reason).toEqual({ kind: 'health', application: 'a-staging', sync: 'Synced', health: 'Degraded', running: true });
    const old = await planChain(ctx, deps(files, { health: running('Synced', 'Healthy', D(1)) }).deps, { to: 'prod', services: ['a'] });
    expect(planTable(old)).toMatch(/health: a-staging is Synced\/Healthy, not running this digest/);
    const ok = await planChain(ctx, deps(files, { health: running('Synced', 'Healthy') }).deps, { to: 'prod', services: ['a'] });
    expect(ok[0]!.status).toBe('due');
    // The same digest under another repository is not this service's image running.
    const elsewhere = { 'a-staging': { sync: 'Synced', health: 'Healthy', images: [`dev.reg:5000/ameide/other@${D(2)}`] } };
    const other = await planChain(ctx, deps(files, { health: elsewhere }).deps, { to: 'prod', services: ['a'] });
    expect(other[0]!.reason).toMatchObject({ kind: 'health', running: false });
    const unknown = await planChain(ctx, deps(files).deps, { to: 'prod', services: ['a'] });
    expect(unknown[0]!.reason).toMatchObject({ kind: 'health', error: '404 a-staging' });
    expect(planTable(unknown)).toMatch(/held: health: can't ask Argo CD about a-staging: 404 a-staging\n/);
  });

  it('holds a digest missing at the target pull registry, and asks nothing for an already pinned one', async () => {
    const files = { 'staging/a.yaml': values(D(2)), 'prod/a.yaml': values(D(1), 'v1', 'prod.reg:5000'), 'staging/b.yaml': values(D(3)), 'prod/b.yaml': values(D(3), 'v1', 'prod.reg:5000') };
    const health = { 'a-staging': { sync: 'Synced', health: 'Healthy', images: [`dev.reg:5000/ameide/svc@${D(2)}`] } };
    const { deps: d, asked } = deps(files, { health, missing: [`prod.reg:5000@${D(2)}`] });
    const plan = await planChain(ctx, d, { to: 'prod', services: ['a', 'b'] });
    expect(byKey(plan)).toEqual({ 'a:prod': 'unverified', 'b:prod': 'pinned' });
    expect(plan[0]!.reason).toEqual({ kind: 'unverified', registry: 'prod.reg:5000', source: 'dev.reg:5000' });
    expect(asked).toEqual(['health a-staging', `present prod.reg:5000/ameide/svc@${D(2).slice(0, 15)}`]);
  });

  it('reports an unreadable or empty source as a hold, not a crash', async () => {
    const plan = await planChain(ctx, deps({ 'staging/a.yaml': values(D(1)), 'dev/b.yaml': values(''), 'staging/b.yaml': values(D(1)) }).deps, { to: 'staging', services: ['a', 'b'] });
    expect(byKey(plan)).toEqual({ 'a:staging': 'unreadable', 'b:staging': 'unreadable' });
    expect(planMarkdown(plan)).toContain('| a | dev → staging | `v1 sha256:1111111` | — | held: dev/a.yaml: can\'t be read from the GitOps checkout (ENOENT) |');
    expect(planTable(plan)).toMatch(/b \(pair\) +dev → staging +v1 sha256:1111111 +— +held: dev pins no digest for b yet\n\n0 due, 2 held$/);
  });
});

describe('the matrix', () => {
  const p = (service: string, to: string, file: string, group?: string): Promotion => ({ service, from: 'dev', to, group, status: 'due', copy: false, pullRegistry: 'r', target: { file, repository: 'r/x' }, source: { file, repository: 'r/x', digest: D(1) } });

  it('is one job per service, one per group, and one for services sharing a file; held ones are left out', () => {
    const held: Promotion = { ...p('z', 'staging', 'z.yaml'), status: 'held', reason: { kind: 'pinned' } };
    const m = matrixOf([p('a', 'staging', 'a.yaml'), p('b', 'staging', 'bc.yaml', 'pair'), p('c', 'staging', 'c.yaml', 'pair'), p('d', 'staging', 'shared.yaml'), p('e', 'staging', 'shared.yaml'), p('a', 'prod', 'a.yaml'), held]);
    expect(m.include.map((j) => [j.to, j.services, j.group])).toEqual([
      ['prod', 'a', ''],
      ['staging', 'a', ''],
      ['staging', 'b,c', 'pair'],
      ['staging', 'd,e', ''],
    ]);
    const targets = m.include.flatMap((j) => j.services.split(',').map((s) => `${j.to}/${s}`));
    expect(new Set(targets).size).toBe(targets.length);
  });

  it('packs whole jobs into shards beyond the matrix limit, never splitting one', () => {
    const many = Array.from({ length: 10 }, (_, i) => p(`s${i}`, 'staging', `s${i}.yaml`));
    const m = matrixOf([...many, p('g1', 'staging', 'g1.yaml', 'g'), p('g2', 'staging', 'g2.yaml', 'g')], 4);
    expect(m.include).toHaveLength(4);
    expect(m.include.flatMap((j) => j.services.split(',')).sort()).toEqual([...many.map((x) => x.service), 'g1', 'g2'].sort());
    expect(m.include.some((j) => j.services.includes('g1') && j.services.includes('g2'))).toBe(true);
  });
});

describe('history', () => {
  const read = (text: string) => {
    const [, digest = '', tag] = /digest: "([^"]*)"[\s\S]*?/.exec(text) ? [text, /digest: "([^"]*)"/.exec(text)![1], /tag: "([^"]*)"/.exec(text)?.[1]] : [];
    return { repository: 'r/x', digest: digest || undefined, tag };
  };
  const e = (oid: string, digest: string, tag: string, day: number): PinHistoryEntry => ({ oid, committedAt: `2026-11-${String(day).padStart(2, '0')}T00:00:00Z`, text: values(digest, tag) });
  const log = [e('h6', D(4), 'v4', 6), e('h5', D(4), 'v4', 5), e('h4', D(3), 'v3', 4), e('h3', D(2), 'v2', 3), e('h2', D(3), 'v3b', 2), e('h1', D(1), 'v1', 1)];

  it('soak starts at the commit that put the current digest there', () => {
    expect(soakStart(log, D(4), read)).toEqual({ since: '2026-11-05T00:00:00Z', complete: true });
    expect(soakStart(log.slice(0, 2), D(4), read)).toEqual({ since: '2026-11-05T00:00:00Z', complete: false });
    expect(soakStart(log, D(9), read)).toEqual({ since: undefined, complete: true });
  });

  it('rollback N picks the N-th previous distinct digest, with its tag and first commit', () => {
    expect(pickRollback(log, D(4), 1, read)).toMatchObject({ digest: D(3), tag: 'v3', oid: 'h4' });
    expect(pickRollback(log, D(4), 2, read)).toMatchObject({ digest: D(2), tag: 'v2', oid: 'h3' });
    // D(3) counts once; the next distinct one back is D(1).
    expect(pickRollback(log, D(4), 3, read)).toMatchObject({ digest: D(1), tag: 'v1', oid: 'h1' });
    expect(pickRollback(log, D(4), 4, read)).toBeUndefined();
  });
});
