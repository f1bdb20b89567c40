// A popup (menu, popover) that closes on Escape or a press outside its root,
// while it is open.
import { useEffect, type RefObject } from 'react';

export function useDismiss(open: boolean, root: RefObject<Element | null>, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => { if (!root.current?.contains(e.target as Node)) close(); };
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') close(); };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey, true);
    };
    // `close` only sets state; a new identity per render must not re-add the listeners.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, root]);
}
