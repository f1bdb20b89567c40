// Execution bookkeeping on code cells: the per-cell execution state everyone
// sees (`idle`, `queued`, `running`), the run record of a finished run, and the
// notes the kernel bridge leaves on a cell it could not run. Written by the
// kernel bridge with `kernelOrigin`.
import type * as Y from 'yjs';
import { cellIdOf, cellTypeOf, executionStateOf, findCell, outputsOf } from './cells';
import { createOutput } from './outputs';
import { CellKey, cellsOf, type ExecutionState } from './schema';
import { isoToMicros, kernelSessionOf, setRunRecord, sourceSha256, type RunRecord } from './run-record';
import { runInputsOf } from './stale-marks';

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

/** What the kernel bridge knows about a finished run. */
export interface FinishedRun {
  /** The source that was sent to the kernel. */
  source: string;
  /** The kernel's message header dates (ISO 8601), as Jupyter names them in metadata.execution. */
  timestamps: Pick<RunRecord, 'busy' | 'executeInput' | 'executeReply' | 'idle'>;
  /** Who queued the run (absent for headless runs such as `nb run`). */
  runBy?: { name: string; id: string };
}

/**
 * Writes the run record of a cell that just ran: its timestamps, who ran it, the
 * document's current kernel session, the hash of the source that ran, and where
 * the names it read came from. The one place a run record is made.
 */
export function recordRun(doc: Y.Doc, cellId: string, run: FinishedRun, origin?: unknown): boolean {
  // Timestamps come from kernel messages: only well-formed ones are kept.
  const timestamps = Object.fromEntries(Object.entries(run.timestamps)
    .filter(([, value]) => typeof value === 'string' && value.length <= 64 && isoToMicros(value) !== undefined));
  return setRunRecord(doc, cellId, {
    ...timestamps,
    runBy: run.runBy,
    session: kernelSessionOf(doc),
    sourceSha256: sourceSha256(run.source),
    inputs: runInputsOf(doc, cellId, run.source),
  }, origin);
}
