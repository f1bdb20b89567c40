// The per-run path from the kernel client to the kernel: an execute_request
// sent on shell, its ExecutionHandle registered with the runtime so the
// runtime's iopub and stdin messages reach it, and its execute_reply delivered
// to it; the end of a run adopted from an earlier owner that never comes; and
// the plain shell requests (complete, inspect).
//
// Invariants: a handle is in its runtime's `executions` from the moment its
// request is sent until it settles; a handle made when no kernel can take the
// request is settled at once (`kernel-died`), so `execute` never throws;
// input replies go only to the runtime that asked, and never after it stopped.
import { ExecutionHandle, type ExecuteReplyContent } from './execution-handle';
import { KernelDeadError } from './kernel-death';
import type { KernelRuntime } from './kernel-runtime';

export interface ExecuteOptions {
  /** Let the code call input(); default false (input() then raises instead of waiting). */
  allowStdin?: boolean;
  silent?: boolean;
  storeHistory?: boolean;
  /**
   * Ask the kernel to abort requests queued behind a failing one. Default false:
   * Cellmate queues cells itself and sends one at a time, and with true ipykernel
   * also aborts a request that merely arrives in the moment after an error.
   */
  stopOnError?: boolean;
  /** Expressions the kernel evaluates after the code; their results come back in the reply's `user_expressions`. */
  userExpressions?: Record<string, string>;
}

/** A handle already settled with `reason`: what `execute` returns when no kernel can take the request. */
export function failedExecution(reason: string): ExecutionHandle {
  const handle = new ExecutionHandle('', () => {});
  handle.fail(reason);
  return handle;
}

/** Sends `code` to `rt`'s kernel; the handle streams its outputs and `done` settles after the final idle. */
export function sendExecute(rt: KernelRuntime, code: string, options: ExecuteOptions = {}): ExecutionHandle {
  const silent = options.silent ?? false;
  const { msg, reply } = rt.connection.request('shell', 'execute_request', {
    code,
    silent,
    store_history: options.storeHistory ?? !silent,
    user_expressions: options.userExpressions ?? {},
    allow_stdin: options.allowStdin ?? false,
    stop_on_error: options.stopOnError ?? false,
  });
  const id = msg.header.msg_id;
  const handle = new ExecutionHandle(id, (value, request) => {
    if (!rt.stopping) rt.connection.send('stdin', 'input_reply', { value }, request.header);
  }, silent);
  rt.executions.set(id, handle);
  reply.then(
    (m) => {
      handle.deliverReply(m.content as ExecuteReplyContent, m.header.date);
      if (handle.isSettled) rt.executions.delete(id);
    },
    (err: Error) => handle.fail(err.message),
  );
  return handle;
}

/** How often an adopted run is checked for an end this bridge never saw. */
const ADOPTED_CHECK_MS = 2_000;
/** Checks in a row that must find the kernel idle and nothing new for the run before it counts as ended unseen. */
const ADOPTED_QUIET_CHECKS = 2;
/** The reply an adopted run gets when its end was never seen (no count: the kernel's reply is lost). */
const endUnseenReply: ExecuteReplyContent = { status: 'ok', execution_count: null };

/**
 * Settles an adopted run (KernelClient.attach) whose end will never arrive:
 * the earlier owner received it just before it died, or the gateway kept
 * nothing of the gap. Its kernel reports itself idle (it has nothing running)
 * while nothing new came for the run, twice in a row. Without this its cell
 * would stay running and the queue behind it blocked.
 */
export async function settleIfEndUnseen(rt: KernelRuntime, handle: ExecutionHandle, onEnded: () => void): Promise<void> {
  const kernel = rt.kernel;
  if (!kernel.executionState) return;
  let quiet = 0;
  let seen = handle.activity;
  while (!handle.isSettled && !rt.stopping) {
    await new Promise((resolve) => setTimeout(resolve, ADOPTED_CHECK_MS));
    if (handle.isSettled || rt.stopping) return;
    const state = await kernel.executionState().catch(() => null);
    quiet = state === 'idle' && handle.activity === seen ? quiet + 1 : 0;
    seen = handle.activity;
    if (quiet >= ADOPTED_QUIET_CHECKS) {
      handle.endUnseen(endUnseenReply);
      if (handle.isSettled) rt.executions.delete(handle.msgId);
      onEnded();
    }
  }
}

/** One shell request and its reply's content; a failure is the kernel's death (KernelDeadError). */
export async function shellRequest(rt: KernelRuntime, msgType: string, content: Record<string, unknown>): Promise<Record<string, unknown>> {
  try {
    return (await rt.connection.request('shell', msgType, content).reply).content;
  } catch (err) {
    throw new KernelDeadError((err as Error).message);
  }
}
