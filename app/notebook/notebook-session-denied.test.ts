// A page whose edit the real collab server refused (its role became read-only
// while it typed) must not keep a replica that has diverged from the shared
// document: the session ends for a reload from the server's copy, with the
// server's reason for the page to show.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as Y from 'yjs';
import { WebSocket } from 'ws';
import { cellsOf } from '../../notebook-model';
import { startRig, waitFor, sourceOf, type Rig } from '../../collab-server/test-rig';
import { NotebookSession } from './notebook-session';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig.close(); });

test('an edit refused by the server ends the session for a reload, and the shared document never sees it', async () => {
  const id = await rig.newNotebook(['shared']);
  const record = await rig.storage.notebooks.get(id);
  let replaced = 0;
  let refusal: string | undefined;
  const session = new NotebookSession({
    collabUrl: rig.url,
    notebookId: id,
    token: await rig.token(id, 'viewer', 'Vic'),
    epoch: record!.epoch,
    user: { name: 'Vic', color: '#3a86ff' },
    onReplaced: (reason) => { replaced++; refusal = reason; },
    onStopped: () => {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  try {
    await waitFor(() => session.provider.synced, 'the session to sync');
    await waitFor(() => replaced === 0 && session.provider.wsconnected, 'a quiet connection');
    // The edit a read-only page should never make (typed in the instant before a demotion).
    (cellsOf(session.doc).get(0).get('source') as Y.Text).insert(0, 'local ');
    await waitFor(() => replaced === 1, 'the session to end for a reload');
    assert.match(refusal ?? '', /read-only/, 'the page is given the reason the server refused the edit');
    assert.equal(sourceOf(await rig.stored(id), 0), 'shared');
  } finally {
    session.destroy();
  }
});
