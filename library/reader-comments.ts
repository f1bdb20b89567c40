// Comments from readers of a published page, for the notebook's author. Off
// unless the owner allowed them on that publication, and only for signed-in
// readers. A reader has no role on the notebook, so the app joins the collab
// server for them with a one-minute commenter token naming the reader (their
// account id and name) and writes the thread there: the server checks it
// exactly as it checks anyone's comment (author = token, size, shape, no cell
// edits), and the thread reaches the author's open notebook live. The thread
// is anchored on the cell, by id, in the live notebook.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { readVarString, readVarUint } from 'lib0/decoding';
import { signNotebookToken } from '../auth/notebook-token';
import { collabInternalUrl } from '../config/env';
import { commentsOf } from '../notebook-model';
import { maxCommentBodyChars, maxQuoteChars, startThread, type CommentAuthor } from '../notebook-model/comments';
import { NotFoundError, type Storage } from '../storage';
import { ReaderCommentRefused } from './reader-comment-refused';
import { loadVersionNotebook } from './version-content';

/** How long the app waits for the collab server to take a reader's comment. */
const writeTimeoutMs = 10_000;


/**
 * Leaves `body` on cell `cellId` of the notebook published at `slug`, as
 * `reader`; returns the thread's id once the collab server took it.
 * @throws NotFoundError (no such publication), ReaderCommentRefused.
 */
export async function leaveReaderComment(
  storage: Storage, input: { slug: string; reader: CommentAuthor; cellId: string; body: string }, options: { collabUrl?: string } = {},
): Promise<string> {
  const version = await storage.versions.bySlug(input.slug);
  if (!version) throw new NotFoundError(input.slug);
  if (!version.readerComments) throw new ReaderCommentRefused(403, 'The author does not take comments on this page.');
  const body = input.body.trim();
  if (!body) throw new ReaderCommentRefused(400, 'Write something first.');
  if (input.body.length > maxCommentBodyChars) throw new ReaderCommentRefused(400, `A comment is at most ${maxCommentBodyChars} characters.`);
  const cell = (await loadVersionNotebook(storage, version.id)).cells.find((c) => c.id === input.cellId);
  if (!cell) throw new ReaderCommentRefused(400, 'That cell is not on this page.');

  const token = await signNotebookToken({ notebookId: version.notebookId, role: 'commenter', name: input.reader.name, userId: input.reader.userId }, 60);
  const base = (options.collabUrl ?? collabInternalUrl()).replace(/^http/, 'ws');
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(base, version.notebookId, doc, {
    params: { token }, disableBc: true, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
  });
  let refusal: string | null = null;
  provider.messageHandlers[2] = (_encoder, decoder) => {
    if (readVarUint(decoder) === 0) refusal = readVarString(decoder); // 0: permission denied
  };
  try {
    await until(() => provider.synced, 'the notebook to open');
    const threadId = startThread(doc, {
      anchor: { cellId: input.cellId, kind: 'cell', quote: cell.source.slice(0, maxQuoteChars) },
      author: { userId: input.reader.userId, name: input.reader.name },
      body,
    });
    // Stored once another look at the server's copy holds it (the server applies an update only once stored).
    const check = new Y.Doc();
    try {
      await until(async () => {
        if (refusal) throw new ReaderCommentRefused(403, `The comment was refused: ${refusal}`);
        const { snapshot, updates } = await storage.documents.load(version.notebookId);
        check.transact(() => { if (snapshot) Y.applyUpdate(check, snapshot); for (const u of updates) Y.applyUpdate(check, u); });
        return commentsOf(check).has(threadId);
      }, 'the comment to be stored');
    } finally {
      check.destroy();
    }
    return threadId;
  } finally {
    provider.destroy();
    provider.awareness.destroy();
    doc.destroy();
  }
}

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + writeTimeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new ReaderCommentRefused(503, `Cellmate could not save the comment in time (waiting for ${what}); try again.`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
