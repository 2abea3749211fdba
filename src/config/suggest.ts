// "Did you mean": the closest known name to a mistyped key, flag, command or value. Pure.
// Spelling variants (kustomizeImage, kustomize_image, KUSTOMIZE-IMAGE) are compared in kebab-case first.
import { distance } from 'fastest-levenshtein';

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/_/g, '-').toLowerCase();
}

/** The closest of `known` to `given`, or undefined when nothing is close enough to be a likely typo. */
export function closest(given: string, known: readonly string[]): string | undefined {
  const wanted = kebab(given.replace(/^-+/, ''));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(wanted, kebab(candidate.replace(/^-+/, '')));
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // A third of the name, at least 1 and at most 3 edits: 'kustomizeImage' -> 'kustomize-image' (0 after kebab),
  // 'envrionment' -> 'environment' (2); 'xyz' suggests nothing.
  const limit = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)));
  return best !== undefined && bestDistance <= limit ? best : undefined;
}

/** "; did you mean 'x'?" (with `prefix`, e.g. '--', before the name) or an empty string. */
export function didYouMean(given: string, known: readonly string[], prefix = ''): string {
  const match = closest(given, known);
  return match ? `; did you mean '${prefix}${match}'?` : '';
}
