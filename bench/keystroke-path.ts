// CPU cost of one keystroke on the collab server's path, step by step, in one
// process (no sockets, no storage: fanout-latency.ts measures those end to end):
// decoding the client's message (protocol.ts), the schema gate's check on its
// candidate copy (schema-gate.ts), applying the stored update to the room's doc
// (which encodes the update broadcast to the others) and framing it. The
// reference is a plain `applyUpdate` in a transaction, what any Yjs server pays.
// Also prints what one refused update costs: the gate rebuilds its candidate.
//
//   node --import tsx bench/keystroke-path.ts [keystrokes=5000] [cells=200]
import * as Y from 'yjs';
import { SchemaGate } from '../collab-server/schema-gate';
import { decodeClientMessage, encodeUpdate } from '../collab-server/protocol';
import { cellsOf, createCell } from '../notebook-model';
import { defineRoots } from '../notebook-model/schema-check';

const keystrokes = Number(process.argv[2] ?? 5000);
const cellCount = Number(process.argv[3] ?? 200);

function notebook(): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  doc.transact(() => {
    for (let i = 0; i < cellCount; i++) cellsOf(doc).push([createCell({ cell_type: 'code', source: 'x = 1\n'.repeat(20), metadata: {} })]);
  });
  return doc;
}

/** A fresh replica of `source` (with typed roots, as the server's docs have). */
function replica(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  return doc;
}

const room = notebook();
const client = replica(room);
const updates: Uint8Array[] = [];
client.on('update', (update: Uint8Array) => updates.push(update));
const source = cellsOf(client).get(Math.floor(cellCount / 2)).get('source') as Y.Text;
for (let i = 0; i < keystrokes; i++) source.insert(i % 50, 'a');
const messages = updates.map(encodeUpdate);
const limits = { maxUpdateBytes: 16 * 1024 * 1024, maxAwarenessStateBytes: 128 * 1024 };

/** Microseconds per keystroke of `step`, run over every keystroke on a fresh target. */
function measure(label: string, step: (i: number) => void): void {
  const start = process.hrtime.bigint();
  for (let i = 0; i < updates.length; i++) step(i);
  const us = Number(process.hrtime.bigint() - start) / 1e3 / updates.length;
  console.log(`${label.padEnd(34)} ${us.toFixed(2).padStart(8)} µs/keystroke`);
}

console.log(`${keystrokes} keystrokes into one cell of ${cellCount} (${Y.encodeStateAsUpdate(room).length} bytes)`);
// Warm up every step on throwaway replicas, so the figures are not compile time.
for (const doc of [replica(room), replica(room)]) for (const update of updates.slice(0, 500)) Y.applyUpdate(doc, update);

const reference = replica(room);
measure('reference: transact + applyUpdate', (i) => reference.transact(() => Y.applyUpdate(reference, updates[i])));
measure('decodeClientMessage', (i) => decodeClientMessage(messages[i], limits));
const gate = new SchemaGate(room, () => []);
measure('schema gate check', (i) => {
  if (gate.check(updates[i], { userId: 'bench', name: 'Bench', mayEdit: true, mayComment: true, mayModerate: false }).length) throw new Error('a keystroke was refused');
});
let broadcasts = 0;
room.on('update', (update: Uint8Array) => { broadcasts += encodeUpdate(update).length > 0 ? 1 : 0; });
measure('room apply + update event + frame', (i) => room.transact(() => Y.applyUpdate(room, updates[i]), 'sender'));
if (broadcasts !== updates.length) throw new Error(`expected ${updates.length} broadcasts, saw ${broadcasts}`);

const start = process.hrtime.bigint();
gate.rebuild();
console.log(`${'one refusal (candidate rebuilt)'.padEnd(34)} ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(2).padStart(8)} ms`);
