'use client';
// The keyboard shortcut sheet (`H` in command mode): every binding of
// keyboard.ts's `keyTable`, grouped by command, in the table's order, so the
// sheet can never disagree with what the keys do. Escape closes it (the
// dialog's own cancel) and the focus returns to the notebook.
import { useEffect, useRef, type JSX } from 'react';
import { commandDescriptions, displayKeys, keyTable, type NotebookCommand, type NotebookMode } from './keyboard';
import type { NotebookPanels } from './notebook-panels';

interface SheetRow { command: NotebookCommand; keys: string[]; mode: NotebookMode | 'both' }

/** One row per command, its chords in table order. */
export function shortcutRows(): SheetRow[] {
  const rows = new Map<NotebookCommand, SheetRow>();
  for (const binding of keyTable) {
    const row = rows.get(binding.command) ?? { command: binding.command, keys: [], mode: binding.mode };
    row.keys.push(displayKeys(binding.keys));
    rows.set(binding.command, row);
  }
  return [...rows.values()];
}

const MODE_NAMES: Record<NotebookMode | 'both', string> = { command: 'Command mode', edit: 'Edit mode', both: 'Both modes' };

export function ShortcutSheet(props: { panels: NotebookPanels }): JSX.Element {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const rows = shortcutRows();
  return (
    <dialog ref={dialog} className="shortcut-sheet" data-testid="shortcut-sheet" aria-label="Keyboard shortcuts" onClose={() => props.panels.close('shortcuts')}>
      <div className="shortcut-sheet-title">
        <h2>Keyboard shortcuts</h2>
        <button type="button" aria-label="Close" data-testid="shortcut-sheet-close" onClick={() => dialog.current?.close()}>✕</button>
      </div>
      <p className="shortcut-sheet-note">Command mode: a cell is selected (blue bar), Escape gets there. Edit mode: typing in a cell (green). Ctrl counts as Cmd on a Mac.</p>
      {(['command', 'edit', 'both'] as const).map((mode) => (
        <section key={mode}>
          <h3>{MODE_NAMES[mode]}</h3>
          <table>
            <tbody>
              {rows.filter((r) => r.mode === mode).map((row) => (
                <tr key={row.command} data-testid="shortcut-row" data-command={row.command}>
                  <td className="shortcut-keys">{row.keys.map((k) => <kbd key={k}>{k}</kbd>)}</td>
                  <td>{commandDescriptions[row.command]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </dialog>
  );
}
