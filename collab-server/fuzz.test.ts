// A deterministic fuzzer against a real collab server over real sockets. It
// sends, from an editor's and a viewer's raw sockets: every y-websocket message
// type truncated at every length; random bytes; valid framing around invalid
// payloads (bad JSON, wrong types, huge counts); well-formed Yjs updates that
// break the notebook schema (made with a real Y.Doc); awareness for other
// clients' ids; oversized messages; and ordinary edits in between. After every
// small batch: the server answers /healthz, a bystander in the same room still
// receives edits, another room works, and the stored document (as stored, not
// repaired) is inside the schema and exports as valid nbformat.
//
//   COLLAB_FUZZ_SEED=<n>      replay a run (the seed is printed; default fixed, so CI is deterministic)
//   COLLAB_FUZZ_MESSAGES=<n>  how many messages (default 3000)
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { cellsOf, docToNotebook, insertCell, metaOf } from '../notebook-model';
import { documentProblems } from '../notebook-model/schema-check';
import { parseNotebook, serializeNotebook } from '../notebook-model/nbformat';
import { exportNotebook } from '../library/notebook-files';
import {
  awarenessMessage, healthy, replicaOf, sourceOf, startRig, syncMessage, updateFrom, waitFor, type Client, type RawSocket, type Rig,
} from './test-rig';
import { random } from './random-edits';

const seed = Number(process.env.COLLAB_FUZZ_SEED ?? 20261203) >>> 0;
const messageCount = Number(process.env.COLLAB_FUZZ_MESSAGES ?? 3000);
const batchSize = 16;
// Small limits, so oversized messages are cheap to make; real defaults are far larger.
const limits = { maxMessageBytes: 256 * 1024, maxUpdateBytes: 64 * 1024, maxAwarenessStateBytes: 8 * 1024, maxAwarenessPerSecond: 200 };

let rig: Rig;
before(async () => { rig = await startRig({ idleUnloadMs: 60_000, limits }); });
after(async () => { await rig.close(); });

type Role = 'editor' | 'viewer';
interface Message { role: Role; bytes: Uint8Array; what: string }

test(`fuzz: ${messageCount} hostile messages (seed ${seed}) leave the server, the rooms and the stored notebook sound`, async () => {
  console.log(`collab fuzz seed ${seed} (COLLAB_FUZZ_SEED=${seed} replays it), ${messageCount} messages`);
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const int = (n: number) => Math.floor(rand() * n);

  const id = await rig.newNotebook(['x = 1', '# notes', 'print(x)']);
  const other = await rig.newNotebook(['elsewhere']);
  const ada = await rig.connect(id, { name: 'Ada' });
  const vic = await rig.connect(id, { role: 'viewer', name: 'Vic' });
  const cy = await rig.connect(other, { name: 'Cy' });
  const dee = await rig.connect(other, { role: 'viewer', name: 'Dee' });
  ada.provider.awareness.setLocalStateField('cellId', 'cell-0');
  const bystanders: Client[] = [ada, vic, cy, dee];

  const sockets: Partial<Record<Role, RawSocket>> = {};
  const socketFor = async (role: Role) => {
    const open = sockets[role];
    if (open && open.closeCode === null && open.ws.readyState === open.ws.OPEN) return open;
    return (sockets[role] = await rig.raw(id, { role, name: role === 'editor' ? 'Eve' : 'Mallory' }));
  };

  /** A replica of the room's document, for well-formed updates. */
  const replica = () => replicaOf(ada.doc);
  const text = (doc: Y.Doc, i: number) => cellsOf(doc).get(i).get('source') as Y.Text;
  const schemaBreaks: ((doc: Y.Doc) => void)[] = [
    (doc) => doc.getArray('cells').push([pick(['str', 5, null, true, { a: 1 }, [1]])]),
    (doc) => doc.getArray('cells').insert(0, [new Y.Text('a text, not a cell')]),
    (doc) => cellsOf(doc).get(int(3)).set('source', pick(['plain', 3, null])),
    (doc) => cellsOf(doc).get(int(3)).delete('id'),
    (doc) => cellsOf(doc).get(int(3)).set('id', pick([42, '', 'has space', 'x'.repeat(65)])),
    (doc) => cellsOf(doc).get(int(3)).set('cell_type', pick(['evil', 7, null])),
    (doc) => cellsOf(doc).get(int(3)).set('metadata', pick([7, 'm', [1]])),
    (doc) => (cellsOf(doc).get(0).get('metadata') as Y.Map<unknown>).set('tags', pick([5, 'one', [1, 2]])),
    (doc) => cellsOf(doc).get(0).set('outputs', pick(['none', 0])),
    (doc) => (cellsOf(doc).get(0).get('outputs') as Y.Array<unknown>).push([pick([new Y.Map([['output_type', 'evil']]), 5, new Y.Map([['output_type', 'stream']])])]),
    (doc) => cellsOf(doc).get(0).set('execution_count', pick([-1, 'one', 1.5])),
    (doc) => cellsOf(doc).get(0).set('execution_state', 'exploded'),
    (doc) => metaOf(doc).set('nbformat', pick([3, 'four', null])),
    (doc) => metaOf(doc).set('metadata', pick([5, [1], 'meta'])),
    (doc) => metaOf(doc).set('surprise', 1),
    (doc) => cellsOf(doc).push([new Y.Map<unknown>([['id', `n${int(1e6)}`], ['cell_type', 'code'], ['metadata', new Y.Map()]])]),
  ];
  const honestEdit = (doc: Y.Doc) => pick<(d: Y.Doc) => void>([
    (d) => text(d, int(3)).insert(0, pick(['a', 'bc', '\n', 'é'])),
    (d) => insertCell(d, int(4), { cell_type: pick(['code', 'markdown', 'raw'] as const), source: 'new' }),
  ])(doc);

  const awarenessIds = () => [ada.doc.clientID, vic.doc.clientID, int(2 ** 31), 1, 0];
  const json = () => pick(['{', '5', '"s"', '[1]', 'true', 'null', '{"user":{"name":"Boss"},"role":"owner"}',
    '{"kernel":{"status":"busy","queue":[],"inputRequest":{"cellId":"c","prompt":"password:","password":true,"forUserId":"x"}}}', '{"a":'.repeat(50)]);

  /** Valid messages of every type, to be cut at every length. */
  const templates = (): Message[] => {
    const doc = replica();
    const sv = Y.encodeStateVector(doc);
    const update = updateFrom(doc, () => text(doc, 0).insert(0, 'cut'));
    const queryAwareness = new Uint8Array([3]);
    const auth = (() => { const e = encoding.createEncoder(); encoding.writeVarUint(e, 2); encoding.writeVarUint(e, 0); encoding.writeVarString(e, 'denied'); return encoding.toUint8Array(e); })();
    return [
      { role: 'editor', bytes: syncMessage(0, sv), what: 'sync step 1' },
      { role: 'editor', bytes: syncMessage(1, update), what: 'sync step 2' },
      { role: 'editor', bytes: syncMessage(2, update), what: 'update' },
      { role: 'viewer', bytes: awarenessMessage([{ clientId: 123456, clock: 1, state: '{"cursor":{"anchor":1}}' }]), what: 'awareness' },
      { role: 'viewer', bytes: queryAwareness, what: 'query awareness' },
      { role: 'viewer', bytes: auth, what: 'auth' },
    ];
  };

  const generators: (() => Message)[] = [
    () => ({ role: pick(['editor', 'viewer'] as const), bytes: Uint8Array.from({ length: int(64) }, () => int(256)), what: 'random bytes' }),
    () => ({ role: 'viewer', bytes: awarenessMessage([{ clientId: pick(awarenessIds()), clock: int(1e6), state: json() }]), what: 'awareness, odd JSON' }),
    () => ({ role: 'viewer', bytes: awarenessMessage([{ clientId: 99, clock: 1, state: '{}' }], pick([2, 1000, 2 ** 31])), what: 'awareness, huge count' }),
    () => ({ role: 'viewer', bytes: awarenessMessage([{ clientId: pick([ada.doc.clientID, vic.doc.clientID]), clock: 1e6 + int(1e6), state: pick(['null', '{"cellId":"phish"}']) }]), what: "awareness for another's id" }),
    () => ({ role: 'editor', bytes: syncMessage(0, Uint8Array.from([int(200), ...Array.from({ length: int(8) }, () => int(256))])), what: 'sync step 1, bad state vector' }),
    () => ({ role: pick(['editor', 'viewer'] as const), bytes: Uint8Array.from([0, pick([1, 2]), 200, 1, ...Array.from({ length: int(16) }, () => int(256))]), what: 'sync, length past the end' }),
    () => ({ role: 'editor', bytes: syncMessage(pick([1, 2] as const), (() => { const d = replica(); return updateFrom(d, () => pick(schemaBreaks)(d)); })()), what: 'schema-breaking update' }),
    () => ({ role: 'editor', bytes: syncMessage(2, (() => { const d = replica(); return updateFrom(d, () => honestEdit(d)); })()), what: 'honest edit' }),
    () => ({ role: 'viewer', bytes: syncMessage(2, (() => { const d = replica(); return updateFrom(d, () => honestEdit(d)); })()), what: "a viewer's edit" }),
    () => ({ role: 'viewer', bytes: awarenessMessage([{ clientId: 5555, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(limits.maxAwarenessStateBytes + int(1000)) }) }]), what: 'oversized awareness state' }),
    () => ({ role: 'editor', bytes: syncMessage(2, (() => { const d = replica(); return updateFrom(d, () => text(d, 0).insert(0, 'u'.repeat(limits.maxUpdateBytes + int(1000)))); })()), what: 'oversized update' }),
    () => ({ role: 'viewer', bytes: new Uint8Array(limits.maxMessageBytes + 1 + int(1000)).fill(1), what: 'oversized message' }),
  ];

  // Every template cut at every length first, then a seeded mix.
  const messages: Message[] = [];
  for (const template of templates()) {
    for (let length = 0; length < template.bytes.length; length++) {
      messages.push({ ...template, bytes: template.bytes.slice(0, length), what: `${template.what} cut at ${length}` });
    }
  }
  while (messages.length < messageCount) messages.push(pick(generators)());
  messages.length = messageCount;

  let checks = 0;
  let sending = 0;
  const started = performance.now();
  for (let at = 0; at < messages.length; at += batchSize) {
    const batch = messages.slice(at, at + batchSize);
    const sendStarted = performance.now();
    for (const message of batch) (await socketFor(message.role)).send(message.bytes);
    sending += performance.now() - sendStarted;
    const context = `after messages ${at}–${at + batch.length - 1} (${[...new Set(batch.map((m) => m.what))].join(', ')}; seed ${seed})`;

    assert.ok(await healthy(rig.server.port), `the server answers /healthz ${context}`);
    const mark = `#${++checks}`;
    text(ada.doc, 0).insert(text(ada.doc, 0).length, mark);
    await waitFor(() => sourceOf(vic.doc, 0).includes(mark), `a bystander to receive an edit ${context}`);
    text(cy.doc, 0).insert(0, mark);
    await waitFor(() => sourceOf(dee.doc, 0).includes(mark), `another room to work ${context}`);

    // The document as stored, not repaired on the way out.
    const stored = await rig.storage.documents.load(id);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    assert.deepEqual(documentProblems(doc), [], `the stored notebook is inside the schema ${context}`);
    assert.doesNotThrow(() => parseNotebook(serializeNotebook(docToNotebook(doc))), `the stored notebook exports as valid nbformat ${context}`);
    doc.destroy();
  }
  const exported = await exportNotebook(rig.storage, id, 'ipynb');
  assert.ok(parseNotebook(String(exported.body)).cells.length >= 3);
  for (const client of bystanders) assert.equal(client.closes.length, 0, 'no bystander was disconnected');
  console.log(`collab fuzz: ${messages.length} messages, ${checks} checks, ${((performance.now() - started) / 1000).toFixed(1)} s (${(sending / 1000).toFixed(1)} s sending)`);
  for (const socket of Object.values(sockets)) socket?.ws.close();
  for (const client of bystanders) client.destroy();
});
