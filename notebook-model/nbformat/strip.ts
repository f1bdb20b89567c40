// Removing outputs and volatile metadata before a notebook goes into version
// control, following nbstripout's defaults: code cells lose outputs and
// execution counts; view state and timing metadata go; kernelspec and
// language_info stay (they say how to run the notebook).
import type { CellJSON, CellMetadata, NotebookJSON, NotebookMetadata } from './types';

const VOLATILE_CELL_METADATA = ['collapsed', 'scrolled', 'ExecuteTime', 'execution', 'heading_collapsed', 'hidden'];
const VOLATILE_NOTEBOOK_METADATA = ['signature', 'widgets'];

function without<T extends object>(obj: T, keys: string[]): T {
  const out = { ...obj } as Record<string, unknown>;
  for (const k of keys) delete out[k];
  return out as T;
}

/** A copy of the notebook without outputs, execution counts or volatile metadata. */
export function stripOutputs(nb: NotebookJSON): NotebookJSON {
  return {
    ...nb,
    metadata: without<NotebookMetadata>(nb.metadata, VOLATILE_NOTEBOOK_METADATA),
    cells: nb.cells.map((cell): CellJSON => {
      const metadata = without<CellMetadata>(cell.metadata, VOLATILE_CELL_METADATA);
      return cell.cell_type === 'code' ? { ...cell, metadata, outputs: [], execution_count: null } : { ...cell, metadata };
    }),
  };
}
