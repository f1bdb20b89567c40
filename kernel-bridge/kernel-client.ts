// A live Jupyter kernel as one object: starts it through a KernelProvider
// (kernel-provider.ts: a local sandbox, a plain process or a gateway), speaks
// the messaging protocol over the channels the provider connects, watches its
// liveness and end, and offers execute / complete / inspect / interrupt /
// restart / shutdown.
//
// Invariants: every request settles — on kernel death, restart or shutdown the
// pending executions resolve with `kernel-died` and other requests reject with a
// KernelDeadError; each started kernel + channels pair ("runtime") is torn down
// exactly once, and events from an old runtime never touch the current one; the
// status only reports 'idle'/'busy' once the kernel answered kernel_info and
// iopub is live.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionHandle, type ExecuteReplyContent } from './execution-handle';
import { defaultKernelProvider } from './default-kernel-provider';
import type { KernelChannels, KernelEnd, KernelIsolation, KernelProvider, ProvidedKernel, ProvidedKernelSpec } from './kernel-provider';
import type { Channel, JupyterMessage } from './wire-protocol';


/** How often a start is tried again when the kernel finds one of its ports taken. */
const MAX_START_ATTEMPTS = 3;
/** Longest an interrupt waits for the kernel to begin the request in flight before signalling anyway. */
const INTERRUPT_WAIT_MS = 5_000;
/**
 * After execute_input, how long the kernel may still be in its own machinery
 * rather than the cell's code (set-up, transforms, pre-run callbacks: a few ms
 * on an idle machine; this allows for a loaded one). See `interrupt()`.
 */
const RISKY_WINDOW_MS = 2_000;
/** Pauses before each further interrupt attempt while the execution may have lost one: at most 6 attempts over ~7.75 s. */
const RETRY_SPACING_MS = [250, 500, 1_000, 2_000, 4_000];
/** How long `interrupt()` then waits for the interrupted executions to end before answering 'still running'. */
const OUTCOME_WAIT_MS = 3_000;
/** How long an execution reported idle may wait for its execute_reply before it counts as cut off. */
const REPLY_GRACE_MS = 1_000;
/** While waiting for executions to end, how often to look for one gone idle without a reply. */
const IDLE_CHECK_MS = 100;

/** What an interrupt came to; see `KernelClient.interrupt()`. */
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

class RetryableStartError extends Error {
  constructor() {
    super('the kernel could not bind what it was given (a port taken meanwhile); starting again');
  }
}

export type KernelStatus = 'starting' | 'idle' | 'busy' | 'restarting' | 'dead';

/** Why the kernel is dead. `message` is `reason` plus the kernel's last output. */
export interface KernelDeath {
  reason: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outputTail: string;
  message: string;
}

export interface KernelClientOptions {
  /** Where kernels come from (default: the configured one, default-kernel-provider.ts). */
  provider?: KernelProvider;
  /** Kernelspec name (default 'python3'). */
  specName?: string;
  /**
   * The kernel's working folder, kept across restarts (default: a private
   * temporary folder made for this client and removed at shutdown).
   */
  cwd?: string;
  env?: Record<string, string>;
  /** Ceiling on the kernel's memory in MB; 0 or absent: none. */
  memoryLimitMb?: number;
  startupTimeoutMs?: number;
  /** How long a clean shutdown may take before the process is killed. */
  shutdownTimeoutMs?: number;
}

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

export interface KernelClientEvents {
  status: [status: KernelStatus, death?: KernelDeath];
  /** Every verified iopub message, including those of other clients' requests. */
  iopub: [msg: JupyterMessage];
  dropped: [channel: Channel, reason: string];
}

export class KernelDeadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KernelDeadError';
  }
}

interface Runtime {
  kernel: ProvidedKernel;
  connection: KernelChannels;
  unwatch: (() => void) | null;
  executions: Map<string, ExecutionHandle>;
  ready: boolean;
  stopping: boolean;
  died: Promise<KernelDeath>;
  death: KernelDeath | null;
  markDied: (death: KernelDeath) => void;
  onIopubDuringStart?: (msg: JupyterMessage) => void;
}

const TAIL_LINES = 20;

function deathFrom(reason: string, exit: KernelEnd | null, tail: string): KernelDeath {
  const outputTail = (exit?.outputTail ?? tail).split('\n').slice(-TAIL_LINES).join('\n');
  return {
    reason,
    exitCode: exit?.code ?? null,
    signal: exit?.signal ?? null,
    outputTail,
    message: outputTail ? `${reason}\nLast kernel output:\n${outputTail}` : reason,
  };
}

export class KernelClient extends EventEmitter<KernelClientEvents> {
  private runtime: Runtime | null = null;
  private currentStatus: KernelStatus = 'starting';
  private lastExecutionState: string | null = null;
  private lastDeath: KernelDeath | null = null;
  private info: Record<string, unknown> | null = null;
  private droppedBefore = 0;
  private shuttingDown: Promise<void> | null = null;
  private restarting: Promise<void> | null = null;
  private readonly provider: KernelProvider;
  private readonly specName: string;
  private lastSpec: ProvidedKernelSpec | null = null;
  /** The working folder this client made for itself (no `cwd` given), removed at shutdown. */
  private ownWorkDir: string | null = null;

  private constructor(private readonly options: KernelClientOptions) {
    super();
    this.provider = options.provider ?? defaultKernelProvider();
    this.specName = options.specName ?? 'python3';
  }

  /** Starts a kernel and resolves once it answered kernel_info (status idle). */
  static async start(options: KernelClientOptions = {}): Promise<KernelClient> {
    const client = new KernelClient(options);
    try {
      await client.boot();
    } catch (err) {
      await client.removeOwnWorkDir();
      throw err;
    }
    return client;
  }

  /** The kernelspec of the running (or last) kernel, as its provider describes it. */
  get spec(): ProvidedKernelSpec {
    return this.lastSpec ?? { name: this.specName, displayName: this.specName, language: '', interruptMode: 'signal' };
  }

  /** The current kernel as its provider holds it (null before the first start). */
  get kernel(): ProvidedKernel | null {
    return this.runtime?.kernel ?? null;
  }

  /** How the kernel is isolated, as its provider says. */
  get isolation(): KernelIsolation | null {
    return this.runtime?.kernel.isolation ?? null;
  }

  get status(): KernelStatus {
    return this.currentStatus;
  }

  /** The last `execution_state` the kernel published on iopub. */
  get executionState(): string | null {
    return this.lastExecutionState;
  }

  /** Why the kernel died, while its status is 'dead'. */
  get death(): KernelDeath | null {
    return this.lastDeath;
  }

  /** The kernel_info_reply content of the current kernel. */
  get kernelInfo(): Record<string, unknown> | null {
    return this.info;
  }

  /** Bytes of memory the kernel uses now, when its provider can tell. */
  async memoryInUse(): Promise<number | null> {
    return this.runtime && !this.runtime.stopping ? this.runtime.kernel.memoryInUse() : null;
  }

  /** Incoming messages dropped for a bad signature or framing, over all restarts. */
  get droppedMessages(): number {
    return this.droppedBefore + (this.runtime?.connection.droppedMessages ?? 0);
  }

  private setStatus(status: KernelStatus, death?: KernelDeath): void {
    if (status === this.currentStatus && status !== 'dead') return;
    this.currentStatus = status;
    this.emit('status', status, death);
  }

  private async workDir(): Promise<string> {
    if (this.options.cwd) return this.options.cwd;
    this.ownWorkDir ??= await mkdtemp(join(tmpdir(), 'cellmate-work-'));
    return this.ownWorkDir;
  }

  private async removeOwnWorkDir(): Promise<void> {
    if (this.ownWorkDir) await rm(this.ownWorkDir, { recursive: true, force: true }).catch(() => {});
  }

  private async boot(attempt = 1): Promise<void> {
    this.lastDeath = null;
    this.setStatus('starting');
    const kernel = await this.provider.start(this.specName, {
      workDir: await this.workDir(), env: this.options.env, memoryLimitMb: this.options.memoryLimitMb,
    }).catch((err: Error) => {
      const death = deathFrom(err.message, null, '');
      this.lastDeath = death;
      this.setStatus('dead', death);
      throw err;
    });
    this.lastSpec = kernel.spec;
    let markDied!: (d: KernelDeath) => void;
    const died = new Promise<KernelDeath>((r) => { markDied = r; });
    const rt: Runtime = {
      kernel, unwatch: null, executions: new Map(), ready: false, stopping: false, died, markDied, death: null,
      connection: null as unknown as KernelChannels,
    };
    rt.connection = kernel.connect({
      iopub: (msg) => this.onIopub(rt, msg),
      stdin: (msg) => this.onStdin(rt, msg),
      dropped: (channel, reason) => this.emit('dropped', channel as Channel, reason),
    });
    if (this.runtime) this.droppedBefore += this.runtime.connection.droppedMessages;
    this.runtime = rt;
    void kernel.exited.then((end) => {
      if (!rt.stopping) this.kill(rt, deathFrom(end.reason, end, ''));
      else rt.connection.close('kernel was stopped');
    });

    const name = kernel.spec.name;
    const timeoutMs = this.options.startupTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kernel "${name}" did not answer within ${timeoutMs / 1000} s of starting`)), timeoutMs);
    });
    const death = died.then((d) => { throw new Error(`kernel "${name}" died while starting: ${d.message}`); });
    const retryable = kernel.retryableStartFailure.then(() => { throw new RetryableStartError(); });
    try {
      await Promise.race([this.handshake(rt), timeout, death, retryable]);
    } catch (err) {
      if (err instanceof RetryableStartError && attempt < MAX_START_ATTEMPTS) {
        // Not a death: start again, quietly.
        rt.stopping = true;
        rt.connection.close('starting again');
        await kernel.kill();
        return this.boot(attempt + 1);
      }
      // Whichever settled first, a recorded death (exit code, signal, output) explains best.
      if (rt.death) throw new KernelDeadError(`kernel "${name}" died while starting: ${rt.death.message}`);
      const death = deathFrom((err as Error).message, null, kernel.outputTail);
      this.kill(rt, death);
      throw new KernelDeadError(death.message);
    } finally {
      clearTimeout(timer);
      death.catch(() => {});
      retryable.catch(() => {});
    }
    rt.ready = true;
    rt.unwatch = kernel.watch((reason) => this.kill(rt, deathFrom(reason, null, kernel.outputTail)));
    this.setStatus('idle');
  }

  /** kernel_info round trip, repeated until iopub has also delivered (subscriptions join late). */
  private async handshake(rt: Runtime): Promise<void> {
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
      const req = rt.connection.request('shell', 'kernel_info_request', {});
      ids.add(req.msg.header.msg_id);
      req.reply.catch(() => {});
      return req.reply;
    };
    const first = await ask();
    this.info = first.content;
    while (!iopubLive && !rt.stopping) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
      if (!iopubLive) void ask();
    }
    rt.onIopubDuringStart = undefined;
    await rt.connection.stdinReady;
  }

  private onIopub(rt: Runtime, msg: JupyterMessage): void {
    if (rt !== this.runtime) return;
    rt.onIopubDuringStart?.(msg);
    const parentId = msg.parent_header.msg_id;
    if (msg.header.msg_type === 'status') {
      const state = msg.content.execution_state as string;
      this.lastExecutionState = state;
      // The bridge's own silent requests (the variables refresh) are nobody's run: the kernel stays 'idle' for everyone.
      const silent = parentId !== undefined && rt.executions.get(parentId)?.silent;
      if (rt.ready && !rt.stopping && !silent && (state === 'idle' || state === 'busy')) this.setStatus(state);
    }
    if (parentId !== undefined) {
      const handle = rt.executions.get(parentId);
      if (handle) {
        handle.deliverIopub(msg);
        if (handle.isSettled) rt.executions.delete(parentId);
      }
    }
    this.emit('iopub', msg);
  }

  private onStdin(rt: Runtime, msg: JupyterMessage): void {
    if (msg.header.msg_type !== 'input_request') return;
    rt.executions.get(msg.parent_header.msg_id ?? '')?.deliverInputRequest(msg);
  }

  /** Marks `rt` dead (if current), settles its requests and kills its process. */
  private kill(rt: Runtime, death: KernelDeath): void {
    if (rt.stopping) return;
    rt.stopping = true;
    rt.death = death;
    rt.unwatch?.();
    for (const h of rt.executions.values()) h.fail(death.message);
    rt.executions.clear();
    rt.connection.close(death.message);
    rt.markDied(death);
    if (!rt.kernel.end) void rt.kernel.kill();
    if (rt === this.runtime) {
      this.lastDeath = death;
      this.setStatus('dead', death);
    }
  }

  private currentRuntime(): Runtime {
    const rt = this.runtime;
    if (this.shuttingDown) throw new KernelDeadError('the kernel was shut down');
    if (!rt || rt.stopping || !rt.ready) throw new KernelDeadError(this.lastDeath?.message ?? `the kernel is ${this.currentStatus}`);
    return rt;
  }

  /** Execution `msgId` while it is in flight (its reply or its final idle not seen yet), else undefined. */
  inFlight(msgId: string): ExecutionHandle | undefined {
    return this.runtime?.executions.get(msgId);
  }

  /** Runs `code`; the handle streams its outputs and `done` settles after the final idle. */
  execute(code: string, options: ExecuteOptions = {}): ExecutionHandle {
    let rt: Runtime;
    try {
      rt = this.currentRuntime();
    } catch (err) {
      const handle = new ExecutionHandle('', () => {});
      handle.fail((err as Error).message);
      return handle;
    }
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

  private async shellRequest(msgType: string, content: Record<string, unknown>): Promise<Record<string, unknown>> {
    const rt = this.currentRuntime();
    try {
      return (await rt.connection.request('shell', msgType, content).reply).content;
    } catch (err) {
      throw new KernelDeadError((err as Error).message);
    }
  }

  /** complete_request; resolves with the complete_reply content. */
  complete(code: string, cursorPos: number): Promise<Record<string, unknown>> {
    return this.shellRequest('complete_request', { code, cursor_pos: cursorPos });
  }

  /** inspect_request; resolves with the inspect_reply content. */
  inspect(code: string, cursorPos: number, detailLevel: 0 | 1 = 0): Promise<Record<string, unknown>> {
    return this.shellRequest('inspect_request', { code, cursor_pos: cursorPos, detail_level: detailLevel });
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
  async interrupt(): Promise<InterruptOutcome> {
    let rt = this.currentRuntime();
    const targets = [...rt.executions.values()].filter((handle) => !handle.silent);
    if (!targets.length) {
      // No request of anyone's: one attempt, for whatever the kernel may be doing.
      await this.sendInterrupt(rt);
      return 'not running';
    }
    const live = () => targets.filter((handle) => !handle.isSettled);
    await waitAtMost(Promise.all(targets.map((handle) => handle.whenExecuting())), INTERRUPT_WAIT_MS);
    for (let attempt = 0; ; attempt++) {
      // A restart meanwhile has settled every target; a death throws here.
      rt = this.currentRuntime();
      const pending = live();
      if (!pending.length) break;
      const now = Date.now();
      const mayBeLost = pending.some((h) => !h.hasOutput && (h.executingSince === undefined || now - h.executingSince < RISKY_WINDOW_MS));
      await this.sendInterrupt(rt);
      if (!mayBeLost || attempt >= RETRY_SPACING_MS.length) break;
      await this.waitForEnd(rt, pending, RETRY_SPACING_MS[attempt]);
    }
    await this.waitForEnd(rt, live(), OUTCOME_WAIT_MS);
    // Ended without a reply: the kernel died or was stopped under it (a shutdown after it ended changes nothing).
    const cutShort = targets.some((h) => h.isSettled && !h.replyContent);
    if (cutShort || (live().length && rt.stopping)) throw new KernelDeadError(rt.death?.message ?? 'the kernel stopped while being interrupted');
    if (live().length) return 'still running';
    return targets.some((h) => h.replyContent?.ename === 'KeyboardInterrupt') ? 'stopped' : 'finished';
  }

  private async sendInterrupt(rt: Runtime): Promise<void> {
    if (this.spec.interruptMode === 'message') {
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
  private async waitForEnd(rt: Runtime, handles: ExecutionHandle[], ms: number): Promise<void> {
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

  /** Stops the kernel (politely, then by force) and starts a fresh one from the same spec. */
  restart(): Promise<void> {
    if (this.shuttingDown) return Promise.reject(new KernelDeadError('the kernel was shut down; start a new one'));
    this.restarting ??= (async () => {
      this.setStatus('restarting');
      if (this.runtime) await this.stop(this.runtime, true, 'the kernel was restarted');
      await this.boot();
    })().finally(() => { this.restarting = null; });
    return this.restarting;
  }

  /** Asks the kernel to shut down, kills it if it lingers, closes all sockets. Idempotent. */
  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      await this.restarting?.catch(() => {});
      if (this.runtime) await this.stop(this.runtime, false, 'the kernel was shut down');
      const death = deathFrom('the kernel was shut down', this.runtime?.kernel.end ?? null, '');
      this.lastDeath = death;
      this.setStatus('dead', death);
      await this.removeOwnWorkDir();
    })();
    return this.shuttingDown;
  }

  private async stop(rt: Runtime, restart: boolean, reason: string): Promise<void> {
    const wasLive = !rt.stopping;
    rt.stopping = true;
    rt.unwatch?.();
    for (const h of rt.executions.values()) h.fail(reason);
    rt.executions.clear();
    if (wasLive && !rt.kernel.end) {
      const reply = rt.connection.request('control', 'shutdown_request', { restart }).reply;
      reply.catch(() => {});
      const exited = await rt.kernel.waitForExit(this.options.shutdownTimeoutMs ?? 3000);
      if (!exited) await rt.kernel.kill();
    } else if (!rt.kernel.end) {
      await rt.kernel.kill();
    }
    rt.connection.close(reason);
    await rt.kernel.exited;
  }
}
