// Turns schema validation failures into sentences a user can act on:
//   cell 3: "outputs" must be an array
//   cell 2 (id "abc"): output 1: missing "output_type"
//   metadata.kernelspec: "name" is required
//
// The schema describes a cell (and an output) as a `oneOf` over its types, so a
// single mistake in a code cell also fails the markdown and raw branches and a
// validator reports all of them. Like nbformat, we re-validate each failing cell
// (and output) against the one definition its `cell_type` (`output_type`) names,
// and report only those errors. Cells and outputs are numbered from 1.
import { validatorFor, type ErrorObject, type SchemaKey } from './schema-validator';

const CELL_TYPES = ['code', 'markdown', 'raw'];
const OUTPUT_TYPES = ['execute_result', 'display_data', 'stream', 'error'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, segs: string[]): unknown {
  let v = root;
  for (const s of segs) v = (v as Record<string, unknown> | undefined)?.[s];
  return v;
}

/** `metadata.tags[0]` for ['metadata', 'tags', '0'] inside an array-holding path. */
function displayPath(root: unknown, segs: string[]): string {
  let out = '';
  let v = root;
  for (const s of segs) {
    out += Array.isArray(v) ? `[${s}]` : out ? `.${s}` : s;
    v = (v as Record<string, unknown> | undefined)?.[s];
  }
  return out;
}

function typeName(t: string): string {
  const parts = t.split(',').map((p) => (p === 'null' ? 'null' : /^[aeiou]/.test(p) ? `an ${p}` : `a ${p}`));
  return parts.join(' or ');
}

const quoteList = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).join(', ');

/** One sentence for one validator error; `prefix` says where (e.g. `cell 3: `), `subject` names the whole. */
export function describeError(e: ErrorObject, root: unknown, prefix: string, subject: string): string {
  const segs = pointerSegments(e.instancePath);
  const loc = displayPath(root, segs);
  const at = loc ? `${prefix}${loc}: ` : prefix;
  const it = loc ? `${prefix}"${loc}"` : subject;
  // Ajv's params differ per keyword; each case below reads the ones its keyword has.
  const p = e.params as Record<string, string & number & string[]>;
  const value = valueAt(root, segs);
  switch (e.keyword) {
    case 'required': return `${at}"${p.missingProperty}" is required`;
    case 'additionalProperties': return `${at}unexpected property "${p.additionalProperty}"`;
    case 'type': return `${it} must be ${typeName(String(p.type))}`;
    case 'enum': return `${it} must be one of ${quoteList(p.allowedValues)}, not ${JSON.stringify(value)}`;
    case 'pattern':
      if (segs[segs.length - 1] === 'id') {
        return `${prefix}cell id ${JSON.stringify(value)} may only contain letters, digits, "-" and "_"`;
      }
      return `${it} (${JSON.stringify(value)}) must match the pattern ${p.pattern}`;
    case 'minLength': return `${it} must be at least ${p.limit} character${p.limit === 1 ? '' : 's'} long`;
    case 'maxLength': return `${it} must be at most ${p.limit} characters long`;
    case 'minimum': return `${it} must be at least ${p.limit}, not ${JSON.stringify(value)}`;
    case 'maximum': return `${it} must be at most ${p.limit}, not ${JSON.stringify(value)}`;
    case 'uniqueItems': return `${it} must not repeat items (items ${p.j + 1} and ${p.i + 1} are equal)`;
    default: return `${it} ${e.message ?? 'is not valid'}`;
  }
}

function problemsOfTyped(
  item: unknown, key: SchemaKey, prefix: string, subject: string,
  discriminator: 'cell_type' | 'output_type', knownTypes: string[], definitionOf: (t: string) => string,
  nested?: (e: ErrorObject) => { index: number } | undefined,
  nestedProblems?: (index: number) => string[],
): string[] {
  if (!isObj(item)) return [`${subject} must be an object`];
  const type = item[discriminator];
  if (type === undefined) return [`${prefix}missing "${discriminator}"`];
  let definition: string;
  if (typeof type === 'string' && knownTypes.includes(type)) definition = definitionOf(type);
  else if (key === '4.5-future') definition = discriminator === 'cell_type' ? 'unrecognized_cell' : 'unrecognized_output';
  else {
    const expected = knownTypes.map((t) => `"${t}"`);
    return [`${prefix}unknown ${discriminator} ${JSON.stringify(type)} (expected ${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1]})`];
  }
  const validate = validatorFor(key, definition);
  if (validate(item)) return [];
  const out: string[] = [];
  const nestedSeen = new Set<number>();
  for (const e of validate.errors ?? []) {
    const inner = nested?.(e);
    if (inner) {
      if (!nestedSeen.has(inner.index)) { nestedSeen.add(inner.index); out.push(...nestedProblems!(inner.index)); }
      continue;
    }
    out.push(describeError(e, item, prefix, subject));
  }
  return out;
}

function outputProblems(output: unknown, key: SchemaKey, cellPrefix: string, index: number): string[] {
  const prefix = `${cellPrefix}output ${index + 1}: `;
  return problemsOfTyped(output, key, prefix, `${cellPrefix}output ${index + 1}`, 'output_type', OUTPUT_TYPES, (t) => t);
}

function cellProblems(cell: unknown, key: SchemaKey, index: number): string[] {
  const id = isObj(cell) && typeof cell.id === 'string' && cell.id ? ` (id ${JSON.stringify(cell.id)})` : '';
  const prefix = `cell ${index + 1}${id}: `;
  const outputs = isObj(cell) && Array.isArray(cell.outputs) ? cell.outputs : [];
  return problemsOfTyped(cell, key, prefix, `cell ${index + 1}${id}`, 'cell_type', CELL_TYPES, (t) => `${t}_cell`,
    (e) => {
      const m = /^\/outputs\/(\d+)(\/|$)/.exec(e.instancePath);
      return m ? { index: Number(m[1]) } : undefined;
    },
    (i) => outputProblems(outputs[i], key, prefix, i));
}

/** Every schema problem of a parsed notebook, as sentences; empty if it is valid. */
export function schemaProblems(nb: Obj, key: SchemaKey): string[] {
  const validate = validatorFor(key);
  const valid: boolean = validate(nb); // not used as a type guard: nb is inspected below
  if (valid) return [];
  const problems: string[] = [];
  const cellsSeen = new Set<number>();
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  for (const e of validate.errors ?? []) {
    const m = /^\/cells\/(\d+)(\/|$)/.exec(e.instancePath);
    if (m && Array.isArray(nb.cells)) {
      const i = Number(m[1]);
      if (!cellsSeen.has(i)) { cellsSeen.add(i); problems.push(...cellProblems(cells[i], key, i)); }
      continue;
    }
    problems.push(describeError(e, nb, '', 'the notebook'));
  }
  const unique = [...new Set(problems)];
  // A oneOf can fail although each branch alone would pass; never report nothing.
  return unique.length > 0 ? unique : ['the notebook does not match the nbformat schema'];
}
