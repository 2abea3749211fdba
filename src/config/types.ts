// The config's types. The raw shape is derived from the JSON Schema (json-schema-to-ts), so the schema stays
// the one place a key is declared; the loaded shape is what the pipeline, lint and verify consume.
import type { FromSchema } from 'json-schema-to-ts';
import type { PinSpec } from '../request.js';
import type { PinTarget } from '../values/types.js';
import type { configSchema } from './schema.js';

export type RawConfig = FromSchema<typeof configSchema, { keepDefaultedPropertiesOptional: true }>;
export type RawEnvironment = NonNullable<RawConfig['environments'][string]>;
export type RawService = NonNullable<NonNullable<RawEnvironment['services']>[string]>;
export type RawTarget = NonNullable<RawService['targets']>[number];
export type RawVerify = NonNullable<RawEnvironment['verify']>;
export type RawTemplatedService = NonNullable<NonNullable<RawConfig['services']>[string]>;

/** Where a promotion's health gate asks: Argo CD's API and the Application ({service}/{env} left in). */
export interface HealthGate {
  server: string;
  application: string;
}

/** Issue 12's policy, as the verify step consumes it (one definition, in verify/). */
import type { VerifyPolicy } from '../verify/types.js';
export type { VerifyPolicy };

export interface TargetConfig {
  /** Relative to the config file's folder (the GitOps repository root), without a leading './'. */
  file: string;
  target: PinTarget;
  /** Another image of the service pinned here (e.g. its migrations image); default the service's own. */
  image?: string;
  /** The entry as written, for the selecting keys (style, sha-key, container, marker…). */
  spec: RawTarget;
  line?: number;
}

export interface ServiceConfig {
  name: string;
  targets: TargetConfig[];
  line?: number;
}

export interface EnvironmentConfig {
  name: string;
  mode?: NonNullable<RawEnvironment['mode']>;
  immutable: boolean;
  verify: VerifyPolicy;
  services: Map<string, ServiceConfig>;
  line?: number;
  /** The chain (issue 11): the environment this one promotes from, and the gates of that promotion. */
  from?: string;
  auto: boolean;
  /** Soak time in milliseconds, from `soak:`. */
  soakMs?: number;
  soak?: string;
  pullRegistry?: string;
  copy: boolean;
  health?: HealthGate;
}

export interface DigestpinConfig {
  environments: Map<string, EnvironmentConfig>;
  /** Groups of services promoted in one PR, by name. */
  groups: Map<string, string[]>;
}

/** A pin from the config: a PinSpec, plus the image it pins when that is not the service's own. */
export type ConfigPin = PinSpec & { image?: string };
