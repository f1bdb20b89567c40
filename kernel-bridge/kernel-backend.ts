// What a kernel session needs from the kernel layer, and the real implementation
// wired to a kernel provider (kernel-provider.ts), the kernel client and the cell runner.
// Keeping this seam narrow lets the session (queue and sharing policy) read
// without the wire protocol, and keeps the adaptation to those modules in one place.
import type * as Y from 'yjs';
import { defaultKernelProvider } from './default-kernel-provider';
import { KernelClient, type InterruptOutcome } from './kernel-client';
import type { KernelProvider, ProvidedKernelSpec } from './kernel-provider';
import { runCell } from './cell-runner';
import { LateOutput } from './late-output';
import { readVariables, type VariablesReport } from './variables';
import type { JupyterMessage } from './wire-protocol';

export type KernelProcessStatus = 'starting' | 'idle' | 'busy' | 'restarting' | 'dead';

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
}

/** A started kernel, as a session drives it. */
export interface SessionKernel {
  readonly status: KernelProcessStatus;
  /** How the kernel is isolated, for the kernel status: `sandboxed` false only when the operator turned the sandbox off. */
  readonly isolation: { sandboxed: boolean; description: string } | null;
  onStatus(listener: (status: KernelProcessStatus, reason?: string) => void): () => void;
  run(doc: Y.Doc, cellId: string, options: RunOptions): Promise<RunOutcome>;
  /** Interrupts the running code and resolves with what came of it (KernelClient.interrupt). */
  interrupt(): Promise<InterruptOutcome>;
  restart(): Promise<void>;
  shutdown(): Promise<void>;
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
}

export interface KernelBackendOptions {
  /** Ceiling on each kernel's memory in MB; 0 or absent: none. */
  memoryLimitMb?: number;
  /** Where kernels come from (default: the configured provider). */
  provider?: KernelProvider;
}

/** Kernels from a provider, driven by the cell runner. */
export function kernelBackend(options: KernelBackendOptions = {}): KernelBackend {
  const provider = () => options.provider ?? defaultKernelProvider();
  return {
    listSpecs: () => provider().listSpecs(),
    async start(spec, cwd) {
      const from = provider();
      const client = await KernelClient.start({ provider: from, specName: spec.name, cwd, memoryLimitMb: options.memoryLimitMb });
      return wrapClient(client, from.kind !== 'none', options.memoryLimitMb ? options.memoryLimitMb * 1024 * 1024 : undefined);
    },
  };
}

/** Real kernels without a memory limit. */
export const realKernelBackend: KernelBackend = kernelBackend();

function wrapClient(client: KernelClient, sandboxed: boolean, memoryLimitBytes?: number): SessionKernel {
  // What a finished execution's threads still send (late-output.ts).
  const late = new LateOutput();
  /** The bridge's silent requests in flight: their output is the last cell's (LateOutput.alias). */
  const silent = new Set<string>();
  let lastRun: string | undefined;
  client.on('iopub', (msg: JupyterMessage) => {
    const parent = msg.parent_header.msg_id;
    if (parent && (!client.isInFlight(parent) || silent.has(parent))) late.accept(msg);
  });
  client.on('status', (status: KernelProcessStatus) => {
    if (status === 'restarting' || status === 'dead') late.clear();
  });
  return {
    get status() { return client.status; },
    get isolation() { return client.isolation === null ? null : { sandboxed, description: client.isolation }; },
    onStatus(listener) {
      const handler = (status: KernelProcessStatus, death?: { reason: string }) => listener(status, death?.reason);
      client.on('status', handler);
      return () => client.off('status', handler);
    },
    run(doc, cellId, options) {
      return runCell(client, doc, cellId, {
        ...options,
        onSent: (msgId) => {
          lastRun = msgId;
          late.started(msgId, doc, cellId, options.maxOutputBytes);
        },
      });
    },
    interrupt: () => client.interrupt(),
    restart: () => client.restart(),
    shutdown: () => client.shutdown(),
    complete: (code, cursorPos) => client.complete(code, cursorPos),
    inspect: (code, cursorPos, detailLevel) => client.inspect(code, cursorPos, detailLevel === 1 ? 1 : 0),
    describeVariables: () => readVariables((code, options) => {
      const handle = client.execute(code, options);
      silent.add(handle.msgId);
      if (lastRun) late.alias(handle.msgId, lastRun);
      void handle.done.finally(() => silent.delete(handle.msgId));
      return handle;
    }),
    memoryInUse: () => client.memoryInUse(),
    memoryLimitBytes,
  };
}
