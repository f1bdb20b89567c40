// Interrupting the code a kernel runs now, and making sure of the outcome: the
// bounded re-signal policy below (why one signal is not enough), the wait for
// the interrupted executions to end, and the reply an execution cut off before
// its code ran is given (the kernel sends none).
//
// Invariants: at most 1 + RETRY_SPACING_MS.length attempts per interrupt, a
// further one only while the previous may have been lost in the kernel's own
// machinery; the outcome is decided only from the executions in flight when
// the interrupt began; a kernel that died or stopped under it is a
// KernelDeadError, never an outcome.
import type { ExecuteReplyContent, ExecutionHandle } from './execution-handle';
import { KernelDeadError } from './kernel-death';
import type { InterruptMode } from './kernel-provider';
import type { KernelRuntime } from './kernel-runtime';

/** Longest an interrupt waits for the kernel to begin the request in flight before signalling anyway. */
const INTERRUPT_WAIT_MS = 5_000;
/**
 * After execute_input, how long the kernel may still be in its own machinery
 * rather than the cell's code (set-up, transforms, pre-run callbacks: a few ms
 * on an idle machine; this allows for a loaded one). See `interruptKernel()`.
 */
const RISKY_WINDOW_MS = 2_000;
/** Pauses before each further interrupt attempt while the execution may have lost one: at most 6 attempts over ~7.75 s. */
const RETRY_SPACING_MS = [250, 500, 1_000, 2_000, 4_000];
/** How long the interrupt then waits for the interrupted executions to end before answering 'still running'. */
const OUTCOME_WAIT_MS = 3_000;
/** How long an execution reported idle may wait for its execute_reply before it counts as cut off. */
const REPLY_GRACE_MS = 1_000;
/** While waiting for executions to end, how often to look for one gone idle without a reply. */
const IDLE_CHECK_MS = 100;

/** What an interrupt came to; see `interruptKernel()`. */
export type InterruptOutcome = 'stopped' | 'finished' | 'not running' | 'still running';

/** The reply an execution gets when an interrupt ended it before its code ran (the kernel sends none). */
const interruptedBeforeStartReply: ExecuteReplyContent = {
  status: 'error',
  execution_count: null,
  ename: 'KeyboardInterrupt',
  evalue: 'interrupted before the code started',
  traceback: ['KeyboardInterrupt: interrupted before the code started'],
};

/** Resolves when `promise` settles or after `ms`, whichever is first. */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => {}, () => {}),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Interrupts the code running now, the way the kernelspec asks (SIGINT, or
 * interrupt_request on the control channel for interrupt_mode 'message'), and
 * makes sure of the outcome: resolves once the executions that were in flight
 * have ended ('stopped' when one ended with KeyboardInterrupt, else
 * 'finished'), with 'not running' when none was, or with 'still running' when
 * they outlived every attempt (code that catches KeyboardInterrupt and goes
 * on, or sits in a C call that never checks for signals).
 *
 * Why one signal is not enough. ipykernel ignores SIGINT between requests
 * and installs Python's KeyboardInterrupt handler only around a request's
 * handler; before the user's code starts, that handler runs ipykernel's and
 * IPython's own code (publishing execute_input, do_execute's set-up, the
 * cell transforms, IPython's pre_execute/pre_run_cell callbacks). A
 * KeyboardInterrupt raised there is either caught by dispatch_shell
 * ("KeyboardInterrupt caught in kernel.") — the request then ends with an
 * `idle` status and never gets an execute_reply — or caught and printed by
 * IPython's event callbacks, after which the cell runs to its end. And a
 * signal whose handler runs just before the main thread enters a blocking
 * call (time.sleep) does not interrupt it: the KeyboardInterrupt comes when
 * the sleep has run its full length (seen once in 25 fresh-kernel runs under
 * load; a second signal interrupts the sleep). So:
 *
 * - the first attempt waits (bounded) until the kernel has begun the request
 *   (execute_input), so the signal is not simply ignored;
 * - an execution that went idle without a reply after an attempt was cut
 *   off before its code ran: it is settled here as a KeyboardInterrupt
 *   error (the reply will never come, and its cell would otherwise stay
 *   running, the queue behind it blocked);
 * - another attempt is made, at growing intervals, only while the previous
 *   one may have landed in that machinery: sent before the execution showed
 *   any output and within RISKY_WINDOW_MS of its execute_input.
 *
 * The choice for code that catches KeyboardInterrupt on purpose (to save a
 * checkpoint, to stop a loop cleanly): an attempt sent once the code has
 * shown output, or has run for longer than the window, is the last one — the
 * code owns that KeyboardInterrupt and may handle it as long as it likes.
 * Only a cell that catches it silently within its first moments can see a
 * second one, as if the person had pressed Interrupt twice.
 */
export async function interruptKernel(currentRuntime: () => KernelRuntime, interruptMode: () => InterruptMode): Promise<InterruptOutcome> {
  let rt = currentRuntime();
  const targets = [...rt.executions.values()].filter((handle) => !handle.silent);
  if (!targets.length) {
    // No request of anyone's: one attempt, for whatever the kernel may be doing.
    await sendInterrupt(rt, interruptMode);
    return 'not running';
  }
  const live = () => targets.filter((handle) => !handle.isSettled);
  await waitAtMost(Promise.all(targets.map((handle) => handle.whenExecuting())), INTERRUPT_WAIT_MS);
  for (let attempt = 0; ; attempt++) {
    // A restart meanwhile has settled every target; a death throws here.
    rt = currentRuntime();
    const pending = live();
    if (!pending.length) break;
    const now = Date.now();
    const mayBeLost = pending.some((h) => !h.hasOutput && (h.executingSince === undefined || now - h.executingSince < RISKY_WINDOW_MS));
    await sendInterrupt(rt, interruptMode);
    if (!mayBeLost || attempt >= RETRY_SPACING_MS.length) break;
    await waitForEnd(rt, pending, RETRY_SPACING_MS[attempt]);
  }
  await waitForEnd(rt, live(), OUTCOME_WAIT_MS);
  // Ended without a reply: the kernel died or was stopped under it (a shutdown after it ended changes nothing).
  const cutShort = targets.some((h) => h.isSettled && !h.replyContent);
  if (cutShort || (live().length && rt.stopping)) throw new KernelDeadError(rt.death?.message ?? 'the kernel stopped while being interrupted');
  if (live().length) return 'still running';
  return targets.some((h) => h.replyContent?.ename === 'KeyboardInterrupt') ? 'stopped' : 'finished';
}

async function sendInterrupt(rt: KernelRuntime, interruptMode: () => InterruptMode): Promise<void> {
  if (interruptMode() === 'message') {
    await rt.connection.request('control', 'interrupt_request', {}).reply;
  } else if (!(await rt.kernel.interrupt())) {
    throw new KernelDeadError('the kernel process is gone; nothing to interrupt');
  }
}

/**
 * Waits up to `ms` for `handles` to settle. One that the kernel reported idle
 * without ever replying (an interrupt caught inside ipykernel's dispatcher)
 * is settled as interrupted once REPLY_GRACE_MS has passed: its reply travels
 * on another socket than the idle status and may simply be a moment behind.
 */
async function waitForEnd(rt: KernelRuntime, handles: ExecutionHandle[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const pending = handles.filter((h) => !h.isSettled);
    if (!pending.length || rt.stopping) return;
    const left = deadline - Date.now();
    if (left <= 0) return;
    const orphaned = pending.filter((h) => h.idleWithoutReply);
    if (orphaned.length) {
      await waitAtMost(Promise.all(orphaned.map((h) => h.done)), Math.min(left, REPLY_GRACE_MS));
      for (const h of orphaned) {
        if (!h.idleWithoutReply) continue;
        h.deliverReply(interruptedBeforeStartReply);
        if (h.isSettled) rt.executions.delete(h.msgId);
      }
      continue;
    }
    // Wake on any end, or shortly to look for an idle without a reply.
    await waitAtMost(Promise.race(pending.map((h) => h.done)), Math.min(left, IDLE_CHECK_MS));
  }
}
