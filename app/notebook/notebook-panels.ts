// Which of the notebook's own panels this page shows: the find and replace bar,
// the table of contents and the shortcut sheet. Commands (keys, toolbar) open
// and close them here; the components read it. Nothing of it is shared.
import { ObservableValue } from '../hooks/observable-value';

export type NotebookPanel = 'find' | 'contents' | 'shortcuts';

export type OpenPanels = Readonly<Record<NotebookPanel, boolean>>;

export class NotebookPanels extends ObservableValue<OpenPanels> {
  constructor() {
    super({ find: false, contents: false, shortcuts: false });
  }

  isOpen(panel: NotebookPanel): boolean {
    return this.value[panel];
  }

  open(panel: NotebookPanel): void {
    if (!this.value[panel]) this.set({ ...this.value, [panel]: true });
  }

  close(panel: NotebookPanel): void {
    if (this.value[panel]) this.set({ ...this.value, [panel]: false });
  }

  toggle(panel: NotebookPanel): void {
    this.set({ ...this.value, [panel]: !this.value[panel] });
  }
}
