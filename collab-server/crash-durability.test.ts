// Kill -9 the collab server while one client types and another watches: after a
// restart, every keystroke the watcher had seen is in the stored document. This
// is the promise of storing before broadcasting, checked against a real process
// crash rather than a graceful close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { signNotebookToken } from '../auth/notebook-token';
import { openStorage } from '../storage';
import { loadNotebookDoc } from '../library/notebook-library';
import { cellsOf } from '../notebook-model';
import { keepTyping, newTestNotebook, sourceOf, waitFor, watchSource } from './test-rig';

const secret = 'crash-test-secret';
process.env.CELLMATE_SECRET = secret;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function startServer(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', 'collab-server/main.ts'], {
    env: { ...process.env, CELLMATE_DATA_DIR: dataDir, COLLAB_PORT: String(port), COLLAB_HOST: '127.0.0.1', CELLMATE_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('listening')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`collab server exited early (${code}): ${out}`)));
  });
}

function client(url: string, id: string, token: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, id, doc, {
    params: { token }, disableBc: true, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
  });
  return { doc, provider, destroy: () => { provider.destroy(); provider.awareness.destroy(); } };
}

test('nothing a collaborator has seen is lost when the server is killed with SIGKILL', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cellmate-crash-'));
  const port = await freePort();
  let server = await startServer(dataDir, port);
  const storage = await openStorage({ databaseUrl: `file:${join(dataDir, 'cellmate.db')}`, migrate: false });
  try {
    const id = await newTestNotebook(storage, 'crash', ['']);
    const url = `ws://127.0.0.1:${port}`;
    const typist = client(url, id, await signNotebookToken({ notebookId: id, role: 'editor', name: 'T', userId: 't' }));
    const watcher = client(url, id, await signNotebookToken({ notebookId: id, role: 'viewer', name: 'W', userId: 'w' }));
    await waitFor(() => typist.provider.synced && watcher.provider.synced, 'both clients to sync');

    const watched = watchSource(watcher.doc, 0);
    const typing = keepTyping(cellsOf(typist.doc).get(0).get('source') as Y.Text);

    await waitFor(() => watched.seen.length >= 200, 'the watcher to see 200 keystrokes', 30_000);
    server.kill('SIGKILL');
    await new Promise((r) => server.once('exit', r));
    await typing.stop();
    const seenAtCrash = watched.seen;
    typist.destroy();
    watcher.destroy();

    const stored = sourceOf(await loadNotebookDoc(storage, id), 0);
    assert.ok(stored.length >= seenAtCrash.length, `stored ${stored.length} chars, the watcher had seen ${seenAtCrash.length}`);
    assert.ok(stored.startsWith(seenAtCrash));

    // And the restarted server serves exactly that document.
    server = await startServer(dataDir, port);
    const reader = client(url, id, await signNotebookToken({ notebookId: id, role: 'viewer', name: 'R', userId: 'r' }));
    await waitFor(() => reader.provider.synced, 'a new client to sync after the restart');
    assert.equal(sourceOf(reader.doc, 0), stored);
    reader.destroy();
  } finally {
    server.kill('SIGKILL');
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
