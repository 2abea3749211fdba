// A copy carries the image's cosign signature along: signed with the real cosign at one registry, copied by
// copyImage + copySignatureTags to another, the real `cosign verify` holds at the target with the same key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage } from '../../../src/registry/copy.js';
import { copySignatureTags } from '../../../src/registry/copy-signatures.js';
import { pushImage, startRegistry, type PushedImage, type RegistryServer } from '../../support/registry-server.js';
import { cosignKeyPair, cosignSign, cosignVerify, type KeyPair } from '../verify/fixtures.js';

describe('copySignatureTags', () => {
  let source: RegistryServer;
  let target: RegistryServer;
  let image: PushedImage;
  let key: KeyPair;

  beforeAll(async () => {
    [source, target] = await Promise.all([startRegistry(), startRegistry()]);
    image = await pushImage(`${source.host}/team/signed:1.0.0`, { platforms: ['linux/amd64', 'linux/arm64'], content: `signed ${process.pid}-${Date.now()}` });
    key = await cosignKeyPair('copy-signatures');
    await cosignSign(key, `${source.host}/team/signed@${image.digest}`);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), target?.stop()]);
  });

  it('copies the .sig tag beside the image, so cosign verify holds at the target', async () => {
    const options = { dockerConfigPath: false as const };
    const from = { registry: source.host, repository: 'team/signed', digest: image.digest };
    const to = { registry: target.host, repository: 'prod/signed' };
    expect((await cosignVerify(key.pub, `${target.host}/prod/signed@${image.digest}`)).ok).toBe(false);
    await copyImage(options, from, to);
    expect((await cosignVerify(key.pub, `${target.host}/prod/signed@${image.digest}`)).ok).toBe(false);
    expect(await copySignatureTags(options, from, to)).toEqual([`${image.digest.replace(':', '-')}.sig`]);
    const verified = await cosignVerify(key.pub, `${target.host}/prod/signed@${image.digest}`);
    expect(verified.ok, verified.output).toBe(true);
  });

  it('copies nothing for an unsigned image', async () => {
    const unsigned = await pushImage(`${source.host}/team/unsigned:1.0.0`, { content: `unsigned ${process.pid}-${Date.now()}` });
    const from = { registry: source.host, repository: 'team/unsigned', digest: unsigned.digest };
    expect(await copySignatureTags({ dockerConfigPath: false }, from, { registry: target.host, repository: 'prod/unsigned' })).toEqual([]);
  });
});
