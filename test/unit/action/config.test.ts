import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/parse.js';
import { immutablePinProblem, lintOptionsFor, pinsFor, pinsForImage } from '../../../src/config/index.js';
import { FileError } from '../../../src/runtime/errors.js';

const text = `# digestpin
environments:
  dev:
    mode: direct
    services:
      agents: { file: envs/dev/agents.yaml, key: image }
      web: { file: ./envs/dev/kustomization.yaml, kustomize-image: ameide/web }
  prod:
    immutable: true
    verify:
      require: attestation
      predicate-type: https://slsa.dev/provenance/v1
      builder-id: https://github.com/actions/runner
      source-repository: ameide/agents
    services:
      agents:
        file: envs/prod/hr.yaml
        yaml-path: spec.values.image.digest
      api:
        targets:
          - { file: envs/prod/api/values.yaml, key: image, style: tag-digest }
          - { file: envs/prod/api/values.yaml, key: migrations.image, image: ameide/api-migrations }
`;

function errorOf(fn: () => unknown): FileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FileError);
    return e as FileError;
  }
  throw new Error('expected an error');
}

describe('config', () => {
  it('maps environment and service to file and target', () => {
    const config = parseConfig(text, 'digestpin.yaml');
    expect(pinsFor(config, 'digestpin.yaml', 'dev', 'agents')).toEqual({
      pins: [{ environment: 'dev', service: 'agents', file: 'envs/dev/agents.yaml', target: { kind: 'helm', path: 'image' } }],
      env: expect.objectContaining({ mode: 'direct', immutable: false, verify: { require: 'off', keys: [] } }),
    });
    expect(pinsFor(config, 'digestpin.yaml', 'dev', 'web').pins[0]).toMatchObject({ file: 'envs/dev/kustomization.yaml', target: { kind: 'kustomize', name: 'ameide/web' } });
    expect(pinsFor(config, 'digestpin.yaml', 'prod', 'agents').pins[0]?.target).toEqual({ kind: 'yaml-path', path: 'spec.values.image.digest' });
    expect(config.environments.get('prod')?.immutable).toBe(true);
  });

  it('returns every target of a service, with the image a target pins when it is not the service\'s own', () => {
    const config = parseConfig(text, 'digestpin.yaml');
    const { pins } = pinsFor(config, 'digestpin.yaml', 'prod', 'api');
    expect(pins).toEqual([
      { environment: 'prod', service: 'api', file: 'envs/prod/api/values.yaml', target: { kind: 'helm', path: 'image', style: 'tag-digest' } },
      { environment: 'prod', service: 'api', file: 'envs/prod/api/values.yaml', target: { kind: 'helm', path: 'migrations.image' }, image: 'ameide/api-migrations' },
    ]);
    const targets = config.environments.get('prod')!.services.get('api')!.targets;
    expect(targets[0]?.spec).toMatchObject({ style: 'tag-digest' });
    expect(targets.map((t) => t.line)).toEqual([21, 22]);
  });

  it("picks the targets of the run's image: another image's targets only when that image is promoted", () => {
    const { pins } = pinsFor(parseConfig(text, 'digestpin.yaml'), 'digestpin.yaml', 'prod', 'api');
    expect(pinsForImage(pins, 'ameide/api', 'digestpin.yaml').map((p) => p.target)).toEqual([{ kind: 'helm', path: 'image', style: 'tag-digest' }]);
    expect(pinsForImage(pins, undefined, 'digestpin.yaml').map((p) => p.target)).toEqual([{ kind: 'helm', path: 'image', style: 'tag-digest' }]);
    expect(pinsForImage(pins, 'ameide/api-migrations', 'digestpin.yaml').map((p) => p.target)).toEqual([{ kind: 'helm', path: 'migrations.image' }]);
    expect(pinsForImage(pins, 'mirror/ameide/api-migrations', 'digestpin.yaml')).toHaveLength(1);
    expect(() => pinsForImage(pins.slice(1), 'ameide/api', 'digestpin.yaml')).toThrow("digestpin.yaml: no target of service 'api' in 'prod' pins ameide/api (its targets pin ameide/api-migrations)");
  });

  it('returns the verify policy in the shape the verify step consumes', () => {
    const config = parseConfig(text, 'digestpin.yaml');
    expect(config.environments.get('prod')?.verify).toEqual({
      require: 'attestation',
      keys: [],
      predicateType: 'https://slsa.dev/provenance/v1',
      builderId: 'https://github.com/actions/runner',
      sourceRepository: 'ameide/agents',
    });
  });

  it('names the file for an unknown environment or service', () => {
    const config = parseConfig(text, 'digestpin.yaml');
    expect(() => pinsFor(config, 'digestpin.yaml', 'qa', 'agents')).toThrow("digestpin.yaml: environment 'qa' is not defined (defined: dev, prod)");
    expect(() => pinsFor(config, 'digestpin.yaml', 'prod', 'web')).toThrow(/^digestpin.yaml:8: service 'web' has no entry under environments.prod.services \(entries: agents, api\)/);
  });

  it.each([
    ['environments: [a]', 1, "environments must be a map, not [\"a\"]"],
    ['environments:\n  dev: 3\n', 2, 'environments.dev must be a map, not 3'],
    ['environments:\n  dev:\n    mode: yolo\n', 3, "environments.dev.mode 'yolo' is not one of direct, pull-request"],
    ['environments:\n  dev:\n    mode: pull_request\n', 3, "environments.dev.mode 'pull_request' is not one of direct, pull-request; did you mean 'pull-request'?"],
    ['environments:\n  dev:\n    services:\n      a: { key: image }\n', 4, "environments.dev.services.a needs 'file:' (or 'targets:', a list of targets)"],
    ['environments:\n  dev:\n    services:\n      a: { file: x.yaml, targets: [{ file: y.yaml }] }\n', 4, "has both 'file:' and 'targets:'"],
    ['environments:\n  dev:\n    services:\n      a: { file: ../x.yaml }\n', 4, "environments.dev.services.a.file '../x.yaml' is not a path relative to the config file's folder"],
    ['environments:\n  dev:\n    services:\n      a: { file: /etc/x.yaml }\n', 4, 'without a leading / or ..'],
    ['environments:\n  dev: {}\n  dev: {}\n', 3, /unique|duplicate/i],
    ['environments:\n  dev: [\n', 3, /Flow sequence in block collection must be sufficiently indented and end with a \]$/],
    ['', 1, 'the config must be a map, not null'],
    ['environments: {}\n', 1, 'environments must not be empty'],
    ['environments:\n  dev:\n    immutable: "yes"\n', 3, "environments.dev.immutable must be true or false, not yes"],
    ['environments:\n  dev:\n    services:\n      a:\n        file: x.yaml\n        kustomizeImage: a\n', 6, "unknown key 'kustomizeImage' in environments.dev.services.a; did you mean 'kustomize-image'?"],
    ['environments:\n  dev:\n    imutable: true\n', 3, "unknown key 'imutable' in environments.dev; did you mean 'immutable'?"],
    ['enviroments:\n  dev: {}\n', 1, "unknown key 'enviroments' in the config; did you mean 'environments'?"],
    ['environments:\n  dev:\n    colour: blue\n', 3, 'known keys: mode, immutable, verify, from, auto, soak, pull-registry, copy, health, services'], // chain keys: issue 11,
    ['environments:\n  dev:\n    services:\n      a: { file: x.yaml, style: digests }\n', 4, "style 'digests' is not one of digest, sha, tag-digest, reference, registry; did you mean 'digest'?"],
    ['environments:\n  dev:\n    services:\n      a: { file: x.yaml, key: image, kustomize-image: a }\n', 4, 'environments.dev.services.a: give only one of'],
    ['environments:\n  dev:\n    services:\n      a:\n        targets:\n          - { file: x.yaml }\n          - { file: y.yaml, kustomise-image: a }\n', 7, "unknown key 'kustomise-image' in environments.dev.services.a.targets.1; did you mean 'kustomize-image'?"],
    ['environments:\n  prod:\n    verify: { require: signature }\n', 3, "environments.prod.verify needs 'keys:' with require: signature"],
    ['environments:\n  prod:\n    verify: { require: sigstore }\n', 3, "'sigstore' is not one of off, signature, attestation"],
    ['environments:\n  "dev env": {}\n', 2, "name 'dev env' in environments may hold only letters"],
    ['environments:\n  dev:\n    mode: yolo\n    imutable: true\n', 3, /mode 'yolo'.* \(and 1 more problem\)$/],
  ])('rejects bad config %#, naming the file and line', (bad, line, message) => {
    const error = errorOf(() => parseConfig(bad, 'digestpin.yaml'));
    expect(error.context).toMatchObject({ file: 'digestpin.yaml', line });
    if (typeof message === 'string') expect(error.message).toContain(message);
    else expect(error.message).toMatch(message);
    expect(error.message).toMatch(new RegExp(`^digestpin.yaml:${line}: `));
    expect(error.message).not.toContain('\n');
  });

  it('accepts the example config of the repository', () => {
    const example = readFileSync('examples/gitops/digestpin.yaml', 'utf8');
    expect([...parseConfig(example, 'digestpin.yaml').environments.keys()]).toEqual(['dev', 'staging', 'prod']);
  });
});

describe('immutable environments', () => {
  const config = parseConfig(text, 'digestpin.yaml');
  const prod = config.environments.get('prod')!;
  const dev = config.environments.get('dev')!;

  it('refuse a pin that could leave a tag naming another image', () => {
    expect(immutablePinProblem(prod, { tagPolicy: 'keep', tagKnown: true })).toMatch(/^environment 'prod' is immutable: tag-policy keep/);
    expect(immutablePinProblem(prod, { tagPolicy: 'set', tagKnown: false })).toMatch(/no tag is known for this digest/);
    expect(immutablePinProblem(prod, { tagPolicy: 'set', tagKnown: true })).toBeUndefined();
    expect(immutablePinProblem(prod, { tagPolicy: 'remove', tagKnown: false })).toBeUndefined();
    expect(immutablePinProblem(dev, { tagPolicy: 'keep', tagKnown: false })).toBeUndefined();
  });

  it('make lint strict on the files they pin', () => {
    expect(lintOptionsFor(config, 'envs/prod/api/values.yaml')).toEqual({ immutable: true, environments: ['prod'], shaKeys: ['sha'] });
    expect(lintOptionsFor(config, './envs/dev/agents.yaml')).toEqual({ immutable: false, environments: ['dev'], shaKeys: ['sha'] });
    expect(lintOptionsFor(config, 'unrelated.yaml')).toEqual({ immutable: false, environments: [], shaKeys: ['sha'] });
  });
});
