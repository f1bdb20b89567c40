// The bridge's kernel state, live from the room's awareness, for React. One
// `KernelStateStore` per open notebook; components read it through selectors,
// so a cell re-renders only when its own part (its queue position, whether it
// is the running one) changes.
import type { Awareness } from 'y-protocols/awareness';
import { kernelAwarenessKey } from '../../notebook-model/service-protocol';
import { AwarenessFieldStore, useAwarenessField, useAwarenessFieldSelector } from './awareness-field-store';
import { kernelStateOf, noKernel, type KernelAwarenessState } from './kernel-state';

export class KernelStateStore extends AwarenessFieldStore<KernelAwarenessState> {
  constructor(awareness: Awareness) {
    super(awareness, kernelAwarenessKey, kernelStateOf, noKernel);
  }
}

/** The whole kernel state; re-renders on every change to it. */
export function useKernelState(store: KernelStateStore): KernelAwarenessState {
  return useAwarenessField(store);
}

/** One value derived from the kernel state; re-renders only when it changes (compare primitives). */
export function useKernelSelector<T>(store: KernelStateStore, select: (state: KernelAwarenessState) => T): T {
  return useAwarenessFieldSelector(store, select);
}
