// Keystroke fan-out latency through the collab server: one writer types into a
// cell, N readers (real y-websocket clients) record when each keystroke reaches
// them. Runs our server (which stores every update in SQLite before
// broadcasting it, in both CELLMATE_SQLITE_SYNC modes) and, in the same run, the reference y-websocket server
// (in-memory, no auth, no persistence) as a baseline. Both servers run as child
// processes so their CPU time can be read; the clients share this process.
//
//   node --experimental-wasm-modules --import tsx bench/fanout-latency.ts [keystrokes=300] [clients=2,10,50]
//
// Each client count is measured on both servers back to back, and the ratio of
// the p50s (ours / reference) is printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { cpuSeconds, freePort, percentile, rssMiB, waitForOutput } from './bench-kit';
import { signNotebookToken } from '../auth/notebook-token';
import { openStorage } from '../storage';
import { createNotebook } from '../library/notebook-library';

const keystrokes = Number(process.argv[2] ?? 300);
const clientCounts = (process.argv[3] ?? '2,10,50').split(',').map(Number);
const intervalMs = 20;
const secret = 'fanout-bench-secret';
process.env.CELLMATE_SECRET = secret;

interface Figures { p50: number; p99: number }

async function measure(label: string, url: string, room: string, token: string | null, pid: number, readers: number): Promise<Figures> {
  const params: Record<string, string> = token ? { token } : {};
  const clients = Array.from({ length: readers + 1 }, () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(url, room, doc, { params, disableBc: true, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket });
    return { doc, provider };
  });
  const deadline = Date.now() + 30_000;
  while (!clients.every((c) => c.provider.synced)) {
    if (Date.now() > deadline) throw new Error(`${label}: clients did not sync`);
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const [i, c] of clients.entries()) c.provider.awareness.setLocalStateField('user', { name: `user${i}` });

  const [writer, ...watchers] = clients;
  const text = writer.doc.getText('bench');
  const sentAt: number[] = [];
  const latencies: number[] = [];
  let received = 0;
  for (const w of watchers) {
    const t = w.doc.getText('bench');
    let seen = 0;
    t.observe(() => {
      const now = performance.now();
      for (; seen < t.length; seen++) latencies.push(now - sentAt[seen]);
      received++;
    });
  }
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  for (let i = 0; i < keystrokes; i++) {
    sentAt.push(performance.now());
    text.insert(text.length, 'x');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  while (latencies.length < keystrokes * readers && performance.now() - started < keystrokes * intervalMs + 30_000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(34)} deliveries ${latencies.length}/${keystrokes * readers}  p50 ${percentile(latencies, 50).toFixed(1)} ms  ` +
    `p99 ${percentile(latencies, 99).toFixed(1)} ms  max ${latencies[latencies.length - 1].toFixed(1)} ms  ` +
    `server CPU ${((cpu / wall) * 100).toFixed(0)}%  RSS ${rssMiB(pid).toFixed(0)} MiB`,
  );
  for (const c of clients) { c.provider.destroy(); c.provider.awareness.destroy(); }
  void received;
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const dataDir = mkdtempSync(join(tmpdir(), 'cellmate-fanout-'));
const children: ChildProcess[] = [];
try {
  console.log(`1 writer typing ${keystrokes} keystrokes every ${intervalMs} ms; latency = writer's insert to each reader's observer\n`);
  // Ours twice: CELLMATE_SQLITE_SYNC=normal (the default: commits survive a
  // process crash, not a power loss) and full (an fsync per commit). Same database file.
  const startOurs = async (sync: 'full' | 'normal') => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', 'collab-server/main.ts'], {
      env: { ...process.env, CELLMATE_DATA_DIR: dataDir, COLLAB_PORT: String(port), COLLAB_HOST: '127.0.0.1', CELLMATE_SECRET: secret, CELLMATE_SQLITE_SYNC: sync },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    await waitForOutput(child, /listening/);
    return { port, pid: child.pid! };
  };
  const normal = await startOurs('normal');
  const full = await startOurs('full');
  const refPort = await freePort();
  const reference = spawn(process.execPath, ['node_modules/y-websocket-reference/bin/server.cjs'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(refPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(reference);
  await waitForOutput(reference, /running at/);

  const storage = await openStorage({ databaseUrl: `file:${join(dataDir, 'cellmate.db')}`, migrate: false });
  const summary: string[] = [];
  for (const count of clientCounts) {
    console.log(`${count} clients (${count - 1} readers):`);
    const { id } = await createNotebook(storage, { title: `fanout ${count}` });
    const token = await signNotebookToken({ notebookId: id, role: 'editor', name: 'bench', userId: 'bench' }, 3600);
    const second = await createNotebook(storage, { title: `fanout ${count} full` });
    const secondToken = await signNotebookToken({ notebookId: second.id, role: 'editor', name: 'bench', userId: 'bench' }, 3600);
    const base = await measure('y-websocket reference (in-memory)', `ws://127.0.0.1:${refPort}`, `fanout-${count}`, null, reference.pid!, count - 1);
    const mine = await measure('cellmate, SQLite sync=normal', `ws://127.0.0.1:${normal.port}`, id, token, normal.pid, count - 1);
    const synced = await measure('cellmate, SQLite sync=full', `ws://127.0.0.1:${full.port}`, second.id, secondToken, full.pid, count - 1);
    const ratio = (a: Figures) => `p50 ${(a.p50 / base.p50).toFixed(2)}x, p99 ${(a.p99 / base.p99).toFixed(2)}x`;
    summary.push(`${String(count).padStart(3)} clients: sync=normal (default) ${ratio(mine)};  sync=full ${ratio(synced)}`);
  }
  await storage.close();
  console.log('\nours / reference:');
  for (const line of summary) console.log(`  ${line}`);
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
