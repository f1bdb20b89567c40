// Writing a .ipynb file: the exact bytes nbformat writes for the same notebook
// (`nbformat.write`: json.dumps with indent 1 and sorted keys, non-ASCII kept,
// multiline strings split into lines, session-only keys dropped, one trailing
// newline), so a notebook saved by Cellmate diffs cleanly against Jupyter's.
import { splitCell } from './multiline';
import { pythonJsonDumps } from './python-json';
import { withoutTransientCellKeys, withoutTransientNotebookMetadata } from './transient-keys';
import type { NotebookJSON } from './types';

/** The file text of a normalized notebook. The input is not modified. */
export function serializeNotebook(nb: NotebookJSON): string {
  const file = {
    ...nb,
    metadata: withoutTransientNotebookMetadata(nb.metadata),
    cells: nb.cells.map((c) => splitCell(withoutTransientCellKeys(c as unknown as Record<string, unknown>))),
  };
  return pythonJsonDumps(file) + '\n';
}
