// The chain's config: templated services, groups, the environment keys, and the cross-key errors, each
// naming the file, the line and the fix. Today's files stay valid.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { formatDuration, parseDuration } from '../../../src/config/duration.js';

const CHAIN = `environments:
  dev:
    mode: direct
  staging:
    from: dev
    auto: true
    soak: 2h
    pull-registry: Registry.Internal:5000
    copy: true
    health:
      argocd: { server: https://argocd.example.com, application: '{service}-{env}' }
  prod:
    from: staging
    immutable: true
    services:
      web: { file: prod/web/kustomization.yaml, kustomize-image: web }
services:
  web: { file: 'envs/{env}/{service}/values.yaml' }
  api:
    targets:
      - { file: 'envs/{env}/{service}/values.yaml' }
      - { file: 'envs/{env}/{service}/values.yaml', key: migrations.image, image: ameide/api-migrations }
  tools: { file: 'envs/{env}/tools.yaml', environments: [dev, staging] }
groups:
  backend: [api, tools]
`;

describe('the chain config', () => {
  const config = parseConfig(CHAIN, 'digestpin.yaml');

  it('declares services once, with {env} and {service} filled in per environment', () => {
    expect(config.environments.get('dev')!.services.get('api')!.targets.map((t) => t.file)).toEqual(['envs/dev/api/values.yaml', 'envs/dev/api/values.yaml']);
    expect(config.environments.get('staging')!.services.get('web')!.targets[0]!.file).toBe('envs/staging/web/values.yaml');
    // An environment's own entry wins; a service limited to some environments is absent elsewhere.
    expect(config.environments.get('prod')!.services.get('web')!.targets[0]!.file).toBe('prod/web/kustomization.yaml');
    expect(config.environments.get('prod')!.services.has('tools')).toBe(false);
    expect([...config.environments.get('staging')!.services.keys()]).toEqual(['web', 'api', 'tools']);
  });

  it('reads from, auto, soak, pull-registry, copy, health and groups', () => {
    const staging = config.environments.get('staging')!;
    expect(staging).toMatchObject({ from: 'dev', auto: true, soak: '2h', soakMs: 7_200_000, pullRegistry: 'registry.internal:5000', copy: true, health: { server: 'https://argocd.example.com', application: '{service}-{env}' } });
    expect(config.environments.get('dev')).toMatchObject({ auto: false, copy: false, from: undefined });
    expect(config.groups.get('backend')).toEqual(['api', 'tools']);
  });

  it("keeps today's files valid", () => {
    const today = parseConfig('environments:\n  dev:\n    services:\n      agents: { file: a.yaml }\n', 'd.yaml');
    expect(today.groups.size).toBe(0);
    expect(today.environments.get('dev')!.services.get('agents')!.targets[0]!.file).toBe('a.yaml');
  });

  const bad = (text: string) => () => parseConfig(text, 'digestpin.yaml');
  it.each([
    ['from names an unknown environment', 'environments:\n  dev: {}\n  staging:\n    from: devv\n', "digestpin.yaml:4: environments.staging.from: 'devv' is not an environment of this file (environments: dev, staging)"],
    ['from names itself', 'environments:\n  dev:\n    from: dev\n', 'digestpin.yaml:3: environments.dev.from names the environment itself'],
    ['a cycle', 'environments:\n  dev:\n    from: prod\n  prod:\n    from: dev\n', "digestpin.yaml:3: the chain is a cycle (dev → prod → dev); one environment must have no 'from:'"],
    ['auto without from', 'environments:\n  dev:\n    auto: true\n', "digestpin.yaml:3: environments.dev.auto needs 'from:', the environment it promotes from"],
    ['copy without pull-registry', 'environments:\n  dev: {}\n  qa:\n    from: dev\n    copy: true\n', "digestpin.yaml:5: environments.qa.copy: true needs 'pull-registry:', the registry to copy to"],
    ['a bad soak', 'environments:\n  dev: {}\n  qa:\n    from: dev\n    soak: 2 hours\n', "digestpin.yaml:5: environments.qa.soak '2 hours' is not a duration such as 30m, 2h or 1d"],
    ['a group member that is no service', 'environments:\n  dev:\n    services:\n      a: { file: a.yaml }\ngroups:\n  g: [a, b]\n', "digestpin.yaml:6: groups.g: 'b' is not a service of any environment (services: a)"],
    ['a service in two groups', 'environments:\n  dev:\n    services:\n      a: { file: a.yaml }\ngroups:\n  g: [a]\n  h: [a]\n', "groups.h: 'a' is already in group 'g'"],
    ['a templated service in an unknown environment', "environments:\n  dev: {}\nservices:\n  a: { file: '{env}.yaml', environments: [dev, qa] }\n", "digestpin.yaml:4: services.a.environments: 'qa' is not an environment of this file"],
    ['a typo in a chain key', 'environments:\n  dev: {}\n  qa:\n    from: dev\n    pull-registy: r:5000\n', "digestpin.yaml:5: unknown key 'pull-registy' in environments.qa; did you mean 'pull-registry'?"],
  ])('%s is one error naming the file, line and fix', (_name, text, message) => {
    expect(bad(text)).toThrow(message);
  });
});

describe('durations', () => {
  it('parse and print', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('1w')).toBeUndefined();
    expect(formatDuration(5_400_000)).toBe('1h 30m');
    expect(formatDuration(1)).toBe('1m');
    expect(formatDuration(0)).toBe('0m');
    expect(formatDuration(90_000_000)).toBe('1d 1h');
  });
});
