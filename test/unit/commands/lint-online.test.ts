// Where lint --online checks a pin: the host the file names, or the environment's pull registry (which keeps the
// repository path); Docker Hub short names are normalised; one request per distinct digest, counted by a fake.
import { describe, expect, it } from 'vitest';
import { checkedReference, checkPinsOnline } from '../../../src/commands/lint-online.js';
import { RegistryError } from '../../../src/runtime/errors.js';
import type { RegistryClient } from '../../../src/registry/index.js';

const D = `sha256:${'c'.repeat(64)}`;
const pin = (repository: string, extra: object = {}) => ({ file: 'f.yaml', line: 3, repository, digest: D, ...extra });

describe('checkedReference', () => {
  it.each([
    ['reg.io/team/app', undefined, { registry: 'reg.io', repository: 'team/app' }],
    ['nginx', undefined, { registry: 'docker.io', repository: 'library/nginx' }],
    ['ghcr.io/team/app', 'registry.internal:5000', { registry: 'registry.internal:5000', repository: 'team/app' }],
    ['team/app', 'registry.internal:5000', { registry: 'registry.internal:5000', repository: 'team/app' }],
  ])('%s (pull registry %s)', (repository, pullRegistry, expected) => {
    expect(checkedReference(pin(repository, pullRegistry ? { pullRegistry } : {}))).toEqual({ ...expected, digest: D });
  });
});

describe('checkPinsOnline', () => {
  it('asks once per distinct registry/repository/digest and reports every pin of a missing one', async () => {
    const asked: string[] = [];
    const client: RegistryClient = {
      resolve: () => Promise.reject(new Error('not used')),
      verify: async (ref, digest) => {
        const r = typeof ref === 'string' ? ref : `${ref.registry}/${ref.repository}`;
        asked.push(`${r}@${digest}`);
        if (r === 'reg.io/gone') throw new RegistryError(`reg.io/gone@${digest}: registry reg.io does not serve digest ${digest} of repository 'gone' (HTTP 404)`, r, 404);
        if (r === 'reg.io/locked') throw new RegistryError(`reg.io/locked@${digest}: reg.io requires credentials (bearer auth); no credentials for reg.io`, r, 401);
        return { reference: { registry: 'reg.io', repository: 'x' }, digest, mediaType: '', kind: 'index', platforms: [], requests: 1 };
      },
    };
    const report = await checkPinsOnline(
      [pin('reg.io/app'), { ...pin('reg.io/app'), file: 'g.yaml' }, pin('reg.io/gone'), { ...pin('reg.io/gone'), line: 9 }, pin('reg.io/locked'), pin('Not A Ref')],
      client,
    );
    expect(asked.sort()).toEqual([`reg.io/app@${D}`, `reg.io/gone@${D}`, `reg.io/locked@${D}`]);
    expect(report.checked).toBe(3);
    expect(report.requests).toBe(1);
    expect(report.findings.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`)).toEqual([
      `f.yaml:3 digest-unchecked: Not A Ref@${D} can't be checked: 'Not A Ref' is not a registry/repository name`,
      `f.yaml:3 digest-missing: reg.io/gone@${D} is missing at registry reg.io (HTTP 404): the cluster can't pull it`,
      `f.yaml:3 digest-unchecked: reg.io/locked@${D} could not be checked at registry reg.io: reg.io/locked@${D}: reg.io requires credentials (bearer auth); no credentials for reg.io`,
      `f.yaml:9 digest-missing: reg.io/gone@${D} is missing at registry reg.io (HTTP 404): the cluster can't pull it`,
    ]);
  });
});
