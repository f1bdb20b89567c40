// Ctrl+S / Cmd+S in the editor: a Quick save (a named version of the notebook
// as it stands, outputs included, the same as the Versions page's button),
// instead of the browser's "save page" dialog. Each save is named with the
// second it was made, so two saves never share a name in the version lists.
import { ObservableValue } from '../hooks/observable-value';
import { formatTimestamp } from '../../library/timestamps';

export interface QuickSaveStatus {
  state: 'saving' | 'saved' | 'failed';
  message: string;
  versionName?: string;
}

export class QuickSave extends ObservableValue<QuickSaveStatus | null> {
  constructor(private readonly notebookId: string) {
    super(null);
  }

  get status(): QuickSaveStatus | null {
    return this.value;
  }

  async save(now = new Date()): Promise<void> {
    if (this.value?.state === 'saving') return;
    const name = `Saved with Ctrl+S, ${formatTimestamp(now)}`;
    this.set({ state: 'saving', message: 'Saving a version…' });
    try {
      const response = await fetch(`/api/notebooks/${encodeURIComponent(this.notebookId)}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: unknown };
      if (!response.ok) throw new Error(typeof body.error === 'string' ? body.error : `the server answered ${response.status}`);
      this.set({ state: 'saved', message: `Saved version “${name}”.`, versionName: name });
    } catch (err) {
      this.set({ state: 'failed', message: `Could not save a version: ${(err as Error).message}` });
    }
  }

  dismiss(): void {
    this.set(null);
  }
}

/** Ctrl+S, or Cmd+S on a Mac, without other modifiers. */
export function isSaveShortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 's';
}
