'use client';
// The cells in document order. Subscribes to the cell array shallowly: only
// inserts, deletes and moves re-render the list, and then each memoized cell
// whose Y.Map is unchanged skips its render.
import { useEffect, type JSX } from 'react';
import { cellIdOf, cellsOf } from '../../notebook-model';
import { useCellDrop } from './cell-drag';
import { CellView } from './CellView';
import type { NotebookContext } from './notebook-context';
import { useYArray } from './y-hooks';

export function CellList(props: { context: NotebookContext; synced: boolean }): JSX.Element {
  const { context } = props;
  const cells = useYArray(cellsOf(context.session.doc));
  const ids = cells.map(cellIdOf);
  const idsKey = ids.join(',');
  const drop = useCellDrop(context);

  useEffect(() => {
    if (props.synced || ids.length > 0) context.selection.reconcile(ids);
    // ids is derived from idsKey
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idsKey, props.synced, context.selection]);

  if (cells.length === 0) {
    return (
      <div className="cells-empty">
        {!props.synced ? 'Loading notebook…' : context.readOnly ? 'This notebook has no cells.' : (
          <button type="button" onClick={() => context.commands.insert('below', 'edit')}>Add a first cell</button>
        )}
      </div>
    );
  }

  // Two people moving one cell at once briefly leaves two copies with one id
  // (the collab server repairs it); keys must stay unique meanwhile.
  const seen = new Map<string, number>();
  return (
    <div className="cells" {...drop}>
      {cells.map((cell, i) => {
        const id = ids[i];
        const n = seen.get(id) ?? 0;
        seen.set(id, n + 1);
        return <CellView key={n === 0 ? id : `${id}#${n}`} cell={cell} context={context} />;
      })}
    </div>
  );
}
