'use client';
// The light/dark switch: System (follows prefers-color-scheme), Light, Dark.
import { useSyncExternalStore, type JSX } from 'react';
import { applyTheme, savedTheme, subscribeTheme, type ThemeChoice } from './theme';

export function ThemeSwitch(): JSX.Element {
  // The server cannot know the saved choice: it renders 'system', the browser then shows the saved one.
  const choice = useSyncExternalStore(subscribeTheme, savedTheme, () => 'system' as const);
  return (
    <select
      className="theme-switch"
      data-testid="theme-switch"
      aria-label="Colour theme"
      title="Colour theme"
      value={choice}
      onChange={(e) => {
        applyTheme(e.target.value as ThemeChoice);
      }}
    >
      <option value="system">◐ System</option>
      <option value="light">☀ Light</option>
      <option value="dark">☾ Dark</option>
    </select>
  );
}
