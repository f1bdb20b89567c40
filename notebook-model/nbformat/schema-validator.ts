// Validation of notebook JSON against the official nbformat schemas (carried in
// ./schema, draft-04). The keywords those schemas use mean the same in draft-04
// and in Ajv's default dialect, so they are compiled by Ajv after dropping the
// `$schema` line; each is compiled once, on first use.
//
// Which schema: minor 0–3 → 4.0 (the 4.1–4.3 changes only describe optional
// metadata), 4 → 4.4, 5 → 4.5, and a minor from the future → 4.5 relaxed the
// way nbformat relaxes it (extra keys allowed, unknown cell and output types
// accepted), so files from a newer Jupyter still open. '3.0' checks an nbformat 3
// file before upgrade-v3.ts turns it into 4.5.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema30 from './schema/nbformat.v3.schema.json';
import schema40 from './schema/nbformat.v4.0.schema.json';
import schema44 from './schema/nbformat.v4.4.schema.json';
import schema45 from './schema/nbformat.v4.5.schema.json';

export type SchemaKey = '3.0' | '4.0' | '4.4' | '4.5' | '4.5-future';

export function schemaKeyFor(minor: number): SchemaKey {
  if (minor >= 6) return '4.5-future';
  if (minor === 5) return '4.5';
  if (minor === 4) return '4.4';
  return '4.0';
}

function relaxAdditionalProperties(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relaxAdditionalProperties);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'additionalProperties' ? true : relaxAdditionalProperties(v);
  return out;
}

function sourceSchema(key: SchemaKey): { definitions: object } {
  return key === '3.0' ? schema30 : key === '4.0' ? schema40 : key === '4.4' ? schema44 : schema45;
}

function schemaFor(key: SchemaKey): Record<string, unknown> {
  const source = sourceSchema(key);
  const copy = structuredClone(source) as Record<string, unknown>;
  delete copy.$schema;
  if (key !== '4.5-future') return copy;
  const relaxed = relaxAdditionalProperties(copy) as { definitions: Record<string, { oneOf: unknown[] }> } & Record<string, unknown>;
  relaxed.definitions.cell.oneOf.push({ $ref: '#/definitions/unrecognized_cell' });
  relaxed.definitions.output.oneOf.push({ $ref: '#/definitions/unrecognized_output' });
  return relaxed;
}

let ajv: Ajv | undefined;
const registered = new Set<SchemaKey>();

function ajvWith(key: SchemaKey): Ajv {
  // allErrors: report every problem in one go, so a user can fix a file in one pass.
  ajv ??= new Ajv({ allErrors: true, strict: false, validateSchema: false });
  if (!registered.has(key)) {
    ajv.addSchema(schemaFor(key), `nbformat-${key}`);
    registered.add(key);
  }
  return ajv;
}

/**
 * The compiled validator for the whole notebook (`definition` omitted) or for one
 * definition of the schema, such as `code_cell` or `stream`.
 */
export function validatorFor(key: SchemaKey, definition?: string): ValidateFunction {
  const ref = definition ? `nbformat-${key}#/definitions/${definition}` : `nbformat-${key}`;
  const validate = ajvWith(key).getSchema(ref);
  if (!validate) throw new Error(`nbformat schema ${key} has no definition "${definition}"`);
  return validate;
}

/** Whether the schema defines this name (e.g. `code_cell`, `display_data`). */
export function hasDefinition(key: SchemaKey, definition: string): boolean {
  return Object.prototype.hasOwnProperty.call(sourceSchema(key).definitions, definition);
}

export type { ErrorObject };
