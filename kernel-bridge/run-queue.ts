// A notebook's run queue: the FIFO of cells waiting for its kernel, the cell
// running now, and the cells a kernel death left unrun, kept in step with the
// cells' execution states in the shared document.
//
// Invariants: a cell id is waiting here exactly while its document state is
// 'queued' (queued and marked in one transaction, and put back to 'idle' in the
// same step that drops it); the running cell is 'running' (the cell runner owns
// that write) and is put back to 'idle' when it finishes, if the runner did not;
// a cell waits here at most once.
import type * as Y from 'yjs';
import { cellTypeOf, executionStateOf, findCell, kernelOrigin } from '../notebook-model';
import { appendNotRunNote, setExecutionState } from '../notebook-model/execution';

/** Who asked for something, as their notebook token names them. */
export interface Requester {
  name: string;
  userId: string;
}

export interface QueueEntry {
  cellId: string;
  by: Requester;
}

export interface RunningCell extends QueueEntry {
  startedAt: number;
  abort: AbortController;
  /** Someone pressed Interrupt during this run: its error is expected and must not empty the queue again. */
  interrupted?: boolean;
  /** The execute_request's msg_id, once sent (or adopted from an earlier owner). */
  msgId?: string;
  /** Adopted from an earlier owner of the kernel: followed, not sent again. */
  adopted?: boolean;
}

export class RunQueue {
  private entries: QueueEntry[] = [];
  private runningCell?: RunningCell;
  private unrun: string[] = [];

  /** `doc` is read at every write: the peer's document may be replaced. */
  constructor(private readonly doc: () => Y.Doc) {}

  /** The cells waiting, first to run first. */
  get waiting(): readonly QueueEntry[] {
    return this.entries;
  }

  get length(): number {
    return this.entries.length;
  }

  /** The cell running now. */
  get running(): RunningCell | undefined {
    return this.runningCell;
  }

  /** Cells a kernel death dropped (labelled not run), until a restart or kernel change forgets them. */
  get notRun(): readonly string[] {
    return this.unrun;
  }

  /** Of `cellIds`, in order, the code cells of the document not already waiting (each once). */
  runnable(cellIds: readonly string[]): string[] {
    const waiting = new Set(this.entries.map((e) => e.cellId));
    const doc = this.doc();
    const picked: string[] = [];
    for (const cellId of cellIds) {
      const cell = findCell(doc, cellId);
      if (!cell || cellTypeOf(cell) !== 'code' || waiting.has(cellId)) continue;
      waiting.add(cellId);
      picked.push(cellId);
    }
    return picked;
  }

  /** Appends cells (from `runnable`) and marks them queued, in one transaction. */
  add(cellIds: readonly string[], by: Requester): void {
    this.addEntries(cellIds.map((cellId) => ({ cellId, by })));
  }

  /** Appends entries (each a code cell not waiting yet) and marks them queued, in one transaction. */
  addEntries(entries: readonly QueueEntry[]): void {
    const doc = this.doc();
    doc.transact(() => {
      for (const entry of entries) {
        this.entries.push(entry);
        setExecutionState(doc, entry.cellId, 'queued', kernelOrigin);
      }
    }, kernelOrigin);
  }

  /** Takes the first waiting cell and makes it the running one. */
  startNext(): RunningCell | undefined {
    if (this.runningCell?.adopted) return this.runningCell;
    const entry = this.entries.shift();
    if (!entry) return undefined;
    this.runningCell = { ...entry, startedAt: Date.now(), abort: new AbortController() };
    return this.runningCell;
  }

  /** Makes a run an earlier owner sent (`msgId`) the running one, to be followed to its end. */
  adopt(entry: QueueEntry, msgId: string): void {
    this.runningCell = { ...entry, startedAt: Date.now(), abort: new AbortController(), msgId, adopted: true };
  }

  /** The running cell ended (nothing runs now). */
  finish(running: RunningCell): void {
    if (this.runningCell === running) this.runningCell = undefined;
  }

  /** Puts a cell that ran in `doc` back to idle, if the cell runner did not. */
  settle(running: RunningCell, doc: Y.Doc): void {
    const cell = doc.isDestroyed ? undefined : findCell(doc, running.cellId);
    if (cell && executionStateOf(cell) !== 'idle') setExecutionState(doc, running.cellId, 'idle', kernelOrigin);
  }

  /** Drops every waiting cell, putting it back to idle (unrun, no note). */
  clear(): string[] {
    const dropped = this.entries.splice(0).map((e) => e.cellId);
    const doc = this.doc();
    if (dropped.length && !doc.isDestroyed) {
      doc.transact(() => {
        for (const cellId of dropped) if (findCell(doc, cellId)) setExecutionState(doc, cellId, 'idle', kernelOrigin);
      }, kernelOrigin);
    }
    return dropped;
  }

  /** The kernel died: every waiting cell is put back to idle with a note saying it did not run. */
  dropAsNotRun(): void {
    const dropped = this.entries.splice(0).map((e) => e.cellId);
    const doc = this.doc();
    if (dropped.length && !doc.isDestroyed) {
      doc.transact(() => {
        for (const cellId of dropped) {
          if (!findCell(doc, cellId)) continue;
          setExecutionState(doc, cellId, 'idle', kernelOrigin);
          appendNotRunNote(doc, cellId, kernelOrigin);
        }
      }, kernelOrigin);
      this.unrun.push(...dropped);
    }
  }

  /** Forgets the waiting cells without touching the document (it was replaced: its cells were never these). */
  discard(): void {
    this.entries.splice(0);
  }

  forgetNotRun(): void {
    this.unrun = [];
  }
}
