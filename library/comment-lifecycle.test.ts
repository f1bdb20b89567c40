// Comment threads across a notebook's life, against a real collab server and
// database: a restore keeps the threads made after the version (and a thread
// whose text the version lacks says so), a fork carries them only when asked,
// an export writes them only when asked, under the cells' metadata.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { CellKey, cellsOf } from '../notebook-model';
import { resolveAnchor, sourceAnchor } from '../notebook-model/comment-anchors';
import { readThreads, startThread } from '../notebook-model/comments';
import { parseNotebook } from '../notebook-model/nbformat';
import { startRig, waitFor, type Rig } from '../collab-server/test-rig';
import { exportNotebook } from './notebook-files';
import { forkNotebook, restoreVersion, saveQuickVersion } from './versions';
import { loadNotebookDoc } from './notebook-library';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig.close(); });

const collabUrl = () => `http://127.0.0.1:${rig.server.port}`;

test('a restore keeps every thread; one about text the version lacks says its text is gone', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const version = await saveQuickVersion(rig.storage, id, { name: 'before', author: { id: null, name: 'Ada' } });
  const ada = await rig.connect(id, { name: 'Ada' });
  const text = cellsOf(ada.doc).get(0).get(CellKey.source) as Y.Text;
  text.insert(text.length, '\ny = x + 1');
  const cell = cellsOf(ada.doc).get(0);
  startThread(ada.doc, { anchor: sourceAnchor(cell, 0, 5), author: { userId: 'user-Ada', name: 'Ada' }, body: 'about x' });
  startThread(ada.doc, { anchor: sourceAnchor(cell, 6, 15), author: { userId: 'user-Ada', name: 'Ada' }, body: 'about y' });
  await waitFor(async () => readThreads(await rig.stored(id)).length === 2, 'the threads to be stored');

  await restoreVersion(rig.storage, version.id, { collabUrl: collabUrl() });
  const restored = await loadNotebookDoc(rig.storage, id);
  assert.equal((cellsOf(restored).get(0).get(CellKey.source) as Y.Text).toString(), 'x = 1');
  const threads = readThreads(restored);
  assert.deepEqual(threads.map((t) => t.comments[0].body).sort(), ['about x', 'about y']);
  const state = (body: string) => resolveAnchor(restored, threads.find((t) => t.comments[0].body === body)!.anchor).state;
  assert.equal(state('about x'), 'live');
  assert.equal(state('about y'), 'gone');
  ada.destroy();
});

test('a fork carries the comments only when asked; an export writes them only when asked, under metadata.cellmate', async () => {
  const prisma = rig.storage.prismaClient as PrismaClient;
  const user = await prisma.user.create({ data: { id: randomUUID(), name: 'Bob', email: `bob-${randomUUID()}@example.test` } });
  const id = await rig.newNotebook(['print("hi")']);
  const ada = await rig.connect(id, { name: 'Ada' });
  startThread(ada.doc, { anchor: sourceAnchor(cellsOf(ada.doc).get(0), 0, 5), author: { userId: 'user-Ada', name: 'Ada' }, body: 'Why *print*?' });
  await waitFor(async () => readThreads(await rig.stored(id)).length === 1, 'the thread to be stored');

  const plain = await forkNotebook(rig.storage, { notebookId: id }, user.id);
  const withComments = await forkNotebook(rig.storage, { notebookId: id, withComments: true }, user.id);
  assert.equal(readThreads(await loadNotebookDoc(rig.storage, plain.id)).length, 0);
  const carried = await loadNotebookDoc(rig.storage, withComments.id);
  assert.deepEqual(readThreads(carried).map((t) => [t.author.name, t.comments[0].body]), [['Ada', 'Why *print*?']]);
  assert.equal(resolveAnchor(carried, readThreads(carried)[0].anchor).state, 'live');

  const without = parseNotebook((await exportNotebook(rig.storage, id, 'ipynb')).body);
  assert.equal(JSON.stringify(without).includes('Why *print*?'), false);
  const exported = parseNotebook((await exportNotebook(rig.storage, id, 'ipynb', { withComments: true })).body);
  const comments = (exported.cells[0].metadata as { cellmate?: { comments?: { anchor: { quote: string }; comments: { author: string; body: string }[] }[] } }).cellmate?.comments;
  assert.equal(comments?.length, 1);
  assert.equal(comments?.[0].anchor.quote, 'print');
  assert.deepEqual(comments?.[0].comments.map((c) => [c.author, c.body]), [['Ada', 'Why *print*?']]);
  ada.destroy();
});
