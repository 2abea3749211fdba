// The GitOps remote is checked when inputs are read (issue 13, item 1): credentials become secrets before
// anything is logged, unsafe schemes are refused, a malformed URL names the input, and no message shows a password.
import { afterEach, describe, expect, it } from 'vitest';
import { checkRemoteUrl } from '../../../src/gitops/git/remote-url.js';
import { InputError } from '../../../src/runtime/errors.js';
import { readInputs } from '../../../src/inputs.js';
import { clearSecrets, redact } from '../../../src/runtime/secrets.js';

afterEach(() => clearSecrets());

function failure(raw: string): InputError {
  try {
    checkRemoteUrl(raw);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`${raw} was accepted`);
}

describe('checkRemoteUrl', () => {
  it.each([
    ['https://deploy:S3cretPass@git.example.com/ops/gitops.git', 'https://git.example.com/ops/gitops.git', { user: 'deploy', password: 'S3cretPass' }],
    ['https://ghp_TokenValue123@git.example.com/a.git', 'https://git.example.com/a.git', { user: 'ghp_TokenValue123', password: '' }],
    ['http://u:LoopPass1@127.0.0.1:9418/a.git', 'http://127.0.0.1:9418/a.git', { user: 'u', password: 'LoopPass1' }],
    ['https://git.example.com/a.git', 'https://git.example.com/a.git', undefined],
    ['ssh://deploy@git.example.com:2222/a.git', 'ssh://deploy@git.example.com:2222/a.git', undefined],
    ['git@github.com:ops/gitops.git', 'git@github.com:ops/gitops.git', undefined],
    ['/srv/gitops.git', '/srv/gitops.git', undefined],
  ])('%s', (raw, display, credentials) => {
    expect(checkRemoteUrl(raw)).toEqual(credentials ? { display, credentials } : { display });
  });

  it('registers the password and the token as secrets while checking, so the raw URL is masked in any later line', () => {
    checkRemoteUrl('https://deploy:S3cretPass@git.example.com/ops/gitops.git');
    checkRemoteUrl('https://ghp_TokenValue123@git.example.com/a.git');
    expect(redact('direct to https://deploy:S3cretPass@git.example.com/ops/gitops.git')).toBe('direct to https://***@git.example.com/ops/gitops.git');
    expect(redact('https://ghp_TokenValue123@git.example.com/a.git')).toBe('https://***@git.example.com/a.git');
    // A login name alone is not a secret: masking `deploy` would blank ordinary words.
    checkRemoteUrl('ssh://deploy@git.example.com/a.git');
    expect(redact('deploy')).toBe('deploy');
  });

  it.each([
    ['ssh://deploy:SshPass99@git.example.com/a.git', /ssh:\/\/.*credentials on ssh:\/\//],
    ['ftp://u:FtpPass99@files.example.com/a.git', /credentials on ftp:\/\//],
    ['http://u:HttpPass99@git.example.com/a.git', /plain http would send them unencrypted/],
    ['deploy:ScpPass99@git.example.com:ops/a.git', /password in an scp-style address/],
    ['https://u:BadPort99@git.example.com:99999/a.git', /not a valid URL/],
    ['https://u:Bad%zzPass@git.example.com/a.git', /'%'/],
    ['https://git.example.com/a%zz.git', /'%'/],
    ['gopher://u:GopherPass@example.com/a.git', /gopher:\/\/, which git does not fetch from/],
  ])('refuses %s, naming the input and never the password', (raw, why) => {
    const error = failure(raw);
    expect(error.message).toMatch(/^input 'gitops-repository': /);
    expect(error.message).toMatch(why);
    expect(error.message).not.toMatch(/Pass/);
    expect(error.message).not.toContain('\n');
  });

  it('fails at input time, before any phase runs, when the action gets a malformed URL', () => {
    const env = {
      'INPUT_GITOPS-REPOSITORY': 'https://u:PortPass1@git.example.com:99999/a.git',
      INPUT_ENVIRONMENT: 'dev',
      'INPUT_IMAGE-REF': 'localhost:5000/a/b:1',
      'INPUT_VALUES-FILE': 'values.yaml',
    };
    expect(() => readInputs(env)).toThrow(/^input 'gitops-repository': 'https:\/\/\*\*\*@git\.example\.com:99999\/a\.git' is not a valid URL/);
    expect(redact('PortPass1')).toBe('***');
  });
});
