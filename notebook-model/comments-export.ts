// Comment threads written into an exported .ipynb, only when asked: under each
// cell's metadata, namespaced as `metadata.cellmate.comments`, so Jupyter and
// other tools keep them as opaque metadata. A thread keeps its quote, not its
// Yjs positions (they mean nothing outside this document). Threads whose cell
// is gone are left out: there is no cell to carry them.
import type { NotebookJSON } from './nbformat/types';
import type { ThreadView } from './comments';

/** The metadata namespace our exports write under. */
export const EXPORT_NAMESPACE = 'cellmate';

/** A copy of `notebook` whose cells carry their threads in `metadata.cellmate.comments`. */
export function notebookWithComments(notebook: NotebookJSON, threads: readonly ThreadView[]): NotebookJSON {
  const byCell = new Map<string, ThreadView[]>();
  for (const thread of threads) byCell.set(thread.anchor.cellId, [...(byCell.get(thread.anchor.cellId) ?? []), thread]);
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      const cellThreads = cell.id ? byCell.get(cell.id) : undefined;
      if (!cellThreads) return cell;
      const existing = cell.metadata[EXPORT_NAMESPACE];
      const namespace = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
      return { ...cell, metadata: { ...cell.metadata, [EXPORT_NAMESPACE]: { ...namespace, comments: cellThreads.map(exportedThread) } } };
    }),
  } as NotebookJSON;
}

function exportedThread(thread: ThreadView) {
  const { anchor } = thread;
  return {
    id: thread.id,
    anchor: anchor.kind === 'output'
      ? { kind: anchor.kind, output_index: anchor.outputIndex, line: anchor.line, quote: anchor.quote }
      : { kind: anchor.kind, quote: anchor.quote },
    author: thread.author.name,
    created_at: new Date(thread.createdAt).toISOString(),
    resolved: thread.resolved,
    comments: thread.comments.filter((c) => !c.deleted).map((c) => ({
      id: c.id,
      author: c.author.name,
      body: c.body,
      created_at: new Date(c.createdAt).toISOString(),
      ...(c.editedAt !== null ? { edited_at: new Date(c.editedAt).toISOString() } : {}),
    })),
  };
}
