// A viewer watches the kernel but gets nothing that would run code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createKernelUi } from './kernel-ui';

function source() {
  const doc = new Y.Doc();
  return { doc, provider: { awareness: new Awareness(doc) }, localOrigin: {} };
}
const options = { bridgeUrl: 'http://localhost:1', notebookId: 'nb', userId: 'u', token: () => 't' };

test('a viewer gets the kernel state but no completion or help in the editor', () => {
  const s = source();
  const viewer = createKernelUi(s, { ...options, canRun: false });
  assert.equal(viewer.canRun, false);
  assert.deepEqual(viewer.codeEditorExtensions, []);
  assert.equal(viewer.state.state.status, 'none');
  // The state follows the room's awareness like anyone's.
  const bridge = new Awareness(new Y.Doc());
  bridge.setLocalState({ user: { name: 'Kernel' }, kernel: { status: 'idle', queue: [] } });
  s.provider.awareness.states.set(bridge.clientID, bridge.getLocalState()!);
  s.provider.awareness.meta.set(bridge.clientID, { clock: 1, lastUpdated: Date.now() });
  s.provider.awareness.emit('change', [{ added: [bridge.clientID], updated: [], removed: [] }, 'test']);
  assert.equal(viewer.state.state.status, 'idle');
  viewer.destroy();
  bridge.destroy();
  s.provider.awareness.destroy();
});

test('someone who may run code gets completion and help', () => {
  const s = source();
  const editor = createKernelUi(s, { ...options, canRun: true });
  assert.equal(editor.canRun, true);
  assert.ok(Array.isArray(editor.codeEditorExtensions) && (editor.codeEditorExtensions as unknown[]).length === 2);
  editor.destroy();
  s.provider.awareness.destroy();
});
