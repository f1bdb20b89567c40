// Which cell is selected and whether its editor has the keys (command vs edit
// mode). Local to this browser; kept outside React state so that a change
// re-renders only the cells whose own answer (`modeOf(id)`) changed, not a
// 2,000-cell list. Also remembers the selected index, so that when the selected
// cell disappears (someone deleted it) a neighbour can take over.
//
// A selection may span several cells (Shift+J/K, Shift+click, as in Jupyter):
// `anchor` stays where it started and `selected` (the head) moves; the cells
// between them are the range that "Run selected cells" runs.
import type { NotebookMode } from './keyboard';

export class SelectionStore {
  private selectedId: string | null = null;
  private anchorId: string | null = null;
  private modeValue: NotebookMode = 'command';
  private lastIndex = 0;
  /** Cell ids in document order, as of the last `reconcile`. */
  private order: readonly string[] = [];
  private rangeSet = new Set<string>();
  private readonly listeners = new Set<() => void>();

  get selected(): string | null {
    return this.selectedId;
  }

  get mode(): NotebookMode {
    return this.modeValue;
  }

  /** The mode of this cell if it is the selected one, else null. */
  modeOf(id: string): NotebookMode | null {
    return id === this.selectedId ? this.modeValue : null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Whether this cell is inside the (possibly multi-cell) selection. */
  inRange(id: string): boolean {
    return id === this.selectedId || this.rangeSet.has(id);
  }

  /** The selected cells in document order (one cell unless the selection was extended). */
  get range(): string[] {
    if (this.selectedId === null) return [];
    if (this.rangeSet.size <= 1) return [this.selectedId];
    return this.order.filter((id) => this.rangeSet.has(id));
  }

  select(id: string | null, mode: NotebookMode = 'command'): void {
    if (id === this.selectedId && mode === this.modeValue && this.anchorId === id) return;
    this.selectedId = id;
    this.anchorId = id;
    this.modeValue = mode;
    this.rangeSet = new Set(id === null ? [] : [id]);
    this.notify();
  }

  /** Moves the head to `id`, keeping the anchor: the selection now spans both (command mode). */
  extendTo(id: string): void {
    if (this.anchorId === null || this.selectedId === null) return this.select(id);
    this.selectedId = id;
    this.modeValue = 'command';
    this.recomputeRange();
    this.notify();
  }

  private recomputeRange(): void {
    const from = this.anchorId === null ? -1 : this.order.indexOf(this.anchorId);
    const to = this.selectedId === null ? -1 : this.order.indexOf(this.selectedId);
    if (from < 0 || to < 0) {
      this.anchorId = this.selectedId;
      this.rangeSet = new Set(this.selectedId === null ? [] : [this.selectedId]);
      return;
    }
    this.rangeSet = new Set(this.order.slice(Math.min(from, to), Math.max(from, to) + 1));
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  setMode(mode: NotebookMode): void {
    this.select(this.selectedId, mode);
  }

  /** Called with the current cell ids whenever the list changes: keeps a valid selection. */
  reconcile(ids: readonly string[]): void {
    this.order = ids;
    if (this.rangeSet.size > 1) {
      const before = this.rangeSet.size;
      this.recomputeRange();
      if (this.rangeSet.size !== before) this.notify();
    }
    if (ids.length === 0) return this.select(null);
    const index = this.selectedId === null ? -1 : ids.indexOf(this.selectedId);
    if (index >= 0) {
      this.lastIndex = index;
      return;
    }
    const fallback = this.selectedId === null ? 0 : Math.min(this.lastIndex, ids.length - 1);
    this.lastIndex = fallback;
    this.select(ids[fallback], 'command');
  }
}
