// Execution bookkeeping on code cells: the per-cell execution state everyone
// sees (`idle`, `queued`, `running`) and the notes the kernel bridge leaves on a
// cell it could not run. Written by the kernel bridge with `kernelOrigin`.
import type * as Y from 'yjs';
import { cellIdOf, cellTypeOf, executionStateOf, findCell, outputsOf } from './cells';
import { createOutput } from './outputs';
import { CellKey, cellsOf, type ExecutionState } from './schema';

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

/** The note left on a cell whose run was cut off because the kernel service stopped under it. */
export const cutOffNoteText = 'Cut off: the kernel service stopped while this cell was running, and its kernel with it. Run the cell again.\n';

/** The note left on a cell that was waiting its turn when the kernel service stopped. */
export const serviceStoppedNotRunNoteText = "Not run: the kernel service stopped before this cell's turn.\n";

/**
 * Puts back to `idle` every code cell left `running` or `queued` by a kernel
 * service that stopped without cleaning up (killed, crashed), with a stderr note
 * on each saying what happened to it (`withNotes`). One transaction. Returns the
 * ids reset. Only for a caller that owns no run of this document.
 */
export function resetOrphanedRuns(doc: Y.Doc, origin: unknown, withNotes: boolean): string[] {
  const orphaned = cellsOf(doc).toArray().filter((cell) => cellTypeOf(cell) === 'code' && executionStateOf(cell) !== 'idle');
  if (!orphaned.length) return [];
  doc.transact(() => {
    for (const cell of orphaned) {
      const wasRunning = executionStateOf(cell) === 'running';
      cell.set(CellKey.executionState, 'idle');
      if (withNotes) {
        outputsOf(cell).push([createOutput({ output_type: 'stream', name: 'stderr', text: wasRunning ? cutOffNoteText : serviceStoppedNotRunNoteText })]);
      }
    }
  }, origin);
  return orphaned.map(cellIdOf);
}
