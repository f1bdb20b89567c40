// Test rig for the bridge service: a real collab server on a free port with a
// temporary SQLite database, the bridge's HTTP API on another free port with
// real kernels, and y-websocket clients standing in for browser tabs.
// Used by the *.test.ts files of this folder only.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { currentRole } from '../auth/current-role';
import { signNotebookToken, type AccessPath } from '../auth/notebook-token';
import type { Role } from '../auth/roles';
import { openStorage, type Storage } from '../storage';
import { startCollabServer } from '../collab-server';
import { createNotebook, loadNotebookDoc } from '../library/notebook-library';
import { executionCountOf, executionStateOf, findCell, outputsOf, outputToJSON } from '../notebook-model';
import type { NotebookJSON } from '../notebook-model/nbformat/types';
import { FreshRuns } from './fresh-runs';
import { createBridgeServer, listenBridge } from './http-api';
import { kernelBackend } from './kernel-backend';
import type { KernelProvider } from './kernel-provider';
import type { KernelLimits } from './kernel-quota';
import { SessionRegistry } from './session-registry';
import type { KernelAwarenessState } from './kernel-session';
import { kernelResourcesKey, kernelResourcesSchema, type KernelResourcesState } from '../notebook-model/service-protocol';

/**
 * The deadline for waits that may include starting a kernel or running a cell:
 * generous, because on a loaded two-core machine a Python kernel with the data
 * stack can take tens of seconds to start. Only a failing run ever waits this long.
 */
export const KERNEL_DEADLINE_MS = 90_000;

/** Polls `cond` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(cond: () => T | Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await cond();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The cell with this id in `doc`; fails the test if there is none. */
export function cellById(doc: Y.Doc, id: string) {
  const c = findCell(doc, id);
  assert.ok(c, `cell ${id} exists`);
  return c;
}

/** All of a cell's outputs as text: streams as printed, errors as `name: value`. */
export function outputText(doc: Y.Doc, id: string): string {
  return outputsOf(cellById(doc, id)).map((o) => {
    const j = outputToJSON(o) as { text?: string; ename?: string; evalue?: string };
    return j.text ?? `${j.ename}: ${j.evalue}`;
  }).join('');
}

/** A cell's execution state ('idle', 'queued', 'running'), by cell id. */
export const executionState = (doc: Y.Doc, id: string) => executionStateOf(cellById(doc, id));

/** A cell's execution count (null: never run), by cell id. */
export const executionCount = (doc: Y.Doc, id: string) => executionCountOf(cellById(doc, id));

export interface Browser {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The bridge's kernel state as this client sees it through awareness. */
  kernel(): KernelAwarenessState | undefined;
  /** The bridge's `kernelResources` (variables, memory) as this client sees it, validated as the app does. */
  resources(): KernelResourcesState | undefined;
  close(): void;
}

export interface Rig {
  /** The installation's data folder (database, kernels' working folders). */
  dataDir: string;
  storage: Storage;
  collabUrl: string;
  bridgeUrl: string;
  registry: SessionRegistry;
  /** The bridge's "Save & run all" runs. */
  freshRuns: FreshRuns;
  /** Creates a notebook with code cells of these sources; returns its id and cell ids. */
  notebook(sources: string[], title?: string): Promise<{ id: string; cellIds: string[] }>;
  token(notebookId: string, role?: Role, user?: { name: string; userId: string }, via?: AccessPath): Promise<string>;
  browser(notebookId: string): Promise<Browser>;
  post(path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: any }>;
  get(path: string, token: string | undefined): Promise<{ status: number; body: any }>;
  storedDoc(notebookId: string): Promise<Y.Doc>;
  close(): Promise<void>;
}

export interface RigOptions {
  idleTimeoutMs?: number;
  /** Limits on running kernels (default: none). */
  limits?: KernelLimits;
  /** Each kernel's memory ceiling in MB (default: none). */
  memoryLimitMb?: number;
  /** Where kernels come from (default: the configured provider). */
  provider?: KernelProvider;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'cellmate-bridge-'));
  // Sandboxed kernels run as their own user, who must be able to pass through to their working folders.
  chmodSync(dir, 0o711);
  process.env.CELLMATE_SECRET ??= 'bridge-test-secret';
  const storage = await openStorage({ databaseUrl: `file:${join(dir, 'db.sqlite')}` });
  const collab = await startCollabServer({ port: 0, storage });
  const collabUrl = `ws://127.0.0.1:${collab.port}`;
  const registry = new SessionRegistry({
    collabUrl,
    backend: kernelBackend({ memoryLimitMb: options.memoryLimitMb, provider: options.provider }),
    kernelsDir: join(dir, 'kernels'),
    idleTimeoutMs: options.idleTimeoutMs ?? 0,
    limits: options.limits,
  });
  const freshRuns = new FreshRuns({
    storage, quota: registry.quota, provider: options.provider, memoryLimitMb: options.memoryLimitMb, workDir: join(dir, 'fresh-runs'),
  });
  const server = createBridgeServer(registry, {
    resolveRole: (grant) => currentRole(storage, grant),
    notebookTitle: async (id) => (await storage.notebooks.get(id))?.title ?? null,
    freshRuns,
  });
  const bridgeUrl = `http://127.0.0.1:${await listenBridge(server, 0, '127.0.0.1')}`;
  const browsers: Browser[] = [];

  return {
    dataDir: dir,
    storage,
    collabUrl,
    bridgeUrl,
    registry,
    freshRuns,
    async notebook(sources, title = 'bridge test') {
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
        cells: sources.map((source, i) => ({ id: `cell${i}`, cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })),
      } as unknown as NotebookJSON;
      const record = await createNotebook(storage, { title, notebook: nb });
      return { id: record.id, cellIds: sources.map((_, i) => `cell${i}`) };
    },
    token(notebookId, role = 'editor', user = { name: 'Ada', userId: 'user-ada' }, via) {
      return signNotebookToken({ notebookId, role, name: user.name, userId: user.userId, ...(via ? { via } : {}) });
    },
    async browser(notebookId) {
      const doc = new Y.Doc();
      const token = await signNotebookToken({ notebookId, role: 'viewer', name: 'Watcher', userId: `watcher-${browsers.length}` });
      const provider = new WebsocketProvider(collabUrl, notebookId, doc, {
        params: { token },
        WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
        disableBc: true,
      });
      await waitFor(() => provider.synced, 10_000, 'a browser client to sync');
      const browser: Browser = {
        doc,
        provider,
        kernel() {
          for (const state of provider.awareness.getStates().values()) {
            if (state && (state as { kernel?: unknown }).kernel) return (state as { kernel: KernelAwarenessState }).kernel;
          }
          return undefined;
        },
        resources() {
          for (const state of provider.awareness.getStates().values()) {
            const parsed = kernelResourcesSchema.safeParse((state as Record<string, unknown> | null)?.[kernelResourcesKey]);
            if (parsed.success) return parsed.data;
          }
          return undefined;
        },
        close() {
          provider.destroy();
          provider.awareness.destroy();
          doc.destroy();
        },
      };
      browsers.push(browser);
      return browser;
    },
    async post(path, token, body) {
      const res = await fetch(bridgeUrl + path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async get(path, token) {
      const res = await fetch(bridgeUrl + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    storedDoc: (notebookId) => loadNotebookDoc(storage, notebookId),
    async close() {
      for (const b of browsers) b.close();
      await freshRuns.settle();
      await registry.closeAll();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await collab.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
