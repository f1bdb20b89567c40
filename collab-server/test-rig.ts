// Test rig for the collab server: a real server on a free port over a temporary
// SQLite database, and y-websocket clients (the same client the browser uses,
// on Node's `ws`) standing in for browser tabs. Used by this folder's tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { readVarUint, readVarString } from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { signNotebookToken, type AccessPath } from '../auth/notebook-token';
import { signServiceToken } from '../auth/service-token';
import type { Role } from '../auth/roles';
import { openStorage, type Storage } from '../storage';
import { createNotebook, loadNotebookDoc } from '../library/notebook-library';
import { CellKey, cellsOf, docToNotebook } from '../notebook-model';
import { kernelFenceParam } from '../notebook-model/service-protocol';
import { startCollabServer, type CollabServer, type CollabServerOptions } from './collab-server';

process.env.CELLMATE_SECRET ??= 'collab-test-secret';

/** Polls `cond` every 10 ms until it is truthy; throws after `timeoutMs`. */
export async function waitFor<T>(cond: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await cond();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** What the convergence tests compare: each cell's id, type and source, in order. */
export function cellShape(doc: Y.Doc): string {
  return JSON.stringify(docToNotebook(doc).cells.map((c) => [c.id, c.cell_type, c.source]));
}

/**
 * Waits until every replica is synced and shows the same cells as the stored
 * document, all at one moment. Checking the replicas first and the store
 * afterwards races the server's own edits: a duplicate cell left by concurrent
 * moves is removed by the server (stored, then sent), so the replicas can agree
 * on a state that the store, and then they, have already moved past.
 */
export async function waitForAgreement(
  replicas: { doc: Y.Doc; provider: { synced: boolean } }[], stored: () => Promise<Y.Doc>, what: string, timeoutMs: number,
): Promise<void> {
  const replicasAgree = () => {
    const first = cellShape(replicas[0].doc);
    return replicas.every((r) => r.provider.synced && cellShape(r.doc) === first) ? first : undefined;
  };
  await waitFor(async () => {
    const shape = replicasAgree();
    if (shape === undefined || cellShape(await stored()) !== shape) return false;
    return replicasAgree() === shape; // still so after the read
  }, what, timeoutMs);
}

/** Status of a raw websocket upgrade attempt: 101 or the HTTP refusal. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new NodeWebSocket(url);
    ws.on('open', () => { resolve(101); ws.close(); });
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
    ws.on('error', (err) => { if (!String(err).includes('Unexpected server response')) reject(err); });
  });
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close events the provider reported as final (44xx codes). */
  closes: { code: number; reason: string }[];
  /** `permission-denied` answers received. */
  denials: string[];
  destroy(): void;
}

export interface ClientOptions {
  role?: Role;
  name?: string;
  epoch?: string;
  doc?: Y.Doc;
  /** How the token says its holder has access (a membership or a share link). */
  via?: AccessPath;
  /** Token's userId instead of `user-<name>` (e.g. the kernel bridge's). */
  userId?: string;
  /** Present the kernel bridge's service token (its presence may carry kernel state). */
  kernelBridge?: boolean;
  /** With kernelBridge: the kernel lease fence the socket presents (lease-fence.ts). */
  kernelFence?: number;
}

export interface Rig {
  storage: Storage;
  server: CollabServer;
  url: string;
  newNotebook(cells?: string[]): Promise<string>;
  token(notebookId: string, role?: Role, name?: string, via?: AccessPath): Promise<string>;
  connect(notebookId: string, options?: ClientOptions): Promise<Client>;
  /** A bare websocket (no y-websocket client) that records what it receives and how it closes. */
  raw(notebookId: string, options?: { role?: Role; name?: string; userId?: string }): Promise<RawSocket>;
  /** A client that is created but whose sync is not awaited. */
  open(notebookId: string, options?: ClientOptions): Promise<Client>;
  stored(notebookId: string): Promise<Y.Doc>;
  /**
   * The app's call after it changed who may open a notebook (POST
   * /notebooks/<id>/access), with a valid service token unless `token` is given.
   */
  accessChanged(notebookId: string, token?: string | null): Promise<Response>;
  /** Stops the server (storing everything) and starts a new one on the same database and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(serverOptions: Partial<CollabServerOptions> = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'cellmate-collab-'));
  const storage = await openStorage({ databaseUrl: process.env.COLLAB_TEST_DATABASE_URL ?? `file:${join(dir, 'db.sqlite')}` });
  let server = await startCollabServer({ port: 0, host: '127.0.0.1', storage, ...serverOptions });
  const clients: Client[] = [];

  const rig: Rig = {
    storage,
    get server() { return server; },
    get url() { return `ws://127.0.0.1:${server.port}`; },
    async newNotebook(cells = ['']) {
      return newTestNotebook(storage, 'collab test', cells);
    },
    token(notebookId, role = 'editor', name = 'Ada', via) {
      return signNotebookToken({ notebookId, role, name, userId: `user-${name}`, ...(via ? { via } : {}) });
    },
    async open(notebookId, options = {}) {
      const doc = options.doc ?? new Y.Doc();
      const token = options.userId
        ? await signNotebookToken({ notebookId, role: options.role ?? 'editor', name: options.name ?? 'Ada', userId: options.userId })
        : await rig.token(notebookId, options.role, options.name, options.via);
      const provider = new WebsocketProvider(rig.url, notebookId, doc, {
        params: {
          token,
          ...(options.epoch ? { epoch: options.epoch } : {}),
          ...(options.kernelBridge ? { service: await signServiceToken('kernel-presence', notebookId) } : {}),
          ...(options.kernelFence === undefined ? {} : { [kernelFenceParam]: String(options.kernelFence) }),
        },
        WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
        disableBc: true,
      });
      const client: Client = {
        doc, provider, closes: [], denials: [],
        destroy() {
          provider.destroy();
          provider.awareness.destroy();
        },
      };
      provider.on('closed', (event: { code: number; reason: string }) => client.closes.push(event));
      // y-websocket logs a denial to the console; record it for assertions instead.
      provider.messageHandlers[2] = (_encoder, decoder) => {
        if (readVarUint(decoder) === 0) client.denials.push(readVarString(decoder)); // 0: permission denied
      };
      clients.push(client);
      return client;
    },
    async connect(notebookId, options = {}) {
      const client = await rig.open(notebookId, options);
      await waitFor(() => client.provider.synced, 'the client to sync');
      return client;
    },
    async raw(notebookId, options = {}) {
      const token = await signNotebookToken({
        notebookId, role: options.role ?? 'editor', name: options.name ?? 'Mallory', userId: options.userId ?? `user-${options.name ?? 'Mallory'}`,
      });
      return openRaw(`${rig.url}/${encodeURIComponent(notebookId)}?token=${token}`);
    },
    stored: (notebookId) => loadNotebookDoc(storage, notebookId),
    async accessChanged(notebookId, token) {
      return fetch(`http://127.0.0.1:${server.port}/notebooks/${encodeURIComponent(notebookId)}/access`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token === undefined ? await signServiceToken('access-changed', notebookId) : token}` },
      });
    },
    async restart() {
      const port = server.port;
      await server.close();
      server = await startCollabServer({ port, host: '127.0.0.1', storage, ...serverOptions });
    },
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

/** Stores a notebook of code cells `cell-0`, `cell-1`… holding `sources`; returns its id. */
export async function newTestNotebook(storage: Storage, title: string, sources: string[]): Promise<string> {
  const record = await createNotebook(storage, {
    title,
    notebook: {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: sources.map((source, i) => ({ id: `cell-${i}`, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })),
    } as never,
  });
  return record.id;
}

/** Text of a cell's source in a notebook doc. */
export function sourceOf(doc: Y.Doc, index: number): string {
  return (cellsOf(doc).get(index)?.get(CellKey.source) as Y.Text | undefined)?.toString() ?? '';
}

/** What `doc` has shown of cell `index`'s source so far, kept up to date on every update it receives. */
export function watchSource(doc: Y.Doc, index: number): { readonly seen: string } {
  const watch = { seen: '' };
  doc.on('update', () => { if (cellsOf(doc).length > index) watch.seen = sourceOf(doc, index); });
  return watch;
}

/** Types into `text` one letter per event-loop turn (a typist with no pause) until `stop()` resolves. */
export function keepTyping(text: Y.Text): { stop(): Promise<void> } {
  let typing = true;
  let typed = 0;
  const typer = (async () => {
    while (typing) {
      text.insert(text.length, String.fromCharCode(97 + (typed++ % 26)));
      await new Promise((r) => setImmediate(r));
    }
  })();
  return { stop: () => { typing = false; return typer; } };
}

export interface RawSocket {
  ws: NodeWebSocket;
  /** Every message received, in order. */
  received: Uint8Array[];
  /** Resolves with the close code once the socket is closed. */
  closed: Promise<number>;
  /** The close code, once closed. */
  closeCode: number | null;
  send(message: Uint8Array): void;
}

/** Opens a bare websocket and waits until it is open. */
export async function openRaw(url: string): Promise<RawSocket> {
  const ws = new NodeWebSocket(url);
  const socket: RawSocket = {
    ws, received: [], closeCode: null,
    closed: new Promise((resolve) => ws.once('close', (code) => { socket.closeCode = code; resolve(code); })),
    send(message) { if (ws.readyState === NodeWebSocket.OPEN) ws.send(message); },
  };
  ws.on('message', (data: Buffer) => socket.received.push(new Uint8Array(data)));
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return socket;
}

// Hand-made y-websocket messages, for tests that play a hostile peer.

/** An awareness message (type 1) with these entries; `count` overrides the number of entries it claims. */
export function awarenessMessage(entries: { clientId: number; clock: number; state: string }[], count = entries.length): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, count);
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, entry.state);
  }
  const outer = encoding.createEncoder();
  encoding.writeVarUint(outer, 1);
  encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
  return encoding.toUint8Array(outer);
}

/** A sync message (type 0) of sub-type `step` (0 step 1, 1 step 2, 2 update) carrying `payload`. */
export function syncMessage(step: 0 | 1 | 2, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

/** A copy of `doc` (same content, its own client id), for crafting updates from a peer's point of view. */
export function replicaOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** The update `change` makes to `doc`. */
export function updateFrom(doc: Y.Doc, change: () => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(change);
  return Y.encodeStateAsUpdate(doc, before);
}

/** True when the collab server answers its health check. */
export async function healthy(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    return res.status === 200 && ((await res.json()) as { ok: boolean }).ok === true;
  } catch {
    return false;
  }
}
