// Kill -9 the bridge process while a cell runs and another waits: the next
// bridge process, on start, puts both back to idle, with a note on each saying
// what happened, for everyone and in the stored document. A real bridge process
// (kernel-bridge/main.ts) against a real collab server and a real kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../storage';
import { startCollabServer } from '../collab-server';
import { cutOffNoteText, serviceStoppedNotRunNoteText } from '../notebook-model/execution';
import { signNotebookToken } from '../auth/notebook-token';
import { createNotebook, loadNotebookDoc } from '../library/notebook-library';
import { childrenOf, killOrphanKernels, startBridgeProcess, stopBridgeProcess, watchNotebook, type BridgeProcess } from './bridge-process-rig';
import { KERNEL_DEADLINE_MS, executionState, outputText, waitFor } from './bridge-test-harness';

const secret = 'bridge-crash-test-secret';
process.env.CELLMATE_SECRET = secret;

function startBridge(dataDir: string, databaseUrl: string, collabUrl: string): Promise<BridgeProcess> {
  return startBridgeProcess({ CELLMATE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, COLLAB_URL: collabUrl });
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
    const watcher = await watchNotebook(collabUrl, id);
    const watcherDoc = watcher.doc;
    try {
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
      await stopBridgeProcess(bridge, 'SIGKILL');
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
      watcher.close();
    }
  } finally {
    if (bridge) await stopBridgeProcess(bridge);
    // The killed bridge could not stop its kernel.
    killOrphanKernels(orphanKernels);
    await collab.close();
    await storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
