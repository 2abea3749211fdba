// What the config says for one run: the pins of a service in an environment (every target), and the
// environment's rules that a pin or a lint must obey. Pure; errors name the config file.
import { FileError } from '../runtime/errors.js';
import type { ConfigPin, DigestpinConfig, EnvironmentConfig } from './types.js';

/** Every pin of `service` in `environment`; an unknown environment or service is an error naming the file. */
export function pinsFor(config: DigestpinConfig, file: string, environment: string, service: string): { pins: ConfigPin[]; env: EnvironmentConfig } {
  const env = config.environments.get(environment);
  if (!env) {
    throw new FileError(file, undefined, `environment '${environment}' is not defined (defined: ${[...config.environments.keys()].join(', ') || 'none'})`);
  }
  const svc = env.services.get(service);
  if (!svc) {
    throw new FileError(file, env.line, `service '${service}' has no entry under environments.${environment}.services (entries: ${[...env.services.keys()].join(', ') || 'none'})`);
  }
  const pins = svc.targets.map((t): ConfigPin => ({ environment, service, file: t.file, target: t.target, ...(t.image ? { image: t.image } : {}) }));
  return { pins, env };
}

/**
 * The pins this run writes: the targets of the image it promotes. A target with `image:` pins another image
 * of the service (its migrations job, a sidecar) and is written by the run that promotes that image; the
 * other targets are the service's own image. `image` is the run's registry-neutral image name, when known.
 */
export function pinsForImage(pins: ConfigPin[], image: string | undefined, where: string): ConfigPin[] {
  const other = image === undefined ? [] : pins.filter((p) => p.image !== undefined && (p.image === image || image.endsWith(`/${p.image}`)));
  if (other.length) return other;
  const own = pins.filter((p) => p.image === undefined);
  if (own.length) return own;
  const images = [...new Set(pins.map((p) => p.image))].join(', ');
  throw new FileError(where, undefined, `no target of service '${pins[0]?.service}' in '${pins[0]?.environment}' pins ${image ?? "the service's own image"} (its targets pin ${images})`);
}

export interface PinIntent {
  tagPolicy: 'set' | 'keep' | 'remove';
  /** The run knows a tag that names the pinned digest (built, referenced, or read from the source pin). */
  tagKnown: boolean;
}

/**
 * An immutable environment pins by digest and never leaves a tag that may name another image: `keep`
 * would leave the old tag beside a new digest, and `set` without a known tag keeps it too. Returns the
 * reason a pin is refused, or undefined.
 */
export function immutablePinProblem(env: EnvironmentConfig, intent: PinIntent): string | undefined {
  if (!env.immutable) return undefined;
  if (intent.tagPolicy === 'keep') return `environment '${env.name}' is immutable: tag-policy keep could leave a tag that names another image beside the digest; use set or remove`;
  if (intent.tagPolicy === 'set' && !intent.tagKnown) {
    return `environment '${env.name}' is immutable: no tag is known for this digest, so the file's tag would stay and could name another image; give image-tag (a tag of this digest) or tag-policy remove`;
  }
  return undefined;
}

/** Lint options for a file of the GitOps repository: immutable when any immutable environment pins into it. */
export function lintOptionsFor(config: DigestpinConfig, file: string): { immutable: boolean; environments: string[]; shaKeys: string[] } {
  const path = file.replace(/^(\.\/)+/, '');
  const targets = [...config.environments.values()].flatMap((env) => [...env.services.values()].flatMap((s) => s.targets.filter((t) => t.file === path).map((t) => ({ env, t }))));
  const environments = [...new Set(targets.map(({ env }) => env.name))];
  const shaKeys = [...new Set(['sha', ...targets.flatMap(({ t }) => (t.spec['sha-key'] ? [t.spec['sha-key']] : []))])];
  return { immutable: environments.some((name) => config.environments.get(name)!.immutable), environments, shaKeys };
}
