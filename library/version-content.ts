// A saved version read back: its notebook, and its whole Yjs state (rebuilt
// from the chain of changes it was stored as). Kept apart from versions.ts so
// that server-rendered pages can read versions without importing the file exporters.
import * as Y from 'yjs';
import { docToNotebook } from '../notebook-model';
import { parseNotebook } from '../notebook-model/nbformat/read';
import type { NotebookJSON } from '../notebook-model/nbformat/types';
import { NotFoundError, type Storage } from '../storage';

/** A saved version's notebook: its stored JSON, or the one its rebuilt document holds. Throws NotFoundError. */
export async function loadVersionNotebook(storage: Storage, versionId: string): Promise<NotebookJSON> {
  const content = await storage.versions.content(versionId);
  if (!content) throw new NotFoundError(versionId);
  if (content.nbformat !== null) return parseNotebook(content.nbformat);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, await loadVersionState(storage, versionId));
    return docToNotebook(doc);
  } finally {
    doc.destroy();
  }
}

/** The stored Yjs parts of a version, oldest (a whole document) first. Throws NotFoundError. */
export async function versionStateChain(storage: Storage, versionId: string): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  const seen = new Set<string>();
  for (let id: string | null = versionId; id !== null;) {
    if (seen.has(id)) throw new Error(`version ${versionId}: its stored changes form a cycle`);
    seen.add(id);
    const content = await storage.versions.content(id);
    if (!content) throw new NotFoundError(id);
    parts.unshift(content.ydoc);
    id = content.ydocBaseId;
  }
  return parts;
}

/** A version's whole Yjs document state (Y.encodeStateAsUpdate form). Throws NotFoundError. */
export async function loadVersionState(storage: Storage, versionId: string): Promise<Uint8Array> {
  const parts = await versionStateChain(storage, versionId);
  if (parts.length === 1) return parts[0];
  const doc = new Y.Doc();
  try {
    Y.transact(doc, () => { for (const part of parts) Y.applyUpdate(doc, part); });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
