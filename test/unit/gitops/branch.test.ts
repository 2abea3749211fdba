import { describe, expect, it } from 'vitest';
import { promotionBranch } from '../../../src/gitops/branch.js';

describe('promotionBranch', () => {
  it.each([
    [{ environment: 'staging', service: 'agents' }, undefined, 'digestpin/staging/agents'],
    [{ environment: 'prod eu', service: 'api:v2' }, undefined, 'digestpin/prod-eu/api-v2'],
    [{ environment: '..dev', service: 'x.lock' }, undefined, 'digestpin/dev/x'],
    [{ environment: 'dev', service: 'web' }, 'deploy/{service}-{environment}', 'deploy/web-dev'],
    [{ environment: 'dev', service: 'a~b^c?d*e[f\\g' }, '{environment}/{service}', 'dev/a-b-c-d-e-f-g'],
  ])('%o with template %s -> %s', (target, template, expected) => {
    expect(promotionBranch(target, template)).toBe(expected);
  });

  it.each([
    ['digestpin/{env}/{service}', "input 'branch-template': unknown placeholder {env}; use {environment} and {service}"],
    ['digestpin/{service}', "input 'branch-template': 'digestpin/{service}' must contain both {environment} and {service}"],
  ])('rejects template %s', (template, message) => {
    expect(() => promotionBranch({ environment: 'dev', service: 'web' }, template)).toThrow(message);
  });

  it('rejects an empty service', () => {
    expect(() => promotionBranch({ environment: 'dev', service: ' ' })).toThrow("input 'service': must not be empty");
  });
});
