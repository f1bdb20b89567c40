// Execution bookkeeping on code cells: the per-cell execution state everyone
// sees (`idle`, `queued`, `running`) and the notes the kernel bridge leaves on a
// cell it could not run. Written by the kernel bridge with `kernelOrigin`.
import type * as Y from 'yjs';
import { cellTypeOf, findCell, outputsOf } from './cells';
import { createOutput } from './outputs';
import { CellKey, type ExecutionState } from './schema';

/** Sets a code cell's execution state; false when the cell is gone or not code. */
export function setExecutionState(doc: Y.Doc, cellId: string, state: ExecutionState, origin?: unknown): boolean {
  const cell = findCell(doc, cellId);
  if (!cell || cellTypeOf(cell) !== 'code') return false;
  if (cell.get(CellKey.executionState) === state) return true;
  doc.transact(() => cell.set(CellKey.executionState, state), origin);
  return true;
}

/** Sets a code cell's execution count (null: not run); false when the cell is gone or not code. */
export function setExecutionCount(doc: Y.Doc, cellId: string, count: number | null, origin?: unknown): boolean {
  const cell = findCell(doc, cellId);
  if (!cell || cellTypeOf(cell) !== 'code') return false;
  if (cell.get(CellKey.executionCount) === count) return true;
  doc.transact(() => cell.set(CellKey.executionCount, count), origin);
  return true;
}

/** The text of the note left on a queued cell whose kernel died before it ran. */
export const notRunNoteText = "Not run: the kernel died before this cell's turn.\n";

/** Appends a stderr note saying the cell was dropped from the queue because the kernel died. */
export function appendNotRunNote(doc: Y.Doc, cellId: string, origin?: unknown): boolean {
  const cell = findCell(doc, cellId);
  if (!cell || cellTypeOf(cell) !== 'code') return false;
  doc.transact(() => {
    outputsOf(cell).push([createOutput({ output_type: 'stream', name: 'stderr', text: notRunNoteText })]);
  }, origin);
  return true;
}
