// The kernel layer a session drives (session-kernel.ts), for real: kernels from
// a kernel provider (kernel-provider.ts) through the kernel client, cells run by
// the cell runner, late output routed back to its cell. The adaptation to those
// modules is in this one place.
import { defaultKernelProvider } from './default-kernel-provider';
import { KernelClient } from './kernel-client';
import type { KernelProvider } from './kernel-provider';
import type * as Y from 'yjs';
import { resumeCell, runCell } from './cell-runner';
import { LateOutput } from './late-output';
import type { KernelBackend, KernelProcessStatus, RunOptions, SessionKernel } from './session-kernel';
import { readVariables } from './variables';
import type { JupyterMessage } from './wire-protocol';

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
      const client = await KernelClient.start({ provider: provider(), specName: spec.name, cwd, memoryLimitMb: options.memoryLimitMb });
      return wrapClient(client, options.memoryLimitMb ? options.memoryLimitMb * 1024 * 1024 : undefined);
    },
    async reconnect(spec, cwd, locator, adopt) {
      const client = await KernelClient.attach({ provider: provider(), specName: spec.name, cwd, locator, adopt });
      return wrapClient(client, undefined);
    },
  };
}

/** Real kernels without a memory limit. */
export const realKernelBackend: KernelBackend = kernelBackend();

function wrapClient(client: KernelClient, memoryLimitBytes?: number): SessionKernel {
  // What a finished execution's threads still send (late-output.ts).
  const late = new LateOutput();
  let lastRun: string | undefined;
  client.on('iopub', (msg: JupyterMessage) => {
    const parent = msg.parent_header.msg_id;
    if (!parent) return;
    // Output under the bridge's own silent requests is the last cell's (LateOutput.alias).
    const inFlight = client.inFlight(parent);
    if (!inFlight || inFlight.silent) late.accept(msg);
  });
  client.on('status', (status: KernelProcessStatus) => {
    if (status === 'restarting' || status === 'dead') late.clear();
  });
  const sent = (msgId: string, doc: Y.Doc, cellId: string, options: RunOptions) => {
    lastRun = msgId;
    late.started(msgId, doc, cellId, options.maxOutputBytes);
    options.onSent?.(msgId);
  };
  return {
    get status() { return client.status; },
    get isolation() { return client.isolation; },
    onStatus(listener) {
      const handler = (status: KernelProcessStatus, death?: { reason: string }) => listener(status, death?.reason);
      client.on('status', handler);
      return () => client.off('status', handler);
    },
    run(doc, cellId, options) {
      return runCell(client, doc, cellId, { ...options, onSent: (msgId) => sent(msgId, doc, cellId, options) });
    },
    resume(doc, cellId, msgId, options) {
      return resumeCell(client, doc, cellId, msgId, { ...options, onSent: (id) => sent(id, doc, cellId, options) });
    },
    get locator() { return client.kernel?.locator ?? null; },
    interrupt: () => client.interrupt(),
    restart: () => client.restart(),
    shutdown: () => client.shutdown(),
    leave: () => client.leave('another kernel server owns this notebook\'s kernel now'),
    complete: (code, cursorPos) => client.complete(code, cursorPos),
    inspect: (code, cursorPos, detailLevel) => client.inspect(code, cursorPos, detailLevel === 1 ? 1 : 0),
    describeVariables: () => readVariables((code, options) => {
      const handle = client.execute(code, options);
      if (lastRun) late.alias(handle.msgId, lastRun);
      return handle;
    }),
    memoryInUse: () => client.memoryInUse(),
    memoryLimitBytes,
  };
}
