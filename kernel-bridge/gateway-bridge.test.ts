// The bridge with its kernels on a kernel gateway: a real collab server, the
// bridge's HTTP API and a real Jupyter Server as the gateway (jupyter-server-rig.ts).
// A notebook's cells run there and the kernel status says where; a gateway that
// cannot be reached leaves the document as it was and says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { notRunNoteText } from '../notebook-model/execution';
import { executionCount, executionState, KERNEL_DEADLINE_MS, outputText, startRig, waitFor, type Rig } from './bridge-test-harness';
import { GatewayProvider } from './gateway-provider';
import { startJupyterServer, startProxy, type JupyterServerRig } from './jupyter-server-rig';
import { findFreePorts } from './kernel-process';

let server: JupyterServerRig;
const rigs: Rig[] = [];

before(async () => {
  server = await startJupyterServer();
});

after(async () => {
  for (const rig of rigs) await rig.close();
  await server?.close();
});

async function rigFor(provider: GatewayProvider): Promise<Rig> {
  const rig = await startRig({ provider });
  rigs.push(rig);
  return rig;
}

test('a notebook\'s cells run on the gateway; the kernel status names it; restart loses the state', async () => {
  const rig = await rigFor(new GatewayProvider(server.settings()));
  const specs = await fetch(`${rig.bridgeUrl}/kernelspecs`, { headers: { Authorization: `Bearer ${await rig.token('any')}` } }).then((r) => r.json());
  assert.ok(specs.kernelspecs.some((s: { name: string }) => s.name === 'python3'), 'the gateway\'s kernelspecs are the bridge\'s');

  const nb = await rig.notebook(['x = 41\nprint("on the gateway")', 'print(x + 1)']);
  const watcher = await rig.browser(nb.id);
  const token = await rig.token(nb.id);
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: nb.cellIds })).status, 202);
  await waitFor(() => executionCount(watcher.doc, 'cell1') === 2 && executionState(watcher.doc, 'cell1') === 'idle', KERNEL_DEADLINE_MS, 'both cells to run');
  assert.equal(outputText(watcher.doc, 'cell0'), 'on the gateway\n');
  assert.equal(outputText(watcher.doc, 'cell1'), '42\n');
  await waitFor(() => watcher.kernel()?.status === 'idle', KERNEL_DEADLINE_MS, 'the kernel to be idle');
  assert.equal(watcher.kernel()?.isolation?.description, `on the kernel gateway at ${server.url} (isolated by the gateway)`);

  assert.equal((await rig.post(`/notebooks/${nb.id}/restart`, token)).status, 200);
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ['cell1'] })).status, 202);
  await waitFor(() => executionState(watcher.doc, 'cell1') === 'idle' && outputText(watcher.doc, 'cell1').startsWith('NameError'), KERNEL_DEADLINE_MS, 'x to be gone after the restart');
});

test('a gateway that cannot be reached: execute is refused with its message and the document is untouched', async () => {
  const [port] = await findFreePorts(1);
  const rig = await rigFor(new GatewayProvider({ url: `http://127.0.0.1:${port}`, token: 't', requestTimeoutMs: 5_000, startTimeoutMs: 5_000 }));
  const nb = await rig.notebook(['print(1)']);
  const watcher = await rig.browser(nb.id);
  const res = await rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id), { cellIds: nb.cellIds });
  assert.equal(res.status, 503);
  assert.match(res.body.error, new RegExp(`^the kernel gateway at http://127\\.0\\.0\\.1:${port} cannot be reached: .*ECONNREFUSED`));
  assert.equal(executionState(watcher.doc, 'cell0'), 'idle');
  assert.equal(executionCount(watcher.doc, 'cell0'), null);
  assert.equal(outputText(watcher.doc, 'cell0'), '');
});

test('the gateway lost while a cell runs: the kernel status says so, and the waiting cell is reported not run', async () => {
  const proxy = await startProxy(server.port);
  const rig = await rigFor(new GatewayProvider(server.settings({ url: proxy.url, requestTimeoutMs: 2_000 }), { reconnectAttempts: 3, reconnectMaxDelayMs: 200 }));
  const nb = await rig.notebook(['print("started", flush=True)\nimport time; time.sleep(30)', 'print("never")']);
  const watcher = await rig.browser(nb.id);
  assert.equal((await rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id), { cellIds: nb.cellIds })).status, 202);
  await waitFor(() => outputText(watcher.doc, 'cell0') === 'started\n', KERNEL_DEADLINE_MS, 'the first cell to run');
  await proxy.close();
  await waitFor(() => watcher.kernel()?.status === 'dead', KERNEL_DEADLINE_MS, 'the kernel to be reported lost');
  assert.match(watcher.kernel()?.deadReason ?? '', new RegExp(`^the kernel gateway at ${proxy.url} cannot be reached: `));
  assert.deepEqual(watcher.kernel()?.notRun, ['cell1']);
  assert.equal(executionState(watcher.doc, 'cell1'), 'idle');
  assert.equal(outputText(watcher.doc, 'cell1'), notRunNoteText);
  assert.match(outputText(watcher.doc, 'cell0'), /^started\n/, 'what the running cell printed stays');
});
