// "The kernel service cannot be reached" ends when the bridge is heard from
// again, not only at the next successful request; other notices stay until
// dismissed. A real KernelClient asks a port nothing listens on (the bridge is
// down), and the room's awareness is a real y-protocols Awareness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createKernelUi } from './kernel-ui';

/** A port that was free a moment ago: connecting to it is refused, as to a stopped bridge. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('an unreachable-bridge notice clears when the bridge publishes its state again; another notice stays', async () => {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  const ui = createKernelUi({ doc, provider: { awareness }, localOrigin: 'tab' }, {
    bridgeUrl: `http://127.0.0.1:${await closedPort()}`, notebookId: 'nb', userId: 'u', canRun: true, token: () => 't',
  });
  assert.equal(await ui.actions.interrupt(), false);
  assert.match(ui.notices.message ?? '', /cannot be reached/);

  awareness.setLocalStateField('kernel', null);
  assert.match(ui.notices.message ?? '', /cannot be reached/, 'no bridge in the room yet: still out of reach');
  awareness.setLocalStateField('kernel', { status: 'idle', queue: [] });
  assert.equal(ui.notices.message, null, 'the bridge is back: the notice is gone');

  ui.notices.report('Your role on this notebook does not allow running code.');
  awareness.setLocalStateField('kernel', { status: 'busy', queue: [] });
  assert.equal(ui.notices.message, 'Your role on this notebook does not allow running code.', 'a refusal is not about the bridge being away');
  ui.destroy();
  awareness.destroy();
});
