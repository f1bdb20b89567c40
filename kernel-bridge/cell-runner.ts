// Runs one code cell of a shared document on a kernel: reads the source that is
// in the document when the run starts, clears the old outputs, streams the new
// ones in through an OutputWriter, and leaves the execution count and state.
//
// Invariants (the contract with kernel-session.ts):
// - runCell owns the cell's 'running' state and puts it back to 'idle' when it
//   returns, whatever the outcome; 'queued' is the session's business.
// - It never rejects for a kernel problem: death is the outcome 'dead' (with an
//   error output on the cell saying so), an abort through `signal` is 'aborted'
//   at once (the caller decides whether to interrupt or restart the kernel).
// - Nothing is written to the document after runCell has returned.
import type * as Y from 'yjs';
import { cellTypeOf, clearOutputs, findCell, kernelOrigin, sourceOf } from '../notebook-model';
import { recordRun, setExecutionState, type FinishedRun } from '../notebook-model/execution';
import type { ExecutionHandle, ExecutionOutcome } from './execution-handle';
import type { RunOptions, RunOutcome } from './session-kernel';
import type { KernelClient } from './kernel-client';
import { OutputWriter } from './output-writer';

/** RunOptions, with stdin and cancellation optional (a headless run has neither). */
export type CellRunOptions = Partial<Pick<RunOptions, 'signal' | 'onInputRequest'>> & Pick<RunOptions, 'maxOutputBytes' | 'runBy'> & {
  /** Told the execute request's msg_id once it is sent (output after the run ends comes under it). */
  onSent?: (msgId: string) => void;
};

/** Name of the error output left on a cell whose kernel died while running it. */
export const deadKernelErrorName = 'DeadKernelError';

export async function runCell(client: KernelClient, doc: Y.Doc, cellId: string, options: CellRunOptions = {}): Promise<RunOutcome> {
  const cell = doc.isDestroyed ? undefined : findCell(doc, cellId);
  if (!cell || cellTypeOf(cell) !== 'code') return { status: 'missing', reason: `cell ${cellId} is not a code cell of this notebook (deleted?)` };
  const { signal, onInputRequest } = options;
  if (signal?.aborted) return { status: 'aborted', reason: reasonOf(signal) };

  const code = sourceOf(cell).toString();
  doc.transact(() => {
    clearOutputs(doc, [cellId], kernelOrigin);
    setExecutionState(doc, cellId, 'running', kernelOrigin);
  }, kernelOrigin);

  // stopOnError off: cells are sent one at a time, so the kernel has nothing queued
  // to abort, and with it on, ipykernel aborts any request arriving shortly after
  // an error (the next cell would "run" with no output). Stopping is the caller's call.
  const handle = client.execute(code, { allowStdin: onInputRequest !== undefined, stopOnError: false });
  if (handle.msgId) options.onSent?.(handle.msgId);
  return followRun(handle, doc, cellId, code, options);
}

/**
 * Follows a run an earlier owner of the kernel started (execute_request
 * `msgId`, adopted by the client: KernelClient.attach) to its end: its
 * outputs go on arriving into the cell after what is there already.
 */
export async function resumeCell(client: KernelClient, doc: Y.Doc, cellId: string, msgId: string, options: CellRunOptions = {}): Promise<RunOutcome> {
  const cell = doc.isDestroyed ? undefined : findCell(doc, cellId);
  if (!cell || cellTypeOf(cell) !== 'code') return { status: 'missing', reason: `cell ${cellId} is not a code cell of this notebook (deleted?)` };
  const handle = client.inFlight(msgId);
  if (!handle) return { status: 'missing', reason: `the run of cell ${cellId} is not in flight on this kernel` };
  options.onSent?.(msgId);
  return followRun(handle, doc, cellId, sourceOf(cell).toString(), options);
}

/** Streams `handle`'s outputs into the cell until it ends; leaves the count, the run record and the idle state. */
async function followRun(handle: ExecutionHandle, doc: Y.Doc, cellId: string, code: string, options: CellRunOptions): Promise<RunOutcome> {
  const { signal, onInputRequest } = options;
  const writer = new OutputWriter(doc, cellId, { maxOutputBytes: options.maxOutputBytes });
  let errorShown = false;
  const timestamps: FinishedRun['timestamps'] = {};
  handle.onIopub((msg) => {
    writer.accept(msg);
    const type = msg.header.msg_type;
    if (type === 'error') errorShown = true;
    const state = type === 'status' ? (msg.content as { execution_state?: unknown }).execution_state : undefined;
    if (state === 'busy') timestamps.busy ??= msg.header.date;
    else if (state === 'idle') timestamps.idle = msg.header.date;
    else if (type === 'execute_input') timestamps.executeInput ??= msg.header.date;
  });
  if (onInputRequest) {
    handle.onInputRequest((request) => {
      onInputRequest(request).then(
        (value) => {
          if (handle.isSettled) return;
          // The kernel does not echo what was typed; show it as a terminal would.
          writer.appendStream('stdout', `${request.prompt}${request.password ? '········' : value}\n`);
          handle.sendInput(value);
        },
        () => { /* cancelled: the session interrupts or restarts the kernel, which ends the wait */ },
      );
    });
  }

  const abort = watchAbort(signal);
  const result = await Promise.race([handle.done, abort.aborted]).finally(abort.dispose);
  let outcome: RunOutcome;
  if (result === 'aborted') {
    outcome = { status: 'aborted', reason: reasonOf(signal!) };
  } else {
    outcome = outcomeOf(result);
    if (result.status === 'completed' && result.reply.execution_count != null) writer.setExecutionCount(result.reply.execution_count);
    // An error the kernel did not show (an interrupt that cut the request off before its
    // code ran has no error output and no kernel reply; the client supplies the reply).
    if (result.status === 'completed' && result.reply.status === 'error' && !errorShown) {
      const { ename = 'Error', evalue = '', traceback = [`${ename}: ${evalue}`] } = result.reply;
      writer.appendOutput({ output_type: 'error', ename, evalue, traceback });
    }
    if (outcome.status === 'dead') {
      const reason = outcome.reason ?? 'the kernel process exited';
      writer.appendOutput({ output_type: 'error', ename: deadKernelErrorName, evalue: reason, traceback: [`The kernel died while running this cell: ${reason}`] });
    }
  }
  // The last outputs, the count, the run record and the idle state reach collaborators together.
  if (doc.isDestroyed) writer.close();
  else doc.transact(() => {
    writer.close();
    if (result !== 'aborted' && result.status === 'completed') {
      recordRun(doc, cellId, { source: code, timestamps: { ...timestamps, executeReply: handle.replyDate }, runBy: options.runBy }, kernelOrigin);
    }
    setExecutionState(doc, cellId, 'idle', kernelOrigin);
  }, kernelOrigin);
  return outcome;
}

function outcomeOf(result: ExecutionOutcome): RunOutcome {
  if (result.status === 'kernel-died') return { status: 'dead', reason: result.reason };
  const reply = result.reply;
  const executionCount = reply.execution_count ?? null;
  if (reply.status === 'ok') return { status: 'ok', executionCount };
  if (reply.status === 'error') return { status: 'error', executionCount, reason: `${reply.ename ?? 'Error'}: ${reply.evalue ?? ''}` };
  return { status: 'error', executionCount, reason: 'the kernel skipped this cell (aborted after an earlier error)' };
}

/** A promise that resolves when `signal` aborts, and a way to stop listening. */
function watchAbort(signal: AbortSignal | undefined): { aborted: Promise<'aborted'>; dispose: () => void } {
  if (!signal) return { aborted: new Promise(() => {}), dispose: () => {} };
  if (signal.aborted) return { aborted: Promise.resolve('aborted'), dispose: () => {} };
  let listener!: () => void;
  const aborted = new Promise<'aborted'>((resolve) => {
    listener = () => resolve('aborted');
    signal.addEventListener('abort', listener, { once: true });
  });
  return { aborted, dispose: () => signal.removeEventListener('abort', listener) };
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'the run was abandoned';
}
