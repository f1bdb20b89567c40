// A live Jupyter kernel as one object: launches the process, connects its
// sockets, watches its heartbeat and exit, and offers execute / complete /
// inspect / interrupt / restart / shutdown.
//
// Invariants: every request settles — on kernel death, restart or shutdown the
// pending executions resolve with `kernel-died` and other requests reject with a
// KernelDeadError; each process+connection pair ("runtime") is torn down exactly
// once, and events from an old runtime never touch the current one; the status
// only reports 'idle'/'busy' once the kernel answered kernel_info and iopub is live.
import { EventEmitter } from 'node:events';
import { HeartbeatMonitor } from './heartbeat-monitor';
import { ExecutionHandle, type ExecuteReplyContent } from './execution-handle';
import { KernelConnection } from './kernel-connection';
import { KernelProcess, type ConnectionInfo, type KernelExit } from './kernel-process';
import { findKernelSpec, type KernelSpec } from './kernelspecs';
import type { Channel, JupyterMessage } from './wire-protocol';


/** How often a start is tried again when the kernel finds one of its ports taken. */
const MAX_START_ATTEMPTS = 3;
/** Longest an interrupt waits for the kernel to begin the request in flight before signalling anyway. */
const INTERRUPT_WAIT_MS = 5_000;

/** Resolves when `promise` settles or after `ms`, whichever is first. */
function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => {}, () => {}),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); }),
  ]).finally(() => clearTimeout(timer));
}

class PortTakenError extends Error {
  constructor() {
    super('a port chosen for the kernel was taken by another process before the kernel could bind it');
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
  /** Kernelspec name to discover (default 'python3'), unless `spec` is given. */
  specName?: string;
  spec?: KernelSpec;
  /** Data dirs to search instead of the Jupyter defaults. */
  kernelSpecDirs?: string[];
  cwd?: string;
  env?: Record<string, string>;
  /** Ceiling on the kernel's private memory in MB (kernel-memory-limit.ts); 0 or absent: none. */
  memoryLimitMb?: number;
  heartbeatIntervalMs?: number;
  /** Pings missed in a row before the kernel counts as dead (default 5). */
  heartbeatMaxMissed?: number;
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
  process: KernelProcess;
  connection: KernelConnection;
  heartbeat: HeartbeatMonitor | null;
  executions: Map<string, ExecutionHandle>;
  ready: boolean;
  stopping: boolean;
  died: Promise<KernelDeath>;
  death: KernelDeath | null;
  markDied: (death: KernelDeath) => void;
  onIopubDuringStart?: (msg: JupyterMessage) => void;
}

const TAIL_LINES = 20;

function deathFrom(reason: string, exit: KernelExit | null, tail: string): KernelDeath {
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

  private constructor(readonly spec: KernelSpec, private readonly options: KernelClientOptions) {
    super();
  }

  /** Launches a kernel and resolves once it answered kernel_info (status idle). */
  static async start(options: KernelClientOptions = {}): Promise<KernelClient> {
    const spec = options.spec ?? (await findKernelSpec(options.specName ?? 'python3', options.kernelSpecDirs));
    const client = new KernelClient(spec, options);
    await client.boot();
    return client;
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

  get connectionInfo(): ConnectionInfo | null {
    return this.runtime?.process.connection ?? null;
  }

  get pid(): number | undefined {
    return this.runtime?.process.pid;
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

  private async boot(attempt = 1): Promise<void> {
    this.lastDeath = null;
    this.setStatus('starting');
    const proc = await KernelProcess.launch(this.spec, { cwd: this.options.cwd, env: this.options.env, memoryLimitMb: this.options.memoryLimitMb }).catch((err: Error) => {
      const death = deathFrom(err.message, null, '');
      this.lastDeath = death;
      this.setStatus('dead', death);
      throw err;
    });
    let markDied!: (d: KernelDeath) => void;
    const died = new Promise<KernelDeath>((r) => { markDied = r; });
    const rt: Runtime = {
      process: proc, heartbeat: null, executions: new Map(), ready: false, stopping: false, died, markDied, death: null,
      connection: null as unknown as KernelConnection,
    };
    rt.connection = new KernelConnection(proc.connection, {
      handlers: {
        iopub: (msg) => this.onIopub(rt, msg),
        stdin: (msg) => this.onStdin(rt, msg),
        dropped: (channel, reason) => this.emit('dropped', channel, reason),
      },
    });
    if (this.runtime) this.droppedBefore += this.runtime.connection.droppedMessages;
    this.runtime = rt;
    void proc.exited.then((exit) => {
      if (!rt.stopping) this.kill(rt, deathFrom(exit.reason, exit, ''));
      else rt.connection.close('kernel was stopped');
    });

    const timeoutMs = this.options.startupTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kernel "${this.spec.name}" did not answer within ${timeoutMs / 1000} s of starting`)), timeoutMs);
    });
    const death = died.then((d) => { throw new Error(`kernel "${this.spec.name}" died while starting: ${d.message}`); });
    const portTaken = proc.portTaken.then(() => { throw new PortTakenError(); });
    try {
      await Promise.race([this.handshake(rt), timeout, death, portTaken]);
    } catch (err) {
      if (err instanceof PortTakenError && attempt < MAX_START_ATTEMPTS) {
        // Not a death: start again on fresh ports, quietly.
        rt.stopping = true;
        rt.connection.close('port taken; starting again');
        await proc.kill();
        return this.boot(attempt + 1);
      }
      // Whichever settled first, a recorded death (exit code, signal, output) explains best.
      if (rt.death) throw new KernelDeadError(`kernel "${this.spec.name}" died while starting: ${rt.death.message}`);
      const death = deathFrom((err as Error).message, null, proc.outputTail);
      this.kill(rt, death);
      throw new KernelDeadError(death.message);
    } finally {
      clearTimeout(timer);
      death.catch(() => {});
      portTaken.catch(() => {});
    }
    rt.ready = true;
    rt.heartbeat = new HeartbeatMonitor(`${proc.connection.transport}://${proc.connection.ip}:${proc.connection.hb_port}`, {
      intervalMs: this.options.heartbeatIntervalMs ?? 1000,
      maxMissed: this.options.heartbeatMaxMissed ?? 5,
      onFlatline: (missed) => this.kill(rt, deathFrom(`kernel stopped answering heartbeats (${missed} missed in a row)`, null, proc.outputTail)),
    });
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
    if (msg.header.msg_type === 'status') {
      const state = msg.content.execution_state as string;
      this.lastExecutionState = state;
      if (rt.ready && !rt.stopping && (state === 'idle' || state === 'busy')) this.setStatus(state);
    }
    const parentId = msg.parent_header.msg_id;
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
    rt.heartbeat?.stop();
    for (const h of rt.executions.values()) h.fail(death.message);
    rt.executions.clear();
    rt.connection.close(death.message);
    rt.markDied(death);
    if (!rt.process.exit) void rt.process.kill();
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

  /** Runs `code`; the handle streams its outputs and `done` settles after the final idle. */
  /** Whether execution `msgId` is still in flight (its reply or its final idle not seen yet). */
  isInFlight(msgId: string): boolean {
    return this.runtime?.executions.has(msgId) ?? false;
  }

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
      user_expressions: {},
      allow_stdin: options.allowStdin ?? false,
      stop_on_error: options.stopOnError ?? false,
    });
    const id = msg.header.msg_id;
    const handle = new ExecutionHandle(id, (value, request) => {
      if (!rt.stopping) rt.connection.send('stdin', 'input_reply', { value }, request.header);
    });
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

  /** Interrupts the running code the way the kernelspec asks (signal or message). */
  async interrupt(): Promise<void> {
    let rt = this.currentRuntime();
    if (this.spec.interruptMode === 'signal') {
      // ipykernel ignores SIGINT between requests and takes it only inside a
      // request's handler: a signal sent after the request left but before the
      // kernel began it is lost, or lands in the kernel's own machinery. So a
      // signal waits until the kernel has begun what is in flight (bounded).
      const begun = [...rt.executions.values()].map((handle) => handle.whenExecuting());
      if (begun.length) await waitAtMost(Promise.all(begun), INTERRUPT_WAIT_MS);
      rt = this.currentRuntime();
    }
    if (this.spec.interruptMode === 'message') {
      await rt.connection.request('control', 'interrupt_request', {}).reply;
    } else if (!rt.process.signal('SIGINT')) {
      throw new KernelDeadError('the kernel process is gone; nothing to interrupt');
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
      const death = deathFrom('the kernel was shut down', this.runtime?.process.exit ?? null, '');
      this.lastDeath = death;
      this.setStatus('dead', death);
    })();
    return this.shuttingDown;
  }

  private async stop(rt: Runtime, restart: boolean, reason: string): Promise<void> {
    const wasLive = !rt.stopping;
    rt.stopping = true;
    rt.heartbeat?.stop();
    for (const h of rt.executions.values()) h.fail(reason);
    rt.executions.clear();
    if (wasLive && !rt.process.exit) {
      const reply = rt.connection.request('control', 'shutdown_request', { restart }).reply;
      reply.catch(() => {});
      const exited = await rt.process.waitForExit(this.options.shutdownTimeoutMs ?? 3000);
      if (!exited) await rt.process.kill();
    } else if (!rt.process.exit) {
      await rt.process.kill();
    }
    rt.connection.close(reason);
    await rt.process.exited;
  }
}
