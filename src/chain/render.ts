// The plan for people and programs: a text table (CLI), JSON (--json), and Markdown for the job summary.
// Pure; digests are shortened in tables (full ones are in the JSON).
import { formatDuration } from '../config/duration.js';
import { redact } from '../runtime/secrets.js';
import { shortDigest } from '../report/promotion-text.js';
import type { HoldReason, Promotion } from './types.js';

export function reasonText(reason: HoldReason): string {
  switch (reason.kind) {
    case 'pinned':
      return 'already pinned';
    case 'unreadable':
      return reason.detail;
    case 'soak':
      return `soak: ${formatDuration(reason.requiredMs - reason.soakedMs)} left (soaked ${formatDuration(reason.soakedMs)} of ${formatDuration(reason.requiredMs)})`;
    case 'history':
      return `soak: ${reason.detail}`;
    case 'health':
      if (reason.error) return `health: can't ask Argo CD about ${reason.application}: ${reason.error}`;
      return `health: ${reason.application} is ${reason.sync}/${reason.health}${reason.running ? '' : ', not running this digest'}`;
    case 'unverified':
      if (reason.error) return `unverified: can't ask ${reason.registry} for the digest: ${reason.error}`;
      return `unverified: the digest is not at ${reason.registry} (pinned from ${reason.source}); set copy: true or push it there`;
    case 'group':
      return `group ${reason.group} moves together: ${reason.member} is held (${reason.memberReason})`;
  }
}

function pinText(pin: Promotion['source']): string {
  if (!pin?.digest) return '(none)';
  return `${pin.tag ? `${pin.tag} ` : ''}${shortDigest(pin.digest)}`;
}

function changeText(p: Promotion): string {
  if (p.status === 'held' && p.reason?.kind === 'pinned') return '—';
  if (!p.source?.digest) return '—';
  return `${shortDigest(p.target?.digest)} → ${shortDigest(p.source.digest)}${p.copy ? ` (copy to ${p.pullRegistry})` : ''}`;
}

function statusText(p: Promotion): string {
  return p.status === 'due' ? 'due' : `held: ${reasonText(p.reason!)}`;
}

interface Row {
  service: string;
  env: string;
  current: string;
  change: string;
  status: string;
}

function rows(promotions: Promotion[]): Row[] {
  return promotions.map((p) => ({
    service: p.group ? `${p.service} (${p.group})` : p.service,
    env: `${p.from} → ${p.to}`,
    current: pinText(p.target),
    change: changeText(p),
    status: statusText(p),
  }));
}

const HEAD: Row = { service: 'SERVICE', env: 'ENVIRONMENT', current: 'PINNED NOW', change: 'PROMOTION', status: 'STATUS' };

export function planTable(promotions: Promotion[]): string {
  if (!promotions.length) return 'no promotions: no environment of the selection has a from: environment with these services';
  const all = [HEAD, ...rows(promotions)];
  const width = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const keys: (keyof Row)[] = ['service', 'env', 'current', 'change'];
  const due = promotions.filter((p) => p.status === 'due').length;
  return redact([...all.map((r) => [...keys.map((k) => r[k].padEnd(width(k))), r.status].join('  ')), '', `${due} due, ${promotions.length - due} held`].join('\n'));
}

export function planJson(promotions: Promotion[]): unknown {
  return promotions.map((p) => ({
    service: p.service,
    from: p.from,
    to: p.to,
    group: p.group ?? null,
    status: p.status,
    reason: p.reason ? { ...p.reason, text: reasonText(p.reason) } : null,
    pinned: p.target ? { repository: p.target.repository, tag: p.target.tag ?? null, digest: p.target.digest ?? null, file: p.target.file } : null,
    promote: p.source?.digest ? { repository: p.source.repository, tag: p.source.tag ?? null, digest: p.source.digest } : null,
    'pull-registry': p.pullRegistry,
    copy: p.copy,
  }));
}

export function planMarkdown(promotions: Promotion[], title = 'digestpin plan'): string {
  const due = promotions.filter((p) => p.status === 'due').length;
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return redact(
    [
      `### ${title}`,
      '',
      `${due} due, ${promotions.length - due} held. Nothing was written.`,
      '',
      '| Service | Environment | Pinned now | Promotion | Status |',
      '| --- | --- | --- | --- | --- |',
      ...rows(promotions).map((r) => `| ${cell(r.service)} | ${r.env} | \`${r.current}\` | ${cell(r.change)} | ${cell(r.status)} |`),
      '',
    ].join('\n'),
  );
}
