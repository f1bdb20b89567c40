// The shape of a notebook inside a Yjs document. This module is the only place
// that spells the document's keys. It follows JupyterLab's collaborative model
// (@jupyter/ydoc 4.x) key for key, so documents stay interchangeable with it:
//
//   doc.getArray('cells')  Y.Array<Y.Map>, one map per cell:
//     id: string, cell_type: 'code' | 'markdown' | 'raw', source: Y.Text,
//     metadata: Y.Map<json>,
//     code only:          outputs: Y.Array<Y.Map>, execution_count: number | null,
//                         execution_state: 'idle' | 'queued' | 'running'
//     markdown/raw only:  attachments?: json
//   doc.getMap('meta')     nbformat: 4, nbformat_minor: 5, metadata: Y.Map<json>
//   doc.getMap('comments') Y.Map<Y.Map>, comment threads by thread id (ours, not
//                          JupyterLab's; notebook-model/comments.ts says why they
//                          live here and what a thread holds). Not the notebook:
//                          nbformat export, the kernel bridge and the cell schema
//                          never read it.
//
// An output is a Y.Map holding the nbformat output's keys, except that a stream
// output's `text` is a Y.Text (appending to it is cheap) and a display output may
// carry `transient` ({ display_id }) so later update_display_data can find it.
//
// Why not @jupyter/ydoc itself: see notebook-model/README.md.
import * as Y from 'yjs';

export const CELLS = 'cells';
export const META = 'meta';
export const COMMENTS = 'comments';

/** Keys of a cell's Y.Map. */
export const CellKey = {
  id: 'id',
  cellType: 'cell_type',
  source: 'source',
  metadata: 'metadata',
  outputs: 'outputs',
  executionCount: 'execution_count',
  executionState: 'execution_state',
  attachments: 'attachments',
} as const;

/** Keys of the `meta` Y.Map. */
export const MetaKey = {
  nbformat: 'nbformat',
  nbformatMinor: 'nbformat_minor',
  metadata: 'metadata',
} as const;

/** Keys of an output's Y.Map that need special handling (the rest are nbformat's). */
export const OutputKey = {
  outputType: 'output_type',
  text: 'text',
  transient: 'transient',
} as const;

export type CellType = 'code' | 'markdown' | 'raw';
export const cellTypes: readonly CellType[] = ['code', 'markdown', 'raw'];

/** `queued` is ours (JupyterLab knows idle/running): a cell waiting its turn on the shared kernel. */
export type ExecutionState = 'idle' | 'queued' | 'running';
export const executionStates: readonly ExecutionState[] = ['idle', 'queued', 'running'];

/** A cell as it lives in the document. */
export type YCell = Y.Map<unknown>;
/** An output as it lives in the document. */
export type YOutput = Y.Map<unknown>;

export function cellsOf(doc: Y.Doc): Y.Array<YCell> {
  return doc.getArray<YCell>(CELLS);
}

export function metaOf(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META);
}

/** Keys of a thread's Y.Map (under the `comments` root). */
export const ThreadKey = {
  id: 'id',
  anchor: 'anchor',
  author: 'author',
  createdAt: 'createdAt',
  resolved: 'resolved',
  comments: 'comments',
} as const;

/** Keys of one comment's Y.Map (in a thread's `comments` Y.Array). */
export const CommentKey = {
  id: 'id',
  author: 'author',
  body: 'body',
  createdAt: 'createdAt',
  editedAt: 'editedAt',
  deleted: 'deleted',
  reactions: 'reactions',
  mentions: 'mentions',
} as const;

/** A comment thread as it lives in the document. */
export type YThread = Y.Map<unknown>;

export function commentsOf(doc: Y.Doc): Y.Map<YThread> {
  return doc.getMap<YThread>(COMMENTS);
}
