// Writes the outputs of one execution into its cell of the shared document.
//
// Iopub messages are queued as they arrive and applied together at the end of
// the event-loop turn, in one transaction with the kernel origin: a chatty cell
// costs one document update per turn, not one per message.
//
// Invariants:
// - Consecutive stream messages to the same stream name extend the cell's last
//   output (its Y.Text, with terminal \r and \b handling), so a loop printing
//   100,000 lines stays one output. A trailing lone \r is held back until the
//   next text of that stream: `print(p, end='\r')` shows `p` until overwritten.
// - The cell is looked up by id at every flush: moving a cell replaces its Y.Map
//   with a copy, and a deleted cell simply stops receiving output.
// - A cell's outputs never pass `maxOutputBytes`: the output that would pass it is
//   cut (a stream, at a line end where possible) or dropped (rich data), one note
//   output says so, and everything after it is dropped until the execution ends.
// - update_display_data replaces the data of every output with that display id,
//   in any cell of the document.
import type * as Y from 'yjs';
import {
  appendStreamText, cellsOf, cellTypeOf, createOutput, displayIdOf, findCell, kernelOrigin, outputsOf,
  replaceDisplayData, streamNameOf, streamTextOf, type YCell, type YOutput,
} from '../notebook-model';
import { setExecutionCount } from '../notebook-model/execution';
import type { OutputJSON } from '../notebook-model/nbformat/types';
import type { JupyterMessage } from './wire-protocol';

/** The output size a cell may reach by default (the bridge's KERNEL_MAX_OUTPUT_BYTES default). */
export const defaultMaxOutputBytes = 5 * 1024 * 1024;

export interface OutputWriterOptions {
  /** Largest total size of the cell's outputs, in bytes (stream text included). */
  maxOutputBytes?: number;
  /** Transaction origin of every write (default: the kernel origin). */
  origin?: unknown;
}

/** What a message asks of the document, once decoded. */
type Edit =
  | { kind: 'stream'; name: string; text: string }
  | { kind: 'output'; output: OutputJSON }
  | { kind: 'clear'; wait: boolean }
  | { kind: 'update'; displayId: string; data: unknown; metadata: unknown }
  | { kind: 'count'; count: number | null };

/** State that lives for one flush (one transaction). */
interface FlushContext {
  cell: YCell | undefined;
  displays: Map<string, YOutput[]> | null;
}

/** The text of the note that replaces output past the limit. */
export function truncationNoteText(maxOutputBytes: number): string {
  return `Output truncated: this cell's output passed the limit of ${formatBytes(maxOutputBytes)}; the rest of this run's output was dropped.\n`;
}

export class OutputWriter {
  readonly cellId: string;
  private readonly doc: Y.Doc;
  private readonly maxOutputBytes: number;
  private readonly origin: unknown;
  private queue: Edit[] = [];
  private scheduled = false;
  private closed = false;
  private clearBeforeNextOutput = false;
  /** Stream name whose trailing \r was held back, if any. */
  private heldCarriageReturn: string | null = null;
  private bytes = 0;
  private truncatedFlag = false;
  private flushCount = 0;

  constructor(doc: Y.Doc, cellId: string, options: OutputWriterOptions = {}) {
    this.doc = doc;
    this.cellId = cellId;
    this.maxOutputBytes = options.maxOutputBytes ?? defaultMaxOutputBytes;
    this.origin = options.origin ?? kernelOrigin;
  }

  /** Transactions this writer has made so far. */
  get flushes(): number {
    return this.flushCount;
  }

  /** Whether the output limit was reached (and later output dropped). */
  get truncated(): boolean {
    return this.truncatedFlag;
  }

  /** Queues one iopub message of the execution; it is written at the end of this turn. */
  accept(msg: JupyterMessage): void {
    const edit = editFrom(msg);
    if (edit) this.enqueue(edit);
  }

  /** Queues text for a stream, as if the kernel had printed it (e.g. the echo of an input prompt). */
  appendStream(name: 'stdout' | 'stderr', text: string): void {
    this.enqueue({ kind: 'stream', name, text });
  }

  /** Queues an output made by the bridge rather than the kernel (e.g. a kernel death notice). */
  appendOutput(output: OutputJSON): void {
    this.enqueue({ kind: 'output', output });
  }

  /** Queues the cell's execution count. */
  setExecutionCount(count: number | null): void {
    this.enqueue({ kind: 'count', count });
  }

  /** Writes everything queued now, in one transaction. */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (!batch.length) return;
    this.queue = [];
    if (this.doc.isDestroyed) return;
    this.doc.transact(() => {
      const found = findCell(this.doc, this.cellId);
      const ctx: FlushContext = { cell: found && cellTypeOf(found) === 'code' ? found : undefined, displays: null };
      for (const edit of batch) this.apply(edit, ctx);
    }, this.origin);
    this.flushCount++;
  }

  /** Writes what is queued and ignores anything that arrives later. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Drops what is queued, unwritten, and ignores anything that arrives later. */
  discard(): void {
    this.queue = [];
    this.closed = true;
  }

  private enqueue(edit: Edit): void {
    if (this.closed) return;
    const last = this.queue.at(-1);
    // Joining texts before they reach the document keeps \r\n pairs split across messages intact.
    if (edit.kind === 'stream' && last?.kind === 'stream' && last.name === edit.name) last.text += edit.text;
    else this.queue.push(edit);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private apply(edit: Edit, ctx: FlushContext): void {
    switch (edit.kind) {
      case 'count':
        setExecutionCount(this.doc, this.cellId, edit.count, this.origin);
        return;
      case 'update':
        this.updateDisplay(edit.displayId, edit.data, edit.metadata, ctx);
        return;
      case 'clear':
        if (this.truncatedFlag || !ctx.cell) return;
        if (edit.wait) this.clearBeforeNextOutput = true;
        else this.clear(ctx.cell, ctx);
        return;
      case 'stream':
        if (this.truncatedFlag || !ctx.cell) return;
        this.writeStream(ctx.cell, edit.name, edit.text, ctx);
        return;
      case 'output':
        if (this.truncatedFlag || !ctx.cell) return;
        this.writeOutput(ctx.cell, edit.output, ctx);
    }
  }

  private clear(cell: YCell, ctx: FlushContext): void {
    const outputs = outputsOf(cell);
    if (outputs.length) outputs.delete(0, outputs.length);
    this.bytes = 0;
    this.heldCarriageReturn = null;
    this.clearBeforeNextOutput = false;
    ctx.displays = null; // the index may hold deleted outputs
  }

  private beforeOutput(cell: YCell, ctx: FlushContext): void {
    if (this.clearBeforeNextOutput) this.clear(cell, ctx);
  }

  private writeStream(cell: YCell, name: string, text: string, ctx: FlushContext): void {
    const endsWithCarriageReturn = text.endsWith('\r');
    if (endsWithCarriageReturn) text = text.replace(/\r+$/, '');
    if (!text) {
      if (endsWithCarriageReturn) this.heldCarriageReturn = name;
      return; // nothing visible arrived: a pending clear waits on
    }
    this.beforeOutput(cell, ctx);
    const outputs = outputsOf(cell);
    const last = outputs.length ? outputs.get(outputs.length - 1) : undefined;
    let target = last && streamNameOf(last) === name ? streamTextOf(last) : undefined;
    if (target && this.heldCarriageReturn === name) text = '\r' + text;
    this.heldCarriageReturn = endsWithCarriageReturn ? name : null;

    const room = this.maxOutputBytes - this.bytes;
    const size = Buffer.byteLength(text);
    const fits = size <= room;
    const addition = fits ? text : cutToBytes(text, room);
    if (addition) {
      if (!target) {
        outputs.push([createOutput({ output_type: 'stream', name: name as 'stdout' | 'stderr', text: '' })]);
        target = streamTextOf(outputs.get(outputs.length - 1))!;
      }
      if (/[\r\b]/.test(addition)) {
        // \r and \b rewrite the last line, so the text may shrink; measure the change.
        // (Counted in UTF-16 units here: close enough for a size guard.)
        const before = target.length;
        appendStreamText(target, addition);
        this.bytes += target.length - before;
      } else {
        appendStreamText(target, addition);
        this.bytes += fits ? size : Buffer.byteLength(addition);
      }
    }
    if (!fits) this.truncate(cell);
  }

  private writeOutput(cell: YCell, output: OutputJSON, ctx: FlushContext): void {
    this.beforeOutput(cell, ctx);
    this.heldCarriageReturn = null;
    const size = Buffer.byteLength(JSON.stringify(output));
    if (size > this.maxOutputBytes - this.bytes) {
      this.truncate(cell);
      return;
    }
    const map = createOutput(output);
    outputsOf(cell).push([map]);
    this.bytes += size;
    const displayId = displayIdOf(map);
    if (displayId !== undefined && ctx.displays) {
      const list = ctx.displays.get(displayId);
      if (list) list.push(map);
      else ctx.displays.set(displayId, [map]);
    }
  }

  private updateDisplay(displayId: string, data: unknown, metadata: unknown, ctx: FlushContext): void {
    // An update replaces data rather than adding to it, so bounding each update bounds the document.
    if (Buffer.byteLength(JSON.stringify(data ?? null)) > this.maxOutputBytes) {
      if (!this.truncatedFlag && ctx.cell) this.truncate(ctx.cell);
      return;
    }
    ctx.displays ??= indexDisplays(this.doc);
    for (const output of ctx.displays.get(displayId) ?? []) replaceDisplayData(output, data, metadata);
  }

  private truncate(cell: YCell): void {
    this.truncatedFlag = true;
    this.heldCarriageReturn = null;
    this.clearBeforeNextOutput = false;
    outputsOf(cell).push([createOutput({ output_type: 'stream', name: 'stderr', text: truncationNoteText(this.maxOutputBytes) })]);
  }
}

/** Every output carrying a display id, across all cells. */
function indexDisplays(doc: Y.Doc): Map<string, YOutput[]> {
  const index = new Map<string, YOutput[]>();
  for (const cell of cellsOf(doc)) {
    if (cellTypeOf(cell) !== 'code') continue;
    for (const output of outputsOf(cell)) {
      const id = displayIdOf(output);
      if (id === undefined) continue;
      const list = index.get(id);
      if (list) list.push(output);
      else index.set(id, [output]);
    }
  }
  return index;
}

/** Decodes the iopub messages that change the document; others give undefined. */
function editFrom(msg: JupyterMessage): Edit | undefined {
  const c = msg.content as Record<string, unknown>;
  switch (msg.header.msg_type) {
    case 'stream':
      return typeof c.text === 'string' && c.text ? { kind: 'stream', name: c.name === 'stderr' ? 'stderr' : 'stdout', text: c.text } : undefined;
    case 'display_data': {
      const displayId = (c.transient as { display_id?: unknown } | undefined)?.display_id;
      return {
        kind: 'output',
        output: {
          output_type: 'display_data',
          data: (c.data ?? {}) as never,
          metadata: (c.metadata ?? {}) as never,
          ...(typeof displayId === 'string' ? { transient: { display_id: displayId } } : {}),
        },
      };
    }
    case 'execute_result':
      return {
        kind: 'output',
        output: {
          output_type: 'execute_result',
          execution_count: typeof c.execution_count === 'number' ? c.execution_count : null,
          data: (c.data ?? {}) as never,
          metadata: (c.metadata ?? {}) as never,
        },
      };
    case 'error':
      return {
        kind: 'output',
        output: {
          output_type: 'error',
          ename: String(c.ename ?? ''),
          evalue: String(c.evalue ?? ''),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        },
      };
    case 'clear_output':
      return { kind: 'clear', wait: c.wait === true };
    case 'update_display_data': {
      const displayId = (c.transient as { display_id?: unknown } | undefined)?.display_id;
      return typeof displayId === 'string' ? { kind: 'update', displayId, data: c.data ?? {}, metadata: c.metadata ?? {} } : undefined;
    }
    case 'execute_input':
      return typeof c.execution_count === 'number' ? { kind: 'count', count: c.execution_count } : undefined;
    default:
      return undefined;
  }
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, ending at a line end when it has one. */
function cutToBytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  const bytes = Buffer.from(text, 'utf8');
  let end = Math.min(maxBytes, bytes.length);
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--; // not inside a multi-byte character
  const head = bytes.subarray(0, end).toString('utf8');
  const lineEnd = head.lastIndexOf('\n');
  return lineEnd >= 0 ? head.slice(0, lineEnd + 1) : head;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
