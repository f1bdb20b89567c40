// Hostile and broken input against a real collab server over real sockets: what
// was seen in issue 11 (one viewer's message stopping the server, an editor's
// update bricking a notebook, spoofed presence, unbounded sizes), each as a case
// that must leave the server, the room and everyone else in it working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { cellsOf, createOutput, insertCell, kernelOrigin, metaOf } from '../notebook-model';
import { readNotebookFiles } from '../notebook-model/nbformat/test-corpus';
import { closeCodes, presenceColorFor } from '../notebook-model/service-protocol';
import { parseNotebook } from '../notebook-model/nbformat';
import { exportNotebook } from '../library/notebook-files';
import { DocumentPeer } from '../kernel-bridge/document-peer';
import {
  awarenessMessage, healthy, replicaOf, sourceOf, startRig, syncMessage, updateFrom, waitFor, type Client, type Rig,
} from './test-rig';
import { random } from './random-edits';

const logs: string[] = [];
let rig: Rig;
before(async () => { rig = await startRig({ idleUnloadMs: 200, log: (line) => logs.push(line) }); });
after(async () => { await rig.close(); });

/** An editor and a viewer in the room, to prove it still works after each hostile message. */
async function bystanders(id: string): Promise<{ ada: Client; vic: Client; stillWorks: (what: string) => Promise<void> }> {
  const ada = await rig.connect(id, { name: 'Ada' });
  const vic = await rig.connect(id, { role: 'viewer', name: 'Vic' });
  let n = 0;
  return {
    ada, vic,
    async stillWorks(what) {
      assert.ok(await healthy(rig.server.port), `the server answers /healthz after ${what}`);
      const mark = `#${++n}`;
      const text = cellsOf(ada.doc).get(0).get('source') as Y.Text;
      text.insert(text.length, mark);
      await waitFor(() => sourceOf(vic.doc, 0).endsWith(mark), `an edit to reach a bystander after ${what}`);
      // Another room works too.
      const other = await rig.newNotebook(['elsewhere']);
      const elsewhere = await rig.connect(other, { name: 'Cy' });
      assert.equal(sourceOf(elsewhere.doc, 0), 'elsewhere');
      elsewhere.destroy();
    },
  };
}

/** Seeded pseudo-random bytes, so a failure can be replayed. */
function randomBytes(seed: number, length: number): Uint8Array {
  const rand = random(seed);
  return Uint8Array.from({ length }, () => Math.floor(rand() * 2 ** 32) & 0xff);
}

test('one malformed message from a viewer closes that socket (4400) and nothing else', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const { ada, vic, stillWorks } = await bystanders(id);
  const cases: [string, Uint8Array][] = [
    ['an awareness state that is not JSON', awarenessMessage([{ clientId: 4242, clock: 1, state: '{"user": ' }])],
    ['an awareness state that is a number', awarenessMessage([{ clientId: 4242, clock: 1, state: '5' }])],
    ['an awareness message claiming 3 entries carrying 1', awarenessMessage([{ clientId: 4242, clock: 1, state: '{}' }], 3)],
    ['a sync step 1 with a truncated state vector', syncMessage(0, new Uint8Array([2, 5, 1]))],
    ['a sync step 2 that is not a Yjs update', syncMessage(1, new Uint8Array([9, 9, 9]))],
    ['an unknown message type', new Uint8Array([77, 1, 2])],
  ];
  for (const [what, message] of cases) {
    const mallory = await rig.raw(id, { role: 'viewer' });
    mallory.send(message);
    assert.equal(await mallory.closed, closeCodes.malformedMessage, what);
    await stillWorks(what);
  }
  assert.ok(logs.some((line) => line.includes('closing Mallory')), 'each refusal is logged');
  assert.equal(cellsOf(ada.doc).length, 1);
  ada.destroy();
  vic.destroy();
});

test('40 messages of random bytes from a viewer leave the server and the room working', async () => {
  const id = await rig.newNotebook(['x = 1']);
  const { ada, vic, stillWorks } = await bystanders(id);
  for (let seed = 1; seed <= 40; seed++) {
    const mallory = await rig.raw(id, { role: 'viewer' });
    mallory.send(randomBytes(seed, 1 + (seed * 37) % 200));
    // Either refused (closed) or harmless; the server must survive either way.
    await Promise.race([mallory.closed, new Promise((r) => setTimeout(r, 20))]);
    mallory.ws.terminate();
    if (seed % 10 === 0) await stillWorks(`random message ${seed}`);
  }
  assert.ok(await healthy(rig.server.port));
  ada.destroy();
  vic.destroy();
});

test("an editor's well-formed update that puts a non-map into cells is refused: not stored, not broadcast, and the notebook keeps opening", async () => {
  const id = await rig.newNotebook(['keep = 1']);
  const { ada, vic, stillWorks } = await bystanders(id);
  const editor = await rig.raw(id, { role: 'editor', name: 'Eve' });
  const crafted = replicaOf(await rig.stored(id));
  editor.send(syncMessage(2, updateFrom(crafted, () => crafted.getArray('cells').push(['not a cell']))));
  await waitFor(() => editor.received.some((m) => m[0] === 2), 'the sender to be told its update was refused');
  await stillWorks('the refused update');
  assert.equal(cellsOf(vic.doc).length, 1, 'never broadcast');
  assert.equal(cellsOf(await rig.stored(id)).length, 1, 'never stored');
  assert.ok(logs.some((line) => line.includes(id) && /refused/.test(line)), 'the refusal is logged');
  ada.destroy();
  vic.destroy();
  editor.ws.close();

  await rig.restart();
  const back = await rig.connect(id, { name: 'Ada' });
  assert.equal(sourceOf(back.doc, 0), 'keep = 1#1');
  const exported = await exportNotebook(rig.storage, id, 'ipynb');
  assert.equal(parseNotebook(String(exported.body)).cells.length, 1);
  back.destroy();
});

test('every kind of schema break from an editor is refused before storage', async () => {
  const id = await rig.newNotebook(['a = 1']);
  const { ada, vic, stillWorks } = await bystanders(id);
  const breaks: [string, (doc: Y.Doc) => void][] = [
    ['a source that is not text', (doc) => cellsOf(doc).get(0).set('source', 'plain string')],
    ['a cell without an id', (doc) => cellsOf(doc).get(0).delete('id')],
    ['a cell id that is not a string', (doc) => cellsOf(doc).get(0).set('id', 42)],
    ['an unknown cell type', (doc) => cellsOf(doc).get(0).set('cell_type', 'evil')],
    ['an output of an unknown type', (doc) => (cellsOf(doc).get(0).get('outputs') as Y.Array<Y.Map<unknown>>).push([new Y.Map([['output_type', 'evil']])])],
    ['outputs that are not a list', (doc) => cellsOf(doc).get(0).set('outputs', 'none')],
    ['cell metadata that is not a map', (doc) => cellsOf(doc).get(0).set('metadata', 7)],
    ['a notebook format that is not 4', (doc) => metaOf(doc).set('nbformat', 'four')],
    ['notebook metadata that is not a map', (doc) => metaOf(doc).set('metadata', [1, 2])],
    ['a new cell without a source', (doc) => cellsOf(doc).push([new Y.Map<unknown>([['id', 'x1'], ['cell_type', 'code'], ['metadata', new Y.Map()]])])],
  ];
  for (const [what, change] of breaks) {
    const editor = await rig.raw(id, { role: 'editor', name: 'Eve' });
    const crafted = replicaOf(await rig.stored(id));
    editor.send(syncMessage(2, updateFrom(crafted, () => change(crafted))));
    await waitFor(() => editor.received.some((m) => m[0] === 2), `the refusal of ${what}`);
    await stillWorks(what);
    const nb = parseNotebook(String((await exportNotebook(rig.storage, id, 'ipynb')).body));
    assert.equal(nb.cells.length, 1, what);
    editor.ws.close();
  }
  ada.destroy();
  vic.destroy();
});

test('a notebook already damaged in storage opens and exports; the damaged parts are set aside and reported', async () => {
  const id = await rig.newNotebook(['good = 1', 'also good']);
  const record = await rig.storage.notebooks.get(id);
  const crafted = replicaOf(await rig.stored(id));
  const damage = updateFrom(crafted, () => {
    crafted.getArray('cells').insert(1, ['a string where a cell should be']);
    cellsOf(crafted).get(2).set('source', 'not text');
    (cellsOf(crafted).get(0).get('outputs') as Y.Array<unknown>).push([5]);
  });
  await rig.storage.documents.append(id, record!.epoch, [damage]);
  await assert.doesNotReject(exportNotebook(rig.storage, id, 'ipynb'), 'export of the damaged notebook');
  const nb = parseNotebook(String((await exportNotebook(rig.storage, id, 'ipynb')).body));
  assert.equal(nb.cells[0].source, 'good = 1');

  const ada = await rig.connect(id, { name: 'Ada' });
  assert.equal(sourceOf(ada.doc, 0), 'good = 1');
  assert.ok(cellsOf(ada.doc).toArray().every((cell) => cell instanceof Y.Map && cell.get('source') instanceof Y.Text));
  assert.ok(logs.some((line) => line.includes(id) && /set aside/.test(line)), 'the damage is logged');
  const stored = parseNotebook(String((await exportNotebook(rig.storage, id, 'ipynb')).body));
  assert.ok(stored.cells.some((cell) => String(cell.source).includes('a string where a cell should be')), 'the damaged cell is kept, set aside, for the owner to see');
  ada.destroy();
});

test("a viewer cannot overwrite, remove or stamp anyone's presence, nor claim a name or role of its own", async () => {
  const id = await rig.newNotebook();
  const ada = await rig.connect(id, { name: 'Ada' });
  const watcher = await rig.connect(id, { role: 'viewer', name: 'Wat' });
  ada.provider.awareness.setLocalStateField('cellId', 'cell-0');
  const adaSeen = () => watcher.provider.awareness.getStates().get(ada.doc.clientID);
  await waitFor(() => adaSeen()?.cellId === 'cell-0', "the watcher to see Ada's presence");

  const mallory = await rig.raw(id, { role: 'viewer', name: 'Mallory' });
  const mine = 777_001;
  let markers = 0;
  let clock = 0;
  /** Mallory's own honest state change; once the watcher sees it, what she sent before was handled. */
  const marker = async () => {
    const n = ++markers;
    mallory.send(awarenessMessage([{ clientId: mine, clock: ++clock, state: JSON.stringify({ user: { name: 'Boss', color: '#000000' }, role: 'owner', n }) }]));
    await waitFor(() => watcher.provider.awareness.getStates().get(mine)?.n === n, 'Mallory\'s own state to arrive');
  };
  await marker();
  const own = watcher.provider.awareness.getStates().get(mine)!;
  assert.equal(own.user.name, 'Mallory', 'the name comes from the token');
  assert.equal(own.user.color, presenceColorFor('user-Mallory'), 'the colour comes from the token');
  assert.equal(own.role, 'viewer', 'the role comes from the server');

  mallory.send(awarenessMessage([{ clientId: ada.doc.clientID, clock: 10_000, state: JSON.stringify({ user: { name: 'Ada' }, role: 'owner', cellId: 'phish' }) }]));
  await marker();
  assert.equal(adaSeen()?.cellId, 'cell-0', "Ada's entry is not overwritten");
  assert.equal(adaSeen()?.role, 'editor');

  mallory.send(awarenessMessage([{ clientId: ada.doc.clientID, clock: 20_000, state: 'null' }]));
  await marker();
  assert.ok(adaSeen(), 'Ada is not removed from the presence list');

  mallory.send(awarenessMessage([{ clientId: ada.doc.clientID, clock: 30_000, state: JSON.stringify({ user: { name: 'Ada' }, kernel: { status: 'busy', queue: [] } }) }]));
  const fakeResources = { variables: { state: 'ok', at: 1, total: 1, list: [{ name: 'password', type: 'str', size: 1, shape: null, length: null, repr: "'hunter2'" }] } };
  mallory.send(awarenessMessage([{ clientId: mine, clock: ++clock, state: JSON.stringify({ kernel: { status: 'busy', queue: [] }, kernelResources: fakeResources, n: 'kernel' }) }]));
  await waitFor(() => watcher.provider.awareness.getStates().get(mine)?.n === 'kernel', "Mallory's state with a kernel field");
  assert.equal(watcher.provider.awareness.getStates().get(mine)?.kernel, undefined, 'a person cannot publish kernel state');
  assert.equal(watcher.provider.awareness.getStates().get(mine)?.kernelResources, undefined, 'nor the kernel\'s variables');
  assert.equal(adaSeen()?.kernel, undefined);

  // A socket speaks for a bounded number of client ids.
  for (let i = 0; i < 10; i++) mallory.send(awarenessMessage([{ clientId: 900_000 + i, clock: 1, state: '{"x":1}' }]));
  await marker();
  const claimed = [...watcher.provider.awareness.getStates().keys()].filter((k) => k >= 900_000 && k < 900_010);
  assert.ok(claimed.length < 10, `a socket spoke for ${claimed.length} extra ids`);
  mallory.ws.close();
  ada.destroy();
  watcher.destroy();
});

test("nobody can inject kernel state into the bridge's entry, and the bridge publishes only what it produced", async () => {
  const id = await rig.newNotebook();
  const watcher = await rig.connect(id, { role: 'viewer', name: 'Wat' });
  const peer = await DocumentPeer.connect({ collabUrl: rig.url, notebookId: id });
  try {
    peer.setAwarenessField('kernel', { status: 'idle', queue: [] });
    const bridgeId = peer.doc.clientID;
    const bridgeSeen = () => watcher.provider.awareness.getStates().get(bridgeId);
    await waitFor(() => bridgeSeen()?.kernel?.status === 'idle', "the bridge's kernel state");
    // Even the bridge's variables pass only in their declared, bounded shape.
    peer.setAwarenessField('kernelResources', { variables: { state: 'ok', at: 1, total: 1, list: [{ name: 'x'.repeat(10_000), type: 'int', size: 1, shape: null, length: null, repr: '1' }] } });
    peer.setAwarenessField('marker', 'malformed sent');
    await waitFor(() => bridgeSeen()?.marker === 'malformed sent', 'the malformed resources to be handled');
    assert.equal(bridgeSeen()?.kernelResources, undefined, 'a malformed variables list is dropped');
    peer.setAwarenessField('kernelResources', { variables: { state: 'unavailable', reason: 'No cell has run in this kernel yet.' } });
    await waitFor(() => bridgeSeen()?.kernelResources?.variables?.state === 'unavailable', "the bridge's resources");

    const mallory = await rig.raw(id, { role: 'viewer', name: 'Mallory' });
    const phishing = { status: 'busy', queue: [], runBy: { name: 'Ada', userId: 'x' }, inputRequest: { cellId: 'cell-0', prompt: 'Your session expired. Re-enter your Cellmate password:', password: true, forUserId: 'user-Wat' } };
    mallory.send(awarenessMessage([{ clientId: bridgeId, clock: 5_000, state: JSON.stringify({ user: { name: 'Kernel' }, kernel: phishing }) }]));
    mallory.send(awarenessMessage([{ clientId: 31337, clock: 1, state: JSON.stringify({ user: { name: 'Kernel' }, kernel: phishing }) }]));
    mallory.ws.close();
    await mallory.closed;
    // A bystander's change, seen by the watcher, proves the server handled all of the above.
    const cy = await rig.connect(id, { name: 'Cy' });
    cy.provider.awareness.setLocalStateField('cellId', 'marker');
    await waitFor(() => watcher.provider.awareness.getStates().get(cy.doc.clientID)?.cellId === 'marker', "Cy's marker");
    assert.equal(bridgeSeen()?.kernel?.status, 'idle');
    assert.equal(bridgeSeen()?.kernel?.inputRequest, undefined);
    assert.equal(watcher.provider.awareness.getStates().get(31337)?.kernel, undefined);
    assert.deepEqual(peer.awareness.getLocalState()?.kernel, { status: 'idle', queue: [] }, "the bridge's own state is its own");
    assert.deepEqual([...peer.awareness.getStates().keys()], [bridgeId], 'the bridge keeps (and so relays) no one else\'s state');
    cy.destroy();
  } finally {
    peer.close();
    watcher.destroy();
  }
});

test('oversized awareness states and updates are refused with their own close codes, never relayed or stored', async () => {
  const id = await rig.newNotebook(['small']);
  const { ada, vic, stillWorks } = await bystanders(id);
  let largest = 0;
  vic.provider.ws!.addEventListener('message', (event: MessageEvent) => { largest = Math.max(largest, (event.data as ArrayBuffer).byteLength ?? 0); });

  const viewer = await rig.raw(id, { role: 'viewer' });
  viewer.send(awarenessMessage([{ clientId: 5151, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(200 * 1024) }) }]));
  assert.equal(await viewer.closed, closeCodes.awarenessStateTooLarge);
  await stillWorks('a 200 KiB awareness state');

  const flooder = await rig.raw(id, { role: 'viewer' });
  flooder.send(awarenessMessage([{ clientId: 5252, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(40 * 1024 * 1024) }) }]));
  assert.equal(await flooder.closed, closeCodes.messageTooLarge);
  await stillWorks('a 40 MB awareness state');

  const crafted = replicaOf(await rig.stored(id));
  const big = updateFrom(crafted, () => (cellsOf(crafted).get(0).get('source') as Y.Text).insert(0, 'y'.repeat(20 * 1024 * 1024)));
  const editor = await rig.raw(id, { role: 'editor' });
  editor.send(syncMessage(2, big));
  assert.equal(await editor.closed, closeCodes.updateTooLarge);
  await stillWorks('a 20 MB update');

  const huge = updateFrom(crafted, () => (cellsOf(crafted).get(0).get('source') as Y.Text).insert(0, 'z'.repeat(50 * 1024 * 1024)));
  const editor2 = await rig.raw(id, { role: 'editor' });
  editor2.send(syncMessage(2, huge));
  assert.equal(await editor2.closed, closeCodes.messageTooLarge);
  await stillWorks('a 50 MB update');

  assert.ok(largest < 1024 * 1024, `a bystander received a ${largest}-byte message`);
  assert.ok(sourceOf(await rig.stored(id), 0).length < 100, 'nothing big was stored');
  ada.destroy();
  vic.destroy();
});

test('a socket flooding awareness is closed (4429)', async () => {
  const id = await rig.newNotebook();
  const { ada, vic, stillWorks } = await bystanders(id);
  const flooder = await rig.raw(id, { role: 'viewer' });
  for (let i = 1; i <= 1000; i++) flooder.send(awarenessMessage([{ clientId: 6161, clock: i, state: `{"cursor":${i}}` }]));
  assert.equal(await flooder.closed, closeCodes.awarenessRateExceeded);
  await stillWorks('an awareness flood');
  ada.destroy();
  vic.destroy();
});

test('a document may not outgrow its limit, and a long update log is compacted early', async () => {
  const small = await startRig({ limits: { maxDocumentBytes: 200 * 1024, maxUpdateLogBytes: 32 * 1024 } });
  try {
    const id = await small.newNotebook(['']);
    const ada = await small.connect(id);
    const text = cellsOf(ada.doc).get(0).get('source') as Y.Text;
    for (let i = 0; i < 20; i++) text.insert(text.length, 'p'.repeat(4 * 1024));
    await waitFor(async () => sourceOf(await small.stored(id), 0).length === 80 * 1024, 'the paste to be stored');
    await waitFor(async () => (await small.storage.documents.load(id)).updates.length < 20, 'the log to be compacted before the room unloads');
    assert.equal(small.server.rooms, 1);

    const crafted = replicaOf(await small.stored(id));
    const editor = await small.raw(id, { role: 'editor' });
    editor.send(syncMessage(2, updateFrom(crafted, () => (cellsOf(crafted).get(0).get('source') as Y.Text).insert(0, 'q'.repeat(150 * 1024)))));
    assert.equal(await editor.closed, closeCodes.documentTooLarge);
    assert.equal(sourceOf(await small.stored(id), 0).length, 80 * 1024);
    ada.destroy();
  } finally {
    await small.close();
  }
});

test('a big real notebook and a 2 MB plot from the kernel bridge stay far below every default limit', async () => {
  const kmeans = readNotebookFiles('corpus').find((file) => file.name === 'pdsh-05.11-K-Means.ipynb')!;
  const nb = parseNotebook(kmeans.text);
  const id = await rig.newNotebook(['']);
  const ada = await rig.connect(id, { name: 'Ada' });
  // The whole chapter, images included, pasted in one update by an editor.
  const before = Y.encodeStateVector(ada.doc);
  ada.doc.transact(() => nb.cells.forEach((cell, i) => insertCell(ada.doc, i + 1, cell)));
  assert.ok(Y.encodeStateAsUpdate(ada.doc, before).length > 1_500_000, 'one update of about 1.7 MB');
  await waitFor(async () => cellsOf(await rig.stored(id)).length === nb.cells.length + 1, 'the chapter to be stored');

  // The bridge writes a 2 MB PNG (2.7 MB of base64) as a display output.
  const peer = await DocumentPeer.connect({ collabUrl: rig.url, notebookId: id });
  try {
    const png = Buffer.from(randomBytes(7, 2 * 1024 * 1024)).toString('base64');
    peer.doc.transact(() => (cellsOf(peer.doc).get(0).get('outputs') as Y.Array<Y.Map<unknown>>)
      .push([createOutput({ output_type: 'display_data', data: { 'image/png': png, 'text/plain': '<Figure>' }, metadata: {} })]), kernelOrigin);
    await waitFor(async () => (cellsOf(await rig.stored(id)).get(0).get('outputs') as Y.Array<unknown>).length === 1, 'the plot to be stored');
    await waitFor(() => (cellsOf(ada.doc).get(0).get('outputs') as Y.Array<unknown>).length === 1, 'Ada to see the plot');
    const exported = parseNotebook(String((await exportNotebook(rig.storage, id, 'ipynb')).body));
    assert.equal(exported.cells.length, nb.cells.length + 1);
    assert.equal(ada.closes.length, 0);
  } finally {
    peer.close();
    ada.destroy();
  }
});
