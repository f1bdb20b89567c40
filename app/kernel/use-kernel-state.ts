// The bridge's kernel state, live from the room's awareness, for React. One
// `KernelStateStore` per open notebook watches awareness and keeps the current
// state as an immutable snapshot that changes identity only when the state does
// (a cursor moving in someone's awareness is not a kernel change). Components
// read it through selectors, so a cell re-renders only when its own part (its
// queue position, whether it is the running one) changes.
import { useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { kernelStateOf, noKernel, type AwarenessEntry, type KernelAwarenessState } from './kernel-state';

export class KernelStateStore {
  private current: KernelAwarenessState = noKernel;
  private currentKey = JSON.stringify(noKernel);
  private readonly listeners = new Set<() => void>();
  private readonly onChange = () => this.refresh();

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.onChange);
    this.refresh();
  }

  get state(): KernelAwarenessState {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  destroy(): void {
    this.awareness.off('change', this.onChange);
    this.listeners.clear();
  }

  private refresh(): void {
    const entries: AwarenessEntry[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      entries.push({ clientId, state: state as Record<string, unknown>, lastUpdated: this.awareness.meta.get(clientId)?.lastUpdated ?? 0 });
    }
    const next = kernelStateOf(entries);
    const key = JSON.stringify(next);
    if (key === this.currentKey) return;
    this.current = next;
    this.currentKey = key;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The whole kernel state; re-renders on every change to it. */
export function useKernelState(store: KernelStateStore): KernelAwarenessState {
  return useSyncExternalStore(store.subscribe, () => store.state, () => noKernel);
}

/** One value derived from the kernel state; re-renders only when it changes (compare primitives). */
export function useKernelSelector<T>(store: KernelStateStore, select: (state: KernelAwarenessState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.state), () => select(noKernel));
}
