// One cell of a session's queue run on the session's kernel: sent fresh, or,
// when it was adopted from an earlier owner of the kernel, followed to its end
// (run-adoption.ts). Its stdin prompts go to the person who queued it.
//
// Invariants: never rejects (a failure is an 'error' outcome); the running
// cell's msg_id is set as soon as its request is sent (or was adopted), before
// `sent` is called, so what is recorded for a handover names the request.
import type * as Y from 'yjs';
import type { InputPrompt } from './input-prompt';
import type { RunningCell } from './run-queue';
import type { RunOptions, RunOutcome, SessionKernel } from './session-kernel';

export interface QueuedRunOptions {
  maxOutputBytes?: number;
  input: InputPrompt;
  /** The request was sent (or adopted): `running.msgId` is set. */
  sent: () => void;
}

export async function runQueuedCell(kernel: SessionKernel, doc: Y.Doc, running: RunningCell, options: QueuedRunOptions): Promise<RunOutcome> {
  const runOptions: RunOptions = {
    signal: running.abort.signal,
    maxOutputBytes: options.maxOutputBytes,
    onInputRequest: (request) => options.input.ask({ cellId: running.cellId, ...request, forUserId: running.by.userId }),
    runBy: { name: running.by.name, id: running.by.userId },
    onSent: (msgId) => {
      running.msgId = msgId;
      options.sent();
    },
  };
  try {
    if (running.adopted && running.msgId) return await kernel.resume(doc, running.cellId, running.msgId, runOptions);
    return await kernel.run(doc, running.cellId, runOptions);
  } catch (err) {
    return { status: 'error', reason: (err as Error).message };
  }
}
