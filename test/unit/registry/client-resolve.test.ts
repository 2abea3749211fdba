// What a resolution reports (nock, network off): one HEAD for a tag or a known digest, platforms without
// attestations, one platform's digest, labels from the config, and content checks that catch a lying registry.
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkPushPullAgreement,
  createRegistryClient,
  disagreementMessage,
  MANIFEST_ACCEPT,
  parseReference,
} from '../../../src/registry/index.js';
import { AMD64, AMD64_DIGEST, ARM64_DIGEST, CONFIG, CONFIG_DIGEST, INDEX, INDEX_DIGEST, indexHeaders, sha256 } from './fixtures.js';

const REG = 'https://reg.example.com';
const REF = 'reg.example.com/team/app:v1';
const c = () => createRegistryClient({ dockerConfigPath: false, maxRetries: 0, notFoundWindowMs: 0 });

afterEach(() => nock.cleanAll());

describe('resolve', () => {
  it('asks for index and manifest types, and resolves a tag with one HEAD to the index digest', async () => {
    nock(REG).head('/v2/team/app/manifests/v1').matchHeader('accept', MANIFEST_ACCEPT).reply(200, '', indexHeaders);
    const r = await c().resolve(REF);
    expect(MANIFEST_ACCEPT.split(', ')).toEqual([
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]);
    expect(r).toMatchObject({ digest: INDEX_DIGEST, kind: 'index', mediaType: 'application/vnd.oci.image.index.v1+json', platforms: [], requests: 1 });
    expect(r.reference).toEqual({ registry: 'reg.example.com', repository: 'team/app', tag: 'v1', digest: INDEX_DIGEST });
  });

  it('verifies a known digest with one HEAD on /manifests/<digest>', async () => {
    nock(REG).head(`/v2/team/app/manifests/${INDEX_DIGEST}`).reply(200, '', { 'content-type': 'application/vnd.oci.image.index.v1+json' });
    const r = await c().verify('reg.example.com/team/app', INDEX_DIGEST);
    expect(r).toMatchObject({ digest: INDEX_DIGEST, kind: 'index', requests: 1 });
  });

  it('hashes the body when the registry sends no digest header', async () => {
    nock(REG)
      .head('/v2/team/app/manifests/v1').reply(200, '', { 'content-type': 'application/vnd.oci.image.index.v1+json' })
      .get('/v2/team/app/manifests/v1').reply(200, INDEX, { 'content-type': 'application/vnd.oci.image.index.v1+json' });
    const r = await c().resolve(REF);
    expect(r).toMatchObject({ digest: INDEX_DIGEST, requests: 2, platforms: ['linux/amd64', 'linux/arm64/v8'] });
  });

  it('with verifyContent, catches a registry whose header does not match the body', async () => {
    const lie = `sha256:${'f'.repeat(64)}`;
    nock(REG).get('/v2/team/app/manifests/v1').reply(200, INDEX, { ...indexHeaders, 'docker-content-digest': lie });
    await expect(c().resolve(REF, { verifyContent: true })).rejects.toThrow(
      `says the digest is ${lie} but the manifest it served hashes to ${INDEX_DIGEST}`,
    );
  });

  it('catches a body that does not hash to the digest asked for', async () => {
    nock(REG).get(`/v2/team/app/manifests/${INDEX_DIGEST}`).reply(200, `${INDEX} `, indexHeaders);
    await expect(c().verify('reg.example.com/team/app', INDEX_DIGEST, { verifyContent: true })).rejects.toThrow(
      `served a manifest whose content hashes to ${sha256(`${INDEX} `)}, not ${INDEX_DIGEST}`,
    );
  });

  it('describe: one GET reports platforms, attestation manifests left out', async () => {
    nock(REG).get('/v2/team/app/manifests/v1').reply(200, INDEX, indexHeaders);
    const r = await c().resolve(REF, { describe: true });
    expect(r).toMatchObject({ digest: INDEX_DIGEST, kind: 'index', platforms: ['linux/amd64', 'linux/arm64/v8'], requests: 1 });
  });

  it.each([
    ['linux/arm64', ARM64_DIGEST],
    ['linux/arm64/v8', ARM64_DIGEST],
    ['linux/amd64', AMD64_DIGEST],
  ])('platform %s picks that manifest digest', async (platform, digest) => {
    nock(REG).get('/v2/team/app/manifests/v1').reply(200, INDEX, indexHeaders);
    const r = await c().resolve(REF, { platform });
    expect(r).toMatchObject({ digest, kind: 'manifest', mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(r.reference.digest).toBe(digest);
  });

  it('a platform the image lacks is an error listing what it has', async () => {
    nock(REG).get('/v2/team/app/manifests/v1').reply(200, INDEX, indexHeaders);
    await expect(c().resolve(REF, { platform: 'linux/s390x' })).rejects.toThrow(
      `${REF}: there is no linux/s390x image (the image has linux/amd64, linux/arm64/v8)`,
    );
  });

  it('labels: index -> platform manifest -> config blob', async () => {
    nock(REG)
      .get('/v2/team/app/manifests/v1').reply(200, INDEX, indexHeaders)
      .get(`/v2/team/app/manifests/${AMD64_DIGEST}`).reply(200, AMD64, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
      .get(`/v2/team/app/blobs/${CONFIG_DIGEST}`).reply(200, CONFIG);
    const r = await c().resolve(REF, { labels: true });
    expect(r.digest).toBe(INDEX_DIGEST);
    expect(r.labels).toEqual({
      'org.opencontainers.image.revision': '0123abc',
      'org.opencontainers.image.source': 'https://github.com/ameide/agents',
    });
    expect(r.requests).toBe(3);
  });

  it('a single-platform manifest reports its platform from the config', async () => {
    nock(REG)
      .get('/v2/team/app/manifests/v1').reply(200, AMD64, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' })
      .get(`/v2/team/app/blobs/${CONFIG_DIGEST}`).reply(200, CONFIG);
    const r = await c().resolve(REF, { describe: true });
    expect(r).toMatchObject({ digest: AMD64_DIGEST, kind: 'manifest', platforms: ['linux/amd64'], requests: 2 });
  });

  it('reaches an aliased host, over plain http only because it is loopback', async () => {
    nock('http://localhost:5999').head('/v2/ameide/agents/manifests/dev').reply(200, '', indexHeaders);
    const client = createRegistryClient({ dockerConfigPath: false, aliases: { 'k3d-dev-reg:5000': 'localhost:5999' } });
    const r = await client.resolve('k3d-dev-reg:5000/ameide/agents:dev');
    expect(r.reference.registry).toBe('localhost:5999');
  });

  it('uses https for other hosts unless listed as insecure', async () => {
    nock('http://registry.lan:5000').head('/v2/x/manifests/1').reply(200, '', indexHeaders);
    const client = createRegistryClient({ dockerConfigPath: false, insecureRegistries: ['registry.lan:5000'] });
    expect((await client.resolve('registry.lan:5000/x:1')).digest).toBe(INDEX_DIGEST);
  });
});

describe('checkPushPullAgreement', () => {
  const aliases = { 'k3d-dev-reg:5000': '127.0.0.1:5001' };
  const client = () => createRegistryClient({ dockerConfigPath: false, maxRetries: 0, notFoundWindowMs: 0, aliases });

  it('agrees when the pull name serves the digest', async () => {
    nock('http://localhost:5000').head(`/v2/ameide/agents/manifests/${INDEX_DIGEST}`).reply(200, '', indexHeaders);
    nock('http://127.0.0.1:5001').head(`/v2/ameide/agents/manifests/${INDEX_DIGEST}`).reply(200, '', indexHeaders);
    const check = await checkPushPullAgreement('localhost:5000/ameide/agents:dev', 'k3d-dev-reg:5000/ameide/agents', INDEX_DIGEST, client(), aliases);
    expect(check.agree).toBe(true);
    expect(check.message).toBeUndefined();
  });

  it('says in one sentence when the push side has it and the pull side does not', async () => {
    nock('http://localhost:5000').head(`/v2/ameide/agents/manifests/${INDEX_DIGEST}`).reply(200, '', indexHeaders);
    nock('http://127.0.0.1:5001')
      .head(`/v2/ameide/agents/manifests/${INDEX_DIGEST}`).reply(404)
      .get('/v2/ameide/agents/tags/list').query({ n: '1' }).reply(404, {});
    const check = await checkPushPullAgreement('localhost:5000/ameide/agents:dev', 'k3d-dev-reg:5000/ameide/agents', INDEX_DIGEST, client(), aliases);
    expect(check.agree).toBe(false);
    expect(check.message).toBe(
      `pushed to localhost:5000/ameide/agents but k3d-dev-reg:5000/ameide/agents (reached as 127.0.0.1:5001) does not serve ${INDEX_DIGEST}; they are two registries; push to the one the cluster pulls from, or copy the image there`,
    );
  });
});

describe('disagreementMessage', () => {
  it.each([
    [
      'localhost:5000/ameide/agents',
      'localhost:5000/ameide/agent',
      {},
      'pushed to localhost:5000/ameide/agents but localhost:5000/ameide/agent does not serve D; the repository names differ (ameide/agents vs ameide/agent)',
    ],
    [
      'localhost:5000/ameide/agents',
      'k3d-dev-reg:5000/ameide/agents',
      { 'k3d-dev-reg:5000': 'localhost:5000' },
      'pushed to localhost:5000/ameide/agents but k3d-dev-reg:5000/ameide/agents (reached as localhost:5000) does not serve D; the same address answers differently for the two names; check credentials and the alias map',
    ],
    [
      'ghcr.io/o/app',
      'registry.internal/o/app',
      {},
      'pushed to ghcr.io/o/app but registry.internal/o/app does not serve D; they are two registries; push to the one the cluster pulls from, or copy the image there',
    ],
  ])('%s vs %s', (push, pull, aliases, sentence) => {
    expect(disagreementMessage(parseReference(push), parseReference(pull), 'D', aliases)).toBe(sentence);
  });
});
