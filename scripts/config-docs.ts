// Generates the published JSON Schema (schema/digestpin.schema.json) and docs/config.md from
// src/config/schema.ts. `npm run config-docs` writes them; test/unit/config/generated.test.ts fails when
// either is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configSchema, environment, service, target, verify } from '../src/config/schema.js';

export const SCHEMA_PATH = 'schema/digestpin.schema.json';
export const DOCS_PATH = 'docs/config.md';

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
  return `<!-- Generated from src/config/schema.ts by \`npm run config-docs\`; do not edit by hand. -->
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

## Example

\`\`\`yaml
${example.trimEnd()}
\`\`\`
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { readFileSync } = await import('node:fs');
  writeFileSync(SCHEMA_PATH, renderSchemaJson());
  writeFileSync(DOCS_PATH, renderConfigDocs(readFileSync('examples/gitops/digestpin.yaml', 'utf8')));
  console.log(`wrote ${SCHEMA_PATH} and ${DOCS_PATH}`);
}
