// The collab server over real sockets and a real SQLite database, with the same
// y-websocket client the browser uses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { WebSocket } from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { kernelBridgeUserId, signNotebookToken } from '../auth/notebook-token';
import { insertCell, cellsOf } from '../notebook-model';
import { startRig, upgradeStatus, waitFor, sourceOf, type Rig } from './test-rig';
import { request as httpRequest } from 'node:http';
import { API_ERROR, closeCodes, restoreNoticeOf } from '../notebook-model/service-protocol';

let rig: Rig;
before(async () => { rig = await startRig({ idleUnloadMs: 200 }); });
after(async () => { await rig.close(); });

test('a socket without a valid token for the notebook is refused before it opens', async () => {
  const id = await rig.newNotebook();
  const other = await rig.newNotebook();
  const good = await rig.token(id);
  const tampered = good.slice(0, -3) + (good.endsWith('AAA') ? 'BBB' : 'AAA');
  const expired = await signNotebookToken({ notebookId: id, role: 'editor', name: 'Old', userId: 'u' }, -10);
  assert.equal(await upgradeStatus(`${rig.url}/${id}`), 401);
  assert.equal(await upgradeStatus(`${rig.url}/${id}?token=${tampered}`), 401);
  assert.equal(await upgradeStatus(`${rig.url}/${id}?token=${expired}`), 401);
  assert.equal(await upgradeStatus(`${rig.url}/${other}?token=${good}`), 403);
  const ghost = await rig.token('no-such-notebook');
  assert.equal(await upgradeStatus(`${rig.url}/no-such-notebook?token=${ghost}`), 404);
  assert.equal(await upgradeStatus(`${rig.url}/${id}?token=${good}`), 101);
});

test('two clients see each other\'s edits, and an edit is stored before anyone else sees it', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const ada = await rig.connect(id, { name: 'Ada' });
  const bob = await rig.connect(id, { name: 'Bob' });
  assert.equal(sourceOf(bob.doc, 0), 'x = 1');

  // Each time Bob's replica changes, the database must already hold that state.
  const checks: Promise<void>[] = [];
  bob.doc.on('update', () => {
    const seen = sourceOf(bob.doc, 0);
    checks.push(rig.stored(id).then((stored) => assert.ok(sourceOf(stored, 0).startsWith(seen.slice(0, sourceOf(stored, 0).length)) && sourceOf(stored, 0).length >= seen.length, `stored "${sourceOf(stored, 0)}" lags behind seen "${seen}"`)));
  });
  const text = cellsOf(ada.doc).get(0).get('source') as Y.Text;
  for (const ch of '\nprint(x)') text.insert(text.length, ch);
  await waitFor(() => sourceOf(bob.doc, 0) === 'x = 1\nprint(x)', 'Bob to see Ada\'s typing');
  await Promise.all(checks);
  assert.ok(checks.length > 0);

  bob.doc.transact(() => insertCell(bob.doc, 1, { cell_type: 'markdown', source: '# Notes' }));
  await waitFor(() => cellsOf(ada.doc).length === 2, 'Ada to see Bob\'s new cell');
  assert.equal(sourceOf(ada.doc, 1), '# Notes');

  // A third client joining late gets the whole state in its first sync.
  const cyd = await rig.connect(id, { name: 'Cyd' });
  assert.deepEqual(cellsOf(cyd.doc).toArray().map((c) => (c.get('source') as Y.Text).toString()), ['x = 1\nprint(x)', '# Notes']);
  ada.destroy();
  bob.destroy();
  cyd.destroy();
});

test('a viewer\'s crafted update is refused: never stored, never broadcast', async () => {
  const id = await rig.newNotebook(['secret = 42']);
  const owner = await rig.connect(id, { name: 'Owner' });
  const viewer = await rig.connect(id, { role: 'viewer', name: 'Vic' });
  assert.equal(sourceOf(viewer.doc, 0), 'secret = 42');

  // The viewer edits its own replica; the client sends the update as usual.
  (cellsOf(viewer.doc).get(0).get('source') as Y.Text).insert(0, 'import os; ');
  // And a hand-made sync step 2 straight on a raw socket.
  const crafted = new Y.Doc();
  Y.applyUpdate(crafted, Y.encodeStateAsUpdate(owner.doc));
  (cellsOf(crafted).get(0).get('source') as Y.Text).insert(0, 'HACKED ');
  const raw = new WebSocket(`${rig.url}/${id}?token=${await rig.token(id, 'viewer', 'Mallory')}`);
  await new Promise((r) => raw.once('open', r));
  const answers: number[] = [];
  raw.on('message', (data: Buffer) => answers.push(data[0]));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep2(encoder, crafted, Y.encodeStateVector(owner.doc));
  raw.send(encoding.toUint8Array(encoder));

  await waitFor(() => viewer.denials.length > 0 && answers.includes(2), 'both viewers to be told permission denied');
  assert.match(viewer.denials[0], /read-only/);
  // A later owner edit reaches the viewer, proving the channel works and the crafted ones were dropped before it.
  (cellsOf(owner.doc).get(0).get('source') as Y.Text).insert(0, '# ok\n');
  await waitFor(() => sourceOf(viewer.doc, 0).includes('# ok'), 'the viewer to see the owner\'s edit');
  const stored = await rig.stored(id);
  assert.equal(sourceOf(stored, 0), '# ok\nsecret = 42');
  assert.equal(sourceOf(owner.doc, 0), '# ok\nsecret = 42');
  raw.close();
  owner.destroy();
  viewer.destroy();
});

test('a viewer that only reads is never told it was denied, even for a document with deletions', async () => {
  const id = await rig.newNotebook(['abcdef']);
  const owner = await rig.connect(id);
  (cellsOf(owner.doc).get(0).get('source') as Y.Text).delete(1, 3);
  await waitFor(async () => sourceOf(await rig.stored(id), 0) === 'aef', 'the deletion to be stored');
  const viewer = await rig.connect(id, { role: 'viewer', name: 'Vic' });
  assert.equal(sourceOf(viewer.doc, 0), 'aef');
  // A query answered after the sync proves the server has handled the viewer's sync reply.
  viewer.provider.ws!.send(new Uint8Array([3]));
  await waitFor(() => viewer.provider.awareness.getStates().size >= 1, 'an awareness answer');
  await new Promise<void>((resolve) => viewer.provider.ws!.addEventListener('message', () => resolve(), { once: true }));
  assert.deepEqual(viewer.denials, []);
  owner.destroy();
  viewer.destroy();
});

test('after a restart the document is served whole, and a returning client duplicates nothing', async () => {
  const id = await rig.newNotebook(['a = 1', 'b = 2']);
  const ada = await rig.connect(id);
  ada.doc.transact(() => insertCell(ada.doc, 2, { cell_type: 'code', source: 'c = 3' }));
  await waitFor(async () => cellsOf(await rig.stored(id)).length === 3, 'the new cell to be stored');
  const before = ada.doc;
  ada.destroy();

  await rig.restart();
  // Ada's tab kept its doc while the server was down and edits offline.
  (cellsOf(before).get(0).get('source') as Y.Text).insert(5, '  # offline');
  const back = await rig.connect(id, { doc: before });
  const fresh = await rig.connect(id, { name: 'Bob' });
  await waitFor(() => sourceOf(fresh.doc, 0) === 'a = 1  # offline', 'the offline edit to arrive');
  assert.deepEqual(cellsOf(fresh.doc).toArray().map((c) => c.get('id')), ['cell-0', 'cell-1', cellsOf(before).get(2).get('id')]);
  assert.equal(cellsOf(back.doc).length, 3);
  back.destroy();
  fresh.destroy();
});

test('a client holding an older epoch is told to reload (4409), and so is everyone when the document is replaced', async () => {
  const id = await rig.newNotebook(['old']);
  const record = await rig.storage.notebooks.get(id);
  const current = await rig.connect(id, { epoch: record!.epoch });
  const stale = await rig.open(id, { epoch: 'some-older-epoch' });
  await waitFor(() => stale.closes.length > 0, 'the stale client to be closed');
  assert.equal(stale.closes[0].code, closeCodes.documentReplaced);
  assert.equal(cellsOf(stale.doc).length, 0, 'a stale client is never synced');

  const replacement = new Y.Doc();
  replacement.transact(() => insertCell(replacement, 0, { cell_type: 'code', source: 'new' }));
  const post = (token: string | null) => fetch(`http://127.0.0.1:${rig.server.port}/notebooks/${id}/replace`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: Buffer.from(Y.encodeStateAsUpdate(replacement)),
  });
  assert.equal((await post(null)).status, 401);
  assert.equal((await post(await rig.token(id, 'editor'))).status, 403);
  const res = await post(await rig.token(id, 'owner'));
  assert.equal(res.status, 200);
  const { epoch } = (await res.json()) as { epoch: string };
  assert.notEqual(epoch, record!.epoch);
  await waitFor(() => current.closes.length > 0, 'the connected client to be told to reload');
  assert.equal(current.closes[0].code, closeCodes.documentReplaced);
  assert.equal(current.closes[0].reason, 'document replaced');

  // A restore names its versions, and every page that reloads is told which.
  const watching = await rig.connect(id, { epoch });
  const restore = (query: string) => fetch(`http://127.0.0.1:${rig.server.port}/notebooks/${id}/replace?${query}`, {
    method: 'POST', headers: { authorization: `Bearer ${restoreToken}` }, body: Buffer.from(Y.encodeStateAsUpdate(replacement)),
  });
  const restoreToken = await rig.token(id, 'owner');
  assert.equal((await restore('restored=v1&backup=not%20an%20id')).status, 400);
  assert.equal(watching.closes.length, 0, 'a refused restore changes nothing');
  const restored = await restore('restored=cmv1restored&backup=cmv2backup');
  assert.equal(restored.status, 200);
  await waitFor(() => watching.closes.length > 0, 'the connected client to be told of the restore');
  assert.equal(watching.closes[0].code, closeCodes.documentReplaced);
  assert.deepEqual(restoreNoticeOf(watching.closes[0].reason), { restoredVersionId: 'cmv1restored', backupVersionId: 'cmv2backup' });
  watching.destroy();

  const reloaded = await rig.connect(id, { epoch: ((await restored.json()) as { epoch: string }).epoch });
  assert.deepEqual(cellsOf(reloaded.doc).toArray().map((c) => (c.get('source') as Y.Text).toString()), ['new']);
  assert.deepEqual(cellsOf(await rig.stored(id)).toArray().map((c) => (c.get('source') as Y.Text).toString()), ['new']);
  reloaded.destroy();
  current.destroy();
  stale.destroy();
});

test('presence travels through awareness and disappears with the socket', async () => {
  const id = await rig.newNotebook();
  const ada = await rig.connect(id, { name: 'Ada' });
  const bob = await rig.connect(id, { name: 'Bob' });
  ada.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#f00' });
  await waitFor(() => bob.provider.awareness.getStates().get(ada.doc.clientID)?.user?.name === 'Ada', 'Bob to see Ada');
  ada.destroy();
  await waitFor(() => !bob.provider.awareness.getStates().has(ada.doc.clientID), 'Ada\'s presence to go');
  bob.destroy();
});

test('only the kernel bridge\'s presence may carry kernel state', async () => {
  const id = await rig.newNotebook();
  const mallory = await rig.connect(id, { name: 'Mallory' });
  const bridge = await rig.connect(id, { name: 'Kernel', userId: kernelBridgeUserId, kernelBridge: true });
  const watcher = await rig.connect(id, { name: 'Wat' });
  const fake = { status: 'idle', inputRequest: { cellId: 'c', prompt: 'password? ', password: true, forUserId: 'user-Wat' } };
  mallory.provider.awareness.setLocalState({ user: { name: 'Kernel' }, kernel: fake });
  bridge.provider.awareness.setLocalState({ user: { name: 'Kernel' }, kernel: { status: 'busy' } });
  const stateOf = (client: typeof mallory) => watcher.provider.awareness.getStates().get(client.doc.clientID);
  await waitFor(() => stateOf(mallory) && stateOf(bridge), 'both presences to reach the watcher');
  assert.equal(stateOf(mallory)!.kernel, undefined);
  assert.equal(stateOf(mallory)!.user.name, 'Mallory', 'names come from the token');
  assert.deepEqual(stateOf(bridge)!.kernel, { status: 'busy', queue: [] });
  mallory.destroy();
  bridge.destroy();
  watcher.destroy();
});

test('a malformed message closes that socket and stores nothing', async () => {
  const id = await rig.newNotebook(['keep']);
  const raw = new WebSocket(`${rig.url}/${id}?token=${await rig.token(id)}`);
  await new Promise((r) => raw.once('open', r));
  const closed = new Promise<number>((r) => raw.once('close', (code) => r(code)));
  raw.send(new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5])); // an "update" of five garbage bytes
  assert.equal(await closed, closeCodes.malformedMessage);
  const stored = await rig.storage.documents.load(id);
  assert.equal(stored.updates.length, 0);
  assert.equal(sourceOf(await rig.stored(id), 0), 'keep');
});

test('an empty room is unloaded and its log compacted into a snapshot', async () => {
  const id = await rig.newNotebook(['']);
  const ada = await rig.connect(id);
  const text = cellsOf(ada.doc).get(0).get('source') as Y.Text;
  for (let i = 0; i < 50; i++) text.insert(text.length, `${i % 10}`);
  await waitFor(async () => sourceOf(await rig.stored(id), 0).length === 50, 'all keystrokes to be stored');
  assert.ok((await rig.storage.documents.load(id)).updates.length > 0);
  ada.destroy();
  await waitFor(async () => (await rig.storage.documents.load(id)).updates.length === 0, 'the log to be compacted on unload');
  await waitFor(() => rig.server.rooms === 0 || undefined, 'the room to be unloaded');
  assert.equal(sourceOf(await rig.stored(id), 0), '01234567890123456789012345678901234567890123456789');
});

test('the HTTP routes refuse what they cannot parse with a 4xx and a code, never a 500', async () => {
  const id = await rig.newNotebook(['']);
  const base = `http://127.0.0.1:${rig.server.port}`;
  const badEscape = await fetch(`${base}/notebooks/%E0%A4%A/replace`, { method: 'POST', headers: { authorization: `Bearer ${await rig.token(id, 'owner')}` }, body: 'x' });
  assert.equal(badEscape.status, 400);
  assert.equal(((await badEscape.json()) as { code: string }).code, API_ERROR.invalidPath);
  const notAnUpdate = await fetch(`${base}/notebooks/${id}/replace`, { method: 'POST', headers: { authorization: `Bearer ${await rig.token(id, 'owner')}` }, body: 'not a yjs update' });
  assert.equal(notAnUpdate.status, 400);
  assert.equal(((await notAnUpdate.json()) as { code: string }).code, API_ERROR.invalidRequest);
  // A terabyte announced and never sent: refused on the declared length alone.
  const token = await rig.token(id, 'owner');
  const tooLarge = await new Promise<number | undefined>((resolve, reject) => {
    const req = httpRequest(`${base}/notebooks/${id}/replace`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-length': String(2 ** 40) } });
    req.on('response', (res) => { res.resume(); resolve(res.statusCode); req.destroy(); });
    req.on('error', reject);
    req.flushHeaders();
  });
  assert.equal(tooLarge, 413);
  const wrongMethod = await fetch(`${base}/notebooks/${id}/replace`);
  assert.deepEqual([wrongMethod.status, ((await wrongMethod.json()) as { code: string }).code], [405, API_ERROR.methodNotAllowed]);
  assert.equal(((await (await fetch(`${base}/nope`)).json()) as { code: string }).code, API_ERROR.notFound);
});

test('GET /healthz answers', async () => {
  const res = await fetch(`http://127.0.0.1:${rig.server.port}/healthz`);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { ok: boolean }).ok, true);
});

test('an update is not echoed to its sender; one that builds on changes the server has not seen is refused, not held', async () => {
  const id = await rig.newNotebook(['']);
  const base = await rig.stored(id);
  const editor = (from: Y.Doc) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
    return doc;
  };
  const typeInto = (doc: Y.Doc, at: number, text: string) => {
    const before = Y.encodeStateVector(doc);
    (cellsOf(doc).get(0).get('source') as Y.Text).insert(at, text);
    return Y.encodeStateAsUpdate(doc, before);
  };
  // Ada types "a"; Bob saw it before the server did (e.g. through another channel) and types "b" after it.
  const ada = editor(base);
  const adasA = typeInto(ada, 0, 'a');
  const bob = editor(ada);
  const bobsB = typeInto(bob, 1, 'b');

  /** A raw socket that keeps the document updates the server sends it. */
  async function socket(name: string) {
    const ws = new WebSocket(`${rig.url}/${id}?token=${await rig.token(id, 'editor', name)}`);
    const received: Uint8Array[] = [];
    const denials: number[] = [];
    ws.on('message', (data: Buffer) => {
      if (data[0] === 2) denials.push(Date.now());
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 2) received.push(decoding.readVarUint8Array(decoder));
    });
    await new Promise((r) => ws.once('open', r));
    const send = (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    };
    /** Applies what arrived to `doc`; true once its first cell reads `text`. */
    const caughtUp = (doc: Y.Doc, text: string) => {
      for (const update of received) Y.applyUpdate(doc, update);
      return sourceOf(doc, 0) === text;
    };
    return { ws, received, denials, send, caughtUp };
  }
  const adaSocket = await socket('Ada');
  const bobSocket = await socket('Bob');
  const cySocket = await socket('Cy');

  // Bob's update arrives first: it needs Ada's "a", which the server has not seen, so it is refused (not stored, not held).
  bobSocket.send(bobsB);
  await waitFor(() => bobSocket.denials.length > 0, 'Bob to be told his update was refused');
  assert.equal((await rig.storage.documents.load(id)).updates.length, 0);
  // Ada's arrives, then Bob's again (a reloaded page would send it again on top of "a").
  adaSocket.send(adasA);
  await waitFor(() => cySocket.caughtUp(editor(base), 'a'), 'Cy to see Ada\'s "a"');
  bobSocket.send(bobsB);
  await waitFor(() => cySocket.caughtUp(editor(base), 'ab'), 'Cy to see both');
  await waitFor(() => adaSocket.caughtUp(editor(ada), 'ab'), 'Ada to receive Bob\'s "b"');

  // An ordinary edit is not echoed: Cy types "c"; Ada then types "d" after it.
  const cy = editor(bob);
  cySocket.send(typeInto(cy, 2, 'c'));
  await waitFor(() => adaSocket.caughtUp(editor(ada), 'abc'), 'Ada to receive Cy\'s "c"');
  const adaNow = editor(ada);
  for (const update of adaSocket.received) Y.applyUpdate(adaNow, update);
  adaSocket.send(typeInto(adaNow, 3, 'd'));
  // The server writes to a socket in order: once Ada's "d" is at Cy's, an echo of "c" would be too.
  await waitFor(() => cySocket.caughtUp(editor(cy), 'abcd'), 'Cy to receive Ada\'s "d"');
  const echoed = cySocket.received.filter((update) => Y.decodeUpdate(update).structs.some((s) => s.id.client === cy.clientID));
  assert.equal(echoed.length, 0, 'Cy\'s own update came back to it');
  assert.equal(sourceOf(await rig.stored(id), 0), 'abcd');
  for (const s of [adaSocket, bobSocket, cySocket]) s.ws.close();
});
