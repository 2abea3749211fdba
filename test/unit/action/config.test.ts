import { describe, expect, it } from 'vitest';
import { parseConfig, pinsFor } from '../../../src/promote/config.js';
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
    services:
      agents:
        file: envs/prod/hr.yaml
        yaml-path: spec.values.image.digest
`;

describe('config', () => {
  it('maps environment and service to file and target', () => {
    const config = parseConfig(text, 'digestpin.yaml');
    expect(pinsFor(config, 'digestpin.yaml', 'dev', 'agents')).toEqual({
      pins: [{ environment: 'dev', service: 'agents', file: 'envs/dev/agents.yaml', target: { kind: 'helm', path: 'image' } }],
      env: expect.objectContaining({ mode: 'direct', immutable: false }),
    });
    expect(pinsFor(config, 'digestpin.yaml', 'dev', 'web').pins[0]).toMatchObject({ file: 'envs/dev/kustomization.yaml', target: { kind: 'kustomize', name: 'ameide/web' } });
    expect(pinsFor(config, 'digestpin.yaml', 'prod', 'agents').pins[0]?.target).toEqual({ kind: 'yaml-path', path: 'spec.values.image.digest' });
    expect(config.environments.get('prod')?.immutable).toBe(true);
  });

  it('names the file for an unknown environment or service', () => {
    const config = parseConfig(text, 'digestpin.yaml');
    expect(() => pinsFor(config, 'digestpin.yaml', 'qa', 'agents')).toThrow("digestpin.yaml: environment 'qa' is not defined (defined: dev, prod)");
    expect(() => pinsFor(config, 'digestpin.yaml', 'prod', 'web')).toThrow(/service 'web' has no entry under environments.prod.services \(entries: agents\)/);
  });

  it.each([
    ['environments: [a]', 1, /needs a map 'environments:'/],
    ['environments:\n  dev: 3\n', 2, /environment 'dev' must be a map/],
    ['environments:\n  dev:\n    mode: yolo\n', 3, /mode 'yolo' is not direct or pull-request/],
    ['environments:\n  dev:\n    services:\n      a: { key: image }\n', 4, /service 'a' in 'dev' needs 'file:'/],
    ['environments:\n  dev:\n    services:\n      a: { file: ../x.yaml }\n', 4, /must stay inside the GitOps repository/],
    ['environments:\n  dev: {}\n  dev: {}\n', 3, /unique|duplicate/i],
    ['environments:\n  dev: [\n', 3, /Flow sequence in block collection must be sufficiently indented and end with a \]$/],
  ])('rejects bad config %#, with the line', (bad, line, message) => {
    let error: unknown;
    try {
      parseConfig(bad, 'digestpin.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileError);
    expect((error as FileError).context).toMatchObject({ file: 'digestpin.yaml', line });
    expect((error as Error).message).toMatch(message);
  });
});
