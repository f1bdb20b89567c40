'use client';
// The light/dark switch: System (follows prefers-color-scheme), Light, Dark.
import { useEffect, useState, type JSX } from 'react';
import { applyTheme, savedTheme, type ThemeChoice } from './theme';

export function ThemeSwitch(): JSX.Element {
  const [choice, setChoice] = useState<ThemeChoice>('system');
  useEffect(() => setChoice(savedTheme()), []);
  return (
    <select
      className="theme-switch"
      data-testid="theme-switch"
      aria-label="Colour theme"
      title="Colour theme"
      value={choice}
      onChange={(e) => {
        const next = e.target.value as ThemeChoice;
        setChoice(next);
        applyTheme(next);
      }}
    >
      <option value="system">◐ System</option>
      <option value="light">☀ Light</option>
      <option value="dark">☾ Dark</option>
    </select>
  );
}
