// The bridge service end to end: real collab server, real Python kernels, real
// sockets. Browsers are y-websocket clients; results are read from their replicas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { findCell, outputsOf, outputToJSON } from '../notebook-model';
import { notRunNoteText } from '../notebook-model/execution';
import { cellById, executionCount, executionState, KERNEL_DEADLINE_MS, outputText, startRig, waitFor, type Rig } from './bridge-test-harness';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig?.close(); });

test('a run reaches every collaborator and the stored document', async () => {
  const nb = await rig.notebook(['print("hello from the kernel")']);
  const [a, b] = [await rig.browser(nb.id), await rig.browser(nb.id)];
  const res = await rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id), { cellIds: nb.cellIds });
  assert.equal(res.status, 202);
  assert.deepEqual(res.body, { queued: nb.cellIds });
  for (const browser of [a, b]) {
    await waitFor(() => executionCount(browser.doc, 'cell0') === 1 && executionState(browser.doc, 'cell0') === 'idle', KERNEL_DEADLINE_MS, 'the execution count');
    assert.equal(outputText(browser.doc, 'cell0'), 'hello from the kernel\n');
  }
  await waitFor(async () => {
    const stored = await rig.storedDoc(nb.id);
    try { return executionCount(stored, 'cell0') === 1 && outputText(stored, 'cell0') === 'hello from the kernel\n'; } finally { stored.destroy(); }
  }, 10_000, 'the collab server to store the outputs');
  assert.equal(a.kernel()?.status, 'idle');
  assert.equal(a.kernel()?.specName, 'python3');
});

test('a 2 MB matplotlib PNG reaches a collaborator intact', async () => {
  const code = [
    'import numpy as np',
    'import matplotlib.pyplot as plt',
    'from IPython.display import display',
    'fig = plt.figure(figsize=(8.5, 8.5), dpi=100)',
    'ax = fig.add_axes([0, 0, 1, 1]); ax.axis("off")',
    'ax.imshow(np.random.default_rng(1).random((850, 850, 3)), interpolation="nearest")',
    'display(fig); plt.close(fig)',
  ].join('\n');
  const nb = await rig.notebook([code]);
  const watcher = await rig.browser(nb.id);
  await rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id), { cellIds: nb.cellIds });
  const png = await waitFor(() => {
    const c = findCell(watcher.doc, 'cell0');
    const image = c && outputsOf(c).map((o) => outputToJSON(o) as { data?: Record<string, string> }).find((o) => o.data?.['image/png']);
    return image?.data?.['image/png'];
  }, 120_000, 'the PNG output');
  const bytes = Buffer.from((png as string).replace(/\s+/g, ''), 'base64');
  assert.ok(bytes.length > 2_000_000, `PNG of ${bytes.length} bytes`);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.deepEqual([...bytes.subarray(-8, -4)], [0x49, 0x45, 0x4e, 0x44], 'the PNG ends with its IEND chunk');
  const stored = findCell(await rig.storedDoc(nb.id), 'cell0')!;
  assert.equal((outputToJSON(outputsOf(stored).get(0)) as { data: Record<string, string> }).data['image/png'], png);
});

test('a waiting cell shows as queued while the one before it runs', async () => {
  const nb = await rig.notebook(['import time; time.sleep(1)', 'print("second")']);
  const watcher = await rig.browser(nb.id);
  const seen = { queuedWhileFirstRuns: false };
  const check = () => {
    if (executionState(watcher.doc, 'cell0') === 'running' && executionState(watcher.doc, 'cell1') === 'queued') seen.queuedWhileFirstRuns = true;
  };
  watcher.doc.on('update', check);
  const res = await rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id, 'editor', { name: 'Grace', userId: 'u-grace' }), { cellIds: nb.cellIds });
  assert.equal(res.status, 202);
  await waitFor(() => watcher.kernel()?.queue.some((q) => q.cellId === 'cell1' && q.queuedBy.name === 'Grace'), KERNEL_DEADLINE_MS, 'cell1 in the awareness queue');
  await waitFor(() => executionCount(watcher.doc, 'cell1') !== null && executionState(watcher.doc, 'cell1') === 'idle', KERNEL_DEADLINE_MS, 'the second cell to finish');
  assert.ok(seen.queuedWhileFirstRuns, 'the second cell was seen queued while the first ran');
  assert.equal(outputText(watcher.doc, 'cell1'), 'second\n');
});

test('tokens: viewer and wrong notebook get 403, none gets 401, unknown cells 400, and nothing runs', async () => {
  const nb = await rig.notebook(['print("should not run")']);
  const other = await rig.notebook(['1']);
  const watcher = await rig.browser(nb.id);
  const path = `/notebooks/${nb.id}/execute`;
  const body = { cellIds: nb.cellIds };
  assert.equal((await rig.post(path, await rig.token(nb.id, 'viewer'), body)).status, 403);
  assert.equal((await rig.post(path, await rig.token(other.id), body)).status, 403);
  assert.equal((await rig.post(path, undefined, body)).status, 401);
  assert.equal((await rig.post(path, 'not-a-token', body)).status, 401);
  const unknown = await rig.post(path, await rig.token(nb.id), { cellIds: ['cell0', 'ghost'] });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error, /ghost/);
  assert.equal((await rig.post(path, await rig.token(nb.id), { cellIds: [] })).status, 400);
  assert.equal(rig.registry.get(nb.id)?.state.queue.length ?? 0, 0);
  assert.equal(executionCount(watcher.doc, 'cell0'), null);
  assert.equal(executionState(watcher.doc, 'cell0'), 'idle');
  assert.equal(outputsOf(cellById(watcher.doc, 'cell0')).length, 0);
});

test('interrupt stops a long cell at once and drops the queue', async () => {
  const nb = await rig.notebook(['import time; time.sleep(60)', 'print("never")']);
  const watcher = await rig.browser(nb.id);
  const token = await rig.token(nb.id);
  await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: nb.cellIds });
  await waitFor(() => executionState(watcher.doc, 'cell0') === 'running' && watcher.kernel()?.runningCellId === 'cell0', KERNEL_DEADLINE_MS, 'the sleep to start');
  const started = Date.now();
  assert.equal((await rig.post(`/notebooks/${nb.id}/interrupt`, token)).status, 200);
  await waitFor(() => executionState(watcher.doc, 'cell0') === 'idle' && /KeyboardInterrupt/.test(outputText(watcher.doc, 'cell0')), 10_000, 'the KeyboardInterrupt');
  assert.ok(Date.now() - started < 10_000);
  assert.equal(executionState(watcher.doc, 'cell1'), 'idle');
  assert.equal(executionCount(watcher.doc, 'cell1'), null, 'the queued cell did not run');
  await waitFor(() => watcher.kernel()?.queue.length === 0 && !watcher.kernel()?.runningCellId, 5_000, 'an empty queue in awareness');
});

test('everyone sees who pressed Interrupt and what came of it: requested, then stopped; the next run clears it', async () => {
  const nb = await rig.notebook(['import time; time.sleep(60)', 'print("next")']);
  const [ada, bob] = [await rig.browser(nb.id), await rig.browser(nb.id)];
  const outcomesBobSaw: string[] = [];
  bob.provider.awareness.on('change', () => {
    const outcome = bob.kernel()?.interrupt?.outcome;
    if (outcome && outcomesBobSaw.at(-1) !== outcome) outcomesBobSaw.push(outcome);
  });
  const anaToken = await rig.token(nb.id, 'editor', { name: 'Ana', userId: 'u-ana' });
  await rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id), { cellIds: ['cell0'] });
  await waitFor(() => ada.kernel()?.runningCellId === 'cell0', KERNEL_DEADLINE_MS, 'the sleep to start');
  const asked = Date.now();
  assert.equal((await rig.post(`/notebooks/${nb.id}/interrupt`, anaToken)).status, 200);
  await waitFor(() => bob.kernel()?.interrupt?.outcome === 'stopped', 15_000, 'the interrupt to be reported stopped');
  const seen = bob.kernel()!.interrupt!;
  assert.deepEqual({ by: seen.by, cellId: seen.cellId }, { by: { name: 'Ana' }, cellId: 'cell0' });
  assert.ok(seen.at >= asked - 1000 && seen.at <= Date.now(), 'when it was asked for');
  // 'pending' may last only milliseconds, less than the room's awareness fan-out interval.
  assert.ok(['pending,stopped', 'stopped'].includes(outcomesBobSaw.join()), `outcomes seen: ${outcomesBobSaw.join(' → ')}`);
  assert.equal(ada.kernel()?.interrupt?.outcome, 'stopped');
  assert.match(outputText(bob.doc, 'cell0'), /KeyboardInterrupt/);

  // Pressed with nothing running: said so. A new run then clears the story.
  await waitFor(() => !ada.kernel()?.runningCellId, 10_000, 'the kernel to be free');
  await rig.post(`/notebooks/${nb.id}/interrupt`, anaToken);
  await waitFor(() => bob.kernel()?.interrupt?.outcome === 'not running', 10_000, "'not running'");
  await rig.post(`/notebooks/${nb.id}/execute`, anaToken, { cellIds: ['cell1'] });
  await waitFor(() => outputText(bob.doc, 'cell1') === 'next\n', KERNEL_DEADLINE_MS, 'the next run');
  assert.equal(bob.kernel()?.interrupt, undefined);
});

test('a cell run right after Interrupt runs; the interrupted cell\'s error does not drop it', async () => {
  const nb = await rig.notebook(['import time; time.sleep(60)', 'print("after")']);
  const watcher = await rig.browser(nb.id);
  const token = await rig.token(nb.id);
  await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell0'] });
  await waitFor(() => watcher.kernel()?.runningCellId === 'cell0', KERNEL_DEADLINE_MS, 'the sleep to start');
  // Queued the moment Interrupt returns, usually before the kernel's KeyboardInterrupt reply is handled.
  const interrupt = await rig.post(`/notebooks/${nb.id}/interrupt`, token);
  const execute = await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell1'] });
  assert.equal(interrupt.status, 200);
  assert.equal(execute.status, 202);
  await waitFor(() => outputText(watcher.doc, 'cell1') === 'after\n', KERNEL_DEADLINE_MS, 'the cell queued after Interrupt to run');
  assert.match(outputText(watcher.doc, 'cell0'), /KeyboardInterrupt/);
});

test('restart clears the kernel state', async () => {
  const nb = await rig.notebook(['x = 41', 'print(x + 1)']);
  const watcher = await rig.browser(nb.id);
  const token = await rig.token(nb.id);
  await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: nb.cellIds });
  await waitFor(() => outputText(watcher.doc, 'cell1') === '42\n', KERNEL_DEADLINE_MS, 'x to be defined');
  const res = await rig.post(`/notebooks/${nb.id}/restart`, token);
  assert.equal(res.status, 200);
  await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell1'] });
  await waitFor(() => /NameError/.test(outputText(watcher.doc, 'cell1')), KERNEL_DEADLINE_MS, 'a NameError after restart');
  assert.equal(executionCount(watcher.doc, 'cell1'), 1, 'the execution count starts again');
});

test('kernel death: everyone sees it, waiting cells are marked not run, other notebooks keep working, restart recovers', async () => {
  const nb = await rig.notebook(['import os; os._exit(1)', 'print("after")']);
  const bystander = await rig.notebook(['print("still here")', 'print("again")']);
  const watcher = await rig.browser(nb.id);
  const bystanderView = await rig.browser(bystander.id);
  const token = await rig.token(nb.id);
  const bystanderToken = await rig.token(bystander.id);
  await rig.post(`/notebooks/${bystander.id}/execute`, bystanderToken, { cellIds: ['cell0'] });
  await waitFor(() => outputText(bystanderView.doc, 'cell0') === 'still here\n', KERNEL_DEADLINE_MS, 'the bystander notebook to run');

  await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: nb.cellIds });
  const dead = await waitFor(() => (watcher.kernel()?.status === 'dead' ? watcher.kernel() : undefined), KERNEL_DEADLINE_MS, 'status dead');
  assert.ok(dead?.deadReason && dead.deadReason.length > 0, 'a reason is given');
  await waitFor(() => watcher.kernel()?.notRun?.includes('cell1'), 10_000, 'cell1 listed as not run');
  await waitFor(() => outputText(watcher.doc, 'cell1') === notRunNoteText, 10_000, 'the not-run note');
  assert.equal(executionState(watcher.doc, 'cell1'), 'idle');
  assert.equal(executionState(watcher.doc, 'cell0'), 'idle');
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell1'] })).status, 409);

  await rig.post(`/notebooks/${bystander.id}/execute`, bystanderToken, { cellIds: ['cell1'] });
  await waitFor(() => outputText(bystanderView.doc, 'cell1') === 'again\n' && executionCount(bystanderView.doc, 'cell1') === 2, KERNEL_DEADLINE_MS, 'the bystander kernel to keep its state');

  assert.equal((await rig.post(`/notebooks/${nb.id}/restart`, token)).status, 200);
  await waitFor(() => watcher.kernel()?.status === 'idle', KERNEL_DEADLINE_MS, 'the restarted kernel');
  assert.equal(watcher.kernel()?.deadReason, undefined);
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell1'] })).status, 202);
  await waitFor(() => outputText(watcher.doc, 'cell1') === 'after\n', KERNEL_DEADLINE_MS, 'a run after restart');
});

test('input() asks only the person who ran the cell', async () => {
  const nb = await rig.notebook(['name = input("Name? ")\nprint("hello", name)']);
  const watcher = await rig.browser(nb.id);
  const ada = await rig.token(nb.id, 'editor', { name: 'Ada', userId: 'user-ada' });
  const bob = await rig.token(nb.id, 'editor', { name: 'Bob', userId: 'user-bob' });
  await rig.post(`/notebooks/${nb.id}/execute`, ada, { cellIds: nb.cellIds });
  const request = await waitFor(() => watcher.kernel()?.inputRequest, KERNEL_DEADLINE_MS, 'the input request');
  assert.deepEqual(request, { cellId: 'cell0', prompt: 'Name? ', password: false, forUserId: 'user-ada' });
  const refused = await rig.post(`/notebooks/${nb.id}/input`, bob, { value: 'Mallory' });
  assert.equal(refused.status, 403);
  assert.equal((await rig.post(`/notebooks/${nb.id}/input`, ada, { value: 'Ada' })).status, 200);
  await waitFor(() => /hello Ada\n$/.test(outputText(watcher.doc, 'cell0')) && executionState(watcher.doc, 'cell0') === 'idle', KERNEL_DEADLINE_MS, 'the answer to be printed');
  assert.doesNotMatch(outputText(watcher.doc, 'cell0'), /Mallory/);
  assert.equal(watcher.kernel()?.inputRequest, undefined);
});
