// Notebooks as the app and the CLI see them: create one with content, read one
// as a Yjs document or as nbformat JSON. Documents are written through storage
// here only while nobody can be connected to them (a brand-new notebook); a
// document that may be open is replaced through the collab server instead.
import * as Y from 'yjs';
import type { Storage, NotebookRecord, NotebookOrigin, GuestOwner } from '../storage';
import { emptyNotebook, notebookToDoc, docToNotebook, recordUpstreamBase } from '../notebook-model';
import type { NotebookJSON } from '../notebook-model/nbformat/types';
import { copyThreads } from '../notebook-model/comments';
import { setAsideDamage } from '../notebook-model/schema-repair';

/** Creates a notebook record and its first document state (an empty notebook unless given). */
export async function createNotebook(
  storage: Storage,
  input: { title: string; notebook?: NotebookJSON; forkedFrom?: NotebookOrigin; workshopId?: string; guestOwner?: GuestOwner; commentsFrom?: Y.Doc },
): Promise<NotebookRecord> {
  // Build the document first: a notebook the model cannot hold must not leave an empty record behind.
  const doc = notebookToDoc(input.notebook ?? emptyNotebook());
  // Comment threads are not part of the notebook's JSON: a fork asked to carry them takes them from its source's document.
  if (input.commentsFrom) copyThreads(input.commentsFrom, doc);
  // A fork starts with everything of its source taken (see notebook-model/upstream.ts).
  if (input.forkedFrom) recordUpstreamBase(doc);
  let record: NotebookRecord;
  try {
    record = await storage.notebooks.create({ title: input.title, forkedFrom: input.forkedFrom, workshopId: input.workshopId, guestOwner: input.guestOwner });
  } catch (err) {
    doc.destroy();
    throw err;
  }
  try {
    const epoch = await storage.documents.replace(record.id, Y.encodeStateAsUpdate(doc));
    return { ...record, epoch };
  } catch (err) {
    await storage.notebooks.delete(record.id).catch(() => {}); // leave nothing half-created
    throw err;
  } finally {
    doc.destroy();
  }
}

/**
 * The stored document of a notebook, as a fresh Y.Doc. A document stored
 * outside the schema (before the collab server checked updates) still loads:
 * its damaged parts are set aside in this copy (notebook-model/schema-repair.ts);
 * the collab server stores that repair when it next opens the notebook.
 */
export async function loadNotebookDoc(storage: Storage, notebookId: string): Promise<Y.Doc> {
  const stored = await storage.documents.load(notebookId);
  const doc = new Y.Doc();
  Y.transact(doc, () => {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
  });
  setAsideDamage(doc);
  return doc;
}

/** The stored notebook as nbformat JSON. */
export async function loadNotebookJSON(storage: Storage, notebookId: string): Promise<NotebookJSON> {
  const doc = await loadNotebookDoc(storage, notebookId);
  try {
    return docToNotebook(doc);
  } finally {
    doc.destroy();
  }
}
