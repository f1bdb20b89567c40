// Light or dark: the system's choice (prefers-color-scheme) unless this person
// picked one with the switch, kept in localStorage and applied as
// <html data-theme="…"> (app.css holds both palettes). THEME_BOOT runs in the
// page's <head> so a chosen theme is there before the first paint.

export type ThemeChoice = 'system' | 'light' | 'dark';

export const THEME_KEY = 'cellmate:theme';

/** Sets <html data-theme> from the saved choice; inline in <head>, before anything is drawn. */
export const THEME_BOOT = `try{var t=localStorage.getItem('${THEME_KEY}');if(t==='dark'||t==='light')document.documentElement.dataset.theme=t}catch(e){}`;

export function savedTheme(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(THEME_KEY);
    return value === 'dark' || value === 'light' ? value : 'system';
  } catch {
    return 'system';
  }
}

const listeners = new Set<() => void>();

/** Calls `listener` when the choice changes, here or in another tab. */
export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => { if (event.key === THEME_KEY) listener(); };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    if (choice === 'system') window.localStorage.removeItem(THEME_KEY);
    else window.localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Not kept across reloads; still applied now.
  }
  for (const listener of listeners) listener();
}
