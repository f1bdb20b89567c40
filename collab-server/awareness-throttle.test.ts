// Presence fan-out under load: many clients changing their awareness at once
// reach a watcher as fewer, coalesced messages, and the watcher still ends with
// every client's latest state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRig, waitFor, type Client } from './test-rig';

/** Counts awareness messages (y-websocket message type 1) a client receives. */
function countAwarenessMessages(client: Client): { count: number } {
  const counter = { count: 0 };
  const handle = client.provider.messageHandlers[1];
  client.provider.messageHandlers[1] = (...args) => {
    counter.count++;
    handle(...args);
  };
  return counter;
}

test('awareness changes from many clients are coalesced without losing the final state', async () => {
  const rig = await startRig({ awarenessThrottleMs: 50 });
  try {
    const id = await rig.newNotebook();
    const movers: Client[] = [];
    for (let i = 0; i < 20; i++) movers.push(await rig.connect(id, { role: 'viewer', name: `Mover${i}` }));
    const watcher = await rig.connect(id, { role: 'viewer', name: 'Watcher' });
    for (const m of movers) m.provider.awareness.setLocalStateField('cursor', -1);
    await waitFor(() => movers.every((m) => watcher.provider.awareness.getStates().get(m.doc.clientID)?.cursor === -1),
      'the watcher to see every mover');

    const received = countAwarenessMessages(watcher);
    const changesPerClient = 10;
    for (let step = 0; step < changesPerClient; step++) {
      for (const m of movers) m.provider.awareness.setLocalStateField('cursor', step);
    }
    const last = changesPerClient - 1;
    await waitFor(() => movers.every((m) => watcher.provider.awareness.getStates().get(m.doc.clientID)?.cursor === last),
      'the watcher to see every mover\'s last cursor');

    const changes = movers.length * changesPerClient;
    assert.ok(received.count < changes, `expected fewer than ${changes} awareness messages, got ${received.count}`);
    for (const m of movers) {
      assert.equal(watcher.provider.awareness.getStates().get(m.doc.clientID)?.cursor, last);
      assert.equal(watcher.provider.awareness.getStates().get(m.doc.clientID)?.role, 'viewer');
    }
  } finally {
    await rig.close();
  }
});
