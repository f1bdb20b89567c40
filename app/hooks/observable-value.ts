// One value of the page that changes over time (a notice, a save's status), for
// React: read it, subscribe to its changes, and `useObservableValue` re-renders
// when it changes. Setting the value it already has tells no one.
import { useSyncExternalStore } from 'react';

export class ObservableValue<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private current: T) {}

  get value(): T {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected set(next: T): void {
    if (Object.is(next, this.current)) return;
    this.current = next;
    for (const listener of [...this.listeners]) listener();
  }
}

/** The value, re-rendering when it changes; `serverValue` while rendering on the server. */
export function useObservableValue<T>(observable: ObservableValue<T>, serverValue: T): T {
  return useSyncExternalStore(observable.subscribe, () => observable.value, () => serverValue);
}
