// Does the chart render the pin? Reads a Helm chart's templates as text (no helm binary) for the `.Values` paths
// they use, and says for each pinned block whether the field the pin writes is read, suggesting the style that
// matches what the templates do read. Pure: the caller reads the files.
import type { PinStyle } from './types.js';

export interface ChartTemplate {
  /** Path inside the chart, e.g. `templates/deployment.yaml` or `charts/common/templates/_images.tpl`. */
  path: string;
  text: string;
}

export interface ChartReads {
  /** `.Values` paths the templates use, with every prefix (`image`, `image.tag`). */
  paths: Set<string>;
  /** `.Values` paths used as a whole (`.Values.image` handed to a helper or `with`), not only as a prefix. */
  whole: Set<string>;
  /** Field names read on anything but `.Values` (`.imageRoot.digest`, `$img.sha`): reads through a helper. */
  fields: Set<string>;
}

export type Verdict = 'reads' | 'helper' | 'ignores';

export interface ChartFinding {
  /** The values block, e.g. `server.image`, and the field the pin writes there (`digest`, `sha`, `tag`, or '' for a string). */
  block: string;
  field: string;
  verdict: Verdict;
  /** The style that matches what the chart reads, when the pin's does not. */
  suggestion?: { style: PinStyle; shaKey?: string };
  message: string;
}

const VALUES_REF = /\bValues((?:\.[A-Za-z_][\w-]*)+)/g;
const INDEX_REF = /index\s+\$?\.Values((?:\s+"[^"]+")+)/g;
const FIELD_REF = /[\w$)]\.([A-Za-z_]\w*)/g;
const ACTIONS = /\{\{-?([\s\S]*?)-?\}\}/g;

/** Every `.Values` path (with prefixes) and every other field name read in the templates' `{{ }}` actions. */
export function chartReads(templates: readonly ChartTemplate[]): ChartReads {
  const paths = new Set<string>();
  const fields = new Set<string>();
  const whole = new Set<string>();
  const add = (segments: string[]) => {
    segments.forEach((_, i) => paths.add(segments.slice(0, i + 1).join('.')));
    whole.add(segments.join('.'));
  };
  for (const t of templates) {
    for (const action of t.text.matchAll(ACTIONS)) {
      const code = action[1]!;
      for (const m of code.matchAll(VALUES_REF)) add(m[1]!.slice(1).split('.'));
      for (const m of code.matchAll(INDEX_REF)) add([...m[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!));
      const rest = code.replace(VALUES_REF, ' ');
      for (const m of rest.matchAll(FIELD_REF)) fields.add(m[1]!);
      // `with .Values.image` then `.digest`: a field read on the dot itself.
      for (const m of rest.matchAll(/(?:^|[\s(])\.([A-Za-z_]\w*)/g)) fields.add(m[1]!);
    }
  }
  return { paths, whole, fields };
}

/** The style that writes what the chart reads for `block`, or undefined when it reads no image field there. */
export function matchingStyle(reads: ChartReads, block: string): { style: PinStyle; shaKey?: string } | undefined {
  const has = (f: string) => reads.paths.has(`${block}.${f}`);
  if (has('digest')) return { style: has('image') && has('registry') ? 'registry' : 'digest' };
  const sha = ['sha', 'sha256', 'digestSha'].find(has);
  if (sha) return { style: 'sha', ...(sha !== 'sha' ? { shaKey: sha } : {}) };
  if (has('tag')) return { style: 'tag-digest' };
  const anyChild = [...reads.paths].some((p) => p.startsWith(`${block}.`));
  if (reads.whole.has(block) && !anyChild) return { style: 'reference' };
  return undefined;
}

function styleFlag(s: { style: PinStyle; shaKey?: string }): string {
  return `style ${s.style}${s.shaKey ? ` with sha-key ${s.shaKey}` : ''}`;
}

/** One block: does the chart read `block.field` (field '' = the block itself, a reference string)? */
export function checkBlock(reads: ChartReads, block: string, field: string, vendored = true): ChartFinding {
  const full = field ? `${block}.${field}` : block;
  if (field ? reads.paths.has(full) : reads.whole.has(block) && ![...reads.paths].some((p) => p.startsWith(`${block}.`))) {
    return { block, field, verdict: 'reads', message: `the chart reads .Values.${full}` };
  }
  // The block is handed to a helper (bitnami's common.images.image, `with .Values.image`) that reads `.field`.
  if (field && reads.whole.has(block) && reads.fields.has(field)) {
    return { block, field, verdict: 'helper', message: `the chart passes .Values.${block} to a template that reads .${field}` };
  }
  const suggestion = matchingStyle(reads, block);
  const helperNote = reads.whole.has(block) && !vendored ? '; it passes the block to a dependency that is not in charts/, so this may be wrong' : '';
  const reads_ = suggestion ? `; it reads ${[...reads.paths].filter((p) => p.startsWith(`${block}.`)).map((p) => p.slice(block.length + 1)).join(', ') || `.Values.${block} as one string`}: use ${styleFlag(suggestion)}` : `; it reads nothing under .Values.${block}`;
  return { block, field, verdict: 'ignores', ...(suggestion ? { suggestion } : {}), message: `the chart never reads .Values.${full}, so the cluster would not run the pinned digest${reads_}${helperNote}` };
}

/** The field a style writes into its block ('' for reference: the string itself). */
export function pinnedField(style: PinStyle | undefined, shaKey?: string): string {
  if (style === 'sha') return shaKey ?? 'sha';
  if (style === 'tag-digest') return 'tag';
  if (style === 'reference') return '';
  return 'digest';
}
