'use client';
// A code cell's outputs as this person looks at them: collapsed to a one-line
// stand-in (the bar at their left, or O), or shown; long ones scroll inside a
// bounded box with a toggle to see them at full height (Shift+O). What is
// folded lives in this person's CellViewStore, never in the document.
import { useState, useSyncExternalStore, type JSX } from 'react';
import type * as Y from 'yjs';
import type { YOutput } from '../../notebook-model/schema';
import { OutputArea, OUTPUT_BOX_HEIGHT } from '../render/OutputArea';
import type { NotebookContext } from './notebook-context';
import { useYArray } from './y-hooks';

export function CellOutputs(props: { cellId: string; outputs: Y.Array<YOutput>; context: NotebookContext }): JSX.Element | null {
  const { cellId, outputs, context } = props;
  const { view, commands } = context;
  useSyncExternalStore(view.subscribe, () => view.snapshot, () => 0);
  const count = useYArray(outputs).length;
  const [tall, setTall] = useState(false);
  if (count === 0) return null;
  const collapsed = view.has(cellId, 'output');
  const expanded = view.has(cellId, 'outputExpanded');
  return (
    <div className="cell-outputs">
      <button
        type="button"
        className="collapser"
        data-testid="output-collapser"
        aria-expanded={!collapsed}
        title={collapsed ? 'Show the outputs (O)' : 'Collapse the outputs (O); only you see this'}
        onClick={() => commands.toggleView('output', [cellId])}
      />
      {collapsed ? (
        <button type="button" className="collapsed-stand-in" data-testid="outputs-collapsed" onClick={() => commands.toggleView('output', [cellId])}>
          ⋯ {count} {count === 1 ? 'output' : 'outputs'} hidden
        </button>
      ) : (
        <>
          <OutputArea outputs={outputs} maxHeight={expanded ? null : OUTPUT_BOX_HEIGHT} onTall={setTall} />
          {tall && (
            <button type="button" className="output-scroll-toggle" data-testid="output-scroll-toggle" aria-pressed={expanded} onClick={() => commands.toggleView('outputExpanded', [cellId])}>
              {expanded ? 'Scroll long output in a box (Shift+O)' : 'Show the whole output (Shift+O)'}
            </button>
          )}
        </>
      )}
    </div>
  );
}
