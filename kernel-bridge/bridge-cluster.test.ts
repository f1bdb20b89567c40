// Two bridge processes sharing the machine's real Redis and PostgreSQL (a fresh
// schema), one collab server, real kernels: a notebook's kernel is owned by one
// bridge (kernel-lease.ts); a run requested through the other bridge is
// forwarded to the owner and runs once, in the owner's kernel; when the owner is
// killed with SIGKILL, the other bridge takes the notebook over: the cell the
// dead kernel was running is reset with a note saying so, and the next run
// starts a kernel on the surviving bridge. A "Save & run all" asked of the other
// bridge runs on the owner too, and both bridges report its progress.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signNotebookToken } from '../auth/notebook-token';
import { startCollabServer } from '../collab-server';
import { freePort, testRedisUrl } from '../collab-server/cluster-rig';
import { createNotebook } from '../library/notebook-library';
import { cutOffNoteText } from '../notebook-model/execution';
import type { FreshRunState } from '../notebook-model/service-protocol';
import { openStorage } from '../storage';
import { dropPostgresSchema, postgresSchemaUrl } from '../storage/test-databases';
import { childrenOf, killOrphanKernels, startBridgeProcess, stopBridgeProcess, watchNotebook, type BridgeProcess as Bridge } from './bridge-process-rig';
import { KERNEL_DEADLINE_MS, executionCount, executionState, outputText, waitFor } from './bridge-test-harness';

const secret = 'cluster-test-secret';
process.env.CELLMATE_SECRET = secret;

/** A bridge on a port of its own: the others forward requests to it there. */
async function startBridge(env: Record<string, string>): Promise<Bridge> {
  return startBridgeProcess({ ...env, BRIDGE_PORT: String(await freePort()) });
}

test('a run through bridge 2 for a notebook bridge 1 owns runs once, in bridge 1\'s kernel; killing bridge 1 hands the notebook to bridge 2', { timeout: 300_000 }, async () => {
  const run = randomBytes(5).toString('hex');
  const schema = `bridges_${run}`;
  const databaseUrl = postgresSchemaUrl(schema);
  const storage = await openStorage({ databaseUrl });
  const collab = await startCollabServer({ port: 0, host: '127.0.0.1', storage });
  const collabUrl = `ws://127.0.0.1:${collab.port}`;
  const dirs = [mkdtempSync(join(tmpdir(), 'cellmate-bridge1-')), mkdtempSync(join(tmpdir(), 'cellmate-bridge2-'))];
  for (const dir of dirs) chmodSync(dir, 0o711); // the kernel sandbox's user must reach the kernels' folders
  const shared = { DATABASE_URL: databaseUrl, COLLAB_URL: collabUrl, REDIS_URL: testRedisUrl, CELLMATE_REDIS_PREFIX: `test-${run}:`, CELLMATE_KERNEL_LEASE_SECONDS: '2' };
  const bridges: Bridge[] = [];
  const orphanKernels: number[] = [];
  let watcher: Awaited<ReturnType<typeof watchNotebook>> | undefined;
  try {
    bridges.push(await startBridge({ ...shared, CELLMATE_DATA_DIR: dirs[0], CELLMATE_NODE_ID: 'bridge-1' }));
    bridges.push(await startBridge({ ...shared, CELLMATE_DATA_DIR: dirs[1], CELLMATE_NODE_ID: 'bridge-2' }));
    const { id } = await createNotebook(storage, {
      title: 'two bridges',
      notebook: {
        nbformat: 4, nbformat_minor: 5, metadata: {},
        cells: [
          { id: 'count', cell_type: 'code', source: "n = globals().get('n', 0) + 1\nprint('run', n)", metadata: {}, outputs: [], execution_count: null },
          { id: 'sleep', cell_type: 'code', source: 'import time\nprint("started", flush=True)\ntime.sleep(120)', metadata: {}, outputs: [], execution_count: null },
        ],
      } as never,
    });
    watcher = await watchNotebook(collabUrl, id);
    const watcherDoc = watcher.doc;
    const token = await signNotebookToken({ notebookId: id, role: 'editor', name: 'Ada', userId: 'u-ada' });
    const execute = (bridge: Bridge, cellIds: string[]) => fetch(`${bridge.url}/notebooks/${id}/execute`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ cellIds }),
    });

    assert.equal((await execute(bridges[0], ['count'])).status, 202);
    await waitFor(() => outputText(watcherDoc, 'count') === 'run 1\n', KERNEL_DEADLINE_MS, 'the first run on bridge 1');
    assert.equal((await execute(bridges[1], ['count'])).status, 202);
    await waitFor(() => outputText(watcherDoc, 'count') === 'run 2\n', KERNEL_DEADLINE_MS, 'the run through bridge 2 to run in bridge 1\'s kernel');
    assert.equal(executionCount(watcherDoc, 'count'), 2, 'ran once more, in the same kernel');
    assert.deepEqual(childrenOf(bridges[1].child.pid!), [], 'bridge 2 started no kernel');

    // Save & run all asked of bridge 2 runs on the owner (bridge 2 starts no kernel for it), and either bridge
    // tells the same run. (It reaches the 120 s cell below and is still going when bridge 1 is killed.)
    const freshRun = (bridge: Bridge, method: 'GET' | 'POST') => fetch(`${bridge.url}/notebooks/${id}/fresh-run`, {
      method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: method === 'POST' ? JSON.stringify({ name: 'clean run' }) : undefined,
    });
    const runOf = async (bridge: Bridge) => ((await (await freshRun(bridge, 'GET')).json()) as { run: FreshRunState | null }).run;
    assert.equal((await freshRun(bridges[1], 'POST')).status, 202);
    const seen = await waitFor(async () => {
      const run = await runOf(bridges[1]);
      return run?.progress?.codeCellNumber === 2 ? run : null;
    }, KERNEL_DEADLINE_MS, 'the fresh run asked of bridge 2 to reach its second cell') as FreshRunState;
    const onOwner = await runOf(bridges[0]);
    assert.deepEqual([onOwner?.name, onOwner?.startedAt, onOwner?.state], [seen.name, seen.startedAt, 'running'], 'both bridges answer with the owner\'s run');
    assert.deepEqual(childrenOf(bridges[1].child.pid!), [], 'bridge 2 started no kernel for it');
    assert.ok(childrenOf(bridges[0].child.pid!).length >= 2, 'bridge 1 runs the live kernel and the fresh run\'s');

    assert.equal((await execute(bridges[1], ['sleep'])).status, 202);
    await waitFor(() => outputText(watcherDoc, 'sleep') === 'started\n', KERNEL_DEADLINE_MS, 'the long cell to start on bridge 1');
    orphanKernels.push(...childrenOf(bridges[0].child.pid!));
    await stopBridgeProcess(bridges[0], 'SIGKILL');

    await waitFor(() => executionState(watcherDoc, 'sleep') === 'idle', 30_000, 'bridge 2 to take the notebook over and reset the cut-off cell');
    assert.equal(outputText(watcherDoc, 'sleep'), `started\n${cutOffNoteText}`);
    assert.equal((await execute(bridges[1], ['count'])).status, 202);
    await waitFor(() => outputText(watcherDoc, 'count') === 'run 1\n', KERNEL_DEADLINE_MS, 'a fresh kernel on bridge 2');
    assert.ok(childrenOf(bridges[1].child.pid!).length > 0, 'bridge 2 now runs the kernel');
  } finally {
    watcher?.close();
    await Promise.all(bridges.map((bridge) => stopBridgeProcess(bridge)));
    killOrphanKernels(orphanKernels);
    await collab.close();
    await storage.close();
    await dropPostgresSchema(schema);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});
