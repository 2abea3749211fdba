// Builds a reply that satisfies a documented JSON schema: the smallest object with every required field, then the
// double's real values laid over it. Lets the double answer with GitHub's full documented shapes (e.g. pull-request).
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  format?: string;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  default?: unknown;
  minimum?: number;
};

const FORMATS: Record<string, string> = {
  'date-time': '2026-11-28T00:00:00Z',
  uri: 'https://github.test/x',
  'uri-template': 'https://github.test/x{/y}',
  email: 'octocat@github.test',
  date: '2026-11-28',
};

export function sampleFromSchema(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 12) return null;
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf.map((s) => sampleFromSchema(s, depth + 1) as object));
  const alt = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alt && !schema.type) return sampleFromSchema(alt, depth + 1);
  if (schema.enum?.length) return schema.enum[0];
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['object'];
  if (types.includes('null') || schema.nullable) return null;
  switch (types[0]) {
    case 'string':
      return FORMATS[schema.format ?? ''] ?? 'x';
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default: {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleFromSchema(schema.properties?.[key], depth + 1);
      return out;
    }
  }
}

/** Deep-merges `overrides` onto `base` (objects only; arrays and scalars replace). */
export function overlay<T>(base: T, overrides: Record<string, unknown>): T {
  const out = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' ? overlay(b, v as Record<string, unknown>) : v;
  }
  return out as T;
}
