'use client';
// The notebook toolbar: cell actions on the selected cell, and undo/redo of this
// person's own changes. Clicking a button leaves the keyboard focus where it
// was (the cell or its editor), so keys go on working after a click. A viewer
// gets no toolbar (NotebookEditor leaves it out): nothing on it applies to them.
import { useSyncExternalStore, type JSX, type MouseEvent } from 'react';
import { cellsOf, cellTypeOf, findCell, type CellType } from '../../notebook-model';
import { KernelMenu } from '../kernel/KernelMenu';
import type { NotebookContext } from './notebook-context';
import { PanelButtons } from './PanelButtons';
import { useYArray } from './y-hooks';

export function Toolbar(props: { context: NotebookContext }): JSX.Element {
  const { commands, selection, session, kernel } = props.context;
  const selected = useSyncExternalStore(selection.subscribe, () => selection.selected, () => null);
  // Re-render when cells come and go (the selected cell's type may have changed with it).
  useYArray(cellsOf(session.doc));
  const cell = selected ? findCell(session.doc, selected) : undefined;
  const type = cell ? cellTypeOf(cell) : 'code';
  const none = !cell;

  return (
    <div className="toolbar" role="toolbar" aria-label="Cell actions" onMouseDown={keepFocus}>
      <button type="button" data-testid="add-cell-above" title="Insert cell above (A)" onClick={() => commands.insert('above')}>+ Above</button>
      <button type="button" data-testid="add-cell-below" title="Insert cell below (B)" onClick={() => commands.insert('below')}>+ Below</button>
      <button type="button" data-testid="delete-cell" title="Delete cell (D D)" disabled={none} onClick={() => commands.run('deleteCell')}>Delete</button>
      <span className="toolbar-sep" />
      <button type="button" data-testid="move-cell-up" title="Move up (Ctrl+↑)" disabled={none} onClick={() => commands.run('moveUp')}>↑</button>
      <button type="button" data-testid="move-cell-down" title="Move down (Ctrl+↓)" disabled={none} onClick={() => commands.run('moveDown')}>↓</button>
      <select
        data-testid="cell-type-select"
        aria-label="Cell type"
        value={type}
        disabled={none}
        onChange={(e) => commands.changeType(e.target.value as CellType)}
      >
        <option value="code">Code</option>
        <option value="markdown">Markdown</option>
        <option value="raw">Raw</option>
      </select>
      <button type="button" data-testid="split-cell" title="Split at cursor (Ctrl+Shift+-)" disabled={none} onClick={() => commands.run('split')}>Split</button>
      <button type="button" data-testid="merge-cell" title="Merge with next (Shift+M)" disabled={none} onClick={() => commands.run('mergeWithNext')}>Merge ↓</button>
      <span className="toolbar-sep" />
      <button type="button" data-testid="undo" title="Undo my last change (Z)" onClick={() => commands.run('undo')}>Undo</button>
      <button type="button" data-testid="redo" title="Redo (Shift+Z)" onClick={() => commands.run('redo')}>Redo</button>
      {kernel?.canRun && <KernelMenu context={props.context} kernel={kernel} />}
      <span className="toolbar-sep" />
      <PanelButtons panels={props.context.panels} />
    </div>
  );
}

/** Buttons take no focus on click; the select still opens (it needs the default). */
function keepFocus(event: MouseEvent): void {
  if (!(event.target as Element).closest('select')) event.preventDefault();
}
