// Reader comments on a published page, against a real collab server and
// database: refused until the owner allows them, then written through the
// collab server as the reader (their account, commenter rights), seen live by
// the author in the notebook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readThreads } from '../notebook-model/comments';
import { startRig, waitFor, type Rig } from '../collab-server/test-rig';
import { NotFoundError } from '../storage';
import { leaveReaderComment } from './reader-comments';
import { ReaderCommentRefused } from './reader-comment-refused';
import { saveQuickVersion } from './versions';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig.close(); });

test('a reader comments on a published cell only once the owner allowed it; the author sees it live', async () => {
  const id = await rig.newNotebook(['print("published")']);
  const version = await saveQuickVersion(rig.storage, id, { name: 'v1', author: { id: null, name: 'Olga' } });
  const slug = await rig.storage.versions.publish(version.id, { publishedBy: 'user-Olga', slugPrefix: 'study' });
  const collabUrl = `http://127.0.0.1:${rig.server.port}`;
  const reader = { userId: 'account-rita', name: 'Rita' };
  const comment = { slug, reader, cellId: 'cell-0', body: 'Lovely **plot**' };

  await assert.rejects(leaveReaderComment(rig.storage, comment, { collabUrl }), (err) => err instanceof ReaderCommentRefused && err.status === 403);
  await assert.rejects(leaveReaderComment(rig.storage, { ...comment, slug: 'no-such-page' }, { collabUrl }), NotFoundError);
  assert.equal(await rig.storage.versions.setReaderComments(version.id, true), true);
  await assert.rejects(leaveReaderComment(rig.storage, { ...comment, cellId: 'not-a-cell' }, { collabUrl }), (err) => err instanceof ReaderCommentRefused && err.status === 400);

  const author = await rig.connect(id, { role: 'owner', name: 'Olga' });
  const threadId = await leaveReaderComment(rig.storage, comment, { collabUrl });
  await waitFor(() => readThreads(author.doc).some((t) => t.id === threadId), 'the author to see the reader\'s comment live');
  const [thread] = readThreads(await rig.stored(id));
  assert.deepEqual([thread.author, thread.anchor.kind, thread.anchor.cellId, thread.comments[0].body], [reader, 'cell', 'cell-0', 'Lovely **plot**']);
  author.destroy();
});
