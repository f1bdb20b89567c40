// Output that arrives for an execution that has already finished: a background
// thread that prints, or updates a display, after its cell returned. Jupyter
// shows it, so the bridge writes it where Jupyter puts it: streams, displays
// and clear_output into that execution's cell, display updates into every
// output with that display id.
//
// Invariants:
// - Only the latest run of a cell takes late output: once the cell runs again,
//   what a thread of the earlier run sends is dropped (its outputs are gone).
// - At most `recentRuns` finished executions are remembered; older ones' late
//   output is dropped.
// - Each late writer has its own output limit, so a thread printing forever
//   stops at the limit like a cell does.
import type * as Y from 'yjs';
import { OutputWriter } from './output-writer';
import type { JupyterMessage } from './wire-protocol';

/** The iopub messages a finished execution can still meaningfully send. */
const lateKinds = new Set(['stream', 'display_data', 'update_display_data', 'clear_output']);

interface Run {
  doc: Y.Doc;
  cellId: string;
  maxOutputBytes: number | undefined;
  writer: OutputWriter | null;
}

export class LateOutput {
  /** Execution msg_id → its run, oldest first. */
  private readonly runs = new Map<string, Run>();
  /** Cell id → msg_id of its latest execution, per document. */
  private readonly latest = new WeakMap<Y.Doc, Map<string, string>>();

  constructor(private readonly recentRuns = 1000) {}

  /** Records that execution `msgId` runs `cellId` of `doc` (call when it is sent), with the run's output limit. */
  started(msgId: string, doc: Y.Doc, cellId: string, maxOutputBytes?: number): void {
    let cells = this.latest.get(doc);
    if (!cells) this.latest.set(doc, (cells = new Map()));
    const previous = cells.get(cellId);
    const old = previous === undefined ? undefined : this.runs.get(previous);
    if (old) {
      // The new run has cleared the cell: what the old one queued, or sends under
      // any of its ids (its aliases too), must not land in it.
      old.writer?.discard();
      for (const [id, run] of this.runs) if (run === old) this.runs.delete(id);
    }
    cells.set(cellId, msgId);
    this.runs.set(msgId, { doc, cellId, maxOutputBytes, writer: null });
    for (const oldest of this.runs.keys()) {
      if (this.runs.size <= this.recentRuns) break;
      this.runs.delete(oldest);
    }
  }

  /**
   * Output of request `msgId` goes where `ofMsgId`'s goes. For the bridge's own
   * silent requests (the variables refresh): ipykernel parents a thread's output
   * to the latest request, so what the last cell's threads print while or after
   * the refresh runs is that cell's.
   */
  alias(msgId: string, ofMsgId: string): void {
    const run = this.runs.get(ofMsgId);
    if (run) this.runs.set(msgId, run);
  }

  /** An iopub message whose execution is no longer in flight. */
  accept(msg: JupyterMessage): void {
    if (!lateKinds.has(msg.header.msg_type)) return;
    const run = this.runs.get(msg.parent_header.msg_id ?? '');
    if (!run || run.doc.isDestroyed) return;
    run.writer ??= new OutputWriter(run.doc, run.cellId, { maxOutputBytes: run.maxOutputBytes });
    run.writer.accept(msg);
  }

  /** Forgets every run (the kernel restarted or stopped: its threads are gone). */
  clear(): void {
    for (const run of this.runs.values()) run.writer?.close();
    this.runs.clear();
  }
}
