// One started kernel with its open channels (a "runtime"): what the kernel
// client holds between a start and the kernel's end, and how it is torn down.
// A restart replaces the whole runtime; nothing of an old one is reused.
//
// Invariants: a runtime is torn down exactly once, by `kill` (it died) or
// `stop` (shut down on purpose), whichever comes first; teardown settles every
// execution in flight (`kernel-died`) and closes the channels, so every pending
// request settles too; `died` resolves only through `kill`.
import type { ExecutionHandle } from './execution-handle';
import type { KernelDeath } from './kernel-death';
import type { KernelChannels, ProvidedKernel } from './kernel-provider';
import type { Channel, JupyterMessage } from './wire-protocol';

/** Where a runtime's incoming messages go (the client, which checks the runtime is still its current one). */
export interface RuntimeHandlers {
  iopub(rt: KernelRuntime, msg: JupyterMessage): void;
  stdin(rt: KernelRuntime, msg: JupyterMessage): void;
  dropped(channel: Channel, reason: string): void;
  /** A shell reply no request of this runtime waits for (an earlier owner's, replayed by a gateway). */
  unclaimedReply(rt: KernelRuntime, msg: JupyterMessage): void;
}

export class KernelRuntime {
  readonly connection: KernelChannels;
  /** Executions in flight, by execute_request msg_id (their reply or final idle not seen yet). */
  readonly executions = new Map<string, ExecutionHandle>();
  /** Stops the liveness watch (set once the kernel answered). */
  unwatch: (() => void) | null = null;
  /** The kernel answered kernel_info and iopub is live. */
  ready = false;
  /** Torn down, or being torn down. */
  stopping = false;
  /** Why it died, once `kill` ran. */
  death: KernelDeath | null = null;
  readonly died: Promise<KernelDeath>;
  /** During the start handshake: sees every iopub message first. */
  onIopubDuringStart?: (msg: JupyterMessage) => void;
  private markDied!: (death: KernelDeath) => void;

  constructor(readonly kernel: ProvidedKernel, handlers: RuntimeHandlers) {
    this.died = new Promise<KernelDeath>((resolve) => { this.markDied = resolve; });
    this.connection = kernel.connect({
      iopub: (msg) => handlers.iopub(this, msg),
      stdin: (msg) => handlers.stdin(this, msg),
      dropped: (channel, reason) => handlers.dropped(channel as Channel, reason),
      unclaimedReply: (msg) => handlers.unclaimedReply(this, msg),
    });
  }

  /** Marks the runtime dead, settles its requests and kills its kernel. False if it was already torn down. */
  kill(death: KernelDeath): boolean {
    if (this.stopping) return false;
    this.stopping = true;
    this.death = death;
    this.unwatch?.();
    this.failExecutions(death.message);
    this.connection.close(death.message);
    this.markDied(death);
    if (!this.kernel.end) void this.kernel.kill();
    return true;
  }

  /**
   * Stops the kernel on purpose: a shutdown_request (with `restart` as the
   * protocol's hint), then a kill if it is not gone within `shutdownTimeoutMs`.
   * Resolves once the kernel has ended.
   */
  async stop(restart: boolean, reason: string, shutdownTimeoutMs: number): Promise<void> {
    const wasLive = !this.stopping;
    this.stopping = true;
    this.unwatch?.();
    this.failExecutions(reason);
    if (wasLive && !this.kernel.end) {
      const reply = this.connection.request('control', 'shutdown_request', { restart }).reply;
      reply.catch(() => {});
      const exited = await this.kernel.waitForExit(shutdownTimeoutMs);
      if (!exited) await this.kernel.kill();
    } else if (!this.kernel.end) {
      await this.kernel.kill();
    }
    this.connection.close(reason);
    await this.kernel.exited;
  }

  /**
   * Lets go of a kernel another bridge owns now (ProvidedKernel.leave): its
   * executions end here and its channels close, but the kernel runs on. A
   * kernel that cannot outlive its bridge is stopped instead.
   */
  async leave(reason: string, shutdownTimeoutMs: number): Promise<void> {
    if (!this.kernel.leave) return this.stop(false, reason, shutdownTimeoutMs);
    this.stopping = true;
    this.unwatch?.();
    this.failExecutions(reason);
    this.kernel.leave(reason);
    this.connection.close(reason);
    await this.kernel.exited;
  }

  private failExecutions(reason: string): void {
    for (const handle of this.executions.values()) handle.fail(reason);
    this.executions.clear();
  }
}
