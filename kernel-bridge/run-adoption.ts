// The runs a bridge takes over with a notebook whose owner died while its
// kernel lives on on the gateway (kernel-handover.ts): read from the document
// (which cell is 'running', which are 'queued', in document order) and matched
// with the handover record (the request id to follow, who queued what).
//
// Invariants: a 'running' cell is followed only when the record names its
// request; any other 'running' cell cannot be followed and is put back to idle
// with the cut-off note at once; 'queued' cells stay queued (the session's
// queue takes them in document order); a run that cannot be followed because
// the kernel is gone ends with an error output saying why.
import type * as Y from 'yjs';
import { cellIdOf, cellsOf, cellTypeOf, createOutput, executionStateOf, findCell, kernelOrigin, outputsOf } from '../notebook-model';
import { cutOffNoteText, setExecutionState } from '../notebook-model/execution';
import { deadKernelErrorName } from './cell-runner';
import type { KernelCharge } from './kernel-charge';
import { recoveredRequester, type HandoverRecord } from './kernel-handover';
import type { NotebookKernel } from './notebook-kernel';
import type { QueueEntry, RunQueue } from './run-queue';
import type { KernelBackend } from './session-kernel';

/** The parts of a session a takeover works on. */
export interface TakeOverParts {
  doc: Y.Doc;
  queue: RunQueue;
  charge: KernelCharge;
  kernel: NotebookKernel;
  backend: KernelBackend;
  publish(): void;
  /** The kernel is lost: the session's death (queued cells reported not run). */
  died(reason: string): void;
}

/**
 * Takes the runs of `record` over into the session's queue (the run in
 * progress as the running cell, to be followed) and reaches the kernel. True
 * when it was reached (the session then drains its queue); false when it is
 * gone: the running cell says so and the session reports the death.
 */
export async function takeOverRuns(parts: TakeOverParts, record: HandoverRecord): Promise<boolean> {
  const { queue, kernel } = parts;
  const { running, queued } = runsToAdopt(parts.doc, record);
  try {
    parts.charge.charge(running?.entry.by ?? queued[0]?.by ?? recoveredRequester);
  } catch { /* the kernel runs already: over a limit, it is kept uncharged rather than lost */ }
  queue.addEntries(queued);
  if (running) queue.adopt(running.entry, running.msgId);
  parts.publish();
  try {
    const spec = (await parts.backend.listSpecs()).find((s) => s.name === record.specName) ?? await kernel.resolveSpec();
    await kernel.reconnect(spec, record.locator, running ? [running.msgId] : []);
    return true;
  } catch (err) {
    const reason = (err as Error).message;
    const lost = queue.running;
    if (lost) {
      queue.finish(lost);
      endLostRun(parts.doc, lost.cellId, reason);
    }
    parts.died(reason);
    return false;
  }
}

export interface AdoptedRuns {
  /** The run in progress, when the record names its request. */
  running?: { entry: QueueEntry; msgId: string };
  /** The cells waiting, first to run first. */
  queued: QueueEntry[];
}

/** What to take over from `doc`; stray running cells are reset with the cut-off note. */
export function runsToAdopt(doc: Y.Doc, record: HandoverRecord): AdoptedRuns {
  const queuedBy = new Map(record.queue.map((e) => [e.cellId, e.by]));
  const adopted: AdoptedRuns = { queued: [] };
  const strays: string[] = [];
  for (const cell of cellsOf(doc).toArray()) {
    if (cellTypeOf(cell) !== 'code') continue;
    const cellId = cellIdOf(cell);
    const state = executionStateOf(cell);
    if (state === 'running') {
      if (record.run?.cellId === cellId && !adopted.running) adopted.running = { entry: { cellId, by: record.run.by }, msgId: record.run.msgId };
      else strays.push(cellId);
    } else if (state === 'queued') {
      adopted.queued.push({ cellId, by: queuedBy.get(cellId) ?? recoveredRequester });
    }
  }
  if (strays.length) {
    doc.transact(() => {
      for (const cellId of strays) {
        const cell = findCell(doc, cellId);
        if (!cell) continue;
        setExecutionState(doc, cellId, 'idle', kernelOrigin);
        outputsOf(cell).push([createOutput({ output_type: 'stream', name: 'stderr', text: cutOffNoteText })]);
      }
    }, kernelOrigin);
  }
  return adopted;
}

/** The run in progress was lost with its kernel: an error output says why, and the cell is idle. */
export function endLostRun(doc: Y.Doc, cellId: string, reason: string): void {
  const cell = doc.isDestroyed ? undefined : findCell(doc, cellId);
  if (!cell) return;
  doc.transact(() => {
    outputsOf(cell).push([createOutput({
      output_type: 'error', ename: deadKernelErrorName, evalue: reason, traceback: [`The kernel was lost while running this cell: ${reason}`],
    })]);
    setExecutionState(doc, cellId, 'idle', kernelOrigin);
  }, kernelOrigin);
}
