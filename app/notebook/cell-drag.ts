// Moving a cell by dragging its handle. The handle (CellView) puts the cell's id
// in the drag data; the cell list as a whole is the one drop target (one set of
// listeners for the notebook, not one per cell, so a 2,000-cell notebook opens
// no slower): the upper half of the cell under the pointer drops the dragged
// cell above it, the lower half below, and that cell shows where (`data-drop`).
import { useRef, type DragEvent } from 'react';
import type { NotebookContext } from './notebook-context';

/** The drag data of a cell being moved by its handle: its id. */
export const CELL_DRAG_TYPE = 'application/x-cellmate-cell-id';

type Place = 'above' | 'below';

function targetOf(event: DragEvent): { element: HTMLElement; id: string; place: Place } | null {
  const element = (event.target as Element).closest<HTMLElement>('[data-testid="cell"]');
  const id = element?.dataset.cellId;
  if (!element || !id) return null;
  const rect = element.getBoundingClientRect();
  return { element, id, place: event.clientY < rect.top + rect.height / 2 ? 'above' : 'below' };
}

/** Drop handlers for the element holding the cells. */
export function useCellDrop(context: NotebookContext) {
  const marked = useRef<HTMLElement | null>(null);
  const mark = (element: HTMLElement | null, place?: Place) => {
    if (marked.current && marked.current !== element) delete marked.current.dataset.drop;
    marked.current = element;
    if (element && place) element.dataset.drop = place;
  };
  const carriesCell = (event: DragEvent) => !context.readOnly && event.dataTransfer.types.includes(CELL_DRAG_TYPE);
  return {
    onDragOver: (event: DragEvent<HTMLDivElement>) => {
      if (!carriesCell(event)) return;
      const target = targetOf(event);
      if (!target) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      mark(target.element, target.place);
    },
    onDragLeave: (event: DragEvent<HTMLDivElement>) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) mark(null);
    },
    onDragEnd: () => mark(null),
    onDrop: (event: DragEvent<HTMLDivElement>) => {
      mark(null);
      if (!carriesCell(event)) return;
      const target = targetOf(event);
      const dragged = event.dataTransfer.getData(CELL_DRAG_TYPE);
      if (!target || !dragged) return;
      event.preventDefault();
      context.commands.moveNextTo(dragged, target.id, target.place);
    },
  };
}
