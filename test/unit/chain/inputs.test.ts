// The bot's action inputs: when they make a bot run, what each bad value says, and that the Argo CD token
// is a secret from the start (masked in every log line, report and error).
import { describe, expect, it } from 'vitest';
import { readChainInputs } from '../../../src/inputs.js';
import { redact } from '../../../src/runtime/secrets.js';
import { planMarkdown } from '../../../src/chain/render.js';

const base = { INPUT_CONFIG: 'digestpin.yaml', 'INPUT_GITOPS-REPOSITORY': 'ameide/gitops', GITHUB_WORKSPACE: '/ws' };

describe('readChainInputs', () => {
  it('is undefined for a one-target run, so readInputs handles it as before', () => {
    expect(readChainInputs({ ...base, INPUT_ENVIRONMENT: 'staging', 'INPUT_FROM-ENVIRONMENT': 'dev', INPUT_SERVICE: 'web', INPUT_ALL: 'false' })).toBeUndefined();
  });

  it('reads a selection: from and to, services as a list, group, all, auto, plan', () => {
    const chain = readChainInputs({ ...base, INPUT_ENVIRONMENT: 'prod', 'INPUT_FROM-ENVIRONMENT': 'staging', INPUT_SERVICES: 'web, api\nworker', INPUT_PLAN: 'true' })!;
    expect(chain.selection).toEqual({ from: 'staging', to: 'prod', services: ['web', 'api', 'worker'], group: undefined, all: false, auto: false });
    expect(chain.plan).toBe(true);
    expect(chain.configPath).toBe('/ws/digestpin.yaml');
    expect(chain.base.gitops).toMatchObject({ repository: 'ameide/gitops', baseBranch: 'main' });
    expect(readChainInputs({ ...base, INPUT_AUTO: 'true' })!.selection).toMatchObject({ auto: true, to: undefined, from: undefined });
  });

  it.each([
    [{ INPUT_ALL: 'true', INPUT_CONFIG: '' }, "input 'config': is required with services, group, all, auto, rollback or plan"],
    [{ INPUT_ALL: 'true', 'INPUT_IMAGE-REF': 'r/x:1' }, "input 'image-ref': is not used with services, group, all, auto, rollback or plan"],
    [{ INPUT_ROLLBACK: 'two', INPUT_ENVIRONMENT: 'prod', INPUT_SERVICE: 'web' }, "input 'rollback': 'two' is not a number of steps back; use 1 for the digest before the current one"],
    [{ INPUT_ROLLBACK: '1', INPUT_ENVIRONMENT: 'prod' }, "input 'rollback': needs environment and service: the target to roll back"],
    [{ INPUT_ROLLBACK: '1', INPUT_ENVIRONMENT: 'prod', INPUT_SERVICE: 'web', INPUT_PLAN: 'true' }, "input 'plan': is not used with rollback: a plan writes nothing; use dry-run: true to preview the rollback"],
    [{ INPUT_SERVICES: 'web,bad name' }, "input 'services': 'bad name' is not a service name"],
  ])('%o is one line naming the input', (extra, message) => {
    expect(() => readChainInputs({ ...base, ...extra })).toThrow(message);
  });

  it('registers the Argo CD token as a secret', () => {
    const token = 'argocd-token-that-must-never-leak-0123456789';
    readChainInputs({ ...base, INPUT_PLAN: 'true', 'INPUT_ARGOCD-TOKEN': token });
    expect(redact(`Authorization: Bearer ${token}`)).not.toContain(token);
    const leaked = planMarkdown([{ service: 'web', from: 'dev', to: 'staging', status: 'held', reason: { kind: 'unreadable', detail: `401 for ${token}` }, copy: false, pullRegistry: 'r' }]);
    expect(leaked).not.toContain(token);
  });
});
