// findPinnedDigests: every digest a file pins, with its repository and the digest's own line, in each shape a
// values or kustomize file writes one; tag-only images and malformed digests are not pins.
import { describe, expect, it } from 'vitest';
import { findPinnedDigests } from '../../../src/values/pinned-digests.js';

const D = `sha256:${'a'.repeat(64)}`;
const E = `sha256:${'b'.repeat(64)}`;

describe('findPinnedDigests', () => {
  it('finds Helm blocks, registry prefixes, tags carrying digests, kustomize entries and reference strings', () => {
    const text = [
      'image:',
      '  repository: reg.io/team/agents',
      `  digest: ${D}`,
      'global:',
      '  imageRegistry: mirror.io',
      'worker:',
      '  image:',
      '    registry: ignored.io',
      '    repository: team/worker',
      `    tag: 1.2.3@${E}`,
      'images:',
      '  - name: web',
      '    newName: reg.io/team/web',
      `    digest: ${E}`,
      '  - name: plain',
      '    newTag: "1.0"',
      'containers:',
      `  - image: reg.io/team/side:2@${D}`,
      '    name: side',
      'tagOnly:',
      '  image: { repository: reg.io/x, tag: "1" }',
      'bad:',
      '  image: { repository: reg.io/y, digest: "sha256:nope" }',
      '',
    ].join('\n');
    expect(findPinnedDigests(text, 'v.yaml')).toEqual([
      { file: 'v.yaml', line: 3, repository: 'reg.io/team/agents', digest: D },
      // global.imageRegistry wins over the block's registry, as the chart renders it.
      { file: 'v.yaml', line: 10, repository: 'mirror.io/team/worker', digest: E },
      { file: 'v.yaml', line: 14, repository: 'reg.io/team/web', digest: E },
      { file: 'v.yaml', line: 18, repository: 'reg.io/team/side', digest: D },
    ]);
  });

  it('reads every document and skips one with a syntax error', () => {
    const text = `image: reg.io/a@${D}\n---\nimage: [unclosed\n---\nimage:\n  repository: reg.io/b\n  digest: ${E}\n`;
    expect(findPinnedDigests(text, 'm.yaml').map((p) => [p.line, p.repository])).toEqual([
      [1, 'reg.io/a'],
      [7, 'reg.io/b'],
    ]);
  });
});
