// What a bot run did, for people (CLI lines, job summary) and programs (--json, action outputs). Pure.
import { redact } from '../runtime/secrets.js';
import { operationText, summaryMarkdown } from '../report/summary.js';
import { runReport } from '../promote/run-report.js';
import { shortDigest } from '../report/promotion-text.js';
import { planJson, planMarkdown, reasonText } from './render.js';
import type { ChainReport } from './run.js';
import type { Outcome } from './execute.js';
import type { Promotion } from './types.js';

function who(o: Outcome): string {
  const [first] = o.promotions;
  return first?.group ? `group ${first.group}` : (first?.service ?? '');
}

/** Unverified holds fail a promote run: the digest is not where the target pulls from. */
export function unverified(report: ChainReport): Promotion[] {
  return report.planOnly ? [] : report.promotions.filter((p) => p.reason?.kind === 'unverified');
}

export function problems(report: ChainReport): string[] {
  const missing = unverified(report).map(
    (p) => `${p.service}: ${p.source?.digest} is not at ${p.pullRegistry}, the registry ${p.to} pulls from (${p.from} pins it from ${p.source?.repository.split('/')[0]}); push it there, or set copy: true on environments.${p.to}`,
  );
  return [...missing, ...report.outcomes.filter((o) => o.error).map((o) => `${who(o)} (${o.promotions[0]?.to}): ${o.error}`)];
}

export function outcomeLines(report: ChainReport): string[] {
  const lines = report.outcomes.map((o) => {
    const p = o.result?.promotion;
    const where = p?.pullRequestUrl ?? p?.branch ?? p?.commitSha ?? '';
    const to = `${o.promotions[0]?.from} → ${o.promotions[0]?.to}`;
    if (o.error) return `${who(o)} ${to}: failed: ${o.error}`;
    if (!p) return `${who(o)} ${to}: dry run: would copy and pin`;
    return `${who(o)} ${to}: ${p.operation} (${operationText(p.operation)})${where ? ` ${where}` : ''}`;
  });
  const back = report.rollback;
  if (back) {
    const p = back.outcome.result?.promotion;
    lines.push(`rollback to ${back.pick.tag ? `${back.pick.tag} ` : ''}${shortDigest(back.pick.digest)} (first pinned by ${back.pick.oid.slice(0, 12)}): ${p?.operation ?? 'none'}${p?.pullRequestUrl ? ` ${p.pullRequestUrl}` : ''}`);
  }
  return lines.map(redact);
}

export function reportJson(report: ChainReport): unknown {
  const result = (o: Outcome) => ({
    services: o.promotions.map((p) => p.service),
    from: o.promotions[0]?.from ?? null,
    to: o.promotions[0]?.to ?? null,
    group: o.promotions[0]?.group ?? null,
    digest: o.result?.digest ?? null,
    operation: o.result?.promotion.operation ?? null,
    'pull-request-url': o.result?.promotion.pullRequestUrl ?? null,
    'commit-sha': o.result?.promotion.commitSha ?? null,
    copied: o.copied ?? null,
    error: o.error ?? null,
  });
  const back = report.rollback;
  return {
    plan: planJson(report.promotions),
    results: report.outcomes.map(result),
    ...(back ? { rollback: { ...result(back.outcome), digest: back.pick.digest, tag: back.pick.tag ?? null, commit: back.pick.oid } } : {}),
    problems: problems(report),
  };
}

export function reportMarkdown(report: ChainReport): string {
  const parts: string[] = [];
  if (report.promotions.length) parts.push(planMarkdown(report.promotions, report.planOnly ? 'digestpin plan' : 'digestpin promotions'));
  if (!report.planOnly) parts[0] = parts[0]?.replace('. Nothing was written.', '.') ?? '';
  for (const o of [...report.outcomes, ...(report.rollback ? [report.rollback.outcome] : [])]) if (o.result) parts.push(summaryMarkdown(runReport(o.result)));
  const errors = problems(report);
  if (errors.length) parts.push(['**Problems**', '', ...errors.map((e) => `- ${e}`), ''].join('\n'));
  return redact(parts.join('\n'));
}

export { reasonText };
