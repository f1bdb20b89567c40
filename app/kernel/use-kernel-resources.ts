// The kernel's variables and memory, live from the room's awareness, for React:
// one store per open notebook, whose snapshot changes identity only when the
// published resources do (someone's cursor moving is not a change).
import { useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { kernelResourcesOf, type KernelResourcesState } from './kernel-resources';
import type { AwarenessEntry } from './kernel-state';

export class KernelResourcesStore {
  private current: KernelResourcesState | null = null;
  private currentKey = 'null';
  private readonly listeners = new Set<() => void>();
  private readonly onChange = () => this.refresh();

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.onChange);
    this.refresh();
  }

  get state(): KernelResourcesState | null {
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
    const next = kernelResourcesOf(entries);
    const key = JSON.stringify(next);
    if (key === this.currentKey) return;
    this.current = next;
    this.currentKey = key;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The published resources (null until the bridge publishes them); re-renders when they change. */
export function useKernelResources(store: KernelResourcesStore): KernelResourcesState | null {
  return useSyncExternalStore(store.subscribe, () => store.state, () => null);
}
