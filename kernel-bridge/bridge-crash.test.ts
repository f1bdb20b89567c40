// Kill -9 the bridge process while a cell runs and another waits: the next
// bridge process, on start, puts both back to idle, with a note on each saying
// what happened, for everyone and in the stored document. A real bridge process
// (kernel-bridge/main.ts) against a real collab server and a real kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../storage';
import { startCollabServer } from '../collab-server';
import { cutOffNoteText, serviceStoppedNotRunNoteText } from '../notebook-model/execution';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { signNotebookToken } from '../auth/notebook-token';
import { createNotebook, loadNotebookDoc } from '../library/notebook-library';
import { KERNEL_DEADLINE_MS, executionState, outputText, waitFor } from './bridge-test-harness';

const secret = 'bridge-crash-test-secret';
process.env.CELLMATE_SECRET = secret;

interface BridgeProcess {
  child: ChildProcess;
  url: string;
}

function startBridge(dataDir: string, databaseUrl: string, collabUrl: string): Promise<BridgeProcess> {
  const child = spawn(process.execPath, ['--experimental-wasm-modules', '--no-warnings', '--import', 'tsx', 'kernel-bridge/main.ts'], {
    env: { ...process.env, CELLMATE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, COLLAB_URL: collabUrl, BRIDGE_PORT: '0', CELLMATE_SECRET: secret, KERNEL_MEMORY_LIMIT_MB: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const port = /listening on http:\/\/localhost:(\d+)/.exec(out)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`the bridge exited early (${code}): ${out}`)));
  });
}

/** The process ids of `pid`'s children (the kernels a bridge started). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

test('after the bridge is killed with SIGKILL mid-run, the next bridge resets the running and queued cells, with a note on each', { timeout: 240_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cellmate-bridge-crash-'));
  // Sandboxed kernels run as their own user, who must be able to pass through to their working folders.
  chmodSync(dataDir, 0o711);
  const databaseUrl = `file:${join(dataDir, 'cellmate.db')}`;
  const storage = await openStorage({ databaseUrl });
  const collab = await startCollabServer({ port: 0, storage });
  const collabUrl = `ws://127.0.0.1:${collab.port}`;
  const orphanKernels: number[] = [];
  let bridge: BridgeProcess | undefined;
  try {
    const { id } = await createNotebook(storage, {
      title: 'crash mid-run',
      notebook: {
        nbformat: 4, nbformat_minor: 5, metadata: {},
        cells: [
          { id: 'cell0', cell_type: 'code', source: 'import time\nprint("started", flush=True)\ntime.sleep(120)', metadata: {}, outputs: [], execution_count: null },
          { id: 'cell1', cell_type: 'code', source: 'print("never")', metadata: {}, outputs: [], execution_count: null },
        ],
      } as never,
    });
    const watcherDoc = new Y.Doc();
    const watcher = new WebsocketProvider(collabUrl, id, watcherDoc, {
      params: { token: await signNotebookToken({ notebookId: id, role: 'viewer', name: 'Watcher', userId: 'w' }) },
      WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
      disableBc: true,
    });
    try {
      await waitFor(() => watcher.synced, 10_000, 'the watcher to sync');

      bridge = await startBridge(dataDir, databaseUrl, collabUrl);
      const token = await signNotebookToken({ notebookId: id, role: 'editor', name: 'Ada', userId: 'u-ada' });
      const res = await fetch(`${bridge.url}/notebooks/${id}/execute`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ cellIds: ['cell0', 'cell1'] }),
      });
      assert.equal(res.status, 202);
      await waitFor(() => outputText(watcherDoc, 'cell0') === 'started\n' && executionState(watcherDoc, 'cell1') === 'queued', KERNEL_DEADLINE_MS, 'the first cell to run and the second to wait');

      orphanKernels.push(...childrenOf(bridge.child.pid!));
      const exited = new Promise((resolve) => bridge!.child.once('exit', resolve));
      bridge.child.kill('SIGKILL');
      await exited;
      bridge = undefined;
      // Nobody cleaned up: this is what people saw forever before.
      assert.equal(executionState(watcherDoc, 'cell0'), 'running');
      assert.equal(executionState(watcherDoc, 'cell1'), 'queued');

      bridge = await startBridge(dataDir, databaseUrl, collabUrl);
      await waitFor(() => executionState(watcherDoc, 'cell0') === 'idle' && executionState(watcherDoc, 'cell1') === 'idle', 60_000, 'the new bridge to reset both cells');
      assert.equal(outputText(watcherDoc, 'cell0'), `started\n${cutOffNoteText}`, 'the cut-off output is kept, with the note after it');
      assert.equal(outputText(watcherDoc, 'cell1'), serviceStoppedNotRunNoteText);
      await waitFor(async () => {
        const stored = await loadNotebookDoc(storage, id);
        try { return executionState(stored, 'cell0') === 'idle' && outputText(stored, 'cell0').endsWith(cutOffNoteText); } finally { stored.destroy(); }
      }, 10_000, 'the reset to be stored');
    } finally {
      watcher.destroy();
      watcherDoc.destroy();
    }
  } finally {
    if (bridge) {
      const exited = new Promise((resolve) => bridge!.child.once('exit', resolve));
      bridge.child.kill('SIGTERM');
      await exited;
    }
    // The killed bridge could not stop its kernel; each leads its own process group.
    for (const pid of orphanKernels) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    await collab.close();
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
