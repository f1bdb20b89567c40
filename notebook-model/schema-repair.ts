// Opening a notebook that is already outside the schema (stored before the
// collab server checked updates, or written by something else): the damaged
// parts are set aside and the rest opens. "Set aside" means nothing is
// silently thrown away where it can be kept: a cell that cannot be read as a
// cell becomes a raw cell, in its place, holding whatever text could be
// recovered and a note saying why, so the owner sees it and can fix or delete
// it; bad outputs, metadata values and stray keys are dropped and listed in the
// problems returned (which the caller logs).
import * as Y from 'yjs';
import { mintCellId, CELL_ID_PATTERN } from './nbformat/cell-ids';
import { createCell } from './cells';
import { CellKey, cellsOf, executionStates, MetaKey, metaOf } from './schema';
import { cellProblems, documentProblems, isPlainJson, knownCellKeys, metaProblems, minorOf, outputProblems, type SchemaProblem } from './schema-check';

/** The note a set-aside cell starts with. */
export const setAsideNote = 'Cellmate set this cell aside when opening the notebook: it was damaged';

/**
 * Brings `doc` inside the schema in one transaction (with `origin`), setting
 * damaged parts aside. Returns the problems found (empty: nothing was changed).
 */
export function setAsideDamage(doc: Y.Doc, origin?: unknown): SchemaProblem[] {
  const problems = documentProblems(doc);
  if (!problems.length) return [];
  doc.transact(() => {
    repairMeta(doc);
    const cells = cellsOf(doc);
    const taken = new Set<string>();
    const minor = minorOf(doc);
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      if (cell instanceof Y.Map) repairInPlace(cell, minor);
      const id = cell instanceof Y.Map ? cell.get(CellKey.id) : undefined;
      const problems = cellProblems(cell, `cells[${i}]`, minor);
      if (problems.length) {
        const keepId = typeof id === 'string' && CELL_ID_PATTERN.test(id) && !taken.has(id) ? id : mintCellId(taken);
        const recovered = salvage(cell); // before the delete, which empties the map
        cells.delete(i, 1);
        cells.insert(i, [createCell({
          id: keepId,
          cell_type: 'raw',
          source: `${setAsideNote} (${problems.map((p) => `${p.path} ${p.problem}`).join('; ')}).\n\n${recovered}`,
          metadata: {},
        })]);
      }
      taken.add(cellsOf(doc).get(i).get(CellKey.id) as string);
    }
  }, origin);
  return problems;
}

function repairMeta(doc: Y.Doc): void {
  const meta = metaOf(doc);
  if (!metaProblems(doc).length) return;
  if (meta.get(MetaKey.nbformat) !== 4) meta.set(MetaKey.nbformat, 4);
  const minor = meta.get(MetaKey.nbformatMinor);
  if (!(Number.isInteger(minor) && (minor as number) >= 0)) meta.set(MetaKey.nbformatMinor, 5);
  const metadata = meta.get(MetaKey.metadata);
  if (!(metadata instanceof Y.Map)) meta.set(MetaKey.metadata, new Y.Map());
  else for (const [key, value] of metadata.entries()) if (!isPlainJson(value)) metadata.delete(key);
  for (const problem of metaProblems(doc)) {
    const key = problem.path.split('.')[1];
    if (key && key !== MetaKey.metadata && key !== MetaKey.nbformat && key !== MetaKey.nbformatMinor) meta.delete(key);
  }
  // What the nbformat schema still refuses in the notebook's metadata goes too.
  if (metaProblems(doc).length) meta.set(MetaKey.metadata, new Y.Map());
}

/** Fixes what can be fixed without losing the cell: bad outputs, metadata values, counts, states, stray keys. */
function repairInPlace(cell: Y.Map<unknown>, minor: number): void {
  const metadata = cell.get(CellKey.metadata);
  if (!(metadata instanceof Y.Map)) cell.set(CellKey.metadata, new Y.Map());
  else for (const [key, value] of metadata.entries()) if (!isPlainJson(value)) metadata.delete(key);
  if (cell.get(CellKey.cellType) === 'code') {
    const outputs = cell.get(CellKey.outputs);
    if (!(outputs instanceof Y.Array)) cell.set(CellKey.outputs, new Y.Array());
    else for (let j = outputs.length - 1; j >= 0; j--) if (outputProblems(outputs.get(j), '', minor).length) outputs.delete(j, 1);
    const count = cell.get(CellKey.executionCount);
    if (count !== undefined && count !== null && !(Number.isInteger(count) && (count as number) >= 0)) cell.set(CellKey.executionCount, null);
    const state = cell.get(CellKey.executionState);
    if (state !== undefined && !executionStates.includes(state as never)) cell.set(CellKey.executionState, 'idle');
  }
  for (const [key, value] of cell.entries()) {
    if (!knownCellKeys.has(key) && !isPlainJson(value)) cell.delete(key);
  }
}

/** Whatever text can be recovered from a damaged cell. */
function salvage(cell: unknown): string {
  try {
    if (cell instanceof Y.Map) {
      const source = cell.get(CellKey.source);
      if (source instanceof Y.Text || typeof source === 'string') return source.toString();
      return JSON.stringify(cell.toJSON(), null, 1);
    }
    if (cell instanceof Y.AbstractType) return JSON.stringify(cell.toJSON());
    return typeof cell === 'string' ? cell : JSON.stringify(cell) ?? String(cell);
  } catch {
    return '';
  }
}
