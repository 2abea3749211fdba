// Properties for each pin style on generated files: parse(output) equals the model applied to parse(input), only
// the target's lines change, and pinning the output again changes nothing (byte for byte).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileError } from '../../../src/runtime/errors.js';
import { lineDiff, pinText, type Pin, type PinTarget, type TagPolicy } from '../../../src/values/index.js';
import { applyModel, D1, parseDocs, referenceModel } from './model.js';
import { file } from './yaml-gen.js';

const tagPolicy: fc.Arbitrary<TagPolicy | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ mode: 'keep' } as const),
  fc.constant({ mode: 'remove' } as const),
  fc.constantFrom('9.9.9', '2.0', 'v10').map((value) => ({ mode: 'set' as const, value })),
);

function pinOrRefusal(text: string, pin: Pin): ReturnType<typeof pinText> | FileError {
  try {
    return pinText(text, [pin], { file: 'gen.yaml', verify: true });
  } catch (error) {
    if (error instanceof FileError) return error;
    throw error;
  }
}

function expectIdempotent(text: string, pin: Pin): void {
  const again = pinText(text, [{ ...pin, createMissing: false }], { file: 'gen.yaml' });
  expect(again.changed).toBe(false);
  expect(again.text).toBe(text);
}

describe('sha and tag-digest styles on generated Helm values', () => {
  it.each(['sha', 'tag-digest'] as const)('%s: output = model(input), only block lines change, second pin is a no-op', (style) => {
    fc.assert(
      fc.property(file.filter((f) => f.blocks.length > 0), fc.nat(), tagPolicy, (f, pick, tag) => {
        const path = f.blocks[pick % f.blocks.length]!;
        const target: PinTarget = style === 'sha' ? { kind: 'helm', path, style, shaKey: 'sha' } : { kind: 'helm', path, style };
        const pin: Pin = { target, digest: D1, ...(tag ? { tag } : {}) };
        const result = pinOrRefusal(f.text, pin);
        if (result instanceof FileError) {
          // tag-digest needs a tag to carry the digest, and never removes it: the refusal says so.
          expect(style).toBe('tag-digest');
          expect(result.message).toMatch(/tag-digest/);
          return;
        }
        expect(parseDocs(result.text)).toEqual([applyModel(parseDocs(f.text)[0], pin)]);
        const flow = lineDiff(f.text, result.text).some((d) => d.text.includes('{'));
        for (const d of lineDiff(f.text, result.text)) expect(d.text).toMatch(flow ? /(repository|tag|sha|digest):/ : /^\s*(- )?(tag|sha|digest):( |$)/);
        expectIdempotent(result.text, pin);
      }),
      { numRuns: 200 },
    );
  });
});

const registryBlock = fc.record({
  indent: fc.constantFrom('  ', '    '),
  tag: fc.option(fc.constantFrom('"v1.11.3"', 'v1.9.0'), { nil: undefined }),
  digest: fc.option(fc.constantFrom('""', `sha256:${'2'.repeat(64)}`), { nil: undefined }),
  comments: fc.boolean(),
  before: fc.uniqueArray(fc.constantFrom('replicas: 2', 'name: controller', 'kind: Deployment'), { maxLength: 2 }),
  crlf: fc.boolean(),
});

describe('registry style (ingress-nginx) on generated blocks', () => {
  it('output = model(input), only tag/digest lines change, second pin is a no-op', () => {
    fc.assert(
      fc.property(registryBlock, tagPolicy, (b, tag) => {
        const i = b.indent;
        const lines = ['controller:', ...b.before.map((l) => `${i}${l}`), `${i}image:`];
        if (b.comments) lines.push(`${i}${i}## Keep false as default for now!`);
        lines.push(`${i}${i}chroot: false`, `${i}${i}registry: registry.k8s.io`, `${i}${i}image: ingress-nginx/controller`);
        if (b.tag) lines.push(`${i}${i}tag: ${b.tag}`);
        if (b.digest) lines.push(`${i}${i}digest: ${b.digest}`);
        lines.push(`${i}${i}pullPolicy: IfNotPresent`);
        const eol = b.crlf ? '\r\n' : '\n';
        const text = lines.join(eol) + eol;
        const pin: Pin = { target: { kind: 'helm', path: 'controller.image', style: 'registry' }, digest: D1, repository: 'registry.k8s.io/ingress-nginx/controller', ...(tag ? { tag } : {}) };
        const result = pinText(text, [pin], { file: 'gen.yaml', verify: true });
        expect(parseDocs(result.text)).toEqual([applyModel(parseDocs(text)[0], pin)]);
        for (const d of lineDiff(text, result.text)) expect(d.text).toMatch(/^\s*(tag|digest):( |$)/);
        expectIdempotent(result.text, pin);
      }),
      { numRuns: 200 },
    );
  });
});

const imageString = fc.record({
  repository: fc.constantFrom('nginx', 'ghcr.io/acme/web', 'registry.example.com:5000/team/api'),
  tag: fc.option(fc.constantFrom('1.0.0', 'v2', 'latest'), { nil: undefined }),
  digest: fc.option(fc.constant(`sha256:${'2'.repeat(64)}`), { nil: undefined }),
  quote: fc.constantFrom('', '"', "'"),
  comment: fc.boolean(),
});
const refFile = fc.record({
  keys: fc.uniqueArray(fc.constantFrom('image', 'app', 'worker', 'job', 'proxy'), { minLength: 1, maxLength: 4 }),
  images: fc.array(imageString, { minLength: 4, maxLength: 4 }),
  nested: fc.boolean(),
  crlf: fc.boolean(),
});

describe('reference style on generated image strings', () => {
  it('exactly the chosen line changes, to model(value); second pin is a no-op', () => {
    fc.assert(
      fc.property(refFile, fc.nat(), tagPolicy, (r, pick, tag) => {
        const pad = r.nested ? '  ' : '';
        const values = r.keys.map((_, i) => {
          const s = r.images[i]!;
          return `${s.repository}${s.tag ? `:${s.tag}` : ''}${s.digest ? `@${s.digest}` : ''}`;
        });
        const lines = [...(r.nested ? ['spec:'] : []), ...r.keys.map((k, i) => `${pad}${k}: ${r.images[i]!.quote}${values[i]}${r.images[i]!.quote}${r.images[i]!.comment ? ' # pinned' : ''}`)];
        const eol = r.crlf ? '\r\n' : '\n';
        const text = lines.join(eol) + eol;
        const at = pick % r.keys.length;
        const path = `${r.nested ? 'spec.' : ''}${r.keys[at]}`;
        const pin: Pin = { target: { kind: 'reference', path }, digest: D1, ...(tag ? { tag } : {}) };
        const result = pinText(text, [pin], { file: 'gen.yaml', verify: true });
        const before = parseDocs(text)[0] as Record<string, Record<string, string>>;
        const after = parseDocs(result.text)[0] as Record<string, Record<string, string>>;
        const get = (o: Record<string, unknown>) => (r.nested ? (o.spec as Record<string, string>) : (o as Record<string, string>));
        const expected = { ...get(before), [r.keys[at]!]: referenceModel(values[at]!, pin) };
        expect(get(after)).toEqual(expected);
        const diff = lineDiff(text, result.text);
        expect(diff.map((d) => [d.kind, d.line])).toEqual([['-', at + (r.nested ? 2 : 1)], ['+', at + (r.nested ? 2 : 1)]]);
        expect(diff[1]!.text).toContain(D1);
        if (r.images[at]!.comment) expect(diff[1]!.text.endsWith(' # pinned')).toBe(true);
        expectIdempotent(result.text, pin);
      }),
      { numRuns: 300 },
    );
  });
});

describe('setter markers on generated Flux-style blocks', () => {
  it('only marked lines change; second pin is a no-op', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.constantFrom('flux', 'digestpin'), tagPolicy.filter((t) => t?.mode !== 'remove'), (digestLine, extra, form, tag) => {
        const mark = (field: string) => (form === 'flux' ? `# {"$imagepolicy": "flux-system:agents${field ? `:${field}` : ''}"}` : `# digestpin: agents${field ? `:${field}` : ''}`);
        const lines = ['spec:', '  values:', '    image:', `      repository: ghcr.io/acme/agents ${mark('name')}`, `      tag: v1.4.1 ${mark('tag')}`];
        if (digestLine) lines.push(`      digest: "" ${mark('digest')}`);
        if (extra) lines.push('    other:', '      tag: v9 # not marked');
        const text = `${lines.join('\n')}\n`;
        const pin: Pin = { target: { kind: 'marker', name: 'agents' }, digest: D1, ...(tag ? { tag } : {}) };
        const result = pinText(text, [pin], { file: 'gen.yaml', verify: true });
        for (const d of lineDiff(text, result.text)) expect(d.text).toContain(form === 'flux' ? '$imagepolicy' : 'digestpin:');
        expect(result.text).toContain(D1);
        expectIdempotent(result.text, pin);
      }),
      { numRuns: 100 },
    );
  });
});
