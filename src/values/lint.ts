// lint-image-values, the seed's guardrail: finds image blocks (maps under `image` or `*Image` keys
// with repository/tag/digest/graph) and reports what breaks the chart contract. Pure: text in, problems out.
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { LintProblem } from './types.js';
import { lineOf, parseYaml } from './source.js';
import { duplicateKeys } from './duplicates.js';
import { parseImageString, splitTag } from './image-string.js';
import { cut } from './text.js';
import { findPair } from './path.js';
import { isDigest, repositoryHasReference } from './reference.js';

export interface LintOptions {
  /** The environment is immutable: a tag without a digest is an error. */
  immutable?: boolean;
  /**
   * Fields that hold a hex-only digest beside the tag (style `sha`, grafana's `sha`): a block with 64 hex there is
   * pinned, not tag-only. Default `['sha']`; `lint --config` adds each target's `sha-key`.
   */
  shaKeys?: string[];
}

const HEX64 = /^[0-9a-f]{64}$/;

const IMAGE_KEYS = ['repository', 'tag', 'digest', 'graph'];

function isImageKey(key: string): boolean {
  return key === 'image' || key.endsWith('Image') || key.endsWith('image');
}

function keyLine(text: string, pair: Pair<unknown, unknown>): number {
  return lineOf(text, (pair.key as Node).range![0]);
}

function checkBlock(text: string, file: string, path: string, owner: Pair<unknown, unknown>, map: YAMLMap, options: LintOptions, out: LintProblem[]): void {
  // Block-level problems point at the block's own key (`image:`), the others at the offending key.
  const at = (pair: Pair<unknown, unknown> | undefined) => keyLine(text, pair ?? owner);
  const problem = (pair: Pair<unknown, unknown> | undefined, rule: string, message: string) =>
    out.push({ file, line: at(pair), severity: 'error', rule, message });
  const graph = findPair(map, 'graph');
  const repository = findPair(map, 'repository');
  const tag = findPair(map, 'tag');
  const digest = findPair(map, 'digest');
  if (graph) problem(graph, 'legacy-graph', `${path}.graph is the legacy key; rename it to ${path}.repository`);
  // ingress-nginx splits the name into `registry` + `image` (pinned with style registry).
  const split = findPair(map, 'registry') && isScalar(findPair(map, 'image')?.value);
  if (!repository && !split) problem(undefined, 'missing-repository', `${path} has no repository; the chart contract requires ${path}.repository`);
  const repo = repository && isScalar(repository.value) ? repository.value.value : undefined;
  if (repository && (typeof repo !== 'string' || repo === '')) {
    problem(repository, 'missing-repository', `${path}.repository is empty or not a string`);
  } else if (typeof repo === 'string' && repositoryHasReference(repo)) {
    problem(repository, 'repository-reference', `${path}.repository '${cut(repo)}' contains a tag or digest; put those in ${path}.tag / ${path}.digest`);
  }
  const d = digest && isScalar(digest.value) ? digest.value.value : undefined;
  const hasDigest = typeof d === 'string' && d !== '';
  if (digest && !(isScalar(digest.value) && (d === null || typeof d === 'string'))) {
    problem(digest, 'malformed-digest', `${path}.digest must be a string like sha256:<64 hex>`);
  } else if (hasDigest && !isDigest(d)) {
    problem(digest, 'malformed-digest', `${path}.digest '${cut(d)}' is not a digest; expected sha256:<64 hex> or sha512:<128 hex>`);
  }
  const t = tag && isScalar(tag.value) ? tag.value.value : undefined;
  // Renovate's `tag: 1.2@sha256:…` carries its own digest: it must be one, and agree with `digest:` when both are set.
  const embedded = typeof t === 'string' ? splitTag(t).digest : undefined;
  if (embedded !== undefined && !isDigest(embedded)) {
    problem(tag, 'malformed-digest', `${path}.tag carries '${cut(embedded)}', which is not a digest`);
  } else if (embedded !== undefined && hasDigest && embedded !== d) {
    problem(tag, 'tag-digest-mismatch', `${path}.tag names ${embedded} but ${path}.digest is ${String(d)}: the file pins two different images`);
  }
  const hasSha = (options.shaKeys ?? ['sha']).some((k) => {
    const v = findPair(map, k)?.value;
    // From the source text: an all-digit hex would have been read as a number.
    return isScalar(v) && v.range !== undefined && v.range !== null && HEX64.test(text.slice(v.range[0], v.range[1]).replace(/^(["'])(.*)\1$/, '$2'));
  });
  if (options.immutable && tag && t !== null && t !== '' && !hasDigest && !hasSha && embedded === undefined) {
    problem(tag, 'tag-only', `${path} pins only a tag; immutable environments need ${path}.digest`);
  }
}

/** A one-string image (`image: repo:tag@sha256:…`, style reference): its digest must be one, and immutable needs it. */
function checkReference(text: string, file: string, path: string, pair: Pair<unknown, unknown>, value: string, options: LintOptions, out: LintProblem[]): void {
  const { digest } = parseImageString(value);
  const line = keyLine(text, pair);
  if (digest !== undefined && !isDigest(digest)) {
    out.push({ file, line, severity: 'error', rule: 'malformed-digest', message: `${path} '${cut(value)}' carries '${cut(digest)}', which is not a digest` });
  } else if (digest === undefined && options.immutable) {
    out.push({ file, line, severity: 'error', rule: 'tag-only', message: `${path} '${cut(value)}' pins only a tag; immutable environments need repo:tag@sha256:…` });
  }
}

function visitNode(text: string, file: string, node: unknown, path: string, options: LintOptions, out: LintProblem[]): void {
  if (isSeq(node)) {
    node.items.forEach((item, i) => visitNode(text, file, item, `${path}[${i}]`, options, out));
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const child = key === undefined ? path : path ? `${path}.${key}` : key;
    const value = pair.value;
    if (key && isImageKey(key) && isMap(value) && IMAGE_KEYS.some((k) => findPair(value, k))) {
      checkBlock(text, file, child, pair as Pair<unknown, unknown>, value, options, out);
    } else if (key && isImageKey(key) && isScalar(value) && typeof value.value === 'string' && /[/:@]/.test(value.value)) {
      checkReference(text, file, child, pair as Pair<unknown, unknown>, value.value, options, out);
    }
    visitNode(text, file, value, child, options, out);
  }
}

/** Every problem in the file, in line order. Syntax errors stop the checks of their document. */
export function lintText(text: string, file: string, options: LintOptions = {}): LintProblem[] {
  const out: LintProblem[] = [];
  for (const doc of parseYaml(text)) {
    const dups = duplicateKeys(doc);
    for (const dup of dups) {
      const message = `duplicate key: '${cut(dup.key)}' (first at line ${lineOf(text, dup.firstOffset)})`;
      out.push({ file, line: lineOf(text, dup.offset), severity: 'error', rule: 'duplicate-key', message });
    }
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const duplicate = error.code === 'DUPLICATE_KEY';
        const message = cut(error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), 120);
        out.push({ file, line: error.linePos?.[0]?.line ?? 1, severity: 'error', rule: duplicate ? 'duplicate-key' : 'yaml-syntax', message: duplicate ? `duplicate key: ${message}` : `YAML syntax error: ${message}` });
      }
      continue;
    }
    if (dups.length > 0) continue;
    visitNode(text, file, doc.contents, '', options, out);
  }
  return out.sort((a, b) => a.line - b.line);
}
