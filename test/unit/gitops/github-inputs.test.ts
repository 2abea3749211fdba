// The two inputs of the GitHub backend's PR behaviour: force-update, and the hidden github-token that tells whether
// gitops-token is the workflow's GITHUB_TOKEN (whose PRs start no workflows).
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/inputs.js';

const base = {
  'INPUT_GITOPS-REPOSITORY': 'acme/gitops',
  INPUT_ENVIRONMENT: 'dev',
  'INPUT_IMAGE-REF': 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64),
  'INPUT_VALUES-FILE': 'envs/dev/app.yaml',
  GITHUB_WORKSPACE: '/work/ws',
  RUNNER_TEMP: '/tmp/rt',
};
const pr = (over: Record<string, string>) => readInputs({ ...base, ...over }).gitops.pullRequest;

describe('GitHub PR inputs', () => {
  it('force-update is off unless set, and must be a boolean', () => {
    expect(pr({}).forceUpdate).toBe(false);
    expect(pr({ 'INPUT_FORCE-UPDATE': 'true' }).forceUpdate).toBe(true);
    expect(() => pr({ 'INPUT_FORCE-UPDATE': 'always' })).toThrow("input 'force-update': 'always' is not a boolean; use true or false");
  });

  it.each([
    ['gitops-token is the workflow token', { 'INPUT_GITOPS-TOKEN': 'ghs_same', 'INPUT_GITHUB-TOKEN': 'ghs_same' }, true],
    ['an App token or PAT', { 'INPUT_GITOPS-TOKEN': 'ghs_app', 'INPUT_GITHUB-TOKEN': 'ghs_workflow' }, false],
    ['no gitops-token', { 'INPUT_GITHUB-TOKEN': 'ghs_workflow' }, false],
    ['outside Actions (no github-token)', { 'INPUT_GITOPS-TOKEN': 'ghp_x' }, false],
  ])('workflowToken when %s', (_n, env, expected) => {
    expect(pr(env).workflowToken).toBe(expected);
  });
});
