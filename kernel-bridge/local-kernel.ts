// One kernel process on this machine as a ProvidedKernel: its ZeroMQ channels
// (kernel-connection.ts), its heartbeat as the liveness watch, SIGINT for an
// interrupt and SIGKILL to end it. The local providers (local-provider.ts) make
// these, sandboxed or not; what differs is said by the `isolation` hooks.
import { HeartbeatMonitor } from './heartbeat-monitor';
import { KernelConnection } from './kernel-connection';
import { endpoint, type KernelProcess } from './kernel-process';
import type { KernelChannels, KernelEnd, KernelIsolation, KernelMessageHandlers, ProvidedKernel, ProvidedKernelSpec } from './kernel-provider';
import { processGroupOf, treeResidentBytes } from './process-tree';

export interface HeartbeatSettings {
  /** Between pings (default 1000 ms). */
  intervalMs?: number;
  /** Pings missed in a row before the kernel counts as dead (default 5). */
  maxMissed?: number;
}

/** How one local kernel is isolated, and the means that depend on it. */
export interface LocalIsolation {
  /** What the kernel status says of it. */
  isolation: KernelIsolation;
  /**
   * The kernel's own process (as this machine numbers it), whose process group
   * an interrupt goes to: the spawned process (default), or, in a sandbox, the
   * kernel inside it. Null when it is gone.
   */
  kernelPid?: (spawnedPid: number) => number | null;
  /** Memory in use in bytes (default: the process tree's resident memory). */
  memoryInUse?: (spawnedPid: number) => Promise<number | null>;
}

export class LocalKernel implements ProvidedKernel {
  readonly exited: Promise<KernelEnd>;
  readonly retryableStartFailure: Promise<void>;

  constructor(
    readonly process: KernelProcess,
    readonly spec: ProvidedKernelSpec,
    private readonly isolationHooks: LocalIsolation,
    private readonly heartbeat: HeartbeatSettings = {},
  ) {
    this.exited = process.exited;
    this.retryableStartFailure = process.portTaken;
  }

  get isolation(): KernelIsolation {
    return this.isolationHooks.isolation;
  }

  get end(): KernelEnd | null {
    return this.process.exit;
  }

  get outputTail(): string {
    return this.process.outputTail;
  }

  /** The kernel's own pid as this machine numbers it (inside a sandbox: found under bubblewrap); null once gone. */
  get pid(): number | null {
    const spawned = this.process.pid;
    if (this.process.exit || spawned === undefined) return null;
    return this.isolationHooks.kernelPid ? this.isolationHooks.kernelPid(spawned) : spawned;
  }

  connect(handlers: KernelMessageHandlers): KernelChannels {
    return new KernelConnection(this.process.connection, { handlers });
  }

  watch(onDead: (reason: string) => void): () => void {
    const monitor = new HeartbeatMonitor(endpoint(this.process.connection, this.process.connection.hb_port), {
      intervalMs: this.heartbeat.intervalMs ?? 1000,
      maxMissed: this.heartbeat.maxMissed ?? 5,
      onFlatline: (missed) => onDead(`kernel stopped answering heartbeats (${missed} missed in a row)`),
    });
    return () => monitor.stop();
  }

  async interrupt(): Promise<boolean> {
    const pid = this.pid;
    // A sandbox's session (and so the group to signal) may be led by its init rather than the kernel itself.
    const group = pid === null ? null : processGroupOf(pid);
    if (group === null) return false;
    try {
      process.kill(-group, 'SIGINT');
      return true;
    } catch {
      return false;
    }
  }

  kill(): Promise<KernelEnd> {
    return this.process.kill();
  }

  waitForExit(ms: number): Promise<boolean> {
    return this.process.waitForExit(ms);
  }

  async memoryInUse(): Promise<number | null> {
    const pid = this.process.pid;
    if (this.process.exit || pid === undefined) return null;
    return this.isolationHooks.memoryInUse ? this.isolationHooks.memoryInUse(pid) : treeResidentBytes(pid);
  }
}
