// Keystroke latency while people comment: 50 people in one notebook (one
// presenter typing into a cell, 49 commenters), the commenters posting one
// comment a second between them (new threads on the presenter's lines, and
// replies), all through our collab server as a child process (SQLite, every
// update checked — comments against the sender — and stored before broadcast).
// Latency = the presenter's insert to each reader's observer; the same run
// without comments is the baseline.
//
//   node --experimental-wasm-modules --import tsx bench/comment-load.ts [seconds=30] [people=50]
//
// Reference: keystroke p99 under 50 ms with comments flowing (issue 16).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { cpuSeconds, freePort, percentile, rssMiB, waitForOutput } from './bench-kit';
import { signNotebookToken } from '../auth/notebook-token';
import type { Role } from '../auth/roles';
import { openStorage } from '../storage';
import { createNotebook } from '../library/notebook-library';
import { CellKey, cellsOf } from '../notebook-model';
import { sourceAnchor } from '../notebook-model/comment-anchors';
import { readThreads, replyToThread, startThread } from '../notebook-model/comments';

const seconds = Number(process.argv[2] ?? 30);
const people = Number(process.argv[3] ?? 50);
const keystrokeIntervalMs = 50;
const commentIntervalMs = 1000;
const referenceP99Ms = 50;
const secret = 'comment-load-secret';
process.env.CELLMATE_SECRET = secret;

interface Person { doc: Y.Doc; provider: WebsocketProvider; name: string }

async function joinAs(url: string, notebookId: string, name: string, role: Role): Promise<Person> {
  const token = await signNotebookToken({ notebookId, role, name, userId: `user-${name}` }, 3600);
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, notebookId, doc, { params: { token }, disableBc: true, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket });
  provider.awareness.setLocalStateField('user', { name });
  return { doc, provider, name };
}

async function run(label: string, url: string, notebookId: string, pid: number, withComments: boolean): Promise<number> {
  const presenter = await joinAs(url, notebookId, 'presenter', 'owner');
  const others: Person[] = [];
  for (let i = 1; i < people; i++) others.push(await joinAs(url, notebookId, `attendee${i}`, 'commenter'));
  const everyone = [presenter, ...others];
  const deadline = Date.now() + 60_000;
  while (!everyone.every((p) => p.provider.synced)) {
    if (Date.now() > deadline) throw new Error(`${label}: clients did not sync`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const text = cellsOf(presenter.doc).get(0).get(CellKey.source) as Y.Text;
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  for (const reader of others) {
    const readerText = cellsOf(reader.doc).get(0).get(CellKey.source) as Y.Text;
    let seen = readerText.length;
    readerText.observe(() => {
      const now = performance.now();
      for (; seen < readerText.length; seen++) {
        const sent = sentAt.get(seen);
        if (sent !== undefined) latencies.push(now - sent);
      }
    });
  }

  let comments = 0;
  const commentTimer = withComments ? setInterval(() => {
    const author = others[comments % others.length];
    const threads = readThreads(author.doc);
    const me = { userId: `user-${author.name}`, name: author.name };
    if (threads.length && comments % 2 === 1) replyToThread(author.doc, threads[threads.length - 1].id, me, `reply ${comments} from ${author.name}`);
    else {
      const cell = cellsOf(author.doc).get(0);
      const length = (cell.get(CellKey.source) as Y.Text).length;
      startThread(author.doc, { anchor: sourceAnchor(cell, 0, Math.min(length, 10)), author: me, body: `question ${comments}: why **this** line?` });
    }
    comments++;
  }, commentIntervalMs) : null;

  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  let typed = 0;
  while (performance.now() - started < seconds * 1000) {
    sentAt.set(text.length, performance.now());
    text.insert(text.length, typed % 40 === 39 ? '\n' : 'x');
    typed++;
    await new Promise((r) => setTimeout(r, keystrokeIntervalMs));
  }
  if (commentTimer) clearInterval(commentTimer);
  const expected = typed * others.length;
  const waitUntil = performance.now() + 30_000;
  while (latencies.length < expected && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  const stored = readThreads(presenter.doc);
  console.log(
    `  ${label.padEnd(22)} keystrokes ${typed}, deliveries ${latencies.length}/${expected}, comments ${comments} (threads seen ${stored.length}, ` +
    `comments seen ${stored.reduce((n, t) => n + t.comments.length, 0)})\n` +
    `  ${''.padEnd(22)} p50 ${percentile(latencies, 50).toFixed(1)} ms  p99 ${p99.toFixed(1)} ms  max ${(latencies[latencies.length - 1] ?? 0).toFixed(1)} ms  ` +
    `server CPU ${((cpu / wall) * 100).toFixed(0)}%  RSS ${rssMiB(pid).toFixed(0)} MiB`,
  );
  for (const p of everyone) { p.provider.destroy(); p.provider.awareness.destroy(); }
  return p99;
}

const dataDir = mkdtempSync(join(tmpdir(), 'cellmate-comment-load-'));
const children: ChildProcess[] = [];
try {
  const port = await freePort();
  const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', 'collab-server/main.ts'], {
    env: { ...process.env, CELLMATE_DATA_DIR: dataDir, COLLAB_PORT: String(port), COLLAB_HOST: '127.0.0.1', CELLMATE_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  await waitForOutput(child, /listening/);
  const storage = await openStorage({ databaseUrl: `file:${join(dataDir, 'cellmate.db')}`, migrate: false });
  const notebook = () => createNotebook(storage, {
    title: 'comment load',
    notebook: { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'talk', cell_type: 'code', source: 'print("hello")\n', metadata: {}, outputs: [], execution_count: null }] } as never,
  });
  console.log(`${people} people, the presenter typing every ${keystrokeIntervalMs} ms for ${seconds} s; latency = presenter's insert to each of ${people - 1} readers\n`);
  const url = `ws://127.0.0.1:${port}`;
  const baseline = await run('no comments', url, (await notebook()).id, child.pid!, false);
  const loaded = await run('1 comment / s', url, (await notebook()).id, child.pid!, true);
  await storage.close();
  console.log(`\nkeystroke p99 with comments: ${loaded.toFixed(1)} ms (without: ${baseline.toFixed(1)} ms); reference: under ${referenceP99Ms} ms -> ${loaded < referenceP99Ms ? 'within' : 'OVER'}`);
} finally {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
