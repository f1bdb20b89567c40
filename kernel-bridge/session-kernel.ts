// What a kernel session needs from the kernel layer: a started kernel as the
// session drives it, and where kernels come from. Types only; the real
// implementation (provider, kernel client, cell runner) is kernel-backend.ts.
// Keeping this seam narrow lets the session (queue and sharing policy) read
// without the wire protocol.
import type { VariablesReport } from './variables';
import type * as Y from 'yjs';
import type { KernelStatus } from './kernel-death';
import type { InterruptOutcome } from './kernel-interrupt';
import type { KernelIsolation, KernelLocator, ProvidedKernelSpec } from './kernel-provider';

/** A kernel process's status, as the kernel client reports it. */
export type KernelProcessStatus = KernelStatus;

export type KernelSpecInfo = Pick<ProvidedKernelSpec, 'name' | 'displayName' | 'language'>;

export interface RunOutcome {
  status: 'ok' | 'error' | 'aborted' | 'dead' | 'timeout' | 'missing';
  executionCount?: number | null;
  reason?: string;
}

export interface RunOptions {
  signal: AbortSignal;
  maxOutputBytes?: number;
  onInputRequest: (request: { prompt: string; password: boolean }) => Promise<string>;
  /** Who queued the run, for the cell's run record. */
  runBy?: { name: string; id: string };
  /** Told the execute_request's msg_id once it is sent (a run another bridge may have to adopt). */
  onSent?: (msgId: string) => void;
}

/** A started kernel, as a session drives it. */
export interface SessionKernel {
  readonly status: KernelProcessStatus;
  /** How the kernel is isolated, as its provider says (kernel-provider.ts). */
  readonly isolation: KernelIsolation | null;
  onStatus(listener: (status: KernelProcessStatus, reason?: string) => void): () => void;
  run(doc: Y.Doc, cellId: string, options: RunOptions): Promise<RunOutcome>;
  /** Follows to its end a run an earlier owner sent (execute_request `msgId`, adopted at `reconnect`). */
  resume(doc: Y.Doc, cellId: string, msgId: string, options: RunOptions): Promise<RunOutcome>;
  /** Where another bridge can reach this kernel again (gateway kernels only). */
  readonly locator?: KernelLocator | null;
  /** Interrupts the running code and resolves with what came of it (KernelClient.interrupt). */
  interrupt(): Promise<InterruptOutcome>;
  restart(): Promise<void>;
  shutdown(): Promise<void>;
  /** Lets go of the kernel without ending it when it can outlive this bridge (another owns it now); else shuts it down. */
  leave?(): Promise<void>;
  complete(code: string, cursorPos: number): Promise<unknown>;
  inspect(code: string, cursorPos: number, detailLevel: number): Promise<unknown>;
  /** The user variables, described by a silent request (variables.ts); Python kernels only. */
  describeVariables?(): Promise<VariablesReport>;
  /** Bytes of memory the kernel uses now (its cgroup, else its process tree); null when unknown. */
  memoryInUse?(): Promise<number | null>;
  /** The memory ceiling (KERNEL_MEMORY_LIMIT_MB) in bytes, when there is one. */
  readonly memoryLimitBytes?: number;
}

export interface KernelBackend {
  listSpecs(): Promise<KernelSpecInfo[]>;
  start(spec: KernelSpecInfo, cwd: string): Promise<SessionKernel>;
  /**
   * Reaches a kernel another bridge started (kernel-handover.ts), adopting the
   * runs `adopt` names; rejects with a sentence for users when it is gone.
   */
  reconnect?(spec: KernelSpecInfo, cwd: string, locator: KernelLocator, adopt: readonly string[]): Promise<SessionKernel>;
}
