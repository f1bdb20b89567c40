// Which cell is selected and whether its editor has the keys (command vs edit
// mode). Local to this browser; kept outside React state so that a change
// re-renders only the cells whose own answer (`modeOf(id)`) changed, not a
// 2,000-cell list. Also remembers the selected index, so that when the selected
// cell disappears (someone deleted it) a neighbour can take over.
import type { NotebookMode } from './keyboard';

export class SelectionStore {
  private selectedId: string | null = null;
  private modeValue: NotebookMode = 'command';
  private lastIndex = 0;
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

  select(id: string | null, mode: NotebookMode = 'command'): void {
    if (id === this.selectedId && mode === this.modeValue) return;
    this.selectedId = id;
    this.modeValue = mode;
    for (const listener of [...this.listeners]) listener();
  }

  setMode(mode: NotebookMode): void {
    this.select(this.selectedId, mode);
  }

  /** Called with the current cell ids whenever the list changes: keeps a valid selection. */
  reconcile(ids: readonly string[]): void {
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
