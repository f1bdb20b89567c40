// The kernel's variables and memory, live from the room's awareness, for React:
// one store per open notebook (the memory figure changes every few seconds, so
// components that need one part of it read it through a selector).
import type { Awareness } from 'y-protocols/awareness';
import { kernelResourcesKey } from '../../notebook-model/service-protocol';
import { AwarenessFieldStore, useAwarenessField, useAwarenessFieldSelector } from './awareness-field-store';
import { kernelResourcesOf, type KernelResourcesState } from './kernel-resources';

export class KernelResourcesStore extends AwarenessFieldStore<KernelResourcesState | null> {
  constructor(awareness: Awareness) {
    super(awareness, kernelResourcesKey, kernelResourcesOf, null);
  }
}

/** The published resources (null until the bridge publishes them); re-renders when they change. */
export function useKernelResources(store: KernelResourcesStore): KernelResourcesState | null {
  return useAwarenessField(store);
}

/** One value derived from the resources; re-renders only when it changes (compare primitives or stable parts). */
export function useKernelResourcesSelector<T>(store: KernelResourcesStore, select: (state: KernelResourcesState | null) => T): T {
  return useAwarenessFieldSelector(store, select);
}
