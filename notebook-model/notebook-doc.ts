// A whole notebook: filling a Yjs document from nbformat JSON, reading it back,
// notebook-level metadata, and the server-side repair that keeps cell ids unique.
import * as Y from 'yjs';
import type { NotebookJSON } from './nbformat/types';
import { cellIdOf, cellToJSON, createCell, newCellId } from './cells';
import { cellsOf, metaOf, MetaKey } from './schema';
import { importOrigin, repairOrigin } from './origins';

const topLevelKeys = new Set<string>(['cells', ...Object.values(MetaKey)]);

/** An empty notebook: one empty code cell and Python kernel metadata. */
export function emptyNotebook(): NotebookJSON {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' },
    },
    cells: [{ id: newCellId(), cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }],
  } as NotebookJSON;
}

/**
 * Replaces everything in `doc` with the notebook `nb` in one transaction.
 * Meant for a fresh document (import, restore); on a shared document use a new one.
 */
export function loadNotebook(doc: Y.Doc, nb: NotebookJSON, origin: unknown = importOrigin): void {
  doc.transact(() => {
    const meta = metaOf(doc);
    meta.set(MetaKey.nbformat, 4);
    // Notebooks from a newer nbformat minor keep it, so their extra fields stay valid on export.
    meta.set(MetaKey.nbformatMinor, Math.max(5, Number(nb.nbformat_minor) || 5));
    const metadata = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(nb.metadata ?? {})) metadata.set(key, value);
    meta.set(MetaKey.metadata, metadata);
    // Top-level keys of a newer nbformat minor ride along in `meta`, untouched.
    for (const [key, value] of Object.entries(nb)) {
      if (!topLevelKeys.has(key) && value !== undefined) meta.set(key, value);
    }
    const cells = cellsOf(doc);
    if (cells.length) cells.delete(0, cells.length);
    cells.insert(0, nb.cells.map((cell) => createCell(cell)));
  }, origin);
}

/** A new Y.Doc holding `nb`. */
export function notebookToDoc(nb: NotebookJSON): Y.Doc {
  const doc = new Y.Doc();
  loadNotebook(doc, nb);
  return doc;
}

/** The document as nbformat 4.5 JSON (multiline strings as single strings). */
export function docToNotebook(doc: Y.Doc): NotebookJSON {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of metaOf(doc).entries()) {
    if (!topLevelKeys.has(key)) extra[key] = value instanceof Y.AbstractType ? value.toJSON() : value;
  }
  return {
    ...extra,
    nbformat: 4,
    nbformat_minor: Math.max(5, Number(metaOf(doc).get(MetaKey.nbformatMinor)) || 5),
    metadata: notebookMetadataOf(doc),
    cells: cellsOf(doc).map(cellToJSON),
  } as NotebookJSON;
}

export function notebookMetadataOf(doc: Y.Doc): Record<string, unknown> {
  const metadata = metaOf(doc).get(MetaKey.metadata);
  return metadata instanceof Y.Map ? metadata.toJSON() : {};
}

/** Sets one notebook-level metadata key (e.g. `kernelspec` on a kernel change). */
export function setNotebookMetadata(doc: Y.Doc, key: string, value: unknown, origin?: unknown): void {
  doc.transact(() => {
    const meta = metaOf(doc);
    let metadata = meta.get(MetaKey.metadata);
    if (!(metadata instanceof Y.Map)) {
      metadata = new Y.Map<unknown>();
      meta.set(MetaKey.metadata, metadata);
    }
    (metadata as Y.Map<unknown>).set(key, value);
  }, origin);
}

/** The language the code cells are written in (for highlighting), from the notebook's metadata. */
export function notebookLanguageOf(doc: Y.Doc): string {
  const metadata = notebookMetadataOf(doc) as {
    language_info?: { name?: string };
    kernelspec?: { language?: string };
  };
  return (metadata.language_info?.name ?? metadata.kernelspec?.language ?? 'python').toLowerCase();
}

/**
 * Deletes all but the first cell of each id. Two people moving the same cell at
 * once each insert a copy of it; only the collab server runs this repair (one
 * peer deciding avoids two peers each deleting a different copy), and every
 * client receives the result like any other edit. Returns the number removed.
 */
export function repairDuplicateCells(doc: Y.Doc): number {
  const cells = cellsOf(doc);
  const seen = new Set<string>();
  const duplicates: number[] = [];
  cells.forEach((cell, index) => {
    const id = cellIdOf(cell);
    if (seen.has(id)) duplicates.push(index);
    else seen.add(id);
  });
  if (!duplicates.length) return 0;
  doc.transact(() => {
    for (let i = duplicates.length - 1; i >= 0; i--) cells.delete(duplicates[i], 1);
  }, repairOrigin);
  return duplicates.length;
}
