// The JSON Schema of digestpin.yaml: the one source for run-time validation (ajv), the config's types
// (json-schema-to-ts), the published schema/digestpin.schema.json and docs/config.md (scripts/gen-docs.ts).
// Keep every key documented here; the generated files and their staleness test follow from it.

const NAME = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

/** Where one digest goes: the keys every target shares (a service entry, or an item of its `targets:`). */
export const target = {
  type: 'object',
  description: 'Where one digest is written: a file and, at most, one of key, kustomize-image, yaml-path or marker. No selecting key means the Helm image block `image`.',
  additionalProperties: false,
  required: ['file'],
  properties: {
    file: {
      type: 'string',
      minLength: 1,
      pattern: '^(?!/)(?!(.*/)?\\.\\.(/|$)).+$',
      'x-hint': 'a path relative to the config file\'s folder (the GitOps repository root), without a leading / or ..',
      description: 'Values, kustomization or manifest file, relative to the config file\'s folder (the root of the GitOps repository). Must stay inside the repository.',
      examples: ['environments/dev/agents/values.yaml'],
    },
    key: { type: 'string', minLength: 1, description: 'Helm values key path of the image block, e.g. `image` or `migrations.image`. Default `image`.' },
    'kustomize-image': { type: 'string', minLength: 1, description: 'Name of the kustomization.yaml `images:` entry to pin.' },
    'yaml-path': { type: 'string', minLength: 1, description: 'Any YAML scalar path that receives the digest, e.g. `spec.values.image.digest` in a Flux HelmRelease.' },
    style: {
      type: 'string',
      enum: ['digest', 'sha', 'tag-digest', 'reference', 'registry'],
      description: 'How the chart reads the pin: `digest` (repository/tag/digest fields, default), `sha` (a hex-only field, see sha-key), `tag-digest` (`tag: v1@sha256:…`), `reference` (one string `repo:tag@sha256:…`), `registry` (split registry/repository fields).',
    },
    'sha-key': { type: 'string', minLength: 1, description: 'With style `sha`: the field that holds the hex digest (grafana: `sha`).' },
    container: { type: 'string', minLength: 1, description: 'With style `reference` on a container list: the container, by name.' },
    marker: { type: 'string', minLength: 1, description: 'A setter marker to pin: digestpin\'s own line comment, or a Flux `{"$imagepolicy": "ns:name"}` marker.' },
    image: {
      type: 'string',
      minLength: 1,
      pattern: '^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$',
      'x-hint': 'a registry-neutral image name such as ameide/agents-migrations',
      description: 'This target holds another image of the service (e.g. its migrations image), by registry-neutral name: it is pinned by the run that promotes that image (its `image` or `image-ref`), and left alone by the runs that promote the service\'s own image. Default: the service\'s own image.',
    },
  },
} as const;

export const verify = {
  type: 'object',
  description: 'Supply-chain policy: what must be verified about a digest before it is pinned in this environment.',
  additionalProperties: false,
  required: ['require'],
  properties: {
    require: {
      type: 'string',
      enum: ['off', 'signature', 'attestation'],
      description: '`off` (default), `signature` (a cosign signature by one of `keys`), or `attestation` (an attestation of `predicate-type`).',
    },
    keys: {
      type: 'array',
      items: { type: 'string', minLength: 1 },
      description: 'Trusted public keys: PEM text, or a path to a PEM file.',
    },
    'predicate-type': { type: 'string', minLength: 1, description: 'Attestation predicate type, e.g. `https://slsa.dev/provenance/v1`.' },
    'builder-id': { type: 'string', minLength: 1, description: 'Expected builder id in the provenance.' },
    'source-repository': { type: 'string', minLength: 1, description: 'Expected source repository in the provenance.' },
    'trusted-root': {
      type: 'string',
      minLength: 1,
      description: 'Keyless: a Sigstore `trusted_root.json` (path relative to digestpin.yaml) that keyless Sigstore bundles must verify against (certificate chain, transparency log, timestamps). Needs `certificate-oidc-issuer` and `certificate-identity` or `certificate-identity-regexp`.',
    },
    'certificate-identity': { type: 'string', minLength: 1, description: 'Keyless: the signing certificate\'s identity (SAN), exactly, e.g. `https://github.com/acme/svc/.github/workflows/release.yml@refs/heads/main`.' },
    'certificate-identity-regexp': { type: 'string', minLength: 1, description: 'Keyless: a regular expression the whole identity (SAN) must match (anchored at both ends).' },
    'certificate-oidc-issuer': { type: 'string', minLength: 1, description: 'Keyless: the OIDC issuer the certificate must name, exactly, e.g. `https://token.actions.githubusercontent.com`.' },
  },
  dependencies: {
    // Exactly one of identity / identity-regexp is checked when the policy is used (identity.ts): an
    // anyOf here would report as "must match a schema in anyOf".
    'trusted-root': { required: ['certificate-oidc-issuer'] },
    'certificate-identity': ['trusted-root'],
    'certificate-identity-regexp': ['trusted-root'],
    'certificate-oidc-issuer': ['trusted-root'],
  },
  allOf: [
    {
      if: { properties: { require: { const: 'signature' } } },
      then: { required: ['keys'], properties: { keys: { type: 'array', minItems: 1 } } },
    },
  ],
} as const;

export const service = {
  type: 'object',
  description: 'One target (its keys inline), or several under `targets:`, all pinned in one commit and one PR.',
  additionalProperties: false,
  properties: {
    ...target.properties,
    targets: { type: 'array', minItems: 1, items: target, description: 'Several targets of the service, pinned together.' },
  },
  oneOf: [{ required: ['file'] }, { required: ['targets'] }],
} as const;

/** A top-level service: a service entry, plus the environments it is in (default: all). */
export const templatedService = {
  ...service,
  description: 'A service of every environment: a target (or `targets:`) whose `file` may hold `{env}` and `{service}`.',
  properties: {
    ...service.properties,
    environments: { type: 'array', minItems: 1, items: { type: 'string', pattern: NAME }, description: 'The environments the service is in. Default: all.' },
  },
} as const;

export const environment = {
  type: 'object',
  description: 'One environment: how it is written to, its guarantees, and where each service is pinned.',
  additionalProperties: false,
  properties: {
    mode: { type: 'string', enum: ['direct', 'pull-request'], description: '`pull-request` (default) or `direct` (commit to the base branch). The `mode` input wins when given.' },
    immutable: {
      type: 'boolean',
      default: false,
      description: 'Pins here never leave a tag that may name another image: a pin with `tag-policy: keep`, or of a digest whose tag is not known (a rollback by digest alone), is refused before anything is written. `digestpin lint --config digestpin.yaml` lints these files as immutable: a tag-only image block is an error (as `lint --immutable` does for any file).',
    },
    verify,
    from: {
      type: 'string',
      pattern: NAME,
      'x-hint': 'the name of another environment of this file',
      description: 'The environment this one promotes from (dev → staging → prod). `digestpin promote --to` this environment takes what `from` pins; `digestpin plan` lists the promotions due.',
    },
    auto: { type: 'boolean', default: false, description: 'Promotions into this environment open on their own: `digestpin promote --auto` (run on push to the base branch, and on a schedule) opens them once they are due.' },
    soak: {
      type: 'string',
      pattern: '^[0-9]+(m|h|d)$',
      'x-hint': 'a duration such as 30m, 2h or 1d',
      description: 'A pin of `from` moves on only after it has been there this long (`30m`, `2h`, `1d`), measured from the commit that put the digest there (read from the GitOps repository\'s history).',
    },
    'pull-registry': {
      type: 'string',
      pattern: '^[A-Za-z0-9.-]+(:[0-9]+)?$',
      'x-hint': 'a registry host such as registry.internal:5000',
      description: 'The registry this environment\'s cluster pulls from. A promotion into it verifies the digest there and writes this host into the repository; default: the host the source environment pins.',
    },
    copy: { type: 'boolean', default: false, description: 'A digest missing at `pull-registry` is copied there by digest (index, manifests and blobs) and verified after the copy; without it, a missing digest is an error naming both registries.' },
    health: {
      type: 'object',
      description: 'A pin of `from` moves on only when `from`\'s Argo CD Application is Synced and Healthy at that digest. The token comes from the `argocd-token` input (`ARGOCD_TOKEN` for the CLI), never from this file.',
      additionalProperties: false,
      required: ['argocd'],
      properties: {
        argocd: {
          type: 'object',
          additionalProperties: false,
          required: ['server', 'application'],
          description: 'Argo CD\'s API server and the Application, where `{service}` is the service and `{env}` the environment checked (`from`).',
          properties: {
            server: { type: 'string', pattern: '^https?://', 'x-hint': 'an http(s) URL such as https://argocd.example.com', description: 'Argo CD API server URL.' },
            application: { type: 'string', minLength: 1, description: 'Application name, e.g. `{service}-{env}`.' },
          },
        },
      },
    },
    services: {
      type: 'object',
      description: 'Services, by name. An entry here replaces the top-level `services:` entry of the same name for this environment.',
      propertyNames: { pattern: NAME },
      additionalProperties: service,
    },
  },
} as const;

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'digestpin.schema.json',
  title: 'digestpin.yaml',
  description: 'digestpin config: which file and key each service uses in each environment, and each environment\'s policy.',
  type: 'object',
  additionalProperties: false,
  required: ['environments'],
  properties: {
    environments: {
      type: 'object',
      description: 'Environments, by name.',
      minProperties: 1,
      propertyNames: { pattern: NAME },
      additionalProperties: environment,
    },
    services: {
      type: 'object',
      description: 'Services declared once for every environment: `{env}` and `{service}` in `file` are replaced, so 200 services need 200 entries, not 800. An environment\'s own `services:` entry of the same name wins.',
      propertyNames: { pattern: NAME },
      additionalProperties: templatedService,
    },
    groups: {
      type: 'object',
      description: 'Groups of services, by name: a group is promoted in one pull request (and one matrix job).',
      propertyNames: { pattern: NAME },
      additionalProperties: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: NAME } },
    },
  },
} as const;
