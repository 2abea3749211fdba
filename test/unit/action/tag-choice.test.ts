// The tag decision on its own: which tag a pin writes beside the digest, and what the PR says about it.
import { describe, expect, it } from 'vitest';
import { bareTag, chooseTags, type TagChoiceInput } from '../../../src/promote/tag-choice.js';

const D = `sha256:${'d'.repeat(64)}`;
const E = `sha256:${'e'.repeat(64)}`;

function input(over: Partial<TagChoiceInput>, registry: Record<string, string> = {}) {
  const looked: string[] = [];
  let reads = 0;
  const i: TagChoiceInput = {
    requested: 'set',
    digest: D,
    candidates: [],
    count: 1,
    currentTags: async () => {
      reads++;
      return ['2.0'];
    },
    pointsAt: async (tag) => {
      looked.push(tag);
      return registry[tag];
    },
    ...over,
  };
  return { i, looked, reads: () => reads };
}

describe('chooseTags', () => {
  it('sets a known tag without asking the registry or reading the file', async () => {
    const { i, looked, reads } = input({ candidates: [{ tag: '1.4.2', from: "this run's build", known: true }] });
    expect(await chooseTags(i)).toEqual({ policies: [{ mode: 'set', value: '1.4.2' }], tag: '1.4.2', note: "`1.4.2` (from this run's build; it points at sha256:ddddddd)" });
    expect([looked, reads()]).toEqual([[], 0]);
  });

  it('skips a candidate that names another digest, then keeps the file tag that names this one', async () => {
    const { i, looked } = input({ candidates: [{ tag: 'v1', from: 'the dev pin' }], currentTags: async () => ['2.0@sha256:0000'] }, { v1: E, '2.0': D });
    const choice = await chooseTags(i);
    expect(choice.policies).toEqual([{ mode: 'set', value: '2.0' }]);
    expect(choice.note).toBe('`2.0` kept: it already points at sha256:ddddddd');
    expect(looked).toEqual(['v1', '2.0']);
  });

  it('removes the tag when nothing names the digest, saying what each tag names', async () => {
    const { i } = input({ candidates: [{ tag: 'v1', from: 'the dev pin' }], count: 2, currentTags: async () => ['2.0', undefined] }, { '2.0': E });
    const choice = await chooseTags(i);
    expect(choice.policies).toEqual([{ mode: 'remove' }, { mode: 'remove' }]);
    expect(choice.note).toContain("removed: no tag is known to point at sha256:ddddddd (`v1` from the dev pin is not at the registry; the file's `2.0` points at sha256:eeeeeee)");
  });

  it('keeps or removes only when asked to', async () => {
    expect((await chooseTags(input({ requested: 'keep', count: 2 }).i)).policies).toEqual([{ mode: 'keep' }, { mode: 'keep' }]);
    expect((await chooseTags(input({ requested: 'remove' }).i)).note).toBe('removed (tag-policy: remove)');
  });

  it('reads a Renovate-style tag by its tag part', () => {
    expect(bareTag(`18.19.0@${D}`)).toBe('18.19.0');
    expect(bareTag('')).toBeUndefined();
  });
});
