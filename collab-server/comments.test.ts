// Comment threads through the collab server over real sockets and a real
// database: who may write what in the `comments` root, whatever a client sends.
import { randomUUID } from 'node:crypto';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { cellsOf, CellKey, CommentKey, commentsOf, ThreadKey } from '../notebook-model';
import { cellAnchor, sourceAnchor } from '../notebook-model/comment-anchors';
import {
  deleteComment, editComment, maxCommentBodyChars, readThreads, replyToThread, setThreadResolved, startThread, toggleReaction,
  type CommentAuthor,
} from '../notebook-model/comments';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { startRig, waitFor, sourceOf, type Client, type Rig } from './test-rig';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig.close(); });

const person = (name: string): CommentAuthor => ({ userId: `user-${name}`, name });
const threadsIn = (doc: Y.Doc) => readThreads(doc);

/** Waits until `client` has been refused once more than `before`; returns the refusal. */
async function nextDenial(client: Client, before: number, what: string): Promise<string> {
  await waitFor(() => client.denials.length > before, what);
  return client.denials[before];
}

test('a commenter\'s thread is stored and seen live by everyone; replies, reactions and resolving work', async () => {
  const id = await rig.newNotebook(['x = 1\ny = 2']);
  const owner = await rig.connect(id, { role: 'owner', name: 'Olga' });
  const cora = await rig.connect(id, { role: 'commenter', name: 'Cora' });
  const cell = cellsOf(cora.doc).get(0);
  const threadId = startThread(cora.doc, { anchor: sourceAnchor(cell, 6, 11), author: person('Cora'), body: 'Why **y**?' });

  await waitFor(() => threadsIn(owner.doc).length === 1, 'the owner to see the commenter\'s thread');
  const [thread] = threadsIn(owner.doc);
  assert.equal(thread.author.name, 'Cora');
  assert.equal(thread.anchor.quote, 'y = 2');
  assert.equal(thread.comments[0].body, 'Why **y**?');

  replyToThread(owner.doc, threadId, person('Olga'), 'Because.');
  await waitFor(() => threadsIn(cora.doc)[0]?.comments.length === 2, 'the commenter to see the reply');
  toggleReaction(cora.doc, threadId, threadsIn(cora.doc)[0].comments[1].id, '👍', 'user-Cora');
  setThreadResolved(cora.doc, threadId, true);
  await waitFor(() => threadsIn(owner.doc)[0]?.resolved && threadsIn(owner.doc)[0].comments[1].reactions['👍']?.[0] === 'user-Cora', 'the owner to see the reaction and the resolution');

  const stored = readThreads(await rig.stored(id));
  assert.equal(stored.length, 1);
  assert.equal(stored[0].comments.length, 2);
  assert.equal(stored[0].resolved, true);
  assert.equal(cora.denials.length, 0);
});

test('a viewer\'s crafted thread is refused and never reaches storage or anyone else', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const owner = await rig.connect(id, { role: 'owner', name: 'Olga' });
  const vic = await rig.connect(id, { role: 'viewer', name: 'Vic' });
  startThread(vic.doc, { anchor: cellAnchor(cellsOf(vic.doc).get(0)), author: person('Vic'), body: 'let me in' });
  assert.match(await nextDenial(vic, 0, 'the viewer to be refused'), /read-only/);
  // The owner's own comment afterwards arrives, and the viewer's never did.
  startThread(owner.doc, { anchor: cellAnchor(cellsOf(owner.doc).get(0)), author: person('Olga'), body: 'owner note' });
  await waitFor(async () => readThreads(await rig.stored(id)).length === 1, 'the owner\'s thread to be stored');
  assert.deepEqual(readThreads(await rig.stored(id)).map((t) => t.author.name), ['Olga']);
  assert.deepEqual(threadsIn(owner.doc).map((t) => t.author.name), ['Olga']);
});

test('a commenter\'s crafted cell edit is refused, alone or riding along with a comment', async () => {
  const id = await rig.newNotebook(['secret = 1']);
  const owner = await rig.connect(id, { role: 'owner', name: 'Olga' });
  const cora = await rig.connect(id, { role: 'commenter', name: 'Cora' });
  (cellsOf(cora.doc).get(0).get(CellKey.source) as Y.Text).insert(0, 'import os; ');
  assert.match(await nextDenial(cora, 0, 'the cell edit to be refused'), /commenter may only comment/);

  const sneaky = await rig.connect(id, { role: 'commenter', name: 'Sam' });
  sneaky.doc.transact(() => {
    startThread(sneaky.doc, { anchor: cellAnchor(cellsOf(sneaky.doc).get(0)), author: person('Sam'), body: 'innocent' });
    (cellsOf(sneaky.doc).get(0).get(CellKey.source) as Y.Text).insert(0, '!rm -rf / ');
  });
  assert.match(await nextDenial(sneaky, 0, 'the mixed update to be refused'), /commenter may only comment/);

  (cellsOf(owner.doc).get(0).get(CellKey.source) as Y.Text).insert(0, '# ok\n');
  await waitFor(async () => sourceOf(await rig.stored(id), 0) === '# ok\nsecret = 1', 'the owner\'s edit to be stored alone');
  assert.equal(readThreads(await rig.stored(id)).length, 0);
});

test('nobody can write as someone else: not as another author, not edit, delete or react for them', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const owner = await rig.connect(id, { role: 'owner', name: 'Olga' });
  const cora = await rig.connect(id, { role: 'commenter', name: 'Cora' });
  const eve = await rig.connect(id, { role: 'editor', name: 'Eve' });

  // A thread in someone else's name, or under its real id with another display name.
  startThread(eve.doc, { anchor: cellAnchor(cellsOf(eve.doc).get(0)), author: person('Cora'), body: 'I am Cora' });
  assert.match(await nextDenial(eve, 0, 'impersonation to be refused'), /author must be you/);
  const mallory = await rig.connect(id, { role: 'commenter', name: 'Mallory' });
  startThread(mallory.doc, { anchor: cellAnchor(cellsOf(mallory.doc).get(0)), author: { userId: 'user-Mallory', name: 'Olga' }, body: 'hi' });
  assert.match(await nextDenial(mallory, 0, 'a false display name to be refused'), /author must be you/);

  const threadId = startThread(cora.doc, { anchor: cellAnchor(cellsOf(cora.doc).get(0)), author: person('Cora'), body: 'mine' });
  const eve2 = await rig.connect(id, { role: 'editor', name: 'Eve' });
  await waitFor(() => threadsIn(eve2.doc).length === 1, 'Eve to see Cora\'s thread');
  const commentId = threadsIn(eve2.doc)[0].comments[0].id;
  editComment(eve2.doc, threadId, commentId, 'Cora agrees with Eve');
  assert.match(await nextDenial(eve2, 0, 'editing another\'s comment to be refused'), /only its author can edit/);

  const eve3 = await rig.connect(id, { role: 'editor', name: 'Eve' });
  deleteComment(eve3.doc, threadId, commentId);
  assert.match(await nextDenial(eve3, 0, 'an editor deleting another\'s comment to be refused'), /only its author or the owner/);

  const eve4 = await rig.connect(id, { role: 'editor', name: 'Eve' });
  toggleReaction(eve4.doc, threadId, commentId, '🎉', 'user-Cora');
  assert.match(await nextDenial(eve4, 0, 'a reaction for someone else to be refused'), /only add or take back your own reactions/);

  const eve5 = await rig.connect(id, { role: 'editor', name: 'Eve' });
  eve5.doc.transact(() => commentsOf(eve5.doc).delete(threadId));
  assert.match(await nextDenial(eve5, 0, 'removing a thread to be refused'), /only the owner can remove a thread/);

  const eve6 = await rig.connect(id, { role: 'editor', name: 'Eve' });
  eve6.doc.transact(() => (commentsOf(eve6.doc).get(threadId)!.get(ThreadKey.comments) as Y.Array<unknown>).delete(0, 1));
  assert.match(await nextDenial(eve6, 0, 'removing a comment from the list to be refused'), /deleted by marking it/);

  // The owner may delete anyone's comment (it stays, emptied), and nothing of the refused changes was stored.
  await waitFor(() => threadsIn(owner.doc).length === 1, 'the owner to see the thread');
  deleteComment(owner.doc, threadId, commentId);
  await waitFor(async () => readThreads(await rig.stored(id))[0]?.comments[0].deleted, 'the owner\'s deletion to be stored');
  const [stored] = readThreads(await rig.stored(id));
  assert.deepEqual(stored.comments.map((c) => [c.author.name, c.body, c.deleted, c.reactions]), [['Cora', '', true, {}]]);
  assert.equal(owner.denials.length, 0);
});

test('comment size and shape are checked like cells: an over-long body and a malformed thread are refused', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const cora = await rig.connect(id, { role: 'commenter', name: 'Cora' });
  startThread(cora.doc, { anchor: cellAnchor(cellsOf(cora.doc).get(0)), author: person('Cora'), body: 'x'.repeat(maxCommentBodyChars + 1) });
  assert.match(await nextDenial(cora, 0, 'an over-long body to be refused'), /body is longer than/);

  const carl = await rig.connect(id, { role: 'commenter', name: 'Carl' });
  carl.doc.transact(() => {
    const thread = new Y.Map<unknown>();
    thread.set(ThreadKey.id, 'bogus');
    thread.set(ThreadKey.anchor, { cellId: 'cell-0', kind: 'source', start: 'not base64!', end: '', quote: '' });
    commentsOf(carl.doc).set('bogus', thread);
  });
  assert.match(await nextDenial(carl, 0, 'a malformed thread to be refused'), /comments\.bogus/);

  const cid = await rig.connect(id, { role: 'commenter', name: 'Cid' });
  const threadId = startThread(cid.doc, { anchor: cellAnchor(cellsOf(cid.doc).get(0)), author: person('Cid'), body: 'ok' });
  await waitFor(async () => readThreads(await rig.stored(id)).length === 1, 'a good thread to be stored');
  cid.doc.transact(() => commentsOf(cid.doc).get(threadId)!.set(ThreadKey.author, { userId: 'user-Cid', name: 'Cid', admin: true }));
  assert.match(await nextDenial(cid, 0, 'changing a thread\'s author to be refused'), /cannot change once the thread exists/);
  const comment = (commentsOf(await rig.stored(id)).get(threadId)!.get(ThreadKey.comments) as Y.Array<Y.Map<unknown>>).get(0);
  assert.equal(comment.get(CommentKey.body), 'ok');
});

test('a mention of a member is recorded for their notebook list once accepted; non-members and refused comments are not', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const prisma = rig.storage.prismaClient as PrismaClient;
  const member = await prisma.user.create({ data: { id: randomUUID(), name: 'Mia', email: `mia-${randomUUID()}@example.test` } });
  const stranger = await prisma.user.create({ data: { id: randomUUID(), name: 'Stan', email: `stan-${randomUUID()}@example.test` } });
  await rig.storage.members.grant(id, member.id, 'viewer');

  const cora = await rig.connect(id, { role: 'commenter', name: 'Cora' });
  startThread(cora.doc, { anchor: cellAnchor(cellsOf(cora.doc).get(0)), author: person('Cora'), body: '@Mia @Stan look', mentions: [member.id, stranger.id] });
  await waitFor(async () => (await rig.storage.mentions.unseenByNotebook(member.id)).get(id) === 1, 'the member\'s mention to be recorded');
  assert.equal((await rig.storage.mentions.unseenByNotebook(stranger.id)).size, 0);

  // A refused comment (written in someone else's name) mentions nobody.
  const eve = await rig.connect(id, { role: 'editor', name: 'Eve' });
  startThread(eve.doc, { anchor: cellAnchor(cellsOf(eve.doc).get(0)), author: person('Cora'), body: '@Mia again', mentions: [member.id] });
  await nextDenial(eve, 0, 'the impersonating comment to be refused');
  await rig.stored(id);
  assert.equal((await rig.storage.mentions.unseenByNotebook(member.id)).get(id), 1);

  await rig.storage.mentions.markSeen(id, member.id);
  assert.equal((await rig.storage.mentions.unseenByNotebook(member.id)).size, 0);
});
