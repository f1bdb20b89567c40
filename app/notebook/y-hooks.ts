// React subscriptions to Yjs types, each as narrow as its use: a text's string,
// some keys of a map, the items of an array (shallow: typing inside a cell does
// not re-render the cell list), awareness states.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';

/** The current string of a Y.Text, re-rendering on every change to it. */
export function useYText(text: Y.Text): string {
  const [value, setValue] = useState(() => text.toString());
  useEffect(() => {
    const update = () => setValue(text.toString());
    update();
    text.observe(update);
    return () => text.unobserve(update);
  }, [text]);
  return value;
}

/** Re-renders when one of these keys of the map is set (not when nested types change). */
export function useYMapKeys(map: Y.Map<unknown>, keys: readonly string[]): number {
  const [version, setVersion] = useState(0);
  const watched = keys.join('\u0000');
  useEffect(() => {
    const wanted = new Set(watched.split('\u0000'));
    const onChange = (event: Y.YMapEvent<unknown>) => {
      for (const key of event.keysChanged) if (wanted.has(key)) return setVersion((v) => v + 1);
    };
    map.observe(onChange);
    return () => map.unobserve(onChange);
  }, [map, watched]);
  return version;
}

/** The items of a Y.Array, re-rendering when items are inserted or removed. */
export function useYArray<T>(array: Y.Array<T>): T[] {
  const [items, setItems] = useState(() => array.toArray());
  useEffect(() => {
    const update = () => setItems(array.toArray());
    update();
    array.observe(update);
    return () => array.unobserve(update);
  }, [array]);
  return items;
}

/** Re-renders when anything under `type` changes; returns `read()`'s value. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useYDeep<T>(type: Y.AbstractType<any>, read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(read);
    update();
    type.observeDeep(update);
    return () => type.unobserveDeep(update);
    // `read` is expected to depend only on `type`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [type]);
  return value;
}

/**
 * A number that grows when anything under `type` changes, at most once per
 * animation frame: for views that recompute from the whole notebook (the find
 * bar's matches, the table of contents) while people type many keys a second.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useYDeepFrameVersion(type: Y.AbstractType<any>): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let frame = 0;
    const onChange = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => { frame = 0; setVersion((v) => v + 1); });
    };
    type.observeDeep(onChange);
    return () => {
      type.unobserveDeep(onChange);
      cancelAnimationFrame(frame);
    };
  }, [type]);
  return version;
}

/**
 * A value read from the room's awareness states, re-rendering only when it
 * changes (by ===): return a primitive, e.g. a key string, so that changes it
 * does not read (cursors moving, views scrolling) do not re-render.
 */
export function useAwarenessSelector<T>(awareness: Awareness, select: (states: ReadonlyMap<number, Record<string, unknown>>) => T, serverValue: T): T {
  const subscribe = useCallback((onChange: () => void) => {
    awareness.on('change', onChange);
    return () => awareness.off('change', onChange);
  }, [awareness]);
  return useSyncExternalStore(subscribe, () => select(awareness.getStates() as Map<number, Record<string, unknown>>), () => serverValue);
}

/** Every client's awareness state, keyed by client id. */
export function useAwarenessStates(awareness: Awareness): Map<number, Record<string, unknown>> {
  const subscribe = (onChange: () => void) => {
    awareness.on('change', onChange);
    return () => awareness.off('change', onChange);
  };
  return useSyncExternalStore(subscribe, () => awarenessSnapshot(awareness), () => emptyStates);
}

const emptyStates = new Map<number, Record<string, unknown>>();
const snapshots = new WeakMap<Awareness, { version: Map<number, unknown>; copy: Map<number, Record<string, unknown>> }>();

/** awareness.getStates() is mutated in place; a copy per change keeps useSyncExternalStore honest. */
function awarenessSnapshot(awareness: Awareness): Map<number, Record<string, unknown>> {
  const states = awareness.getStates() as Map<number, Record<string, unknown>>;
  const cached = snapshots.get(awareness);
  if (cached && sameStates(cached.version, states)) return cached.copy;
  const copy = new Map(states);
  snapshots.set(awareness, { version: new Map(states), copy });
  return copy;
}

function sameStates(a: Map<number, unknown>, b: Map<number, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) if (a.get(k) !== v) return false;
  return true;
}
