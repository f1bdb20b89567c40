// Test rig for collab servers on several nodes: real `collab-server/main.ts`
// processes sharing the machine's real PostgreSQL (a fresh schema per rig,
// dropped after) and real Redis (a fresh key prefix per rig), and y-websocket
// clients that can be pointed at any node. For tests and benches only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { signNotebookToken, type AccessPath } from '../auth/notebook-token';
import type { Role } from '../auth/roles';
import { openStorage, type Storage } from '../storage';
import { dropPostgresSchema, postgresSchemaUrl } from '../storage/test-databases';
import { loadNotebookDoc } from '../library/notebook-library';
import { projectRoot } from '../config/env';
import { newTestNotebook, waitFor } from './test-rig';

export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const secret = 'cluster-test-secret';
process.env.CELLMATE_SECRET = secret;

export interface ClusterClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  /** Points the client at node `index`; it goes there on its next (re)connect. */
  moveTo(index: number): void;
  destroy(): void;
}

export interface ClusterClientOptions {
  role?: Role;
  name?: string;
  via?: AccessPath;
}

export interface CollabNode {
  port: number;
  process: ChildProcess;
  /** Everything the node wrote to stderr (its log). */
  log: string;
}

export interface ClusterRig {
  storage: Storage;
  /** The database and Redis key prefix the nodes share (for other processes joining the installation, e.g. bridges). */
  shared: { databaseUrl: string; redisPrefix: string };
  nodes: CollabNode[];
  url(index: number): string;
  newNotebook(cells?: string[]): Promise<string>;
  /** A client on node `index`, synced. */
  connect(index: number, notebookId: string, options?: ClusterClientOptions): Promise<ClusterClient>;
  stored(notebookId: string): Promise<Y.Doc>;
  /** SIGKILL: the node dies without storing or saying goodbye. */
  kill(index: number): Promise<void>;
  close(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `count` collab nodes on one fresh PostgreSQL schema and one Redis prefix. */
export async function startCluster(count: number, env: Record<string, string> = {}): Promise<ClusterRig> {
  const run = randomBytes(5).toString('hex');
  const schema = `cluster_${run}`;
  const databaseUrl = postgresSchemaUrl(schema);
  // Opening the storage here migrates the schema once, before any node starts.
  const storage = await openStorage({ databaseUrl });
  const nodes: CollabNode[] = [];
  const clients: ClusterClient[] = [];
  const redisPrefix = `test-${run}:`;
  for (let i = 0; i < count; i++) {
    nodes.push(await startNode({
      ...env, DATABASE_URL: databaseUrl, REDIS_URL: testRedisUrl, CELLMATE_REDIS_PREFIX: redisPrefix, CELLMATE_NODE_ID: `node-${i}`,
    }));
  }

  const rig: ClusterRig = {
    storage,
    shared: { databaseUrl, redisPrefix },
    nodes,
    url: (index) => `ws://127.0.0.1:${nodes[index].port}`,
    async newNotebook(cells = ['']) {
      return newTestNotebook(storage, 'cluster test', cells);
    },
    async connect(index, notebookId, options = {}) {
      const name = options.name ?? 'Ada';
      const token = await signNotebookToken({
        notebookId, role: options.role ?? 'editor', name, userId: `user-${name}`, ...(options.via ? { via: options.via } : {}),
      });
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(rig.url(index), notebookId, doc, {
        params: { token }, disableBc: true, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
      });
      const client: ClusterClient = {
        doc, provider, closes: [],
        moveTo(to) { provider.serverUrl = rig.url(to); },
        destroy() { provider.destroy(); provider.awareness.destroy(); },
      };
      provider.on('connection-close', (event: CloseEvent | null) => { if (event) client.closes.push({ code: event.code, reason: event.reason }); });
      clients.push(client);
      await waitFor(() => provider.synced, `a client on node ${index} to sync`, 15_000);
      return client;
    },
    stored: (notebookId) => loadNotebookDoc(storage, notebookId),
    async kill(index) {
      const child = nodes[index].process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async close() {
      for (const client of clients) client.destroy();
      await Promise.all(nodes.map(async (node) => {
        if (node.process.exitCode !== null || node.process.signalCode !== null) return;
        const exited = new Promise((resolve) => node.process.once('exit', resolve));
        node.process.kill('SIGTERM');
        await exited;
      }));
      await storage.close();
      await dropPostgresSchema(schema);
    },
  };
  return rig;
}

async function startNode(env: Record<string, string>): Promise<CollabNode> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', 'collab-server/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, ...env, COLLAB_PORT: String(port), COLLAB_HOST: '127.0.0.1', CELLMATE_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const node: CollabNode = { port, process: child, log: '' };
  child.stderr!.on('data', (chunk) => { node.log += chunk; });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`collab node exited early (${code}): ${out}${node.log}`)));
  });
  return node;
}
