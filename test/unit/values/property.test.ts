// Property tests: for generated YAML files and generated pins, parse(output) equals the model applied
// to parse(input), and the line diff touches only the pinned keys' lines.
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { lineDiff, pinText, type Pin, type TagPolicy } from '../../../src/values/index.js';
import { applyModel, D1, parseDocs } from './model.js';
import { file } from './yaml-gen.js';

const tagPolicy: fc.Arbitrary<TagPolicy> = fc.oneof(
  fc.constant({ mode: 'keep' } as const),
  fc.constant({ mode: 'remove' } as const),
  fc.constantFrom('9.9.9', '2.0', 'v10').map((value) => ({ mode: 'set' as const, value })),
);

const PINNED_KEY = /^\s*(- )?(digest|tag|repository):( |$)/;

describe('pinning generated files', () => {
  it('helm targets: output = model(input), diff limited to the block keys', () => {
    const withBlock = file.filter((f) => f.blocks.length > 0);
    fc.assert(
      fc.property(withBlock, fc.nat(), tagPolicy, fc.boolean(), (f, pick, tag, setRepo) => {
        const path = f.blocks[pick % f.blocks.length]!;
        const pin: Pin = { target: { kind: 'helm', path }, digest: D1, tag, ...(setRepo ? { repository: 'ghcr.io/other/app', setRepository: true } : {}) };
        expect(parseDocument(f.text).errors).toEqual([]);
        const result = pinText(f.text, [pin], { file: 'gen.yaml' });
        expect(parseDocs(result.text)).toEqual([applyModel(parseDocs(f.text)[0], pin)]);
        const diff = lineDiff(f.text, result.text);
        const flow = diff.some((d) => d.text.includes('{'));
        for (const d of diff) {
          if (flow) expect(d.text).toMatch(/(repository|tag|digest):/);
          else expect(d.text).toMatch(PINNED_KEY);
        }
        expect(diff.filter((d) => d.kind === '+').length).toBeLessThanOrEqual(3);
        // Again: nothing changes.
        const again = pinText(result.text, [{ ...pin, tag: { mode: 'keep' } }], { file: 'gen.yaml' });
        expect(again.text).toBe(result.text);
        expect(again.changed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('every block pinned in one call: output = model applied pin by pin, and only block lines change', () => {
    const withBlocks = file.filter((f) => f.blocks.length > 1);
    fc.assert(
      fc.property(withBlocks, fc.array(tagPolicy, { minLength: 8, maxLength: 8 }), (f, tags) => {
        const pins: Pin[] = f.blocks.map((path, i) => ({ target: { kind: 'helm', path }, digest: D1, tag: tags[i % tags.length]! }));
        const result = pinText(f.text, pins, { file: 'gen.yaml' });
        const model = pins.reduce((data, pin) => applyModel(data, pin), parseDocs(f.text)[0]);
        expect(parseDocs(result.text)).toEqual([model]);
        expect(result.text.startsWith('\uFEFF')).toBe(f.text.startsWith('\uFEFF'));
        for (const d of lineDiff(f.text, result.text)) expect(d.text).toMatch(/(repository|tag|digest):/);
        for (const c of result.changes.filter((x) => x.kind !== 'removed')) {
          expect(result.text.split('\n')[c.line - 1]).toContain(c.key.split('.').pop()!);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('yaml-path targets on existing string scalars: exactly that line changes', () => {
    fc.assert(
      fc.property(file, fc.nat(), (f, pick) => {
        const leaves = stringLeaves(f.text);
        fc.pre(leaves.length > 0);
        const path = leaves[pick % leaves.length]!;
        const pin: Pin = { target: { kind: 'yaml-path', path }, digest: D1 };
        const result = pinText(f.text, [pin], { file: 'gen.yaml' });
        expect(parseDocs(result.text)).toEqual([applyModel(parseDocs(f.text)[0], pin)]);
        const diff = lineDiff(f.text, result.text);
        expect(diff.map((d) => d.kind)).toEqual(['-', '+']);
        expect(diff[0]!.line).toBe(diff[1]!.line);
        expect(result.changes.map((c) => c.line)).toEqual([diff[1]!.line]);
        expect(diff[1]!.text).toContain(D1);
      }),
      { numRuns: 300 },
    );
  });
});

/** Paths of string (or empty) scalars that are map values, from the parsed data. */
function stringLeaves(text: string): string[] {
  const out: string[] = [];
  const visit = (v: unknown, path: string, inMap: boolean) => {
    if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`, false));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, path ? `${path}.${k}` : k, true);
    else if (inMap && (typeof v === 'string' || v === null) && path) out.push(path);
  };
  visit(parseDocs(text)[0], '', false);
  return out;
}

const kustomization = fc
  .record({
    entries: fc.uniqueArray(
      fc.record({
        name: fc.constantFrom('nginx', 'redis', 'ghcr.io/acme/web', 'api'),
        newName: fc.option(fc.constantFrom('registry.example.com/mirror/x', 'localhost:5000/y'), { nil: undefined }),
        newTag: fc.option(fc.constantFrom('1.0.0', '"2.1"', 'latest'), { nil: undefined }),
        digest: fc.option(fc.constantFrom(`sha256:${'2'.repeat(64)}`, '""'), { nil: undefined }),
      }),
      { minLength: 0, maxLength: 4, selector: (e) => e.name },
    ),
    indent: fc.constantFrom('', '  '),
    crlf: fc.boolean(),
    comment: fc.boolean(),
  })
  .map(({ entries, indent, crlf, comment }) => {
    const lines = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', `${indent}- deployment.yaml`];
    if (entries.length) lines.push('images:');
    for (const e of entries) {
      if (comment) lines.push(`${indent}# ${e.name}`);
      lines.push(`${indent}- name: ${e.name}`);
      if (e.newName) lines.push(`${indent}  newName: ${e.newName}`);
      if (e.newTag) lines.push(`${indent}  newTag: ${e.newTag}`);
      if (e.digest) lines.push(`${indent}  digest: ${e.digest}`);
    }
    const eol = crlf ? '\r\n' : '\n';
    return { text: lines.join(eol) + eol, names: entries.map((e): string => e.name) };
  });

describe('pinning generated kustomizations', () => {
  it('output = model(input); existing entries change only their own lines', () => {
    fc.assert(
      fc.property(kustomization, fc.constantFrom('nginx', 'redis', 'ghcr.io/acme/web', 'api', 'new'), tagPolicy, fc.boolean(), (k, name, tag, keepDefault) => {
        const pin: Pin = { target: { kind: 'kustomize', name }, digest: D1, createMissing: true, ...(keepDefault ? {} : { tag }) };
        const result = pinText(k.text, [pin], { file: 'kustomization.yaml', verify: true });
        expect(parseDocs(result.text)).toEqual([applyModel(parseDocs(k.text)[0], pin)]);
        const diff = lineDiff(k.text, result.text);
        if (k.names.includes(name)) for (const d of diff) expect(d.text).toMatch(/^\s*(newTag|digest):/);
        else expect(diff.every((d) => d.kind === '+')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
