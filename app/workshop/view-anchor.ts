// Reading and restoring a window's position in the notebook as a cell-relative
// anchor, so that two screens of different sizes show the same place: the first
// cell at the top of the visible area, and how far past its top that area starts.
import { coveredTop } from '../notebook/sticky-top';
import type { ViewAnchor } from './workshop-presence';

function cellElement(cellId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="cell"][data-cell-id="${CSS.escape(cellId)}"]`);
}

/** Where this window is now, or null when no cell is on screen. */
export function measureView(): ViewAnchor | null {
  const top = coveredTop();
  for (const element of document.querySelectorAll<HTMLElement>('[data-testid="cell"]')) {
    const rect = element.getBoundingClientRect();
    if (rect.bottom <= top) continue;
    const cellId = element.dataset.cellId;
    return cellId ? { cellId, offset: Math.max(0, Math.round(top - rect.top)) } : null;
  }
  return null;
}

/**
 * Scrolls this window to `view`, then makes sure `cellId` (the cell the
 * followed person is on) is visible. Returns whether it scrolled.
 */
export function applyView(view: ViewAnchor | null, cellId: string | null): boolean {
  const before = window.scrollY;
  const top = coveredTop();
  const anchor = view ? cellElement(view.cellId) : null;
  if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - top + view!.offset);
  const current = cellId ? cellElement(cellId) : null;
  if (current) {
    const rect = current.getBoundingClientRect();
    if (rect.top < top) window.scrollBy(0, rect.top - top);
    else if (rect.bottom > window.innerHeight) window.scrollBy(0, Math.min(rect.top - top, rect.bottom - window.innerHeight));
  }
  return window.scrollY !== before;
}
