// Notebooks in and out of files: import a .ipynb or percent-format .py file as a
// new notebook, export a notebook as .ipynb (with or without outputs), .py or
// HTML, and replace a notebook's content with a file ("Replace with file…").
//
// Invariants:
// - a file is parsed and validated completely before anything is stored, so a
//   refused file leaves no notebook behind and never touches an existing one;
// - an existing notebook's document may be open in browsers, so it is replaced
//   only through the collab server (which bumps the epoch and makes connected
//   clients reload), never by writing storage directly.
import * as Y from 'yjs';
import { docToNotebook, notebookToDoc } from '../notebook-model';
import {
  NotebookFormatError, notebookToHtml, notebookToPercentScript, parseNotebook, percentScriptToNotebook,
  serializeNotebook, stripOutputs, type NotebookJSON,
} from '../notebook-model/nbformat';
import { signNotebookToken } from '../auth/notebook-token';
import { ports } from '../config/env';
import type { RestoreNotice } from '../notebook-model/service-protocol';
import { NotFoundError, type NotebookRecord, type Storage } from '../storage';
import { createNotebook, loadNotebookDoc, loadNotebookJSON } from './notebook-library';
import { readThreads } from '../notebook-model/comments';
import { notebookWithComments } from '../notebook-model/comments-export';

/** Largest file accepted for import (bytes of UTF-8 text). */
export const MAX_NOTEBOOK_FILE_BYTES = 100 * 1024 * 1024;

/** Largest upload request (its files and the multipart framing around them), refused while it streams in. */
export const MAX_UPLOAD_BODY_BYTES = MAX_NOTEBOOK_FILE_BYTES + 1024 * 1024;

export const EXPORT_FORMATS = ['ipynb', 'stripped', 'py', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

export interface NotebookFile {
  /** The file's name as the user gave it (a path is allowed; only its last part counts). */
  fileName: string;
  text: string;
}

export interface ExportedFile {
  fileName: string;
  contentType: string;
  body: string;
}

/**
 * A file that is not a notebook Cellmate reads, for a reason other than its
 * content (wrong extension, empty, too large). Content problems throw
 * NotebookFormatError instead.
 */
export class UnsupportedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedFileError';
  }
}

/** The collab server refused or could not be reached while replacing a document. */
export class ReplaceFailedError extends Error {
  /** HTTP status the collab server answered, or undefined when it was unreachable. */
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'ReplaceFailedError';
    this.status = status;
  }
}

const PYTHON_METADATA = {
  kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
  language_info: { name: 'python' },
};

function baseName(fileName: string): string {
  return fileName.split(/[\\/]/).pop() ?? fileName;
}

/** The notebook title a file name suggests: its last path part without the extension. */
export function titleFromFileName(fileName: string): string {
  const title = baseName(fileName).replace(/\.(ipynb|py)$/i, '').trim();
  return title || 'Untitled';
}

/** Checks a file's size before reading it, so a huge upload is refused without buffering it. */
export function checkFileSize(fileName: string, bytes: number): void {
  if (bytes > MAX_NOTEBOOK_FILE_BYTES) {
    const mb = (bytes / 1024 / 1024).toFixed(0);
    throw new UnsupportedFileError(`${baseName(fileName)} is ${mb} MB; notebooks larger than 100 MB cannot be imported (clear large outputs in Jupyter first)`);
  }
}

/**
 * Parses a .ipynb or percent-format .py file into a validated notebook.
 * @throws NotebookFormatError for content problems, UnsupportedFileError otherwise.
 */
export function notebookFromFile(file: NotebookFile): NotebookJSON {
  const name = baseName(file.fileName);
  const kind = /\.ipynb$/i.test(name) ? 'ipynb' : /\.py$/i.test(name) ? 'py' : undefined;
  if (!kind) {
    throw new UnsupportedFileError(`${name}: only Jupyter notebooks (.ipynb) and percent-format Python scripts (.py) can be imported`);
  }
  checkFileSize(name, Buffer.byteLength(file.text, 'utf8'));
  if (file.text.trim() === '') throw new UnsupportedFileError(`${name} is empty`);
  if (kind === 'ipynb') return parseNotebook(file.text);
  // A script is checked with the same reader as a .ipynb file, so both kinds obey one schema.
  return parseNotebook(serializeNotebook(percentScriptToNotebook(file.text, { metadata: PYTHON_METADATA })));
}

/** Imports a file as a new notebook titled after the file. Nothing is created when the file is refused. */
export async function importNotebookFile(storage: Storage, file: NotebookFile): Promise<NotebookRecord> {
  const notebook = notebookFromFile(file);
  return createNotebook(storage, { title: titleFromFileName(file.fileName), notebook });
}

/** A file name safe on every common file system, from a notebook title. */
export function fileNameFromTitle(title: string, extension: string): string {
  const safe = title
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.-]+|[\s.]+$/g, '')
    .slice(0, 120)
    .trim();
  return `${safe || 'notebook'}.${extension}`;
}

/**
 * A notebook as a downloadable file. `stripped` is the .ipynb without outputs,
 * execution counts or volatile metadata (for version control); it keeps the
 * plain .ipynb name since it is the same notebook file.
 * @throws NotFoundError for an unknown notebook.
 */
export async function exportNotebook(storage: Storage, id: string, format: ExportFormat, options: { withComments?: boolean } = {}): Promise<ExportedFile> {
  const record = await storage.notebooks.get(id);
  if (!record) throw new NotFoundError(id);
  const nb = options.withComments ? await loadNotebookWithComments(storage, id) : await loadNotebookJSON(storage, id);
  switch (format) {
    case 'ipynb':
      return { fileName: fileNameFromTitle(record.title, 'ipynb'), contentType: 'application/x-ipynb+json', body: serializeNotebook(nb) };
    case 'stripped':
      return { fileName: fileNameFromTitle(record.title, 'ipynb'), contentType: 'application/x-ipynb+json', body: serializeNotebook(stripOutputs(nb)) };
    case 'py':
      return { fileName: fileNameFromTitle(record.title, 'py'), contentType: 'text/x-python; charset=utf-8', body: notebookToPercentScript(nb) };
    case 'html':
      return { fileName: fileNameFromTitle(record.title, 'html'), contentType: 'text/html; charset=utf-8', body: notebookToHtml(nb, { title: record.title }) };
  }
}

/** The notebook with its comment threads in its cells' metadata (an export asked for them). */
async function loadNotebookWithComments(storage: Storage, id: string): Promise<NotebookJSON> {
  const doc = await loadNotebookDoc(storage, id);
  try {
    return notebookWithComments(docToNotebook(doc), readThreads(doc));
  } finally {
    doc.destroy();
  }
}

export interface ReplaceOptions {
  /** Base URL of the collab server; defaults to this machine's COLLAB_PORT. */
  collabUrl?: string;
}

/**
 * Replaces a notebook's whole content with a file, through the collab server,
 * which bumps the document's epoch and makes connected clients reload.
 * The file is validated first; a refused file changes nothing.
 * @throws NotebookFormatError / UnsupportedFileError for the file, NotFoundError
 *   for an unknown notebook, ReplaceFailedError when the collab server refuses or is down.
 */
export async function replaceNotebookFromFile(
  storage: Storage, id: string, file: NotebookFile, options: ReplaceOptions = {},
): Promise<{ epoch: string }> {
  const notebook = notebookFromFile(file);
  if (!(await storage.notebooks.get(id))) throw new NotFoundError(id);
  const doc = notebookToDoc(notebook);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return sendReplacement(id, state, 'Replace with file', options);
}

/**
 * Sends a whole new document state for notebook `id` to the collab server, which
 * stores it under a new epoch and makes connected clients reload.
 * @throws NotFoundError, ReplaceFailedError.
 */
export async function sendReplacement(
  id: string, state: Uint8Array, actorName: string, options: ReplaceOptions & { restore?: RestoreNotice } = {},
): Promise<{ epoch: string }> {
  // Minted here, short-lived and never sent to a browser: the server acts as the owner.
  const token = await signNotebookToken({ notebookId: id, role: 'owner', name: actorName, userId: 'server-replace' }, 60);
  const base = options.collabUrl ?? `http://localhost:${ports.collab}`;
  let response: Response;
  try {
    // A restore names its versions, so the pages that reload can say who restored what.
    const query = options.restore
      ? `?${new URLSearchParams({ restored: options.restore.restoredVersionId, ...(options.restore.backupVersionId ? { backup: options.restore.backupVersionId } : {}) })}`
      : '';
    response = await fetch(`${base}/notebooks/${encodeURIComponent(id)}/replace${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(state), // typed over a plain ArrayBuffer, as fetch requires
    });
  } catch (err) {
    throw new ReplaceFailedError(`the collab server at ${base} is not reachable (${(err as Error).message}); start Cellmate with "npm start" and try again`);
  }
  if (response.status === 404) throw new NotFoundError(id);
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: unknown } | undefined;
    const detail = typeof body?.error === 'string' ? body.error.slice(0, 300) : '';
    throw new ReplaceFailedError(`the collab server refused the replacement (HTTP ${response.status}${detail ? `: ${detail}` : ''})`, response.status);
  }
  const { epoch } = (await response.json()) as { epoch?: unknown };
  if (typeof epoch !== 'string' && typeof epoch !== 'number') {
    throw new ReplaceFailedError('the collab server answered without the new epoch', response.status);
  }
  return { epoch: String(epoch) };
}

export { NotebookFormatError };
