// "Is this element near the visible part of the page yet?" through one shared
// IntersectionObserver, so 2,000 cells cost one observer, not 2,000. Once an
// element has come near it stays "near": its editor, once built, is kept.
import { useEffect, useState, type RefObject } from 'react';

/** How far outside the viewport a cell already counts as near (editors are ready before they scroll in). */
const MARGIN = '1200px 0px';

let observer: IntersectionObserver | null = null;
const callbacks = new Map<Element, () => void>();

function sharedObserver(): IntersectionObserver {
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const callback = callbacks.get(entry.target);
      if (!callback) continue;
      callbacks.delete(entry.target);
      observer!.unobserve(entry.target);
      callback();
    }
  }, { rootMargin: MARGIN });
  return observer;
}

export function useNearViewport(ref: RefObject<Element | null>): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return;
    if (typeof IntersectionObserver === 'undefined') {
      // No observer in this browser: near at once, reported after commit as an observer would.
      let live = true;
      queueMicrotask(() => { if (live) setNear(true); });
      return () => { live = false; };
    }
    callbacks.set(element, () => setNear(true));
    sharedObserver().observe(element);
    return () => {
      callbacks.delete(element);
      observer?.unobserve(element);
    };
  }, [ref, near]);
  return near;
}
