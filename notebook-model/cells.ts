// Cells: creating them from nbformat JSON, reading them back, and the structural
// edits a user makes (insert, delete, move, change type, split, merge).
//
// Every edit runs in one transaction with the caller's origin. A move is a delete
// plus an insert of a copy with the same id (Yjs arrays have no native move, and
// this is also what JupyterLab does); see `repairDuplicateCells` for what happens
// when two people move the same cell at once.
import * as Y from 'yjs';
import type { CellJSON, OutputJSON } from './nbformat/types';
import { createOutput, outputToJSON } from './outputs';
import { CellKey, cellsOf, type CellType, type ExecutionState, type YCell, type YOutput } from './schema';

/** A new random cell id in nbformat's alphabet. */
export function newCellId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return id;
}

/** Keys the schema gives a meaning to; any other key of a cell is carried through as plain data. */
const knownCellKeys = new Set<string>(Object.values(CellKey));
const isKnownCellType = (type: string): type is CellType => type === 'code' || type === 'markdown' || type === 'raw';

/**
 * Builds the Y.Map for a cell. Missing fields get nbformat's defaults. Keys we do
 * not know (a newer nbformat minor's) are kept as they are, so export loses nothing.
 */
export function createCell(cell: Partial<CellJSON> & { cell_type: CellType }): YCell {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(cell)) {
    if (!knownCellKeys.has(key) && value !== undefined) map.set(key, value);
  }
  map.set(CellKey.id, cell.id ?? newCellId());
  map.set(CellKey.cellType, cell.cell_type);
  map.set(CellKey.source, new Y.Text(typeof cell.source === 'string' ? cell.source : (cell.source ?? []).join('')));
  const metadata = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(cell.metadata ?? {})) metadata.set(key, value);
  map.set(CellKey.metadata, metadata);
  if (cell.cell_type === 'code') {
    const code = cell as Partial<Extract<CellJSON, { cell_type: 'code' }>>;
    map.set(CellKey.outputs, Y.Array.from<YOutput>((code.outputs ?? []).map(createOutput)));
    map.set(CellKey.executionCount, code.execution_count ?? null);
    map.set(CellKey.executionState, 'idle');
  } else {
    const attachments = (cell as { attachments?: unknown }).attachments;
    if (attachments !== undefined) map.set(CellKey.attachments, attachments);
  }
  return map;
}

/** The nbformat JSON of a cell (source as one string). */
export function cellToJSON(cell: YCell): CellJSON {
  const type = cellTypeOf(cell);
  const base: Record<string, unknown> = {};
  for (const [key, value] of cell.entries()) {
    if (!knownCellKeys.has(key)) base[key] = value instanceof Y.AbstractType ? value.toJSON() : value;
  }
  base.id = cellIdOf(cell);
  base.cell_type = type;
  base.metadata = (cell.get(CellKey.metadata) as Y.Map<unknown>).toJSON();
  const source = sourceOf(cell).toString();
  // A cell of a type from a newer nbformat may have no source at all; do not invent one.
  if (isKnownCellType(type) || source !== '') base.source = source;
  if (type === 'code') {
    return {
      ...base,
      cell_type: 'code',
      execution_count: (cell.get(CellKey.executionCount) as number | null | undefined) ?? null,
      outputs: outputsOf(cell).map((o) => outputToJSON(o)),
    } as CellJSON;
  }
  const attachments = cell.get(CellKey.attachments);
  return (attachments === undefined ? base : { ...base, attachments }) as unknown as CellJSON;
}

export const cellIdOf = (cell: YCell): string => cell.get(CellKey.id) as string;
export const cellTypeOf = (cell: YCell): CellType => cell.get(CellKey.cellType) as CellType;
export const sourceOf = (cell: YCell): Y.Text => cell.get(CellKey.source) as Y.Text;
export const cellMetadataOf = (cell: YCell): Y.Map<unknown> => cell.get(CellKey.metadata) as Y.Map<unknown>;

/** A code cell's outputs array (an empty detached array for other cells). */
export function outputsOf(cell: YCell): Y.Array<YOutput> {
  return (cell.get(CellKey.outputs) as Y.Array<YOutput> | undefined) ?? new Y.Array<YOutput>();
}

export function executionCountOf(cell: YCell): number | null {
  return (cell.get(CellKey.executionCount) as number | null | undefined) ?? null;
}

export function executionStateOf(cell: YCell): ExecutionState {
  return (cell.get(CellKey.executionState) as ExecutionState | undefined) ?? 'idle';
}

/** Index of the cell with this id, or -1. */
export function indexOfCell(doc: Y.Doc, id: string): number {
  const cells = cellsOf(doc);
  for (let i = 0; i < cells.length; i++) if (cellIdOf(cells.get(i)) === id) return i;
  return -1;
}

export function findCell(doc: Y.Doc, id: string): YCell | undefined {
  const index = indexOfCell(doc, id);
  return index < 0 ? undefined : cellsOf(doc).get(index);
}

/** Inserts a new cell at `index` and returns its id. */
export function insertCell(
  doc: Y.Doc, index: number, cell: Partial<CellJSON> & { cell_type: CellType }, origin?: unknown,
): string {
  const map = createCell(cell);
  doc.transact(() => cellsOf(doc).insert(clampIndex(doc, index), [map]), origin);
  return cellIdOf(map);
}

export function deleteCell(doc: Y.Doc, id: string, origin?: unknown): boolean {
  const index = indexOfCell(doc, id);
  if (index < 0) return false;
  doc.transact(() => cellsOf(doc).delete(index, 1), origin);
  return true;
}

/** Moves the cell with `id` so that it ends at `toIndex` (an index in the final array). */
export function moveCell(doc: Y.Doc, id: string, toIndex: number, origin?: unknown): boolean {
  const cells = cellsOf(doc);
  const from = indexOfCell(doc, id);
  if (from < 0) return false;
  const to = Math.max(0, Math.min(toIndex, cells.length - 1));
  if (to === from) return false;
  doc.transact(() => {
    const copy = copyCell(cells.get(from));
    cells.delete(from, 1);
    cells.insert(to, [copy]);
  }, origin);
  return true;
}

/**
 * Changes a cell's type, keeping its id, source and metadata. Outputs go when a
 * code cell becomes markdown or raw, as in Jupyter.
 */
export function changeCellType(doc: Y.Doc, id: string, type: CellType, origin?: unknown): boolean {
  const index = indexOfCell(doc, id);
  if (index < 0) return false;
  const cells = cellsOf(doc);
  const old = cells.get(index);
  if (cellTypeOf(old) === type) return false;
  const json = cellToJSON(old);
  doc.transact(() => {
    cells.delete(index, 1);
    cells.insert(index, [createCell({ id, cell_type: type, source: json.source, metadata: json.metadata })]);
  }, origin);
  return true;
}

/**
 * Splits a cell at a character offset of its source: the cell keeps the text
 * before, a new cell of the same type below gets the text after. Returns the new id.
 */
export function splitCell(doc: Y.Doc, id: string, offset: number, origin?: unknown): string | undefined {
  const index = indexOfCell(doc, id);
  if (index < 0) return undefined;
  const cell = cellsOf(doc).get(index);
  const text = sourceOf(cell);
  const full = text.toString();
  const at = Math.max(0, Math.min(offset, full.length));
  // Jupyter drops the line break at the split point, so neither half gains a blank line.
  const head = full.slice(0, at).replace(/\n$/, '');
  const tail = full.slice(at).replace(/^\n/, '');
  const newId = newCellId();
  doc.transact(() => {
    text.delete(head.length, full.length - head.length);
    cellsOf(doc).insert(index + 1, [createCell({ id: newId, cell_type: cellTypeOf(cell), source: tail })]);
  }, origin);
  return newId;
}

/** Appends the next cell's source to this one (separated by a newline) and deletes the next cell. */
export function mergeCellWithNext(doc: Y.Doc, id: string, origin?: unknown): boolean {
  const index = indexOfCell(doc, id);
  const cells = cellsOf(doc);
  if (index < 0 || index + 1 >= cells.length) return false;
  const cell = cells.get(index);
  const next = cells.get(index + 1);
  doc.transact(() => {
    const text = sourceOf(cell);
    const addition = sourceOf(next).toString();
    text.insert(text.length, (text.length > 0 && addition.length > 0 ? '\n' : '') + addition);
    if (cellTypeOf(cell) === 'code') outputsOf(cell).delete(0, outputsOf(cell).length);
    cells.delete(index + 1, 1);
  }, origin);
  return true;
}

/** Clears outputs and execution counts of the given cells (all code cells when ids is omitted). */
export function clearOutputs(doc: Y.Doc, ids?: readonly string[], origin?: unknown): void {
  const wanted = ids ? new Set(ids) : undefined;
  doc.transact(() => {
    for (const cell of cellsOf(doc)) {
      if (cellTypeOf(cell) !== 'code' || (wanted && !wanted.has(cellIdOf(cell)))) continue;
      const outputs = outputsOf(cell);
      if (outputs.length) outputs.delete(0, outputs.length);
      if (cell.get(CellKey.executionCount) !== null) cell.set(CellKey.executionCount, null);
    }
  }, origin);
}

/** A deep copy of a cell with the same id (used by move). */
function copyCell(cell: YCell): YCell {
  const json = cellToJSON(cell);
  const outputs = cellTypeOf(cell) === 'code'
    ? outputsOf(cell).map((o) => outputToJSON(o, { keepTransient: true }) as OutputJSON)
    : undefined;
  const copy = createCell(outputs ? { ...json, outputs } as CellJSON : json);
  const state = cell.get(CellKey.executionState);
  if (state !== undefined) copy.set(CellKey.executionState, state);
  return copy;
}

function clampIndex(doc: Y.Doc, index: number): number {
  return Math.max(0, Math.min(index, cellsOf(doc).length));
}
