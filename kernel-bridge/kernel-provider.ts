// The one seam through which every kernel is started: the live notebook kernels,
// Save & run all and `nb run` all ask a KernelProvider for a kernel. Two
// providers implement it: the local sandbox (bubblewrap, the default; or, when
// the operator explicitly turns the sandbox off, a plain local process) and a
// Jupyter kernel gateway (the Jupyter Server kernels REST API and its websocket
// channels). The client above it (kernel-client.ts) speaks the Jupyter messaging
// protocol over whatever `connect()` returns and never knows which one it has.
//
// Invariants every provider keeps: `exited` settles (never rejects) exactly once,
// when the kernel is gone for good; after it settles, `connect()` channels are
// closed and every pending `reply` has rejected; `kill()` is idempotent.
import type { KernelAwarenessState } from '../notebook-model/service-protocol';
import type { JupyterMessage, MessageHeader } from './wire-protocol';

/**
 * How a kernel is isolated, as the kernel status shows it (the awareness
 * `isolation` field): said by the provider that started it, the one place that knows.
 */
export type KernelIsolation = NonNullable<KernelAwarenessState['isolation']>;

/** How a kernelspec asks to be interrupted: SIGINT, or the protocol's `interrupt_request`. */
export type InterruptMode = 'signal' | 'message';

/** A kernelspec as a provider offers it (a local spec file, or a gateway's /api/kernelspecs entry). */
export interface ProvidedKernelSpec {
  name: string;
  displayName: string;
  language: string;
  interruptMode: InterruptMode;
}

/** How a kernel ended. `reason` is a sentence for users. */
export interface KernelEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: string;
  /** The last lines the kernel wrote to stderr/stdout, when the provider can see them. */
  outputTail: string;
}

/**
 * Where another bridge can reach a running kernel again after its owner died:
 * the kernel's id on the gateway and the channels' session id (Jupyter Server
 * keeps a session's messages while its websocket is away and replays them to
 * whoever reconnects with the same session id). Only gateway kernels have one:
 * a local kernel dies with its bridge.
 */
export interface KernelLocator {
  kernelId: string;
  sessionId: string;
}

export interface KernelMessageHandlers {
  /** Every verified iopub message. */
  iopub?: (msg: JupyterMessage) => void;
  /** Every verified stdin message (input_request). */
  stdin?: (msg: JupyterMessage) => void;
  /** A message that failed verification, decoding or validation and was dropped. */
  dropped?: (channel: string, reason: string) => void;
  /** A shell reply no request of these channels waits for (the reply to a request sent by an earlier owner). */
  unclaimedReply?: (msg: JupyterMessage) => void;
}

/** The message channels of one running kernel, whatever carries them (ZeroMQ sockets, a websocket). */
export interface KernelChannels {
  /** Sends a request on shell or control; `reply` settles with the matching reply or rejects when the channels close. */
  request(channel: 'shell' | 'control', msgType: string, content: Record<string, unknown>): { msg: JupyterMessage; reply: Promise<JupyterMessage> };
  /** Sends a message that expects no reply (input_reply on stdin). */
  send(channel: 'shell' | 'control' | 'stdin', msgType: string, content: Record<string, unknown>, parent?: MessageHeader): void;
  /** Settles once stdin can carry input replies. */
  readonly stdinReady: Promise<void>;
  /** Incoming messages dropped so far. */
  readonly droppedMessages: number;
  /** Closes the channels; pending replies reject with `reason`. */
  close(reason: string): void;
}

export interface KernelStartOptions {
  /** The notebook's working folder: the only writable place (besides a private /tmp) a sandboxed kernel gets. */
  workDir: string;
  /** Extra environment for the kernel (already free of the bridge's own secrets). */
  env?: Record<string, string>;
  /** Memory ceiling in MB; 0 or absent: none. */
  memoryLimitMb?: number;
}

/** One started kernel as its provider holds it. */
export interface ProvidedKernel {
  readonly spec: ProvidedKernelSpec;
  /** Settles once the kernel is gone for good (process exit, gateway says it is dead or gone). */
  readonly exited: Promise<KernelEnd>;
  /** Set once `exited` has settled. */
  readonly end: KernelEnd | null;
  /** The kernel's last output lines, for death messages ('' when the provider cannot see them). */
  readonly outputTail: string;
  /**
   * Resolves if the start failed in a way that a fresh start may cure (a TCP port
   * taken before the kernel bound it); the client then kills this one and starts again.
   */
  readonly retryableStartFailure: Promise<void>;
  /** Opens the kernel's channels; called once per started kernel. */
  connect(handlers: KernelMessageHandlers): KernelChannels;
  /**
   * Watches liveness (heartbeat, or the gateway's kernel state) and calls `onDead`
   * with a reason when the kernel stops answering. Returns a function that stops watching.
   */
  watch(onDead: (reason: string) => void): () => void;
  /**
   * Interrupts by the provider's own means: SIGINT to the kernel's process group
   * (inside its sandbox), or the gateway's interrupt route. A kernelspec whose
   * interrupt mode is 'message' is interrupted by the client over control instead.
   * Resolves false if the kernel is gone.
   */
  interrupt(): Promise<boolean>;
  /** Ends the kernel at once (SIGKILL / DELETE on the gateway) and waits until it is gone. */
  kill(): Promise<KernelEnd>;
  /** Waits up to `ms` for the kernel to end by itself (after a shutdown_request); true if it did. */
  waitForExit(ms: number): Promise<boolean>;
  /** Bytes of memory the kernel uses now (its cgroup, else its process tree; a gateway may not say): null when unknown. */
  memoryInUse(): Promise<number | null>;
  /**
   * How this kernel is isolated: `sandboxed` false only for the operator's
   * KERNEL_SANDBOX=none; `description` one line, e.g. "sandboxed (bubblewrap; …)".
   */
  readonly isolation: KernelIsolation;
  /** Where another bridge can reach this kernel again; absent for kernels that die with their bridge. */
  readonly locator?: KernelLocator;
  /**
   * Stops speaking to the kernel without ending it: another bridge owns it now.
   * Closes the channels and settles `exited` with `reason`; the kernel runs on
   * for its new owner. Only kernels with a `locator` have it.
   */
  leave?(reason: string): void;
  /** The kernel's execution state as its gateway tracks it ('idle', 'busy', …); null when unknown. */
  executionState?(): Promise<string | null>;
}

export interface KernelProvider {
  /** The kernelspecs this provider can start. */
  listSpecs(): Promise<ProvidedKernelSpec[]>;
  /** Starts a kernel of the named spec; resolves once it is started (not necessarily answering yet). */
  start(specName: string, options: KernelStartOptions): Promise<ProvidedKernel>;
  /**
   * Reaches a kernel another bridge started (its locator), still running;
   * rejects with a sentence for users when it is gone. Only providers whose
   * kernels outlive their bridge (the gateway) have it.
   */
  reconnect?(locator: KernelLocator, specName: string): Promise<ProvidedKernel>;
}
