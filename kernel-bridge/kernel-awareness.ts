// What collaborators see of a notebook's kernel: the `kernel` field of the
// bridge's awareness state (the contract with the UI, notebook-model/
// service-protocol.ts; README.md, "Awareness contract"), assembled from the
// session's parts and published through the bridge's document peer.
//
// Invariants: the published value is plain JSON (no class instances, no
// undefined-valued keys survive), and nothing of it is persisted.
import { kernelAwarenessKey, type KernelAwarenessState } from '../notebook-model/service-protocol';
import type { DocumentPeer } from './document-peer';
import type { InputPrompt } from './input-prompt';
import type { InterruptReport } from './interrupt-report';
import type { NotebookKernel } from './notebook-kernel';
import type { RunQueue } from './run-queue';

export type { KernelAwarenessState };

/** The awareness view of a session made of these parts. */
export function kernelAwarenessState(kernel: NotebookKernel, queue: RunQueue, input: InputPrompt, interrupts: InterruptReport): KernelAwarenessState {
  const running = queue.running;
  return {
    status: kernel.status,
    specName: kernel.spec?.name,
    displayName: kernel.spec?.displayName,
    runningCellId: running?.cellId,
    runStartedAt: running?.startedAt,
    runBy: running ? { name: running.by.name, userId: running.by.userId } : undefined,
    queue: queue.waiting.map((e) => ({ cellId: e.cellId, queuedBy: { name: e.by.name } })),
    deadReason: kernel.deadReason,
    isolation: kernel.isolation,
    notRun: queue.notRun.length ? [...queue.notRun] : undefined,
    inputRequest: input.view,
    interrupt: interrupts.view,
  };
}

/** Publishes `state` as the peer's `kernel` awareness field. */
export function publishKernelAwareness(peer: DocumentPeer, state: KernelAwarenessState): void {
  peer.setAwarenessField(kernelAwarenessKey, JSON.parse(JSON.stringify(state)));
}
