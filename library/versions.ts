// Versions of a notebook as the app and CLI use them: save the document as it
// stands, read a saved one back, restore it (through the collab server, so
// connected clients reload onto it), and fork a notebook or a version into a
// new notebook of the forker's.
import * as Y from 'yjs';
import { docToNotebook } from '../notebook-model';
import { copyThreads } from '../notebook-model/comments';
import { notebookToPercentScript, serializeNotebook, stripOutputs, type NotebookJSON } from '../notebook-model/nbformat';
import { NotFoundError, type GuestOwner, type NotebookRecord, type Storage, type VersionKind, type VersionRecord } from '../storage';
import { fileNameFromTitle, sendReplacement, type ExportedFile, type ReplaceOptions } from './notebook-files';
import { createNotebook, loadNotebookDoc } from './notebook-library';
import { loadVersionNotebook, loadVersionState, versionStateChain } from './version-content';
import { formatTimestamp } from './timestamps';

export { loadVersionNotebook, loadVersionState };

export interface VersionAuthor {
  /** The account; null for a guest. */
  id: string | null;
  name: string;
}

/** Longest version name kept; longer names are cut. */
export const MAX_VERSION_NAME = 200;

/** A version name from user input: trimmed and cut, or a dated default when blank. */
export function versionName(input: string | null | undefined, now = new Date()): string {
  const name = (input ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_VERSION_NAME);
  return name || `Version of ${formatTimestamp(now)}`;
}

/** Longest chain of stored changes before a version is stored whole again (bounds the cost of reading one). */
export const MAX_CHANGE_CHAIN = 16;

/** True when `doc` holds everything the state vector `base` names: it grew from that state. */
function descendsFrom(doc: Y.Doc, base: Uint8Array): boolean {
  const have = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, clock] of Y.decodeStateVector(base)) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

/**
 * The Yjs part to store for a new version of `doc`: only what changed since
 * the notebook's latest version when the document grew from it (the common
 * case: saves during editing), else the whole document (after a replacement,
 * a restore of something older, a fresh run, or a long chain).
 */
async function stateToStore(storage: Storage, notebookId: string, doc: Y.Doc): Promise<{ ydoc: Uint8Array; ydocBaseId: string | null }> {
  const whole = { ydoc: Y.encodeStateAsUpdate(doc), ydocBaseId: null };
  const [latest] = await storage.versions.list(notebookId);
  if (!latest) return whole;
  const chain = await versionStateChain(storage, latest.id);
  if (chain.length >= MAX_CHANGE_CHAIN) return whole;
  const base = Y.encodeStateVectorFromUpdate(Y.mergeUpdates(chain));
  if (!descendsFrom(doc, base)) return whole;
  return { ydoc: Y.encodeStateAsUpdate(doc, base), ydocBaseId: latest.id };
}

/**
 * `name`, or, when another version of the notebook has it, `name (2)`, `(3)`…:
 * the compare menus and the list must tell every version apart.
 */
async function freeVersionName(storage: Storage, notebookId: string, name: string): Promise<string> {
  const taken = new Set((await storage.versions.list(notebookId)).map((v) => v.name));
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = name.slice(0, MAX_VERSION_NAME - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Saves a version from a given document (for fresh runs: the executed one).
 * The Yjs state restores exactly; the nbformat JSON, kept with whole
 * versions, is what pages, downloads and diffs read.
 */
export async function saveVersionOfDoc(
  storage: Storage, notebookId: string, doc: Y.Doc,
  input: { name: string; author: VersionAuthor; kind: VersionKind; runResult?: unknown },
): Promise<VersionRecord> {
  const state = input.kind === 'quick' ? await stateToStore(storage, notebookId, doc) : { ydoc: Y.encodeStateAsUpdate(doc), ydocBaseId: null };
  // A stored change keeps no JSON copy: the notebook is derived from the rebuilt document when read.
  const nbformat = state.ydocBaseId === null ? serializeNotebook(docToNotebook(doc)) : null;
  return storage.versions.create({
    notebookId, name: await freeVersionName(storage, notebookId, input.name), authorId: input.author.id, authorName: input.author.name, kind: input.kind,
    nbformat, ...state, runResult: input.runResult,
  });
}

/**
 * "Quick save": the document as it stands, outputs included. The stored
 * document is the live one: the collab server stores every edit before it
 * shares it.
 */
export async function saveQuickVersion(storage: Storage, notebookId: string, input: { name: string; author: VersionAuthor }): Promise<VersionRecord> {
  const doc = await loadNotebookDoc(storage, notebookId);
  try {
    return await saveVersionOfDoc(storage, notebookId, doc, { ...input, kind: 'quick' });
  } finally {
    doc.destroy();
  }
}


/** The name of the version saved automatically just before `by` restores `restored`. */
export function beforeRestoreName(by: string, restored: string): string {
  return `Before ${by} restored “${restored}”`.slice(0, MAX_VERSION_NAME);
}

/**
 * Makes the notebook's document the version's again, under a new epoch: every
 * connected client reloads onto it (never merging its old replica, so nothing
 * is duplicated). With `by`, the document as it stood just before is first
 * saved as a version named for the restore, so text collaborators were typing
 * stays recoverable. Throws NotFoundError, ReplaceFailedError.
 */
export async function restoreVersion(
  storage: Storage, versionId: string, options: ReplaceOptions & { by?: VersionAuthor } = {},
): Promise<{ epoch: string; notebookId: string; backupName: string | null }> {
  const version = await storage.versions.get(versionId);
  if (!version) throw new NotFoundError(versionId);
  const state = await withCurrentThreads(storage, version.notebookId, await loadVersionState(storage, versionId));
  const backup = options.by
    ? await saveQuickVersion(storage, version.notebookId, { name: beforeRestoreName(options.by.name, version.name), author: options.by })
    : null;
  const { epoch } = await sendReplacement(version.notebookId, state, `Restore "${version.name}"`, {
    ...options, restore: { restoredVersionId: version.id, backupVersionId: backup?.id ?? null },
  });
  return { epoch, notebookId: version.notebookId, backupName: backup?.name ?? null };
}

/**
 * The version's state with the notebook's comment threads as they are now: a
 * restore brings back cells, never deletes the conversation about them (a
 * thread whose text the version lacks says its text is gone).
 */
async function withCurrentThreads(storage: Storage, notebookId: string, state: Uint8Array): Promise<Uint8Array> {
  const current = await loadNotebookDoc(storage, notebookId);
  const restored = new Y.Doc();
  try {
    Y.applyUpdate(restored, state);
    if (!copyThreads(current, restored)) return state;
    return Y.encodeStateAsUpdate(restored);
  } finally {
    current.destroy();
    restored.destroy();
  }
}

/** The title a fork gets. */
export function forkTitle(title: string): string {
  return `${title} (fork)`.slice(0, 200);
}

/**
 * Who owns a fork: an account (by id), or a workshop guest, who has no account
 * (the fork then gets no members; the guest's pass for it opens it as owner).
 */
export type ForkOwner = string | { guest: GuestOwner };

/**
 * "Copy & edit": a new notebook owned by `owner` with the content of the
 * notebook as it stands (or of one of its versions), recording where it came
 * from (and the workshop it was made in, for "Try it myself"). It shares
 * nothing with its source afterwards: its own document, its own kernel.
 */
export async function forkNotebook(
  storage: Storage, source: { notebookId: string; versionId?: string; workshopId?: string; withComments?: boolean }, owner: ForkOwner,
): Promise<NotebookRecord> {
  const record = await storage.notebooks.get(source.notebookId);
  if (!record) throw new NotFoundError(source.notebookId);
  let notebook: NotebookJSON;
  // Comments go with a fork only when asked (they are a conversation among the source's people).
  const commentsFrom = source.withComments ? new Y.Doc() : undefined;
  if (source.versionId) {
    const version = await storage.versions.get(source.versionId);
    if (!version || version.notebookId !== source.notebookId) throw new NotFoundError(source.versionId);
    notebook = await loadVersionNotebook(storage, source.versionId);
    if (commentsFrom) Y.applyUpdate(commentsFrom, await loadVersionState(storage, source.versionId));
  } else {
    const doc = await loadNotebookDoc(storage, source.notebookId);
    try {
      notebook = docToNotebook(doc);
      if (commentsFrom) Y.applyUpdate(commentsFrom, Y.encodeStateAsUpdate(doc));
    } finally {
      doc.destroy();
    }
  }
  const fork = await createNotebook(storage, {
    title: forkTitle(record.title), notebook, commentsFrom,
    forkedFrom: { notebookId: source.notebookId, versionId: source.versionId ?? null },
    workshopId: source.workshopId,
    guestOwner: typeof owner === 'string' ? undefined : owner.guest,
  });
  commentsFrom?.destroy();
  if (typeof owner === 'string') await storage.members.grant(fork.id, owner, 'owner');
  return fork;
}

/** The download formats of a published version. */
export const VERSION_DOWNLOADS = ['ipynb', 'stripped', 'py'] as const;
export type VersionDownload = (typeof VERSION_DOWNLOADS)[number];

/** A saved version as a file: .ipynb as saved, .ipynb without outputs, or a percent-format .py. Throws NotFoundError. */
export async function exportVersion(storage: Storage, versionId: string, format: VersionDownload, title: string): Promise<ExportedFile> {
  const notebook = await loadVersionNotebook(storage, versionId);
  switch (format) {
    case 'ipynb':
      return { fileName: fileNameFromTitle(title, 'ipynb'), contentType: 'application/x-ipynb+json', body: serializeNotebook(notebook) };
    case 'stripped':
      return { fileName: fileNameFromTitle(title, 'ipynb'), contentType: 'application/x-ipynb+json', body: serializeNotebook(stripOutputs(notebook)) };
    case 'py':
      return { fileName: fileNameFromTitle(title, 'py'), contentType: 'text/x-python; charset=utf-8', body: notebookToPercentScript(notebook) };
  }
}
