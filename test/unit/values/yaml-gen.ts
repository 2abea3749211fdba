// fast-check generators for the property tests: a small YAML tree (maps, sequences, scalars, image
// blocks) rendered to text with comments, blank lines, flow maps, quotes, CRLF and odd file endings.
import fc from 'fast-check';

export type Scalar = { t: 'scalar'; text: string };
export type MapNode = { t: 'map'; entries: Entry[]; flow: boolean };
export type SeqNode = { t: 'seq'; items: YNode[] };
export type YNode = Scalar | MapNode | SeqNode;
export interface Entry {
  key: string;
  value: YNode;
  comment: boolean;
  blank: boolean;
  inline: boolean;
}

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  word.map((w) => ({ t: 'scalar' as const, text: w })),
  word.map((w) => ({ t: 'scalar' as const, text: `"${w} x"` })),
  word.map((w) => ({ t: 'scalar' as const, text: `'${w}'` })),
  fc.integer({ min: 0, max: 999 }).map((n) => ({ t: 'scalar' as const, text: String(n) })),
  fc.constantFrom('true', 'null', '~', '""').map((text) => ({ t: 'scalar' as const, text })),
);

const repo = fc.constantFrom('nginx', 'ghcr.io/acme/web', 'registry.example.com:5000/team/api', 'bitnami/redis');
const oldDigest = `sha256:${'2'.repeat(64)}`;

/** An image block: repository, maybe tag, maybe digest (empty, quoted empty or an old one), maybe pullPolicy. */
export const imageBlock: fc.Arbitrary<MapNode> = fc
  .record({
    repository: repo,
    quoteRepo: fc.boolean(),
    tag: fc.option(fc.constantFrom('1.0.0', '"1.25"', 'v2', "'3.1'"), { nil: undefined }),
    digest: fc.option(fc.constantFrom('""', '', oldDigest, "''"), { nil: undefined }),
    pull: fc.boolean(),
    flow: fc.boolean(),
  })
  .map((b) => {
    const entry = (key: string, text: string): Entry => ({ key, value: { t: 'scalar', text }, comment: false, blank: false, inline: false });
    const entries = [entry('repository', b.quoteRepo ? `"${b.repository}"` : b.repository)];
    if (b.tag) entries.push(entry('tag', b.tag));
    if (b.digest !== undefined && !(b.flow && b.digest === '')) entries.push(entry('digest', b.digest));
    if (b.pull) entries.push(entry('pullPolicy', 'IfNotPresent'));
    return { t: 'map', entries, flow: b.flow };
  });

const entryOf = (value: fc.Arbitrary<YNode>) =>
  fc.record({ key: word, value, comment: fc.boolean(), blank: fc.boolean(), inline: fc.boolean() });

export const tree: fc.Arbitrary<MapNode> = fc.letrec<{ node: YNode; map: MapNode; seq: SeqNode }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('map'), tie('seq'), imageBlock),
  map: fc
    .uniqueArray(entryOf(tie('node')), { minLength: 1, maxLength: 5, selector: (e) => e.key })
    .map((entries) => ({ t: 'map' as const, entries, flow: false })),
  seq: fc.array(fc.oneof(scalar, tie('map'), imageBlock), { minLength: 1, maxLength: 3 }).map((items) => ({ t: 'seq' as const, items })),
})).map as unknown as fc.Arbitrary<MapNode>;

function flowText(node: YNode): string {
  if (node.t === 'scalar') return node.text === '' ? '""' : node.text;
  if (node.t === 'seq') return `[${node.items.map(flowText).join(', ')}]`;
  return `{${node.entries.map((e) => `${e.key}: ${flowText(e.value)}`).join(', ')}}`;
}

/** Block rendering; a map is flow when it asks to be and holds only scalars. */
export function render(node: MapNode, indent: number, unit: number, inSeqItem = false): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  node.entries.forEach((e, i) => {
    const first = inSeqItem && i === 0;
    if (e.blank && !first) lines.push('');
    if (e.comment && !first) lines.push(`${pad}# about ${e.key}`);
    const head = `${pad}${e.key}:`;
    const v = e.value;
    if (v.t === 'scalar') {
      lines.push(`${head}${v.text === '' ? '' : ` ${v.text}`}${e.inline ? ' # note' : ''}`);
    } else if (v.t === 'map' && (v.flow || v.entries.length === 0)) {
      lines.push(`${head} ${flowText(v)}`);
    } else if (v.t === 'map') {
      lines.push(head, ...render(v, indent + unit, unit));
    } else {
      lines.push(head);
      for (const item of v.items) {
        if (item.t === 'map' && !item.flow) {
          const inner = render(item, indent + 2, unit, true);
          inner[0] = `${pad}- ${inner[0]!.slice(indent + 2)}`;
          lines.push(...inner);
        } else lines.push(`${pad}- ${flowText(item)}`);
      }
    }
  });
  return lines;
}

export interface Rendered {
  text: string;
  /** Paths (`a.b[0].c`) of every image block in the tree. */
  blocks: string[];
}

export function isImageBlock(node: YNode): node is MapNode {
  return node.t === 'map' && node.entries[0]?.key === 'repository';
}

export function imagePaths(node: YNode, path = ''): string[] {
  if (node.t === 'scalar') return [];
  if (node.t === 'seq') return node.items.flatMap((item, i) => (isImageBlock(item) ? [`${path}[${i}]`] : imagePaths(item, `${path}[${i}]`)));
  return node.entries.flatMap((e) => {
    const p = path ? `${path}.${e.key}` : e.key;
    return isImageBlock(e.value) ? [p] : imagePaths(e.value, p);
  });
}

export const file = fc
  .record({ root: tree, unit: fc.constantFrom(2, 4), crlf: fc.boolean(), finalNewline: fc.boolean(), header: fc.boolean(), bom: fc.boolean() })
  .map(({ root, unit, crlf, finalNewline, header, bom }) => {
    const eol = crlf ? '\r\n' : '\n';
    const lines = [...(header ? ['# generated values', ''] : []), ...render(root, 0, unit)];
    return { text: (bom ? '\uFEFF' : '') + lines.join(eol) + (finalNewline ? eol : ''), blocks: imagePaths(root), root };
  });
