// The published schema and docs/config.md are generated from src/config/schema.ts; this fails when either
// is stale (run `npm run docs`), and checks that what is published is what runs.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLI_DOCS_PATH, DOCS_PATH, FULL_EXAMPLE, SCHEMA_PATH, renderCliDocs, renderConfigDocs, renderSchemaJson } from '../../../scripts/gen-docs.js';
import { parseConfig } from '../../../src/config/parse.js';

const example = readFileSync('examples/gitops/digestpin.yaml', 'utf8');

describe('generated config files', () => {
  it(`${SCHEMA_PATH} is up to date (npm run docs)`, () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(renderSchemaJson());
  });

  it(`${DOCS_PATH} is up to date (npm run docs)`, () => {
    expect(readFileSync(DOCS_PATH, 'utf8')).toBe(renderConfigDocs(example));
  });

  it(`${CLI_DOCS_PATH} is up to date (npm run docs)`, () => {
    expect(readFileSync(CLI_DOCS_PATH, 'utf8')).toBe(renderCliDocs());
  });

  it('the published schema is a valid draft-07 schema that accepts the example and rejects a typo', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
    expect(validate(parseDocument(example).toJS())).toBe(true);
    expect(validate(parseDocument(example.replace('kustomize-image:', 'kustomizeImage:')).toJS())).toBe(false);
  });

  it('the fuller example in the docs is a valid config', () => {
    const prod = parseConfig(FULL_EXAMPLE, 'digestpin.yaml').environments.get('prod')!;
    expect(prod.verify).toEqual({ require: 'signature', keys: ['keys/cosign.pub'] });
    expect(prod.services.get('agents')!.targets.map((t) => t.image)).toEqual([undefined, 'ameide/agents-migrations']);
  });

  it('the example names the published schema for editors', () => {
    expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/digestpin.schema.json');
  });

  it('documents every key of the schema', () => {
    const docs = readFileSync(DOCS_PATH, 'utf8');
    for (const key of ['environments', 'mode', 'immutable', 'verify', 'services', 'targets', 'file', 'key', 'kustomize-image', 'yaml-path', 'style', 'sha-key', 'container', 'marker', 'image', 'require', 'keys', 'predicate-type', 'builder-id', 'source-repository']) {
      expect(docs).toContain(`| \`${key}\` |`);
    }
  });
});
