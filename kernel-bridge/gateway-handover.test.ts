// Two bridge processes with their kernels on a real Jupyter Server (the kernel
// gateway, jupyter-server-rig.ts), sharing the machine's real Redis and
// PostgreSQL (a fresh schema) and one collab server. The owner of a notebook is
// killed with SIGKILL while a cell prints in a loop: the other bridge takes the
// lease, reconnects to the same kernel on the gateway, goes on writing that
// cell's output into it, and then runs the cell queued behind it exactly once,
// in the same kernel. When the kernel is gone from the gateway as well, the
// notebook says so: the running cell ends with an error naming the gateway, the
// queued one is reported not run. And an owner that lost its lease (it stalled)
// lets go of the kernel without ending it, so the new owner keeps it; and a run
// whose end the new owner never sees (the old owner got it) does not stay running.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signNotebookToken } from '../auth/notebook-token';
import { startCollabServer } from '../collab-server';
import { freePort, testRedisUrl } from '../collab-server/cluster-rig';
import { createNotebook } from '../library/notebook-library';
import { notRunNoteText } from '../notebook-model/execution';
import { openStorage, type Storage } from '../storage';
import { dropPostgresSchema, postgresSchemaUrl } from '../storage/test-databases';
import { startBridgeProcess, stopBridgeProcess, watchNotebook, type BridgeProcess as Bridge } from './bridge-process-rig';
import { KERNEL_DEADLINE_MS, executionCount, executionState, outputText, waitFor } from './bridge-test-harness';
import { GatewayProvider } from './gateway-provider';
import { startJupyterServer, type JupyterServerRig } from './jupyter-server-rig';
import { KernelClient } from './kernel-client';
import type { JupyterMessage } from './wire-protocol';

const secret = 'gateway-handover-test-secret';
process.env.CELLMATE_SECRET = secret;

const loopSource = [
  "marker = 'the same kernel'",
  'import time',
  'for i in range(80):',
  "    print('tick', i, flush=True)",
  '    time.sleep(0.25)',
  "print('done')",
].join('\n');
const nextSource = "n = globals().get('n', 0) + 1\nprint(marker, n)";

let gateway: JupyterServerRig;
let storage: Storage;
let collab: Awaited<ReturnType<typeof startCollabServer>>;
let schema: string;

before(async () => {
  gateway = await startJupyterServer();
  schema = `handover_${randomBytes(5).toString('hex')}`;
  storage = await openStorage({ databaseUrl: postgresSchemaUrl(schema) });
  collab = await startCollabServer({ port: 0, host: '127.0.0.1', storage });
});

after(async () => {
  await collab?.close();
  await storage?.close();
  if (schema) await dropPostgresSchema(schema);
  await gateway?.close();
});

/** The kernels the gateway runs now, by id. */
async function gatewayKernels(): Promise<string[]> {
  const res = await fetch(`${gateway.url}/api/kernels`, { headers: { Authorization: `token ${gateway.token}` } });
  return ((await res.json()) as { id: string }[]).map((k) => k.id);
}

/** The numbers of the `tick <n>` lines of `text`, in order. */
function ticksOf(text: string): number[] {
  return [...text.matchAll(/^tick (\d+)$/gm)].map((m) => Number(m[1]));
}

/**
 * Two bridges on the gateway and the shared Redis (bridge 2 only when
 * `startBridge2()` is called, with `later`); bridge 1 owns a notebook running
 * `loop`, with `next` queued.
 */
async function twoBridgesWithALoop(t: { after(fn: () => Promise<void>): void }, later = false) {
  const run = randomBytes(5).toString('hex');
  const dirs = [mkdtempSync(join(tmpdir(), 'cellmate-handover1-')), mkdtempSync(join(tmpdir(), 'cellmate-handover2-'))];
  for (const dir of dirs) chmodSync(dir, 0o711);
  const shared = {
    DATABASE_URL: postgresSchemaUrl(schema), COLLAB_URL: `ws://127.0.0.1:${collab.port}`, REDIS_URL: testRedisUrl,
    CELLMATE_REDIS_PREFIX: `test-${run}:`, CELLMATE_KERNEL_LEASE_SECONDS: '2',
    KERNEL_GATEWAY_URL: gateway.url, KERNEL_GATEWAY_TOKEN: gateway.token,
  };
  const bridges: Bridge[] = [];
  const watchers: { close(): void }[] = [];
  t.after(async () => {
    for (const watcher of watchers) watcher.close();
    await Promise.all(bridges.map((bridge) => stopBridgeProcess(bridge)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const startBridge = async (i: number) => {
    bridges.push(await startBridgeProcess({ ...shared, BRIDGE_PORT: String(await freePort()), CELLMATE_DATA_DIR: dirs[i], CELLMATE_NODE_ID: `bridge-${i + 1}` }));
  };
  await startBridge(0);
  if (!later) await startBridge(1);
  const { id } = await createNotebook(storage, {
    title: 'handover',
    notebook: {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        { id: 'loop', cell_type: 'code', source: loopSource, metadata: {}, outputs: [], execution_count: null },
        { id: 'next', cell_type: 'code', source: nextSource, metadata: {}, outputs: [], execution_count: null },
      ],
    } as never,
  });
  const watcher = await watchNotebook(`ws://127.0.0.1:${collab.port}`, id);
  watchers.push(watcher);
  const doc = watcher.doc;
  const token = await signNotebookToken({ notebookId: id, role: 'editor', name: 'Ada', userId: 'u-ada' });
  const kernelsBefore = new Set(await gatewayKernels());
  const res = await fetch(`${bridges[0].url}/notebooks/${id}/execute`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ cellIds: ['loop', 'next'] }),
  });
  assert.equal(res.status, 202);
  await waitFor(() => ticksOf(outputText(doc, 'loop')).includes(3), KERNEL_DEADLINE_MS, 'the loop to print on bridge 1\'s kernel');
  assert.equal(executionState(doc, 'next'), 'queued');
  const started = (await gatewayKernels()).filter((k) => !kernelsBefore.has(k));
  assert.equal(started.length, 1, 'bridge 1 started one kernel on the gateway');
  return { bridges, doc, kernelId: started[0], startBridge2: () => startBridge(1) };
}

test('the owner killed mid-loop: bridge 2 reconnects to the same gateway kernel, the cell\'s output goes on, and the queued cell runs once', { timeout: 300_000 }, async (t) => {
  const { bridges, doc, kernelId } = await twoBridgesWithALoop(t);
  await stopBridgeProcess(bridges[0], 'SIGKILL');
  const atKill = ticksOf(outputText(doc, 'loop'));
  const lastBefore = atKill[atKill.length - 1];
  assert.ok(lastBefore < 79, 'the loop was still running when its bridge died');

  await waitFor(() => ticksOf(outputText(doc, 'loop')).some((n) => n > lastBefore + 1), 60_000, 'the loop\'s output to go on arriving through bridge 2');
  await waitFor(() => executionState(doc, 'loop') === 'idle' && executionState(doc, 'next') === 'idle', KERNEL_DEADLINE_MS, 'the loop and the queued cell to finish');

  const text = outputText(doc, 'loop');
  assert.ok(text.endsWith('done\n'), `the loop's output ends with its last line: ${JSON.stringify(text.slice(-200))}`);
  const ticks = ticksOf(text);
  assert.ok(ticks.every((n, i) => i === 0 || n > ticks[i - 1]), 'no line of the loop was written twice');
  assert.equal(ticks[ticks.length - 1], 79);
  assert.equal(executionCount(doc, 'loop'), 1, 'the loop\'s execution count came with its reply');
  assert.equal(outputText(doc, 'next'), 'the same kernel 1\n', 'the queued cell ran once, in the kernel that ran the loop');
  assert.equal(executionCount(doc, 'next'), 2);
  assert.deepEqual(await gatewayKernels(), [kernelId], 'no kernel was started in its place');
});

test('the owner killed and its kernel gone from the gateway: the notebook says so', { timeout: 300_000 }, async (t) => {
  const { bridges, doc, kernelId, startBridge2 } = await twoBridgesWithALoop(t, true);
  await stopBridgeProcess(bridges[0], 'SIGKILL');
  const res = await fetch(`${gateway.url}/api/kernels/${kernelId}`, { method: 'DELETE', headers: { Authorization: `token ${gateway.token}` } });
  assert.equal(res.status, 204);
  // Only now a bridge that can take the notebook over: the kernel is gone before it looks.
  await startBridge2();

  await waitFor(() => executionState(doc, 'loop') === 'idle' && executionState(doc, 'next') === 'idle', 60_000, 'bridge 2 to take the notebook over');
  assert.match(outputText(doc, 'loop'), new RegExp(`^tick 0\\n[^]*DeadKernelError: the kernel is no longer on the kernel gateway at ${gateway.url.replace(/\./g, '\\.')} `));
  assert.equal(outputText(doc, 'next'), notRunNoteText);
  assert.equal(executionCount(doc, 'next'), null);
});

test('an owner that lost its lease lets go of the gateway kernel without ending it: the new owner reaches it with its state', { timeout: 300_000 }, async (t) => {
  const provider = new GatewayProvider(gateway.settings());
  const first = await KernelClient.start({ provider });
  t.after(() => first.shutdown());
  const locator = first.kernel?.locator;
  assert.ok(locator, 'a gateway kernel says where it can be reached again');
  assert.equal((await first.execute('x = 41').done).status, 'completed');

  await first.leave('another bridge owns this kernel now');
  assert.equal(first.status, 'dead');
  assert.ok((await gatewayKernels()).includes(locator.kernelId), 'the kernel runs on on the gateway');

  const second = await KernelClient.attach({ provider, locator, adopt: [] });
  t.after(() => second.shutdown());
  const handle = second.execute('x + 1');
  let result = '';
  handle.onIopub((msg: JupyterMessage) => {
    if (msg.header.msg_type === 'execute_result') result = String((msg.content.data as Record<string, unknown>)['text/plain']);
  });
  assert.equal((await handle.done).status, 'completed');
  assert.equal(result, '42', 'the kernel kept its state');
  await second.shutdown();
  assert.ok(!(await gatewayKernels()).includes(locator.kernelId), 'a shutdown does end it');
});

test('an adopted run whose end the earlier owner received is settled once the gateway reports the kernel idle', { timeout: 300_000 }, async (t) => {
  const provider = new GatewayProvider(gateway.settings());
  const first = await KernelClient.start({ provider });
  t.after(() => first.shutdown());
  const locator = first.kernel?.locator;
  assert.ok(locator);
  const ended = first.execute("print('ended before the takeover')");
  assert.equal((await ended.done).status, 'completed');
  await first.leave('another bridge owns this kernel now');

  // The record still named the run: the new owner adopts a request whose messages all went to the old one.
  const second = await KernelClient.attach({ provider, locator, adopt: [ended.msgId] });
  t.after(() => second.shutdown());
  const adopted = second.inFlight(ended.msgId);
  assert.ok(adopted, 'the run is followed');
  assert.equal(second.status, 'busy');
  await waitFor(() => adopted.isSettled, 60_000, 'the adopted run to be settled');
  assert.deepEqual(await adopted.done, { status: 'completed', reply: { status: 'ok', execution_count: null } });
  assert.equal(second.inFlight(ended.msgId), undefined);
  assert.equal(second.status, 'idle');
});
