// The schema gate on its own (no sockets): what it lets through to storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { cellsOf, createCell } from '../notebook-model';
import { defineRoots } from '../notebook-model/schema-check';
import { SchemaGate, type UpdateSender } from './schema-gate';

const editor: UpdateSender = { userId: 'user-Ada', name: 'Ada', mayEdit: true, mayComment: true, mayModerate: false };

function roomDoc(): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  cellsOf(doc).push([createCell({ cell_type: 'code', source: 'x = 1', metadata: {} })]);
  return doc;
}

/** Two updates of one client: the second builds on the first, so alone it cannot be integrated. */
function chain(base: Y.Doc, change: (doc: Y.Doc) => void): [Uint8Array, Uint8Array] {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(base));
  const updates: Uint8Array[] = [];
  client.on('update', (u: Uint8Array) => updates.push(u));
  change(client);
  change(client);
  return [updates[0], updates[1]];
}

const typeInto = (doc: Y.Doc) => (cellsOf(doc).get(0).get('source') as Y.Text).insert(0, 'a');

test('a keystroke passes; an update that breaks the schema is refused and leaves nothing behind', () => {
  const room = roomDoc();
  const gate = new SchemaGate(room, () => []);
  const [first] = chain(room, typeInto);
  assert.deepEqual(gate.check(first, editor), []);
  const [breaking] = chain(room, (doc) => cellsOf(doc).push(['not a cell' as never]));
  assert.deepEqual(gate.check(breaking, editor), [{ path: 'cells[1]', problem: 'is not a map' }]);
  // The candidate was rebuilt without it: sent again it is refused again (had it stayed, it would change nothing and pass).
  assert.deepEqual(gate.check(breaking, editor), [{ path: 'cells[1]', problem: 'is not a map' }]);
});

test('an update missing its dependencies is refused, also while the candidate already holds a peer update waiting for its own', () => {
  const room = roomDoc();
  const gate = new SchemaGate(room, () => []);
  // Another node stored a chain; the second half arrived here first (pub/sub gap).
  const [, peerSecond] = chain(room, typeInto);
  gate.applyTrusted(peerSecond);
  // A client's update whose first half the server never saw.
  const [, clientSecond] = chain(room, typeInto);
  assert.deepEqual(gate.check(clientSecond, editor), [{ path: 'update', problem: 'depends on changes the server has not seen' }]);
});
