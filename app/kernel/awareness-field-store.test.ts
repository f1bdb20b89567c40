// The store of one awareness field: it tells its readers when the field's value
// changes, and only then (not when someone's cursor moves). A real y-protocols
// Awareness on a real Y.Doc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { KernelStateStore } from './use-kernel-state';

test('the kernel state store changes only with the kernel field', () => {
  const awareness = new Awareness(new Y.Doc());
  const store = new KernelStateStore(awareness);
  let notified = 0;
  store.subscribe(() => notified++);
  assert.equal(store.state.status, 'none');

  awareness.setLocalStateField('cursor', { cellId: 'c1', at: 3 });
  assert.equal(notified, 0, 'a cursor is not a kernel change');

  awareness.setLocalStateField('kernel', { status: 'idle', queue: [] });
  assert.equal(notified, 1);
  const idle = store.state;
  assert.equal(idle.status, 'idle');

  awareness.setLocalStateField('cursor', { cellId: 'c1', at: 4 });
  awareness.setLocalStateField('kernel', { status: 'idle', queue: [] });
  assert.equal(notified, 1, 'the same state published again is no change');
  assert.equal(store.state, idle, 'and keeps its identity');

  awareness.setLocalStateField('kernel', { status: 'busy', queue: [] });
  assert.equal(notified, 2);
  assert.equal(store.state.status, 'busy');

  awareness.setLocalStateField('kernel', null);
  assert.equal(notified, 3);
  assert.equal(store.state.status, 'none');

  store.destroy();
  awareness.setLocalStateField('kernel', { status: 'idle', queue: [] });
  assert.equal(notified, 3, 'a destroyed store no longer listens');
  awareness.destroy();
});
