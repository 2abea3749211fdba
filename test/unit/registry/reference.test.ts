// Reference parsing as docker does it: Docker Hub defaults, hosts with ports, IPv6, and clear errors.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/runtime/errors.js';
import { apiHost, formatReference, isLoopback, isValidDigest, parseReference } from '../../../src/registry/reference.js';

const D256 = `sha256:${'a'.repeat(64)}`;
const D512 = `sha512:${'b'.repeat(128)}`;

describe('parseReference: good input', () => {
  it.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['library/nginx:latest', { registry: 'docker.io', repository: 'library/nginx', tag: 'latest' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['index.docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['docker.io/bitnami/redis:7', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7' }],
    ['user/app', { registry: 'docker.io', repository: 'user/app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/ameide/agents:dev', { registry: 'localhost:5000', repository: 'ameide/agents', tag: 'dev' }],
    ['127.0.0.1:5000/x', { registry: '127.0.0.1:5000', repository: 'x' }],
    ['10.0.0.7:443/team/svc:v1', { registry: '10.0.0.7:443', repository: 'team/svc', tag: 'v1' }],
    ['[::1]:5000/x:t', { registry: '[::1]:5000', repository: 'x', tag: 't' }],
    ['[2001:db8::1]/x', { registry: '[2001:db8::1]', repository: 'x' }],
    ['k3d-dev-reg:5000/ameide/agents', { registry: 'k3d-dev-reg:5000', repository: 'ameide/agents' }],
    ['ghcr.io/owner/repo:sha-abc123', { registry: 'ghcr.io', repository: 'owner/repo', tag: 'sha-abc123' }],
    ['GHCR.IO/owner/repo', { registry: 'ghcr.io', repository: 'owner/repo' }],
    ['us-docker.pkg.dev/proj/repo/img:1', { registry: 'us-docker.pkg.dev', repository: 'proj/repo/img', tag: '1' }],
    ['gcr.io/proj/img', { registry: 'gcr.io', repository: 'proj/img' }],
    ['myreg.azurecr.io/a/b', { registry: 'myreg.azurecr.io', repository: 'a/b' }],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v2', { registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repository: 'app', tag: 'v2' }],
    [`nginx@${D256}`, { registry: 'docker.io', repository: 'library/nginx', digest: D256 }],
    [`nginx:1.27@${D256}`, { registry: 'docker.io', repository: 'library/nginx', tag: '1.27', digest: D256 }],
    [`localhost:5000/x@${D512}`, { registry: 'localhost:5000', repository: 'x', digest: D512 }],
    ['a/b/c/d/e', { registry: 'docker.io', repository: 'a/b/c/d/e' }],
    ['my_app/web-ui__x:T_1.0-rc', { registry: 'docker.io', repository: 'my_app/web-ui__x', tag: 'T_1.0-rc' }],
    ['foo---bar/x', { registry: 'docker.io', repository: 'foo---bar/x' }],
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
    [`  nginx:1  `, { registry: 'docker.io', repository: 'library/nginx', tag: '1' }],
  ])('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });
});

describe('parseReference: bad input gets a one-line error naming the input', () => {
  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['localhost:5000/Ameide/agents', "repository name 'Ameide/agents' must be lowercase"],
    ['docker.io/Library/nginx', 'must be lowercase'],
    ['nginx:', "tag '' must be"],
    ['nginx:-bad', "tag '-bad'"],
    [`nginx:${'t'.repeat(129)}`, 'tag'],
    ['nginx@sha256:abc', "digest 'sha256:abc'"],
    [`nginx@sha256:${'A'.repeat(64)}`, 'must be sha256: + 64 lowercase hex'],
    [`nginx@md5:${'a'.repeat(32)}`, 'digest'],
    [`nginx@sha512:${'a'.repeat(64)}`, 'digest'],
    ['https://ghcr.io/o/r', 'leave out the scheme'],
    ['ghcr.io/o/r:tag with space', 'whitespace'],
    ['ghcr.io/', 'repository name is missing'],
    [':tag', 'repository name is missing'],
    ['ghcr.io//r', "'' is not a valid path component"],
    ['ghcr.io/o/r/', "'' is not a valid path component"],
    ['-bad.example.com/x', 'not a valid registry'],
    ['host:port/x', "'host:port' is not a valid registry"],
    ['ghcr.io/o/_r', "'_r' is not a valid path component"],
    ['ghcr.io/o/r..x', "'r..x'"],
    ['a'.repeat(64), 'image ID'],
    [`ghcr.io/${'a'.repeat(260)}`, 'longer than 255'],
    ['ghcr.io/o/r@', 'digest'],
  ])('%j', (input, why) => {
    let error: unknown;
    try {
      parseReference(input, 'image-ref');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toContain("input 'image-ref'");
    expect(message).toContain(`'${input}'`);
    expect(message).toContain(why);
    expect(message).not.toContain('\n');
  });
});

describe('digests, hosts and formatting', () => {
  it.each([
    [D256, true],
    [D512, true],
    [`sha256:${'a'.repeat(63)}`, false],
    [`sha256:${'a'.repeat(65)}`, false],
    [`sha256:${'A'.repeat(64)}`, false],
    [`sha512:${'a'.repeat(64)}`, false],
    [`sha384:${'a'.repeat(96)}`, false],
    [`${'a'.repeat(64)}`, false],
  ])('isValidDigest(%s) is %s', (digest, ok) => expect(isValidDigest(digest)).toBe(ok));

  it.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['127.0.0.1:5000', true],
    ['127.255.3.4', true],
    ['[::1]:5000', true],
    ['128.0.0.1:5000', false],
    ['127.0.0.1.nip.io', false],
    ['k3d-dev-reg:5000', false],
    ['localhost.example.com', false],
  ])('isLoopback(%s) is %s', (host, ok) => expect(isLoopback(host)).toBe(ok));

  it('maps Docker Hub to its API host and leaves others alone', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('ghcr.io')).toBe('ghcr.io');
    expect(apiHost('localhost:5000')).toBe('localhost:5000');
  });

  it('formats what it parses', () => {
    for (const text of ['ghcr.io/o/r:1', `localhost:5000/a/b@${D256}`, `docker.io/library/nginx:1@${D256}`]) {
      expect(formatReference(parseReference(text))).toBe(text);
    }
  });
});
