// A live workshop on one machine: one presenter types into a cell (a keystroke
// every 50 ms) while a cell of theirs runs on the shared kernel and prints a
// line every 100 ms; 50 attendees are connected as real y-websocket clients,
// each moving its cursor a few times per second through awareness.
// The collab server and the kernel bridge run as their real processes (so the
// collab server's CPU and memory are its own); the clients share this process.
//
//   node --experimental-wasm-modules --no-warnings --import tsx bench/workshop-load.ts [seconds=20] [attendees=50] [throttles=0,50]
//
// Each awareness throttle (COLLAB_AWARENESS_THROTTLE_MS) gets a fresh collab
// server and bridge. Figures:
//   keystroke: the presenter's insert → the character in each attendee's doc;
//   output:    the kernel's clock when it printed the line (time.time_ns, the
//              same wall clock as this process) → the line in each attendee's doc;
//   awareness: messages each attendee received per second;
//   collab server: CPU % of one core over the run, RSS at the end.
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
import { cellsOf, outputsOf, sourceOf, streamTextOf } from '../notebook-model';
import type { NotebookJSON } from '../notebook-model/nbformat/types';

const seconds = Number(process.argv[2] ?? 20);
const attendeeCount = Number(process.argv[3] ?? 50);
const throttles = (process.argv[4] ?? '0,50').split(',').map(Number);
const keystrokeMs = 50;
const lineMs = 100;
const cursorMovesPerSecond = 3;
const secret = 'workshop-bench-secret';
process.env.CELLMATE_SECRET = secret;

const nowWallMs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function nodeProcess(script: string, env: Record<string, string>, marker: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return waitForOutput(child, marker).then(() => child);
}

interface Client { doc: Y.Doc; provider: WebsocketProvider }

function connect(url: string, notebookId: string, token: string): Client {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, notebookId, doc, {
    params: { token },
    disableBc: true,
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
  });
  return { doc, provider };
}

/** All stream text of a cell's outputs, in order. */
function streamText(doc: Y.Doc, index: number): string {
  const cell = cellsOf(doc).get(index);
  if (!cell) return '';
  return outputsOf(cell).toArray().map((o) => streamTextOf(o)?.toString() ?? '').join('');
}

const streamingCell = [
  'import time',
  `for i in range(${Math.ceil((seconds * 1000) / lineMs) + 20}):`,
  '    print(time.time_ns(), flush=True)',
  `    time.sleep(${lineMs / 1000})`,
].join('\n');

async function run(dataDir: string, throttleMs: number): Promise<void> {
  const collabPort = await freePort();
  const bridgePort = await freePort();
  const base = { CELLMATE_DATA_DIR: dataDir, CELLMATE_SECRET: secret };
  const collab = await nodeProcess('collab-server/main.ts', {
    ...base, COLLAB_PORT: String(collabPort), COLLAB_HOST: '127.0.0.1', COLLAB_AWARENESS_THROTTLE_MS: String(throttleMs),
  }, /listening/);
  const bridge = await nodeProcess('kernel-bridge/main.ts', {
    ...base, BRIDGE_PORT: String(bridgePort), COLLAB_URL: `ws://127.0.0.1:${collabPort}`, KERNEL_IDLE_TIMEOUT_SECONDS: '0',
  }, /listening/);
  const clients: Client[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    const storage = await openStorage({ databaseUrl: `file:${join(dataDir, 'cellmate.db')}`, migrate: false });
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [
        { id: 'typing', cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null },
        { id: 'stream', cell_type: 'code', source: streamingCell, metadata: {}, outputs: [], execution_count: null },
      ],
    } as unknown as NotebookJSON;
    const { id } = await createNotebook(storage, { title: `workshop throttle ${throttleMs}`, notebook: nb });
    await storage.close();
    const url = `ws://127.0.0.1:${collabPort}`;
    const presenterToken = await signNotebookToken({ notebookId: id, role: 'editor', name: 'Presenter', userId: 'presenter' }, 3600);

    const presenter = connect(url, id, presenterToken);
    clients.push(presenter);
    for (let i = 0; i < attendeeCount; i++) {
      const token = await signNotebookToken({ notebookId: id, role: 'viewer', name: `Attendee ${i}`, userId: `attendee-${i}` }, 3600);
      clients.push(connect(url, id, token));
    }
    const attendees = clients.slice(1);
    await until(() => clients.every((c) => c.provider.synced), 30_000, 'every client to sync');
    for (const [i, c] of clients.entries()) {
      c.provider.awareness.setLocalState({ user: { name: i ? `Attendee ${i}` : 'Presenter' }, cellId: 'typing' });
    }

    // Warm up the kernel so its start-up is not measured as output latency.
    const execute = async (cellId: string) => {
      const res = await fetch(`http://127.0.0.1:${bridgePort}/notebooks/${id}/execute`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${presenterToken}` },
        body: JSON.stringify({ cellIds: [cellId] }),
      });
      if (res.status !== 202) throw new Error(`execute answered ${res.status}: ${await res.text()}`);
    };
    await execute('typing');
    await until(() => cellsOf(presenter.doc).get(0)?.get('execution_count') != null, 60_000, 'the warm-up run');

    // Attendees: record keystroke and output-line latencies, count awareness messages.
    const typed = sourceOf(cellsOf(presenter.doc).get(0));
    const sentAt: number[] = [];
    const keystrokeLatencies: number[] = [];
    const outputLatencies: number[] = [];
    let awarenessMessages = 0;
    let measuring = false;
    for (const a of attendees) {
      const text = sourceOf(cellsOf(a.doc).get(0));
      let seenChars = 0;
      text.observe(() => {
        const now = performance.now();
        for (; seenChars < text.length; seenChars++) if (sentAt[seenChars] !== undefined) keystrokeLatencies.push(now - sentAt[seenChars]);
      });
      let seenLines = 0;
      cellsOf(a.doc).get(1).observeDeep(() => {
        const now = nowWallMs();
        const lines = streamText(a.doc, 1).split('\n');
        lines.pop(); // an unfinished line
        for (; seenLines < lines.length; seenLines++) {
          const printedNs = Number(lines[seenLines]);
          if (measuring && Number.isFinite(printedNs)) outputLatencies.push(now - printedNs / 1e6);
        }
      });
      a.provider.awareness.on('update', () => { if (measuring) awarenessMessages++; });
    }

    // Attendees move their cursors a few times per second, at staggered moments.
    for (const [i, a] of attendees.entries()) {
      const period = 1000 / cursorMovesPerSecond;
      const start = setTimeout(() => {
        timers.push(setInterval(() => {
          const at = Math.floor(Math.random() * 40);
          a.provider.awareness.setLocalStateField('cursor', { cellId: 'stream', anchor: at, head: at + (i % 3) });
          a.provider.awareness.setLocalStateField('scrollTop', Math.floor(Math.random() * 2000));
        }, period));
      }, (i * period) / attendees.length);
      timers.push(start);
    }

    const cpuBefore = cpuSeconds(collab.pid!);
    const started = performance.now();
    measuring = true;
    await execute('stream');
    const keystrokes = Math.floor((seconds * 1000) / keystrokeMs);
    for (let i = 0; i < keystrokes; i++) {
      sentAt.push(performance.now());
      typed.insert(typed.length, i % 40 === 39 ? '\n' : 'x');
      presenter.provider.awareness.setLocalStateField('cursor', { cellId: 'typing', anchor: typed.length, head: typed.length });
      // Keep the pace without drift: sleep to the next 50 ms mark.
      await sleep(Math.max(0, started + (i + 1) * keystrokeMs - performance.now()));
    }
    await until(() => keystrokeLatencies.length >= keystrokes * attendees.length, 30_000, 'every keystroke at every attendee').catch(() => {});
    measuring = false;
    const wall = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(collab.pid!) - cpuBefore;
    const rss = rssMiB(collab.pid!);

    keystrokeLatencies.sort((a, b) => a - b);
    outputLatencies.sort((a, b) => a - b);
    const row = (label: string, xs: number[], expected: string) =>
      `  ${label.padEnd(28)} ${String(xs.length).padStart(6)}/${expected} deliveries  p50 ${percentile(xs, 50).toFixed(1).padStart(6)} ms  ` +
      `p99 ${percentile(xs, 99).toFixed(1).padStart(6)} ms  max ${(xs[xs.length - 1] ?? NaN).toFixed(1).padStart(6)} ms`;
    console.log(`awareness throttle ${throttleMs} ms${throttleMs === 0 ? ' (once per event-loop turn)' : ''}:`);
    console.log(row('presenter keystroke → attendee', keystrokeLatencies, String(keystrokes * attendees.length)));
    console.log(row('output line → attendee', outputLatencies, `~${Math.floor((seconds * 1000) / lineMs) * attendees.length}`));
    console.log(`  awareness updates per attendee: ${(awarenessMessages / attendees.length / wall).toFixed(1)}/s ` +
      `(${attendees.length + 1} clients publishing ~${(attendees.length * cursorMovesPerSecond * 2 + 1000 / keystrokeMs).toFixed(0)} changes/s)`);
    console.log(`  collab server: CPU ${((cpu / wall) * 100).toFixed(0)}% of one core, RSS ${rss.toFixed(0)} MiB` +
      `   (kernel bridge RSS ${rssMiB(bridge.pid!).toFixed(0)} MiB)\n`);
  } finally {
    for (const t of timers) { clearInterval(t); clearTimeout(t); }
    for (const c of clients) { c.provider.destroy(); c.provider.awareness.destroy(); }
    bridge.kill('SIGTERM');
    await new Promise((r) => { bridge.once('exit', r); setTimeout(r, 5_000); });
    collab.kill('SIGKILL');
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'cellmate-workshop-'));
try {
  console.log(`1 presenter typing every ${keystrokeMs} ms and streaming a line every ${lineMs} ms; ` +
    `${attendeeCount} attendees moving cursors ${cursorMovesPerSecond}x/s; ${seconds} s per run\n`);
  for (const throttle of throttles) await run(dataDir, throttle);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
