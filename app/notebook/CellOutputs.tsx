'use client';
// A code cell's outputs as this person looks at them: collapsed to a one-line
// stand-in (the bar at their left, or O), or shown; long ones scroll inside a
// bounded box with a toggle to see them at full height (Shift+O). What is
// folded lives in this person's CellViewStore, never in the document.
import { useState, type JSX } from 'react';
import type * as Y from 'yjs';
import type { YOutput } from '../../notebook-model/schema';
import { OutputArea, OUTPUT_BOX_HEIGHT } from '../render/OutputArea';
import { Foldable, useFolded } from './CellFold';
import type { NotebookContext } from './notebook-context';
import { useYArray } from './y-hooks';

export function CellOutputs(props: { cellId: string; outputs: Y.Array<YOutput>; context: NotebookContext }): JSX.Element | null {
  const { cellId, outputs, context } = props;
  const { view, commands } = context;
  const collapsed = useFolded(view, cellId, 'output');
  const expanded = useFolded(view, cellId, 'outputExpanded');
  const count = useYArray(outputs).length;
  const [tall, setTall] = useState(false);
  if (count === 0) return null;
  const toggle = () => commands.toggleView('output', [cellId]);
  return (
    <div className="cell-outputs">
      <Foldable
        label="the outputs (O)"
        folded={collapsed}
        onToggle={toggle}
        standIn={() => `${count} ${count === 1 ? 'output' : 'outputs'} hidden`}
        testIds={{ bar: 'output-collapser', standIn: 'outputs-collapsed' }}
      >
        <OutputArea outputs={outputs} maxHeight={expanded ? null : OUTPUT_BOX_HEIGHT} onTall={setTall} />
        {tall && (
          <button type="button" className="output-scroll-toggle" data-testid="output-scroll-toggle" aria-pressed={expanded} onClick={() => commands.toggleView('outputExpanded', [cellId])}>
            {expanded ? 'Scroll long output in a box (Shift+O)' : 'Show the whole output (Shift+O)'}
          </button>
        )}
      </Foldable>
    </div>
  );
}
