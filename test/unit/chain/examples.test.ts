// The bot's example workflows do what the README says: the auto-promotion runs on push under the
// environments' paths and on a schedule; the fleet feeds plan's matrix to a job with max-parallel below
// GitHub's content-creation limits; the manual dispatch takes rollback. The example config is a chain.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';

const DIR = join(import.meta.dirname, '../../../examples');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const workflow = (f: string): any => parse(readFileSync(join(DIR, 'workflows', f), 'utf8'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const digestpinSteps = (w: any) => Object.values(w.jobs).flatMap((j: any) => j.steps).filter((s: any) => s.uses?.startsWith('digestpin/digestpin@'));

describe('the bot examples', () => {
  it('the example config is a chain dev → staging → prod, with auto and soak', () => {
    const config = parseConfig(readFileSync(join(DIR, 'gitops/digestpin.yaml'), 'utf8'), 'digestpin.yaml');
    expect(config.environments.get('staging')).toMatchObject({ from: 'dev', auto: true, soakMs: 1_800_000 });
    expect(config.environments.get('prod')).toMatchObject({ from: 'staging', auto: false, soakMs: 86_400_000 });
  });

  it('auto-promotion runs on push to main under the environments, and on a schedule', () => {
    const w = workflow('auto-promotion.yml');
    expect(w.on.push).toEqual({ branches: ['main'], paths: ['environments/**'] });
    expect(w.on.schedule[0].cron).toMatch(/\S+ \S+ \S+ \S+ \S+/);
    expect(digestpinSteps(w).map((s: { with: Record<string, unknown> }) => s.with)).toMatchObject([{ config: 'digestpin.yaml', auto: true }]);
  });

  it('the fleet feeds the plan matrix to parallel jobs, below the content-creation limits', () => {
    const w = workflow('fleet-promotion.yml');
    expect(w.jobs.plan.outputs.matrix).toBe('${{ steps.plan.outputs.matrix }}');
    expect(w.jobs.promote.strategy.matrix).toBe('${{ fromJSON(needs.plan.outputs.matrix) }}');
    expect(w.jobs.promote.strategy['max-parallel']).toBeLessThanOrEqual(5);
    const [plan, promote] = digestpinSteps(w);
    expect(plan.with.plan).toBe(true);
    expect(promote.with).toMatchObject({ 'from-environment': '${{ matrix.from }}', environment: '${{ matrix.to }}', services: '${{ matrix.services }}' });
  });

  it('the manual dispatch offers rollback beside digest, tag and from-environment', () => {
    const w = workflow('manual-promotion.yml');
    expect(Object.keys(w.on.workflow_dispatch.inputs)).toEqual(['service', 'environment', 'from-environment', 'digest', 'tag', 'rollback']);
    expect(digestpinSteps(w)[0].with.rollback).toBe('${{ inputs.rollback }}');
  });
});
