// The kernel's variables and memory, as every collaborator sees them: through
// the bridge's awareness, after a run on a real python3 kernel, over the real
// collab server. The refresh is silent: the next cell's count follows on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { executionCount, executionState, KERNEL_DEADLINE_MS, startRig, waitFor, type Rig } from './bridge-test-harness';
import { KernelResources } from './kernel-resources';
import { explainMemoryExit } from './kernel-memory-limit';
import type { KernelResourcesState } from '../notebook-model/service-protocol';

let rig: Rig;
before(async () => { rig = await startRig({ memoryLimitMb: 2048 }); });
after(async () => { await rig?.close(); });

test('after a run, everyone sees the variables (largest first) and the kernel\'s memory; the refresh never counts', { timeout: 120_000 }, async () => {
  const nb = await rig.notebook([
    'import numpy as np, pandas as pd\nbig = np.ones((100 * 2**20) // 8)\nframe = pd.DataFrame({"a": range(1000)})\nx = 1',
    'y = x + 1',
  ]);
  const [a, b] = [await rig.browser(nb.id), await rig.browser(nb.id)];
  const token = await rig.token(nb.id);
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell0'] })).status, 202);
  for (const browser of [a, b]) {
    const variables = await waitFor(() => {
      const v = browser.resources()?.variables;
      return v?.state === 'ok' && v.list.some((e) => e.name === 'big') ? v : undefined;
    }, KERNEL_DEADLINE_MS, 'the variables after the run') as Extract<KernelResourcesState['variables'], { state: 'ok' }>;
    assert.deepEqual(variables.list.map((v) => v.name).slice(0, 2), ['big', 'frame']);
    assert.equal(variables.list[0].size, 100 * 2 ** 20);
    assert.deepEqual(variables.list.find((v) => v.name === 'x')?.repr, '1');
  }
  const memory = await waitFor(() => {
    const m = a.resources()?.memory;
    return m && m.usedBytes > 100 * 2 ** 20 ? m : undefined;
  }, 20_000, 'the memory reading to include the 100 MB array') as NonNullable<KernelResourcesState['memory']>;
  assert.equal(memory.limitBytes, 2048 * 2 ** 20);
  assert.equal(executionCount(a.doc, 'cell0'), 1);

  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell1'] })).status, 202);
  await waitFor(() => executionCount(a.doc, 'cell1') !== null && executionState(a.doc, 'cell1') === 'idle', KERNEL_DEADLINE_MS, 'cell1 to run');
  assert.equal(executionCount(a.doc, 'cell1'), 2, 'the silent refresh in between took no execution count');
  await waitFor(() => {
    const v = b.resources()?.variables;
    return v?.state === 'ok' && v.list.some((e) => e.name === 'y');
  }, KERNEL_DEADLINE_MS, 'the refresh after the second run');
});

// The death itself is not provoked here (a real out-of-memory kill needs the
// machine's memory pressure); the kernel is a stand-in at that boundary, the
// death reason is the one the bridge writes for a cgroup OOM kill.
test('a kernel that dies of memory: the message names the largest variables of the last refresh', async () => {
  const published: KernelResourcesState[] = [];
  const resources = new KernelResources((_key, value) => published.push(value as KernelResourcesState));
  const kernel = {
    describeVariables: async () => ({
      total: 7, kernelMs: 1,
      list: Array.from({ length: 7 }, (_, i) => ({ name: `v${i}`, type: 'numpy.ndarray', size: (7 - i) * 1e8, shape: [1], length: null, repr: 'dtype float64' })),
    }),
  };
  resources.kernelStarted(kernel, 'python');
  await resources.refresh(kernel, 'python');
  resources.kernelDied(explainMemoryExit({ code: null, signal: 'SIGKILL', outputTail: '' }, 2048, true)!);
  const last = published.at(-1)!;
  assert.deepEqual(last.outOfMemory?.largest.map((v) => v.name), ['v0', 'v1', 'v2', 'v3', 'v4']);
  assert.equal(last.variables.state, 'unavailable');

  resources.kernelDied('kernel process exited with code 1');
  assert.equal(published.at(-1)!.outOfMemory, undefined, 'another death names no variables');
  resources.stop();
});

test('other languages: the panel says it is not available', async () => {
  const published: KernelResourcesState[] = [];
  const resources = new KernelResources((_key, value) => published.push(value as KernelResourcesState));
  resources.kernelStarted({}, 'R');
  await resources.refresh({}, 'R');
  const variables = published.at(-1)!.variables;
  assert.equal(variables.state, 'unavailable');
  assert.match(variables.state === 'unavailable' ? variables.reason : '', /not available for R kernels/);
  resources.stop();
});
