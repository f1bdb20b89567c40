// One field the bridge publishes in the room's awareness (its kernel state, its
// variables and memory), for React: one store per field per open notebook, kept
// as an immutable snapshot that changes identity only when the field's derived
// value does. Other people's cursors move awareness many times a second; those
// changes leave the field's raw values as they were, and are skipped before any
// parsing.
import { useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { AwarenessEntry } from './kernel-state';

export class AwarenessFieldStore<T> {
  private current: T;
  private currentKey: string;
  /** The field's raw value per client at the last refresh (by reference). */
  private raw = new Map<number, unknown>();
  private readonly listeners = new Set<() => void>();
  private readonly onChange = () => this.refresh();

  /**
   * @param key the awareness field.
   * @param derive the value from the entries that carry the field (validated there).
   * @param empty the value while no entry carries it.
   */
  constructor(
    private readonly awareness: Awareness,
    private readonly key: string,
    private readonly derive: (entries: AwarenessEntry[]) => T,
    readonly empty: T,
  ) {
    this.current = empty;
    this.currentKey = JSON.stringify(empty);
    awareness.on('change', this.onChange);
    this.refresh();
  }

  get state(): T {
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
    const raw = new Map<number, unknown>();
    const entries: AwarenessEntry[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      const value = (state as Record<string, unknown> | null)?.[this.key];
      if (value === undefined || value === null) continue;
      raw.set(clientId, value);
      entries.push({ clientId, state: state as Record<string, unknown>, lastUpdated: this.awareness.meta.get(clientId)?.lastUpdated ?? 0 });
    }
    const unchanged = raw.size === this.raw.size && [...raw].every(([clientId, value]) => this.raw.get(clientId) === value);
    this.raw = raw;
    if (unchanged) return;
    const next = this.derive(entries);
    const key = JSON.stringify(next);
    if (key === this.currentKey) return;
    this.current = next;
    this.currentKey = key;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The whole value; re-renders on every change to it. */
export function useAwarenessField<T>(store: AwarenessFieldStore<T>): T {
  return useSyncExternalStore(store.subscribe, () => store.state, () => store.empty);
}

/** One value derived from the field; re-renders only when it changes (compare primitives). */
export function useAwarenessFieldSelector<T, S>(store: AwarenessFieldStore<T>, select: (value: T) => S): S {
  return useSyncExternalStore(store.subscribe, () => select(store.state), () => select(store.empty));
}
