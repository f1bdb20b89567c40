// The notebook's stale marks for the editor, as an external store: recomputed
// once per document change (after the transaction, never inside it: inside,
// `staleMarks` would re-read every cell), and only when someone is listening.
// Each cell subscribes with a selector that returns a string, so a change that
// leaves a cell's mark as it was does not re-render that cell.
import type * as Y from 'yjs';
import { staleMarks, type StaleMarks } from '../../notebook-model';

export class StaleMarksStore {
  private marks: StaleMarks | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly doc: Y.Doc) {}

  /** The marks as of the last change (computed on first read after it). */
  get snapshot(): StaleMarks {
    this.marks ??= staleMarks(this.doc);
    return this.marks;
  }

  subscribe = (listener: () => void): (() => void) => {
    if (this.listeners.size === 0) this.doc.on('afterTransaction', this.onChange);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.doc.off('afterTransaction', this.onChange);
    };
  };

  private readonly onChange = (): void => {
    this.marks = null;
    for (const listener of [...this.listeners]) listener();
  };
}

const stores = new WeakMap<Y.Doc, StaleMarksStore>();

/** One store per document, shared by every cell of the page. */
export function staleMarksStoreOf(doc: Y.Doc): StaleMarksStore {
  let store = stores.get(doc);
  if (!store) stores.set(doc, (store = new StaleMarksStore(doc)));
  return store;
}
