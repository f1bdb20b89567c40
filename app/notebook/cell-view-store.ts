// How this person looks at each cell, apart from the shared document: input or
// outputs collapsed, long outputs expanded out of their scroll box. Jupyter
// keeps `collapsed` in cell metadata; here several people look at one notebook,
// and one person folding a cell must not fold it for everyone, so the state is
// local to this browser (kept per notebook in localStorage across reloads) and
// never written into the Y.Doc.

/** What of a cell can be folded or unfolded by one person. */
export type CellPart = 'input' | 'output' | 'outputExpanded';

const PARTS: readonly CellPart[] = ['input', 'output', 'outputExpanded'];

/** The part of localStorage a store may use (tests pass a Map-backed one). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export class CellViewStore {
  private readonly sets = new Map<CellPart, Set<string>>(PARTS.map((p) => [p, new Set<string>()]));
  private readonly listeners = new Set<() => void>();

  constructor(private readonly notebookId: string, private readonly storage: KeyValueStorage | null = browserStorage()) {
    try {
      const saved = JSON.parse(this.storage?.getItem(this.key) ?? 'null') as Partial<Record<CellPart, unknown>> | null;
      for (const part of PARTS) {
        const ids = saved?.[part];
        if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') this.sets.get(part)!.add(id);
      }
    } catch {
      // A damaged entry is forgotten: the worst outcome is an unfolded cell.
    }
  }

  private get key(): string {
    return `cellmate:cell-view:${this.notebookId}`;
  }

  has(cellId: string, part: CellPart): boolean {
    return this.sets.get(part)!.has(cellId);
  }

  /** Folds or unfolds `part` of these cells: all folded if any was open, else all unfolded. */
  toggle(cellIds: readonly string[], part: CellPart): void {
    if (cellIds.length === 0) return;
    const set = this.sets.get(part)!;
    const fold = cellIds.some((id) => !set.has(id));
    for (const id of cellIds) {
      if (fold) set.add(id);
      else set.delete(id);
    }
    try {
      this.storage?.setItem(this.key, JSON.stringify(Object.fromEntries(PARTS.map((p) => [p, [...this.sets.get(p)!]]))));
    } catch {
      // Storage full or refused: the choice still holds for this page.
    }
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}
