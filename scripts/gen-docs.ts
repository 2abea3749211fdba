// Generates the published JSON Schema (schema/digestpin.schema.json) and docs/config.md from
// src/config/schema.ts, and docs/cli.md (the CLI's names against the action's) from src/commands/vocabulary.ts.
// `npm run docs` writes them; test/unit/config/generated.test.ts fails when one is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema, environment, service, target, verify } from '../src/config/schema.js';
import { BUILD_ALIASES, PROMOTE_ALIASES, SHIP_FLAGS, PROMOTE_FLAGS, type AliasSpec } from '../src/commands/vocabulary.js';
import { COMMANDS } from '../src/commands/dispatch.js';

export const SCHEMA_PATH = 'schema/digestpin.schema.json';
export const DOCS_PATH = 'docs/config.md';
export const CLI_DOCS_PATH = 'docs/cli.md';

interface Prop {
  type?: string;
  enum?: readonly string[];
  default?: unknown;
  description?: string;
  items?: Prop;
  additionalProperties?: unknown;
  properties?: Record<string, Prop>;
  required?: readonly string[];
}

/** A fuller example for the docs, checked by the same parser in test/unit/config/generated.test.ts. */
export const FULL_EXAMPLE = `# yaml-language-server: $schema=../schema/digestpin.schema.json
environments:
  dev:
    mode: direct
    services:
      agents: { file: environments/dev/agents/values.yaml }
      grafana: { file: environments/dev/grafana/values.yaml, key: image, style: sha, sha-key: sha }
  prod:
    immutable: true
    verify:
      require: signature
      keys: [keys/cosign.pub]
    services:
      agents:
        targets:
          - { file: environments/prod/agents/values.yaml, key: image }
          - { file: environments/prod/agents/values.yaml, key: migrations.image, image: ameide/agents-migrations }
`;

export function renderSchemaJson(): string {
  return `${JSON.stringify(configSchema, null, 2)}\n`;
}

function typeOf(name: string, p: Prop, links: Record<string, string>): string {
  if (links[name]) return links[name]!;
  if (p.enum) return p.enum.map((v) => `\`${v}\``).join(' \\| ');
  if (p.type === 'array') return `list of ${p.items?.type ?? 'items'}`;
  if (p.type === 'boolean') return '`true` \\| `false`';
  return p.type ?? '';
}

function table(schema: { properties?: Record<string, Prop>; required?: readonly string[] }, links: Record<string, string> = {}): string {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {}).map(([name, p]) => {
    const flags = [required.has(name) ? 'required' : '', p.default !== undefined ? `default \`${String(p.default)}\`` : ''].filter(Boolean).join(', ');
    const text = (p.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    return `| \`${name}\` | ${typeOf(name, p, links)} | ${flags} | ${text} |`;
  });
  return ['| key | value | | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function renderConfigDocs(example: string): string {
  return `<!-- Generated from src/config/schema.ts by \`npm run docs\`; do not edit by hand. -->
# digestpin.yaml

${configSchema.description}

The file lives at the root of the GitOps repository; every \`file\` in it is relative to that folder. Its JSON
Schema is [\`${SCHEMA_PATH}\`](../${SCHEMA_PATH}): editors that run yaml-language-server (VS Code's YAML
extension, for one) check and complete the file when its first line names the schema:

\`\`\`yaml
# yaml-language-server: $schema=<path or URL of ${SCHEMA_PATH}>
\`\`\`

digestpin enforces the same schema at run time, before anything is built or pushed: an unknown key is an
error that names the file and line and the key that was probably meant (\`kustomizeImage\` → \`kustomize-image\`),
and the \`config\` input can't be combined with \`values-file\`.

## Top level

${table(configSchema, { environments: 'map of name → [environment](#environments-name)' })}

## \`environments.<name>\`

${environment.description}

${table(environment, { verify: '[verify](#verify)', services: 'map of name → [service](#services-name)' })}

## \`services.<name>\`

${service.description} A service entry is either one target, its keys written inline, or a list
under \`targets:\`. Exactly one of \`file\` and \`targets\` is given.

${table({ properties: { targets: service.properties.targets } }, { targets: 'list of [target](#target)' })}

## target

${target.description} A target's selecting keys (\`key\`, \`kustomize-image\`, \`yaml-path\`, \`marker\`) are
exclusive.

${table(target)}

## \`verify\`

${verify.description}

${table(verify)}

## Examples

The example GitOps repository's config (\`examples/gitops/digestpin.yaml\`):

\`\`\`yaml
${example.trimEnd()}
\`\`\`

Several targets, another image of the service, a chart that reads a hex \`sha\`, and a signature policy:

\`\`\`yaml
${FULL_EXAMPLE.trimEnd()}
\`\`\`
`;
}

function aliasCell(flag: string, aliases: Record<string, AliasSpec>, deprecated: boolean): string {
  return Object.entries(aliases)
    .filter(([, a]) => a.flag === flag && Boolean(a.deprecated) === deprecated)
    .map(([name]) => `\`--${name}\``)
    .join(', ');
}

export function renderCliDocs(): string {
  const rows = (flags: typeof PROMOTE_FLAGS, aliases: Record<string, AliasSpec>) =>
    Object.entries(flags).map(([flag, spec]) => `| \`${spec.input}\` | \`--${flag}\`${spec.multiple ? ' (repeatable)' : ''} | ${aliasCell(flag, aliases, false)} | ${aliasCell(flag, aliases, true)} | ${spec.help.replace(/\|/g, '\\|')} |`);
  const head = ['| action input | flag | also | old name (deprecated) | meaning |', '| --- | --- | --- | --- | --- |'];
  const shipOnly = Object.fromEntries(Object.entries(SHIP_FLAGS).filter(([f]) => !(f in PROMOTE_FLAGS)));
  return `<!-- Generated from src/commands/vocabulary.ts by \`npm run docs\`; do not edit by hand. -->
# One vocabulary: the CLI's flags and the action's inputs

\`digestpin promote\` and \`digestpin ship\` run the action's pipeline, and each flag is the action input of the
same name, so one name means one thing everywhere. The names follow docker/build-push-action (\`file\` is the
Dockerfile, \`labels\` are image labels, \`build-args\`, \`tags\`, \`platforms\`) and create-pull-request
(\`pr-labels\` are the pull request's labels, \`reviewers\`, \`assignees\`, \`draft\`). List inputs take
comma- or newline-separated values; their flags may also be repeated.

Old names keep working for one release and print a deprecation warning: \`promote --file\` (the values file,
now \`--values-file\`) and \`promote --labels\` (PR labels, now \`--pr-labels\`). In \`ship\`, \`--file\` is
the Dockerfile and \`--labels\` are image labels; for this release a \`--file\` given without
\`--values-file\` or \`--config\` is still read as the values file, and a \`--labels\` value without \`=\` as a
PR label, each with the warning.

The CLI takes secrets from the environment, never from flags: \`GITHUB_TOKEN\` (or \`GH_TOKEN\`) is
\`gitops-token\`; \`DIGESTPIN_REGISTRY_USERNAME\` / \`DIGESTPIN_REGISTRY_PASSWORD\` are \`registry-username\` /
\`registry-password\`.

## promote and ship

${[...head, ...rows(PROMOTE_FLAGS, PROMOTE_ALIASES)].join('\n')}

\`ship\` takes all of these except \`image-ref\`, \`digest\` and \`from-environment\`.

## ship: the build

${[...head, ...rows(shipOnly, BUILD_ALIASES)].join('\n')}

## Every command

${Object.entries(COMMANDS).map(([name, c]) => `- \`digestpin ${name}\`: ${c.summary}`).join('\n')}

\`--json\` prints the outputs as one JSON object, under the action's output names, with numbers, arrays and
\`null\` as JSON types; on failure it prints \`{"error": "…"}\` (with \`input\`, \`file\`, \`line\` or
\`image\` when known) and exits as without it: 2 for a bad flag or input, 1 for any other failure.
\`digestpin --version\` prints the version; \`digestpin help <command>\` a command's flags. A mistyped command
or flag is one line that suggests the name that was probably meant.
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { readFileSync } = await import('node:fs');
  writeFileSync(SCHEMA_PATH, renderSchemaJson());
  writeFileSync(DOCS_PATH, renderConfigDocs(readFileSync('examples/gitops/digestpin.yaml', 'utf8')));
  writeFileSync(CLI_DOCS_PATH, renderCliDocs());
  console.log(`wrote ${SCHEMA_PATH}, ${DOCS_PATH} and ${CLI_DOCS_PATH}`);
}
