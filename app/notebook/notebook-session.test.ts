// How an open page reacts when the collab server ends or refuses its
// connection, against real y-websocket clients over real sockets. The server
// here plays the collab server's refusals (upgrade answered with an HTTP status,
// or a socket closed with a 44xx code) and otherwise runs the reference
// y-websocket room logic.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { NOTEBOOK_DELETED } from './close-policy';
import { NOTEBOOK_UNAVAILABLE } from './session-grant';
import { NotebookSession } from './notebook-session';
import { destroyReferenceRooms, startRoomServer } from './reference-room-server';
import type { GrantAnswer } from './session-grant';

after(destroyReferenceRooms);

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type Answer = { accept: true } | { status: number } | { close: number; reason: string };

/** A collab server whose answer to the next connections the test decides. */
async function startServer() {
  let answer: (token: string | null) => Answer = () => ({ accept: true });
  const tokensSeen: (string | null)[] = [];
  const server = await startRoomServer(({ req, socket, accept, join }) => {
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
    tokensSeen.push(token);
    const a = answer(token);
    if ('status' in a) {
      socket.end(`HTTP/1.1 ${a.status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    accept((ws) => {
      if ('close' in a) ws.close(a.close, a.reason);
      else join(ws);
    });
  });
  return {
    url: server.url,
    tokensSeen,
    answerWith(f: (token: string | null) => Answer) { answer = f; },
    close: server.close,
  };
}

function open(url: string, grant: () => GrantAnswer | Promise<GrantAnswer>) {
  const events = { replaced: 0, stopped: [] as string[], grantsAsked: 0 };
  const session = new NotebookSession({
    collabUrl: url,
    notebookId: 'nb',
    token: 'first-token',
    epoch: 'epoch-1',
    user: { name: 'Ada', color: '#3a86ff' },
    onReplaced: () => { events.replaced++; },
    onStopped: (message) => { events.stopped.push(message); },
    fetchGrant: async () => { events.grantsAsked++; return grant(); },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 200,
  });
  return { session, events };
}

test('a document replaced on the server (close 4409) ends the session once, for a reload, without reconnecting', async () => {
  const server = await startServer();
  server.answerWith(() => ({ close: 4409, reason: 'document replaced' }));
  const { session, events } = open(server.url, () => assert.fail('no grant is needed'));
  try {
    await waitFor(() => events.replaced === 1, 'replaced');
    assert.equal(session.connection.current.status, 'closed');
    assert.equal(session.provider.shouldConnect, false, 'no reconnection after 4409');
    assert.equal(session.provider.ws, null);
    assert.equal(events.replaced, 1);
    assert.deepEqual(events.stopped, []);
  } finally {
    session.destroy();
    await server.close();
  }
});

test('a notebook deleted while open (close 4404) stops the session with a message', async () => {
  const server = await startServer();
  server.answerWith(() => ({ close: 4404, reason: 'notebook deleted' }));
  const { session, events } = open(server.url, () => assert.fail('no grant is needed'));
  try {
    await waitFor(() => events.stopped.length === 1, 'stopped');
    assert.equal(events.stopped[0], NOTEBOOK_DELETED);
    assert.equal(session.connection.current.status, 'closed');
    assert.equal(events.replaced, 0);
  } finally {
    session.destroy();
    await server.close();
  }
});

test('a withdrawn token (close 4403) is renewed from the app and the session reconnects with it', async () => {
  const server = await startServer();
  server.answerWith((token) => (token === 'fresh-token' ? { accept: true } : { close: 4403, reason: 'token expired' }));
  const { session, events } = open(server.url, () => ({ kind: 'ok', token: 'fresh-token', epoch: 'epoch-1', role: 'editor' }));
  try {
    await waitFor(() => session.connection.current.status === 'connected', 'connected with the fresh token');
    assert.equal(events.grantsAsked, 1);
    assert.deepEqual(server.tokensSeen.slice(0, 2), ['first-token', 'fresh-token']);
    assert.equal(events.replaced, 0);
  } finally {
    session.destroy();
    await server.close();
  }
});

test('a renewed grant for a newer epoch means the document was replaced meanwhile', async () => {
  const server = await startServer();
  server.answerWith(() => ({ close: 4403, reason: 'token expired' }));
  const { session, events } = open(server.url, () => ({ kind: 'ok', token: 'fresh-token', epoch: 'epoch-2', role: 'editor' }));
  try {
    await waitFor(() => events.replaced === 1, 'replaced');
    assert.equal(server.tokensSeen.includes('fresh-token'), false, 'never connects the old document to the new lineage');
  } finally {
    session.destroy();
    await server.close();
  }
});

test('upgrades refused with 401 make the page fetch a new token after a few attempts, then it connects', async () => {
  const server = await startServer();
  server.answerWith((token) => (token === 'fresh-token' ? { accept: true } : { status: 401 }));
  const { session, events } = open(server.url, () => ({ kind: 'ok', token: 'fresh-token', epoch: 'epoch-1', role: 'editor' }));
  try {
    await waitFor(() => session.connection.current.status === 'connected', 'connected after renewal');
    assert.equal(events.grantsAsked, 1);
    assert.ok(server.tokensSeen.filter((t) => t === 'first-token').length >= 3, 'asks only after several failures');
  } finally {
    session.destroy();
    await server.close();
  }
});

test('upgrades refused because the notebook is gone stop the session once the app confirms it', async () => {
  const server = await startServer();
  server.answerWith(() => ({ status: 404 }));
  const { session, events } = open(server.url, () => ({ kind: 'gone' }));
  try {
    await waitFor(() => events.stopped.length === 1, 'stopped');
    assert.equal(events.stopped[0], NOTEBOOK_UNAVAILABLE);
    assert.equal(session.provider.shouldConnect, false, 'no more attempts once stopped');
  } finally {
    session.destroy();
    await server.close();
  }
});
