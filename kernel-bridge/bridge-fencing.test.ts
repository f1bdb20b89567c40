// Fencing of a stale bridge's writes, with real processes: a collab node and two
// bridge processes on the machine's real Redis and PostgreSQL (cluster-rig.ts),
// real kernels. Bridge 1 owns a notebook and runs a cell that keeps printing;
// it is paused (SIGSTOP) past its lease, bridge 2 takes the notebook over and
// runs code in it; bridge 1 is resumed with its socket to the collab server
// still open and the kernel's output waiting for it. Whatever it then writes
// is refused by the collab server (4412, collab-server/lease-fence.ts): the
// stored document and the other clients keep what bridge 2 made of the
// notebook, and bridge 2 keeps writing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Y from 'yjs';
import { signNotebookToken } from '../auth/notebook-token';
import { signServiceToken } from '../auth/service-token';
import { freePort, startCluster, testRedisUrl } from '../collab-server/cluster-rig';
import { upgradeStatus } from '../collab-server/test-rig';
import { createNotebook } from '../library/notebook-library';
import { cellsOf, docToNotebook } from '../notebook-model';
import { cutOffNoteText } from '../notebook-model/execution';
import { closeCodes, kernelFenceParam } from '../notebook-model/service-protocol';
import { childrenOf, killOrphanKernels, startBridgeProcess, stopBridgeProcess, watchNotebook, type BridgeProcess as Bridge } from './bridge-process-rig';
import { KERNEL_DEADLINE_MS, executionCount, executionState, outputText, waitFor } from './bridge-test-harness';

/** The loop cell as a reader sees it: source, outputs, execution state and count. */
const loopCell = (doc: Y.Doc) => JSON.stringify(docToNotebook(doc).cells.find((cell) => cell.id === 'loop'));

test('a bridge paused past its lease cannot write once another bridge owns the notebook; the new owner can', { timeout: 300_000 }, async () => {
  const cluster = await startCluster(1);
  const collabUrl = `ws://127.0.0.1:${cluster.nodes[0].port}`;
  const dirs = [mkdtempSync(join(tmpdir(), 'cellmate-fence1-')), mkdtempSync(join(tmpdir(), 'cellmate-fence2-'))];
  for (const dir of dirs) chmodSync(dir, 0o711); // the kernel sandbox's user must reach the kernels' folders
  const shared = {
    DATABASE_URL: cluster.shared.databaseUrl, COLLAB_URL: collabUrl, REDIS_URL: testRedisUrl,
    CELLMATE_REDIS_PREFIX: cluster.shared.redisPrefix, CELLMATE_KERNEL_LEASE_SECONDS: '2',
  };
  const bridges: Bridge[] = [];
  const kernels: number[] = [];
  let watcher: Awaited<ReturnType<typeof watchNotebook>> | undefined;
  try {
    const { id } = await createNotebook(cluster.storage, {
      title: 'fenced bridges',
      notebook: {
        nbformat: 4, nbformat_minor: 5, metadata: {},
        cells: [
          { id: 'loop', cell_type: 'code', source: "import time\nfor i in range(100000):\n    print('tick', i, flush=True)\n    time.sleep(0.05)", metadata: {}, outputs: [], execution_count: null },
          { id: 'owner', cell_type: 'code', source: "print('bridge 2 writes')", metadata: {}, outputs: [], execution_count: null },
        ],
      } as never,
    });

    // Only a bridge presents a lease, and only a well-formed one (refused before any websocket exists).
    const editor = await signNotebookToken({ notebookId: id, role: 'editor', name: 'Eve', userId: 'u-eve' });
    const service = await signServiceToken('kernel-presence', id, 60);
    assert.equal(await upgradeStatus(`${collabUrl}/${id}?token=${editor}&${kernelFenceParam}=1`), 400);
    assert.equal(await upgradeStatus(`${collabUrl}/${id}?token=${editor}&service=${service}&${kernelFenceParam}=0x1`), 400);

    bridges.push(await startBridgeProcess({ ...shared, BRIDGE_PORT: String(await freePort()), CELLMATE_DATA_DIR: dirs[0], CELLMATE_NODE_ID: 'bridge-1' }));
    bridges.push(await startBridgeProcess({ ...shared, BRIDGE_PORT: String(await freePort()), CELLMATE_DATA_DIR: dirs[1], CELLMATE_NODE_ID: 'bridge-2' }));
    watcher = await watchNotebook(collabUrl, id);
    const seen = watcher.doc;
    const token = await signNotebookToken({ notebookId: id, role: 'editor', name: 'Ada', userId: 'u-ada' });
    const execute = (bridge: Bridge, cellIds: string[]) => fetch(`${bridge.url}/notebooks/${id}/execute`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ cellIds }),
    });

    assert.equal((await execute(bridges[0], ['loop'])).status, 202);
    await waitFor(() => outputText(seen, 'loop').includes('tick 3\n'), KERNEL_DEADLINE_MS, 'the loop to print on bridge 1');
    kernels.push(...childrenOf(bridges[0].child.pid!));
    // Paused, not dead: its kernel keeps printing, its socket to the collab server stays open.
    bridges[0].child.kill('SIGSTOP');

    await waitFor(() => executionState(seen, 'loop') === 'idle' && outputText(seen, 'loop').endsWith(cutOffNoteText), 30_000,
      'bridge 2 to take the notebook over from the silent bridge 1 and reset its cell');
    assert.equal((await execute(bridges[1], ['owner'])).status, 202);
    await waitFor(() => outputText(seen, 'owner') === 'bridge 2 writes\n', KERNEL_DEADLINE_MS, 'a run on bridge 2, the new owner');
    const before = loopCell(seen);
    const logBefore = cluster.nodes[0].log.length;

    bridges[0].child.kill('SIGCONT');
    // Bridge 1 wakes with the kernel's output queued and its run still open: it writes (outputs, then
    // the end of the run when it finds its lease gone), and the collab server refuses it.
    const refused = new RegExp(`closing Kernel \\(editor\\) \\(${closeCodes.staleKernelLease}\\): kernel lease fence (\\d+) was superseded by fence (\\d+)`);
    const refusal = await waitFor(() => refused.exec(cluster.nodes[0].log.slice(logBefore)) ?? undefined, 30_000, 'the collab node to refuse the stale bridge\'s write');
    assert.ok(refusal);
    assert.ok(Number(refusal[1]) < Number(refusal[2]), `stale fence ${refusal[1]} is below the current ${refusal[2]}`);

    // Bridge 2 still writes, and after its write nothing of bridge 1's can be on its way.
    assert.equal((await execute(bridges[1], ['owner'])).status, 202);
    await waitFor(() => outputText(seen, 'owner') === 'bridge 2 writes\n' && executionCount(seen, 'owner') === 2,
      KERNEL_DEADLINE_MS, 'a second run on bridge 2');
    assert.equal(loopCell(seen), before, 'the other clients saw nothing bridge 1 wrote after losing its lease');
    const stored = await cluster.stored(id);
    assert.equal(loopCell(stored), before, 'the stored document holds nothing bridge 1 wrote after losing its lease');
    assert.equal(cellsOf(stored).length, 2);
    assert.equal(outputText(stored, 'owner'), 'bridge 2 writes\n');
  } finally {
    watcher?.close();
    for (const bridge of bridges) bridge.child.kill('SIGCONT');
    await Promise.all(bridges.map((bridge) => stopBridgeProcess(bridge)));
    killOrphanKernels(kernels);
    await cluster.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});
