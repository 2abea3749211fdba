// diffLines / lineDiff: the exact changed lines, as `pin --check` and PR bodies show them.
import { describe, expect, it } from 'vitest';
import { diffLines, lineDiff } from '../../../src/values/index.js';

describe('lineDiff', () => {
  it('numbers removals in the old text and additions in the new one, across separate hunks', () => {
    expect(lineDiff('a\nb\nc\nd\ne\n', 'a\nB\nc\nd\ne\nf\n')).toEqual([
      { kind: '-', line: 2, text: 'b' },
      { kind: '+', line: 2, text: 'B' },
      { kind: '+', line: 6, text: 'f' },
    ]);
  });

  it('ignores line terminators: CRLF and a missing final newline are not changes', () => {
    expect(lineDiff('a\r\nb', 'a\r\nb\r\nc')).toEqual([{ kind: '+', line: 3, text: 'c' }]);
    expect(lineDiff('a\nb\n', 'a\nb\n')).toEqual([]);
  });

  it('handles empty texts and pure deletions', () => {
    expect(lineDiff('', 'x\n')).toEqual([{ kind: '+', line: 1, text: 'x' }]);
    expect(lineDiff('a\nb\nc\n', 'c\n')).toEqual([
      { kind: '-', line: 1, text: 'a' },
      { kind: '-', line: 2, text: 'b' },
    ]);
  });

  it('keeps repeated identical lines apart', () => {
    expect(lineDiff('x\ny\nx\ny\n', 'x\ny\nx\nz\ny\n')).toEqual([{ kind: '+', line: 4, text: 'z' }]);
  });
});

describe('diffLines', () => {
  it('renders - old / + new', () => {
    expect(diffLines('image:\n  digest: ""\n', 'image:\n  digest: "sha256:x"\n')).toEqual(['-  digest: ""', '+  digest: "sha256:x"']);
  });
});
