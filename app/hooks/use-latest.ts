// A ref that always holds the value of the last committed render, for
// long-lived objects (an editor, a session, an observer) built once in an effect
// that must read later props without being rebuilt. Written in a layout effect,
// never during render, so a render React throws away never leaks into it.
import { useLayoutEffect, useRef, type RefObject } from 'react';

export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
