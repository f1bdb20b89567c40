// Bringing a kernel up: open it through its provider, connect its channels,
// and hold it to the handshake (kernel_info answered, iopub live) within a
// deadline, trying again when the kernel could not bind a port it was given.
//
// Invariants: a start resolves only with a ready runtime (handshake done,
// liveness watched); on failure the runtime it made is torn down before the
// returned promise rejects, with a KernelDeadError whose message explains the
// death best (exit code, signal and last output when the kernel left them); a
// start that is retried is not a death and reports none.
import type { ProvidedKernel } from './kernel-provider';
import { deathFrom, KernelDeadError, type KernelDeath } from './kernel-death';
import { KernelRuntime, type RuntimeHandlers } from './kernel-runtime';

/** How often a start is tried again when the kernel finds one of its ports taken. */
const MAX_START_ATTEMPTS = 3;
/** How often the handshake asks again while iopub has not delivered (subscriptions join late). */
const HANDSHAKE_RETRY_MS = 200;

/** What a start needs from the kernel client. */
export interface StartHost {
  handlers: RuntimeHandlers;
  /** The runtime becomes the client's current one (before its handshake, so its messages are routed). */
  install(rt: KernelRuntime): void;
  /** The runtime died: the client tears it down (KernelRuntime.kill) and reports it if it is current. */
  kill(rt: KernelRuntime, death: KernelDeath): void;
}

export interface StartPlan {
  /** Starts (or reaches) the kernel. */
  open(): Promise<ProvidedKernel>;
  /** How long the kernel may take to answer. */
  timeoutMs: number;
  /**
   * Where kernel_info is asked: 'shell' for a fresh kernel; 'control' for one
   * reached while it may be running someone's code (shell waits behind it).
   */
  handshakeChannel?: 'shell' | 'control';
}

class RetryableStartError extends Error {
  constructor() {
    super('the kernel could not bind what it was given (a port taken meanwhile); starting again');
  }
}

/** Starts a kernel and resolves with its ready runtime and its kernel_info_reply content. */
export async function startRuntime(host: StartHost, plan: StartPlan, attempt = 1): Promise<{ rt: KernelRuntime; info: Record<string, unknown> }> {
  const kernel = await plan.open();
  const rt = new KernelRuntime(kernel, host.handlers);
  host.install(rt);
  void kernel.exited.then((end) => {
    if (!rt.stopping) host.kill(rt, deathFrom(end.reason, end, ''));
    else rt.connection.close('kernel was stopped');
  });

  const name = kernel.spec.name;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`kernel "${name}" did not answer within ${plan.timeoutMs / 1000} s of starting`)), plan.timeoutMs);
  });
  const death = rt.died.then((d) => { throw new Error(`kernel "${name}" died while starting: ${d.message}`); });
  const retryable = kernel.retryableStartFailure.then(() => { throw new RetryableStartError(); });
  let info: Record<string, unknown>;
  try {
    info = await Promise.race([handshake(rt, plan.handshakeChannel ?? 'shell'), timeout, death, retryable]);
  } catch (err) {
    if (err instanceof RetryableStartError && attempt < MAX_START_ATTEMPTS) {
      // Not a death: start again, quietly.
      rt.stopping = true;
      rt.connection.close('starting again');
      await kernel.kill();
      return startRuntime(host, plan, attempt + 1);
    }
    // Whichever settled first, a recorded death (exit code, signal, output) explains best.
    if (rt.death) throw new KernelDeadError(`kernel "${name}" died while starting: ${rt.death.message}`);
    const failure = deathFrom((err as Error).message, null, kernel.outputTail);
    host.kill(rt, failure);
    throw new KernelDeadError(failure.message);
  } finally {
    clearTimeout(timer);
    death.catch(() => {});
    retryable.catch(() => {});
  }
  rt.ready = true;
  rt.unwatch = kernel.watch((reason) => host.kill(rt, deathFrom(reason, null, kernel.outputTail)));
  return { rt, info };
}

/** kernel_info round trip, repeated until iopub has also delivered; resolves with the first reply's content. */
async function handshake(rt: KernelRuntime, channel: 'shell' | 'control'): Promise<Record<string, unknown>> {
  const ids = new Set<string>();
  let iopubLive = false;
  let wake: (() => void) | null = null;
  rt.onIopubDuringStart = (msg) => {
    if (ids.has(msg.parent_header.msg_id ?? '')) {
      iopubLive = true;
      wake?.();
    }
  };
  const ask = () => {
    const req = rt.connection.request(channel, 'kernel_info_request', {});
    ids.add(req.msg.header.msg_id);
    req.reply.catch(() => {});
    return req.reply;
  };
  const first = await ask();
  while (!iopubLive && !rt.stopping) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, HANDSHAKE_RETRY_MS);
    });
    if (!iopubLive) void ask();
  }
  rt.onIopubDuringStart = undefined;
  await rt.connection.stdinReady;
  return first.content;
}
