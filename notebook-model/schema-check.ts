// Whether a Y.Doc holds a notebook inside the schema (schema.ts): pure checks,
// no changes. Two ways in:
//
// - `documentProblems(doc)`: the whole document (loading, tests, the fuzzer);
// - `transactionProblems(doc, transaction)`: only what one transaction touched,
//   for the collab server's keystroke path. Typing into a source or a stream's
//   text changes nothing the schema constrains and costs one parent walk; a
//   structural change re-checks the cells it touched (and, for the cell list,
//   the cells it inserted).
//
// A cell is checked at the Yjs level (a Y.Map, a string id, a Y.Text source,
// Y.Map metadata, a Y.Array of Y.Map outputs, an execution count and state of the
// right types) and then, as JSON, against the official nbformat schema of the
// notebook's minor version, so whatever passes also exports as valid nbformat.
// Duplicate ids are not a problem here: concurrent moves make them legitimately,
// and the collab server removes the later copy (repairDuplicateCells).
import * as Y from 'yjs';
import { CELL_ID_PATTERN } from './nbformat/cell-ids';
import { MAX_JSON_DEPTH } from './nbformat/json-depth';
import { schemaKeyFor, validatorFor } from './nbformat/schema-validator';
import { cellToJSON } from './cells';
import { CellKey, cellsOf, cellTypes, commentsOf, executionStates, MetaKey, metaOf, OutputKey } from './schema';

export interface SchemaProblem {
  /** Where: `cells[3].outputs[0]`, `meta.metadata`… */
  path: string;
  problem: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyType = Y.AbstractType<any>;

const knownMetaKeys = new Set<string>(Object.values(MetaKey));
/** The keys a cell's map has a meaning for (others must hold plain JSON). */
export const knownCellKeys: ReadonlySet<string> = new Set<string>(Object.values(CellKey));

/** The notebook's minor format version as the document says it (5 when unset). */
export function minorOf(doc: Y.Doc): number {
  const minor = metaOf(doc).get(MetaKey.nbformatMinor);
  return typeof minor === 'number' && Number.isInteger(minor) ? Math.max(5, minor) : 5;
}

/** True for a plain JSON value (what nbformat can hold), with no Yjs types or binary inside. */
export function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > MAX_JSON_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as object).every((v) => isPlainJson(v, depth + 1));
  }
  return false;
}

function jsonMapProblems(map: unknown, path: string): SchemaProblem[] {
  if (!(map instanceof Y.Map)) return [{ path, problem: 'is not a map' }];
  const problems: SchemaProblem[] = [];
  for (const [key, value] of map.entries()) {
    if (!isPlainJson(value)) problems.push({ path: `${path}.${key}`, problem: 'is not plain JSON' });
  }
  return problems;
}

/** Problems of one output (a Y.Map) at `path`. */
export function outputProblems(output: unknown, path: string, minor = 5): SchemaProblem[] {
  if (!(output instanceof Y.Map)) return [{ path, problem: 'is not a map' }];
  const problems: SchemaProblem[] = [];
  const type = output.get(OutputKey.outputType);
  for (const [key, value] of output.entries()) {
    if (key === OutputKey.text && type === 'stream' && value instanceof Y.Text) continue;
    if (!isPlainJson(value)) problems.push({ path: `${path}.${key}`, problem: 'is not plain JSON' });
  }
  if (type === 'stream' && !(output.get(OutputKey.text) instanceof Y.Text) && typeof output.get(OutputKey.text) !== 'string') {
    problems.push({ path: `${path}.text`, problem: 'a stream output needs text' });
  }
  if (problems.length) return problems;
  const json = Object.fromEntries([...output.entries()]
    .filter(([key]) => key !== OutputKey.transient)
    .map(([key, value]) => [key, value instanceof Y.Text ? value.toString() : value]));
  return nbformatProblems(json, 'output', path, minor);
}

/** Problems of one cell (a Y.Map) at `path`. */
export function cellProblems(cell: unknown, path: string, minor = 5): SchemaProblem[] {
  if (!(cell instanceof Y.Map)) return [{ path, problem: 'is not a map' }];
  const problems: SchemaProblem[] = [];
  const id = cell.get(CellKey.id);
  if (typeof id !== 'string' || !CELL_ID_PATTERN.test(id)) problems.push({ path: `${path}.id`, problem: 'must be 1–64 letters, digits, - or _' });
  const type = cell.get(CellKey.cellType);
  // A newer minor may bring cell types of its own; nbformat's reader accepts them, so do we.
  if (!cellTypes.includes(type as never) && !(minor > 5 && typeof type === 'string')) problems.push({ path: `${path}.cell_type`, problem: `must be one of ${cellTypes.join(', ')}` });
  if (!(cell.get(CellKey.source) instanceof Y.Text)) problems.push({ path: `${path}.source`, problem: 'must be text (Y.Text)' });
  problems.push(...jsonMapProblems(cell.get(CellKey.metadata), `${path}.metadata`));
  if (type === 'code') {
    const outputs = cell.get(CellKey.outputs);
    if (!(outputs instanceof Y.Array)) problems.push({ path: `${path}.outputs`, problem: 'must be a list (Y.Array)' });
    else outputs.forEach((output, i) => problems.push(...outputProblems(output, `${path}.outputs[${i}]`, minor)));
    const count = cell.get(CellKey.executionCount);
    if (count !== undefined && count !== null && !(Number.isInteger(count) && (count as number) >= 0)) {
      problems.push({ path: `${path}.execution_count`, problem: 'must be a whole number or null' });
    }
    const state = cell.get(CellKey.executionState);
    if (state !== undefined && !executionStates.includes(state as never)) problems.push({ path: `${path}.execution_state`, problem: 'must be idle, queued or running' });
  }
  for (const [key, value] of cell.entries()) {
    if (knownCellKeys.has(key)) continue;
    if (!isPlainJson(value)) problems.push({ path: `${path}.${key}`, problem: 'is not plain JSON' });
  }
  if (problems.length) return problems;
  return nbformatProblems(cellToJSON(cell), 'cell', path, minor);
}

/** Problems of the `meta` map (format version, notebook metadata, extra top-level keys). */
export function metaProblems(doc: Y.Doc): SchemaProblem[] {
  const meta = metaOf(doc);
  const problems: SchemaProblem[] = [];
  const major = meta.get(MetaKey.nbformat);
  if (major !== undefined && major !== 4) problems.push({ path: 'meta.nbformat', problem: 'must be 4' });
  const minor = meta.get(MetaKey.nbformatMinor);
  if (minor !== undefined && !(Number.isInteger(minor) && (minor as number) >= 0)) problems.push({ path: 'meta.nbformat_minor', problem: 'must be a whole number' });
  const metadata = meta.get(MetaKey.metadata);
  if (metadata !== undefined) problems.push(...jsonMapProblems(metadata, 'meta.metadata'));
  const future = minorOf(doc) > 5;
  for (const [key, value] of meta.entries()) {
    if (knownMetaKeys.has(key)) continue;
    if (!future) problems.push({ path: `meta.${key}`, problem: 'is not a notebook field of nbformat 4.5' });
    else if (!isPlainJson(value)) problems.push({ path: `meta.${key}`, problem: 'is not plain JSON' });
  }
  if (problems.length || !(metadata instanceof Y.Map)) return problems;
  const shell = { nbformat: 4, nbformat_minor: minorOf(doc), metadata: metadata.toJSON(), cells: [] };
  return nbformatProblems(shell, null, 'meta', minorOf(doc));
}

/** Every problem of the document. */
export function documentProblems(doc: Y.Doc): SchemaProblem[] {
  const minor = minorOf(doc);
  const problems = metaProblems(doc);
  const cells = cellsOf(doc);
  cells.forEach((cell, i) => problems.push(...cellProblems(cell, `cells[${i}]`, minor)));
  return problems;
}

/** Gives `doc` its typed roots; call before applying updates to a doc whose transactions will be checked. */
export function defineRoots(doc: Y.Doc): void {
  cellsOf(doc);
  metaOf(doc);
  commentsOf(doc);
}

/**
 * Problems in what `transaction` changed in `doc` (call it before the
 * transaction ends, e.g. inside `doc.transact`, on a doc given its roots with
 * `defineRoots` before any update). Roots other than `cells` and `meta` are not
 * the notebook and are not checked.
 */
export function transactionProblems(doc: Y.Doc, transaction: Y.Transaction): SchemaProblem[] {
  const cells: AnyType = cellsOf(doc);
  const meta: AnyType = metaOf(doc);
  const touched = new Set<unknown>();
  let listChanged = false;
  let metaChanged = false;
  const problems: SchemaProblem[] = [];
  for (const [type, keys] of transaction.changed) {
    if (type === cells) {
      listChanged = true;
      if ([...keys].some((key) => key !== null)) problems.push({ path: 'cells', problem: 'holds keyed entries' });
      continue;
    }
    if (type === meta) {
      metaChanged = true;
      if (keys.has(null)) problems.push({ path: 'meta', problem: 'holds list items' });
      continue;
    }
    // Free text: a cell's source, a stream's text. Nothing to check inside.
    if (type instanceof Y.Text && isFreeText(type)) continue;
    const [root, top] = rootOf(type);
    if (root === cells && top && !top._item?.deleted) touched.add(top);
    else if (root === meta) metaChanged = true;
    // A root replaced since it changed (defined by an update, then typed): it cannot be placed, so it cannot pass.
    else if (![...doc.share.values()].includes(root)) problems.push({ path: 'root', problem: 'changed a root type that was not defined before the update' });
  }
  const minor = minorOf(doc);
  if (metaChanged) problems.push(...metaProblems(doc));
  if (listChanged) {
    cellsOf(doc).forEach((cell, i) => {
      if (!(cell instanceof Y.Map)) problems.push({ path: `cells[${i}]`, problem: 'is not a map' });
      else if (createdIn(cell, transaction)) touched.add(cell);
    });
  }
  if (touched.size) {
    cellsOf(doc).forEach((cell, i) => { if (touched.has(cell)) problems.push(...cellProblems(cell, `cells[${i}]`, minor)); });
    // A changed type that is no longer in the list (a non-map inserted and edited) is itself a problem.
    for (const cell of touched) if (!(cell instanceof Y.Map)) problems.push({ path: 'cells[?]', problem: 'is not a map' });
  }
  return problems;
}

/** A Y.Text under a cell's `source` or a stream output's `text`, where it belongs. */
function isFreeText(text: Y.Text): boolean {
  const item = text._item;
  if (!item || !(item.parent instanceof Y.Map)) return false;
  const parent = item.parent as Y.Map<unknown>;
  if (item.parentSub === CellKey.source) return parent.parent === cellsOfDocOf(parent);
  if (item.parentSub === OutputKey.text) return parent.get(OutputKey.outputType) === 'stream' && parent.parent instanceof Y.Array && parent.parent.parent instanceof Y.Map;
  return false;
}

function cellsOfDocOf(type: AnyType): AnyType | null {
  return type.doc ? cellsOf(type.doc) : null;
}

/** The root type above `type`, and the child of that root on the way down (null when `type` is the root). */
export function rootOf(type: AnyType): [AnyType, AnyType | null] {
  let node = type;
  let child: AnyType | null = null;
  while (node._item) {
    child = node;
    node = node._item.parent as AnyType;
  }
  return [node, child];
}

/** True when `type` was created by `transaction` (not there before it). */
export function createdIn(type: AnyType, transaction: Y.Transaction): boolean {
  const item = type._item;
  return item !== null && item.id.clock >= (transaction.beforeState.get(item.id.client) ?? 0);
}

function nbformatProblems(json: unknown, definition: string | null, path: string, minor: number): SchemaProblem[] {
  const validate = validatorFor(schemaKeyFor(minor), definition ?? undefined);
  if (validate(json)) return [];
  const first = validate.errors?.[0];
  return [{ path: `${path}${first?.instancePath?.replaceAll('/', '.') ?? ''}`, problem: `is not valid nbformat (${first?.message ?? 'invalid'})` }];
}
