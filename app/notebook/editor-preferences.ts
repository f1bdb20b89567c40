// How this person likes their cell editors drawn (today: line numbers), apart
// from the shared document: one person's Shift+L must not change anyone else's
// view. Kept in localStorage, so the choice holds for every notebook and across
// reloads of this browser.
import { ObservableValue } from '../hooks/observable-value';
import type { KeyValueStorage } from './cell-view-store';

export interface EditorPreferenceValues {
  lineNumbers: boolean;
}

const STORAGE_KEY = 'cellmate:editor-preferences';

export class EditorPreferences extends ObservableValue<EditorPreferenceValues> {
  constructor(private readonly storage: KeyValueStorage | null = browserStorage()) {
    super(readSaved(storage));
  }

  toggleLineNumbers(): void {
    this.update({ ...this.value, lineNumbers: !this.value.lineNumbers });
  }

  private update(next: EditorPreferenceValues): void {
    this.set(next);
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage full or refused: the choice still holds for this page.
    }
  }
}

function readSaved(storage: KeyValueStorage | null): EditorPreferenceValues {
  try {
    const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null') as Partial<EditorPreferenceValues> | null;
    return { lineNumbers: saved?.lineNumbers === true };
  } catch {
    return { lineNumbers: false };
  }
}

function browserStorage(): KeyValueStorage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}
