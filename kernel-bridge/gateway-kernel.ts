// One kernel running on a kernel gateway, as its provider holds it: its channels
// over the gateway's websocket, its liveness, interrupt and kill through the
// REST API.
//
// Liveness. The kernel is dead when the gateway says so: its websocket sends the
// status `restarting` or `dead` on its own (Jupyter Server's restarter found the
// kernel process gone and started another, or could not: either way what the
// kernel held is lost), `GET /api/kernels/<id>` answers 404 or `dead`, or the
// gateway cannot be reached for longer than the reconnect budget. A websocket
// that drops while the kernel still exists is reconnected (bounded backoff), not
// taken for a death.
//
// Restart. There is no restart here: the client restarts by shutting the kernel
// down and starting a fresh one (DELETE, then POST /api/kernels), the same path
// for every provider. The REST restart route would keep the kernel id, and with
// it the socket and any message of the old kernel still in flight; a fresh start
// cannot mix the two, and costs about what the route costs (Enterprise Gateway
// relaunches the pod or container either way).
//
// Memory. None of the gateways reports a kernel's memory in its kernel model, so
// `memoryInUse()` is null; the gateway enforces its own limits.
//
// Invariants (kernel-provider.ts): `exited` settles once, when the kernel is
// gone for good, after the channels closed; `kill()` is idempotent and settles
// even when the gateway cannot be reached (the kernel may then linger there
// until the gateway culls it: the end reason says so).
import { randomUUID } from 'node:crypto';
import { openGatewaySocket, GatewayChannels } from './gateway-channels';
import { GatewayError, type GatewayClient } from './gateway-client';
import type { KernelChannels, KernelEnd, KernelIsolation, KernelLocator, KernelMessageHandlers, ProvidedKernel, ProvidedKernelSpec } from './kernel-provider';
import type { JupyterMessage } from './wire-protocol';

/** How a gateway kernel watches and keeps its connection. */
export interface GatewayKernelTiming {
  /** How often `watch` asks the gateway for the kernel's state. */
  pollIntervalMs: number;
  /** State polls that may fail in a row (gateway unreachable or slow) before the kernel counts as lost. */
  maxMissedPolls: number;
  /** Attempts to reopen a dropped websocket before the kernel counts as lost. */
  reconnectAttempts: number;
  /** Longest wait between two reconnect attempts (they back off from 250 ms). */
  reconnectMaxDelayMs: number;
}

export const defaultGatewayKernelTiming: GatewayKernelTiming = {
  pollIntervalMs: 5_000,
  maxMissedPolls: 3,
  reconnectAttempts: 8,
  reconnectMaxDelayMs: 4_000,
};

/** DELETEs tried while the gateway refuses them (0.5 + 1 + 2 + 4 s apart) before leaving the kernel to its culling. */
const DELETE_ATTEMPTS = 5;

function backoff(attempt: number, maxMs: number): number {
  return attempt <= 1 ? 0 : Math.min(250 * 2 ** (attempt - 2), maxMs);
}

export class GatewayKernel implements ProvidedKernel {
  readonly exited: Promise<KernelEnd>;
  readonly retryableStartFailure: Promise<void> = new Promise(() => {});
  readonly outputTail = '';
  readonly isolation: KernelIsolation;
  private settle!: (end: KernelEnd) => void;
  private ended: KernelEnd | null = null;
  private channels: GatewayChannels | null = null;
  private reconnecting = false;
  private stopping = false;
  private readonly deathListeners = new Set<(reason: string) => void>();
  private poll: NodeJS.Timeout | null = null;
  private polling = false;
  private missedPolls = 0;
  private killing: Promise<KernelEnd> | null = null;

  constructor(
    private readonly client: GatewayClient,
    /** The kernel's id on the gateway. */
    readonly id: string,
    readonly spec: ProvidedKernelSpec,
    private readonly timing: GatewayKernelTiming = defaultGatewayKernelTiming,
    /** The channels' session id: a fresh one, or the earlier owner's when reconnecting to its kernel (its buffered messages are replayed). */
    private readonly sessionId: string = randomUUID(),
  ) {
    this.isolation = { sandboxed: true, description: `on the kernel gateway at ${client.url} (isolated by the gateway)` };
    this.exited = new Promise((resolve) => { this.settle = resolve; });
  }

  get end(): KernelEnd | null {
    return this.ended;
  }

  get locator(): KernelLocator {
    return { kernelId: this.id, sessionId: this.sessionId };
  }

  connect(handlers: KernelMessageHandlers): KernelChannels {
    if (this.channels) throw new Error('connect() was already called for this kernel');
    const iopub = (msg: JupyterMessage) => {
      this.noticeGatewayStatus(msg);
      handlers.iopub?.(msg);
    };
    this.channels = new GatewayChannels(
      { session: this.sessionId, username: 'cellmate' },
      { ...handlers, iopub },
      (why) => void this.reconnect(why),
    );
    if (this.ended) this.channels.close(this.ended.reason);
    else void this.reconnect('opening the kernel connection');
    return this.channels;
  }

  /**
   * Status messages the gateway itself sends (no parent): `restarting` when its
   * restarter replaced a dead kernel process, `dead` when it could not.
   */
  private noticeGatewayStatus(msg: JupyterMessage): void {
    if (msg.header.msg_type !== 'status' || msg.parent_header.msg_id !== undefined) return;
    const state = msg.content.execution_state;
    if (state === 'restarting' || state === 'autorestarting') {
      this.die(`the kernel died; the kernel gateway at ${this.client.url} started a fresh one in its place, so everything it held is lost`, true);
    } else if (state === 'dead') {
      this.die(`the kernel died and the kernel gateway at ${this.client.url} could not restart it`, true);
    }
  }

  /** Reopens the websocket while the kernel still exists on the gateway; declares it lost once the budget is spent. */
  private async reconnect(why: string): Promise<void> {
    if (this.reconnecting || this.ended || this.stopping || !this.channels) return;
    this.reconnecting = true;
    let lastError = why;
    try {
      for (let attempt = 1; attempt <= this.timing.reconnectAttempts; attempt++) {
        const wait = backoff(attempt, this.timing.reconnectMaxDelayMs);
        if (wait) await new Promise((r) => setTimeout(r, wait));
        if (this.ended || this.stopping) return;
        try {
          const model = await this.client.kernel(this.id);
          if (this.ended || this.stopping) return;
          if (!model) return this.die(this.goneReason(), false);
          if (model.execution_state === 'dead') return this.die(`the kernel gateway at ${this.client.url} reports the kernel dead`, true);
          const ws = await openGatewaySocket(this.client.channelsUrl(this.id, this.sessionId), this.client.authHeaders(), this.client.settings.requestTimeoutMs);
          if (this.ended || this.stopping) {
            ws.close();
            return;
          }
          this.channels.attach(ws);
          return;
        } catch (err) {
          lastError = err instanceof GatewayError ? err.message : `the kernel gateway at ${this.client.url} cannot be reached: ${(err as Error).message}`;
          if (err instanceof GatewayError && err.code === 'unauthorized') break;
        }
      }
      this.die(lastError, true);
    } finally {
      this.reconnecting = false;
    }
  }

  private goneReason(): string {
    return `the kernel is no longer on the kernel gateway at ${this.client.url} (the gateway restarted, or the kernel was shut down there)`;
  }

  watch(onDead: (reason: string) => void): () => void {
    this.deathListeners.add(onDead);
    if (!this.poll && !this.ended) this.poll = setInterval(() => void this.checkState(), this.timing.pollIntervalMs);
    return () => {
      this.deathListeners.delete(onDead);
      if (this.deathListeners.size === 0) this.stopPolling();
    };
  }

  private stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  private async checkState(): Promise<void> {
    if (this.polling || this.ended || this.stopping) return;
    this.polling = true;
    try {
      const model = await this.client.kernel(this.id);
      this.missedPolls = 0;
      if (!model) this.die(this.goneReason(), false);
      else if (model.execution_state === 'dead') this.die(`the kernel gateway at ${this.client.url} reports the kernel dead`, true);
    } catch (err) {
      this.missedPolls += 1;
      if (this.missedPolls >= this.timing.maxMissedPolls) this.die((err as Error).message, true);
    } finally {
      this.polling = false;
    }
  }

  /** The kernel is gone for good: close everything, settle `exited`, tell the watchers. */
  private die(reason: string, mayLinger: boolean): void {
    if (this.ended) return;
    this.finish({ code: null, signal: null, reason, outputTail: '' });
    // What is left on the gateway under this id (a replacement its restarter
    // started, or a kernel we could not reach) would only hold resources.
    if (mayLinger) this.deleteOnGateway().catch(() => {});
    for (const listener of [...this.deathListeners]) listener(reason);
  }

  /**
   * Deletes the kernel on the gateway, trying again while the gateway refuses
   * (Jupyter Server answers 500 to a DELETE while its restarter is replacing the
   * kernel, as it does when a kernel exits after a shutdown_request). Rejects
   * with the last error when it gives up.
   */
  private async deleteOnGateway(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const wait = backoff(attempt, 4_000) * 2;
      if (wait) await new Promise((r) => setTimeout(r, wait));
      try {
        await this.client.deleteKernel(this.id);
        return;
      } catch (err) {
        if (!(err instanceof GatewayError) || err.code !== 'refused' || attempt >= DELETE_ATTEMPTS) throw err;
      }
    }
  }

  private finish(end: KernelEnd): void {
    this.ended = end;
    this.stopPolling();
    this.channels?.close(end.reason);
    this.settle(end);
  }

  async executionState(): Promise<string | null> {
    if (this.ended) return null;
    return (await this.client.kernel(this.id))?.execution_state ?? null;
  }

  leave(reason: string): void {
    if (this.ended) return;
    this.stopping = true;
    this.finish({ code: null, signal: null, reason, outputTail: '' });
  }

  async interrupt(): Promise<boolean> {
    if (this.ended) return false;
    return this.client.interrupt(this.id);
  }

  kill(): Promise<KernelEnd> {
    if (this.ended) return Promise.resolve(this.ended);
    this.killing ??= (async () => {
      this.stopping = true;
      let reason = 'the kernel was shut down on the gateway';
      try {
        await this.deleteOnGateway();
      } catch (err) {
        reason = `the kernel was abandoned: ${(err as Error).message}; it may run on there until the gateway culls it`;
      }
      if (!this.ended) this.finish({ code: null, signal: null, reason, outputTail: '' });
      return this.ended!;
    })();
    return this.killing;
  }

  /**
   * After a shutdown_request the gateway's restarter would take the exited kernel
   * for a crash and start another: the kernel only ends for good when it is
   * deleted. So this deletes it, within `ms`.
   */
  async waitForExit(ms: number): Promise<boolean> {
    if (this.ended) return true;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
    try {
      const end = await Promise.race([this.kill(), late]);
      return end !== false && !end.reason.startsWith('the kernel was abandoned');
    } finally {
      clearTimeout(timer);
    }
  }

  async memoryInUse(): Promise<number | null> {
    return null;
  }
}
