// `plan --matrix`: the due promotions as a GitHub Actions matrix. A group is one job; services that pin
// into one file share a job, so no two jobs ever write one target; with more jobs than GitHub allows in a
// matrix (256), whole jobs are packed into shards. Pure.
import type { Promotion } from './types.js';

/** GitHub's limit of jobs per matrix. */
export const MATRIX_LIMIT = 256;

export interface MatrixJob {
  /** Shown as the job's name: `staging: agents` or `staging: group backend`. */
  name: string;
  from: string;
  to: string;
  /** Comma-separated, as the action's `services` input takes them. */
  services: string;
  /** Set when the job is one group's promotion (then `services` lists its members). */
  group: string;
}

interface Job {
  from: string;
  to: string;
  services: string[];
  files: Set<string>;
  groups: Set<string>;
  /** Jobs packed into this one (shards only). */
  count: number;
}

/** Union of jobs that share a group or a file of one target environment. */
function jobsOf(due: Promotion[]): Job[] {
  const jobs: Job[] = [];
  for (const p of due) {
    const files = new Set([p.target?.file].filter((f): f is string => Boolean(f)));
    const touching = jobs.filter((j) => j.to === p.to && j.from === p.from && ((p.group && j.groups.has(p.group)) || [...files].some((f) => j.files.has(f))));
    const merged: Job = { from: p.from, to: p.to, services: [p.service], files, groups: new Set(p.group ? [p.group] : []), count: 1 };
    for (const j of touching) {
      merged.services.unshift(...j.services);
      for (const f of j.files) merged.files.add(f);
      for (const g of j.groups) merged.groups.add(g);
      jobs.splice(jobs.indexOf(j), 1);
    }
    jobs.push(merged);
  }
  return jobs;
}

function entry(job: Job): MatrixJob {
  const groups = [...job.groups];
  const what = groups.length === 1 && job.services.length > 1 ? `group ${groups[0]}` : job.services.join(', ');
  return { name: `${job.to}: ${what}`, from: job.from, to: job.to, services: job.services.join(','), group: groups.length === 1 ? groups[0]! : '' };
}

/** Consecutive jobs of one (from, to) pair, at most `size` per shard. */
function shardsOf(jobs: Job[], size: number): Job[] {
  const shards: Job[] = [];
  for (const job of jobs) {
    const last = shards.at(-1);
    if (last && last.from === job.from && last.to === job.to && last.count < size) {
      last.services.push(...job.services);
      for (const g of job.groups) last.groups.add(g);
      last.count += 1;
    } else shards.push({ ...job, services: [...job.services], groups: new Set(job.groups), count: 1 });
  }
  return shards;
}

/**
 * `{ include: [...] }` with at most `limit` entries. Beyond it, whole jobs of one (from, to) pair share a
 * shard; a job's services (a group, or services of one file) never split across shards.
 */
export function matrixOf(promotions: Promotion[], limit = MATRIX_LIMIT): { include: MatrixJob[] } {
  const jobs = jobsOf(promotions.filter((p) => p.status === 'due'));
  jobs.sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : a.from + a.to > b.from + b.to ? 1 : 0));
  let size = 1;
  let shards = shardsOf(jobs, size);
  while (shards.length > limit) shards = shardsOf(jobs, ++size);
  return { include: shards.map(entry) };
}
