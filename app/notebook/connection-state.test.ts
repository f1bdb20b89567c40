// ConnectionState against a real y-websocket server (the reference server's
// room logic, y-websocket 2.x `bin/utils`) over real sockets: the states a
// person sees while connecting, losing the server, typing offline and coming back.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { ConnectionState, describeConnection, type ConnectionStatus } from './connection-state';
import { destroyReferenceRooms, startRoomServer } from './reference-room-server';

after(destroyReferenceRooms);

async function waitFor(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A y-websocket server (one fresh room) that can refuse one named client, as if its network were cut. */
async function startServer() {
  const refused = new Set<string>();
  const server = await startRoomServer(({ req, socket, accept, join }) => {
    const client = new URL(req.url ?? '/', 'http://x').searchParams.get('client') ?? '';
    if (refused.has(client)) { socket.destroy(); return; }
    accept((ws) => {
      (ws as WebSocket & { client?: string }).client = client;
      join(ws);
    });
  });
  return {
    url: server.url,
    cut(client: string) {
      refused.add(client);
      for (const ws of server.clients) if ((ws as WebSocket & { client?: string }).client === client) ws.terminate();
    },
    restore(client: string) { refused.delete(client); },
    close: server.close,
  };
}

function connect(url: string, client: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, 'room', doc, {
    params: { client },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 300,
  });
  const state = new ConnectionState(provider, doc);
  const seen: ConnectionStatus[] = [state.current.status];
  state.subscribe(() => { if (seen.at(-1) !== state.current.status) seen.push(state.current.status); });
  return { doc, provider, state, seen, text: doc.getText('t') };
}

test('connecting, connected, then offline with a count of local edits that merge on reconnect', async () => {
  const server = await startServer();
  const ada = connect(server.url, 'ada');
  const bob = connect(server.url, 'bob');
  try {
    assert.equal(ada.state.current.status, 'connecting');
    await waitFor(() => ada.state.current.status === 'connected' && bob.state.current.status === 'connected', 10_000, 'both connected');

    ada.doc.transact(() => ada.text.insert(0, 'shared '), 'local');
    assert.equal(ada.state.current.unsynced, 0, 'edits on a synced socket are not pending');
    await waitFor(() => bob.text.toString() === 'shared ', 5_000, 'bob sees the online edit');

    server.cut('ada');
    await waitFor(() => ada.state.current.status !== 'connected', 5_000, 'ada notices the cut');
    assert.ok(['reconnecting', 'offline'].includes(ada.state.current.status));
    assert.equal(ada.seen[ada.seen.indexOf('connected') + 1], 'reconnecting', 'a fresh loss first shows as reconnecting');

    ada.doc.transact(() => ada.text.insert(ada.text.length, 'offline1 '), 'local');
    ada.doc.transact(() => ada.text.insert(ada.text.length, 'offline2 '), 'local');
    assert.deepEqual(ada.state.current, { status: 'offline', unsynced: 2 });
    assert.equal(describeConnection(ada.state.current), 'offline · 2 unsynced changes');
    bob.doc.transact(() => bob.text.insert(0, 'bob '), 'local');

    server.restore('ada');
    await waitFor(() => ada.state.current.status === 'connected', 10_000, 'ada reconnects');
    assert.equal(ada.state.current.unsynced, 0);
    await waitFor(() => bob.text.toString() === ada.text.toString(), 5_000, 'both converge');
    assert.match(bob.text.toString(), /offline1 offline2/);
    assert.match(ada.text.toString(), /^bob /);
  } finally {
    for (const p of [ada, bob]) { p.state.destroy(); p.provider.destroy(); p.doc.destroy(); }
    await server.close();
  }
});

test('remote updates are never counted as unsynced local changes', async () => {
  const server = await startServer();
  const ada = connect(server.url, 'ada');
  const bob = connect(server.url, 'bob');
  try {
    await waitFor(() => ada.state.current.status === 'connected' && bob.state.current.status === 'connected', 10_000, 'both connected');
    bob.doc.transact(() => bob.text.insert(0, 'from bob'), 'local');
    await waitFor(() => ada.text.toString() === 'from bob', 5_000, 'ada receives');
    assert.equal(ada.state.current.unsynced, 0);
    ada.state.setBrowserOffline(true);
    assert.equal(ada.state.current.status, 'offline', 'the browser saying offline wins');
    ada.state.setBrowserOffline(false);
    assert.equal(ada.state.current.status, 'connected');
  } finally {
    for (const p of [ada, bob]) { p.state.destroy(); p.provider.destroy(); p.doc.destroy(); }
    await server.close();
  }
});
