// A live Jupyter kernel as one object: starts it through a KernelProvider
// (kernel-provider.ts: a local sandbox, a plain process or a gateway), keeps
// its status, routes what it says to the executions waiting for it, and offers
// execute / complete / inspect / interrupt / restart / shutdown. The work is in
// the modules it composes, in the order a Shift+Enter meets them:
// kernel-startup.ts (bring a kernel up, handshake), kernel-execution.ts (send
// a run, route its reply), kernel-interrupt.ts (the bounded re-signal policy),
// kernel-runtime.ts (one started kernel and its teardown).
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
import { deathFrom, KernelDeadError, type KernelDeath, type KernelStatus } from './kernel-death';
import { failedExecution, sendExecute, settleIfEndUnseen, shellRequest, type ExecuteOptions } from './kernel-execution';
import { interruptKernel, type InterruptOutcome } from './kernel-interrupt';
import type { KernelIsolation, KernelLocator, KernelProvider, ProvidedKernel, ProvidedKernelSpec } from './kernel-provider';
import type { KernelRuntime } from './kernel-runtime';
import { startRuntime, type StartHost } from './kernel-startup';
import type { Channel, JupyterMessage } from './wire-protocol';

export { KernelDeadError };
export type { ExecuteOptions, InterruptOutcome, KernelDeath, KernelStatus };

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

export interface KernelClientEvents {
  status: [status: KernelStatus, death?: KernelDeath];
  /** Every verified iopub message, including those of other clients' requests. */
  iopub: [msg: JupyterMessage];
  dropped: [channel: Channel, reason: string];
}

export class KernelClient extends EventEmitter<KernelClientEvents> {
  private runtime: KernelRuntime | null = null;
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
  /** execute_request ids an earlier owner sent, to adopt when the kernel is reached (`attach`). */
  private adoptedRuns: string[] = [];
  /** What a start needs of this client: where the runtime's messages go, and how it becomes current or dies. */
  private readonly host: StartHost = {
    handlers: {
      iopub: (rt, msg) => this.onIopub(rt, msg),
      stdin: (rt, msg) => this.onStdin(rt, msg),
      dropped: (channel, reason) => this.emit('dropped', channel, reason),
      unclaimedReply: (rt, msg) => this.onUnclaimedReply(rt, msg),
    },
    install: (rt) => {
      this.lastSpec = rt.kernel.spec;
      if (this.runtime) this.droppedBefore += this.runtime.connection.droppedMessages;
      this.runtime = rt;
      // Runs an earlier owner left in flight: registered before any message can arrive for them.
      for (const msgId of this.adoptedRuns.splice(0)) rt.executions.set(msgId, ExecutionHandle.adopted(msgId, (value, request) => {
        if (!rt.stopping) rt.connection.send('stdin', 'input_reply', { value }, request.header);
      }));
    },
    kill: (rt, death) => this.kill(rt, death),
  };

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

  /**
   * Reaches a kernel another bridge started and left running (its provider's
   * `reconnect`), without disturbing what it runs: kernel_info goes over
   * control, and the executions `adopt` names (execute_request ids the earlier
   * owner sent) are followed as if this client had sent them (`inFlight`).
   */
  static async attach(options: KernelClientOptions & { locator: KernelLocator; adopt: readonly string[] }): Promise<KernelClient> {
    const client = new KernelClient(options);
    const { provider, specName } = client;
    if (!provider.reconnect) throw new KernelDeadError('this kind of kernel cannot be reached again once its bridge stopped');
    client.adoptedRuns = [...options.adopt];
    client.setStatus('starting');
    const { rt, info } = await startRuntime(client.host, {
      open: () => provider.reconnect!(options.locator, specName),
      timeoutMs: options.startupTimeoutMs ?? 60_000,
      handshakeChannel: 'control',
    });
    client.info = info;
    for (const handle of rt.executions.values()) {
      // Its end was never seen, and the kernel says it is idle: so is the kernel for everyone.
      void settleIfEndUnseen(rt, handle, () => {
        if (rt === client.runtime && !rt.stopping && rt.executions.size === 0) client.setStatus('idle');
      });
    }
    // An adopted run still in flight keeps the kernel busy (its own busy status came before the handshake).
    client.setStatus(client.runtime?.executions.size ? 'busy' : 'idle');
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

  /** Starts a kernel from the provider (kernel-startup.ts); status 'idle' once it answered. */
  private async boot(): Promise<void> {
    this.lastDeath = null;
    this.setStatus('starting');
    const open = async () => this.provider.start(this.specName, {
      workDir: await this.workDir(), env: this.options.env, memoryLimitMb: this.options.memoryLimitMb,
    }).catch((err: Error) => {
      const death = deathFrom(err.message, null, '');
      this.lastDeath = death;
      this.setStatus('dead', death);
      throw err;
    });
    const { info } = await startRuntime(this.host, { open, timeoutMs: this.options.startupTimeoutMs ?? 60_000 });
    this.info = info;
    this.setStatus('idle');
  }

  private onIopub(rt: KernelRuntime, msg: JupyterMessage): void {
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

  /** The execute_reply of an adopted run comes to nobody's request: it is that run's. */
  private onUnclaimedReply(rt: KernelRuntime, msg: JupyterMessage): void {
    if (rt !== this.runtime || msg.header.msg_type !== 'execute_reply') return;
    const parentId = msg.parent_header.msg_id ?? '';
    const handle = rt.executions.get(parentId);
    if (!handle) return;
    handle.deliverReply(msg.content as ExecuteReplyContent, msg.header.date);
    if (handle.isSettled) rt.executions.delete(parentId);
  }

  private onStdin(rt: KernelRuntime, msg: JupyterMessage): void {
    if (msg.header.msg_type !== 'input_request') return;
    rt.executions.get(msg.parent_header.msg_id ?? '')?.deliverInputRequest(msg);
  }

  /** Tears `rt` down as dead (KernelRuntime.kill) and, if it is current, reports the death. */
  private kill(rt: KernelRuntime, death: KernelDeath): void {
    if (!rt.kill(death)) return;
    if (rt === this.runtime) {
      this.lastDeath = death;
      this.setStatus('dead', death);
    }
  }

  private currentRuntime(): KernelRuntime {
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
    let rt: KernelRuntime;
    try {
      rt = this.currentRuntime();
    } catch (err) {
      return failedExecution((err as Error).message);
    }
    return sendExecute(rt, code, options);
  }

  /** complete_request; resolves with the complete_reply content. */
  async complete(code: string, cursorPos: number): Promise<Record<string, unknown>> {
    return shellRequest(this.currentRuntime(), 'complete_request', { code, cursor_pos: cursorPos });
  }

  /** inspect_request; resolves with the inspect_reply content. */
  async inspect(code: string, cursorPos: number, detailLevel: 0 | 1 = 0): Promise<Record<string, unknown>> {
    return shellRequest(this.currentRuntime(), 'inspect_request', { code, cursor_pos: cursorPos, detail_level: detailLevel });
  }

  /**
   * Interrupts the code running now, the way the kernelspec asks, and makes
   * sure of the outcome (kernel-interrupt.ts says how, and why one signal is
   * not enough).
   */
  interrupt(): Promise<InterruptOutcome> {
    return interruptKernel(() => this.currentRuntime(), () => this.spec.interruptMode);
  }

  /** Stops the kernel (politely, then by force) and starts a fresh one from the same spec. */
  restart(): Promise<void> {
    if (this.shuttingDown) return Promise.reject(new KernelDeadError('the kernel was shut down; start a new one'));
    this.restarting ??= (async () => {
      this.setStatus('restarting');
      if (this.runtime) await this.runtime.stop(true, 'the kernel was restarted', this.shutdownTimeoutMs);
      await this.boot();
    })().finally(() => { this.restarting = null; });
    return this.restarting;
  }

  /** Asks the kernel to shut down, kills it if it lingers, closes all sockets. Idempotent. */
  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      await this.restarting?.catch(() => {});
      if (this.runtime) await this.runtime.stop(false, 'the kernel was shut down', this.shutdownTimeoutMs);
      const death = deathFrom('the kernel was shut down', this.runtime?.kernel.end ?? null, '');
      this.lastDeath = death;
      this.setStatus('dead', death);
      await this.removeOwnWorkDir();
    })();
    return this.shuttingDown;
  }

  /**
   * Like `shutdown`, but a kernel that outlives its bridge (a gateway kernel)
   * is left running for the bridge that owns it now (KernelRuntime.leave).
   */
  leave(reason: string): Promise<void> {
    this.shuttingDown ??= (async () => {
      await this.restarting?.catch(() => {});
      if (this.runtime) await this.runtime.leave(reason, this.shutdownTimeoutMs);
      const death = deathFrom(reason, this.runtime?.kernel.end ?? null, '');
      this.lastDeath = death;
      this.setStatus('dead', death);
      await this.removeOwnWorkDir();
    })();
    return this.shuttingDown;
  }

  private get shutdownTimeoutMs(): number {
    return this.options.shutdownTimeoutMs ?? 3000;
  }
}
