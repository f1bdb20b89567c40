// The gateway provider against a real Jupyter Server (Debian's python3-jupyter-server)
// started by this file on a free port with a token: kernels are listed, started,
// run, interrupted, lost and shut down through its REST API and websocket.
// Reaching the server through a small TCP proxy lets a test cut the websocket or
// make the gateway slow, and a closed port stands for a gateway that is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayProvider } from './gateway-provider';
import { startJupyterServer, startProxy, type JupyterServerRig } from './jupyter-server-rig';
import { findFreePorts } from './kernel-process';
import type { KernelChannels, ProvidedKernel } from './kernel-provider';
import type { JupyterMessage } from './wire-protocol';
import { waitFor } from './wait-for';

const LONG = { timeout: 60_000 };
/** Kernel starts and runs on a loaded two-core machine; only a failing test waits this long. */
const DEADLINE_MS = 30_000;

let server: JupyterServerRig;
let provider: GatewayProvider;
const started: ProvidedKernel[] = [];

before(async () => {
  server = await startJupyterServer();
  provider = new GatewayProvider(server.settings(), { pollIntervalMs: 300 });
});

after(async () => {
  await Promise.all(started.map((k) => k.kill()));
  await server?.close();
});

/** A started kernel with its channels and a way to run code and collect what it sent. */
interface Driven {
  kernel: ProvidedKernel;
  channels: KernelChannels;
  deaths: string[];
  dropped: number;
  run(code: string, options?: { allowStdin?: boolean; onInput?: (prompt: string) => string }): Promise<Ran>;
  /** Whether the kernel has begun running code containing `snippet` (it echoed it on iopub). */
  began(snippet: string): boolean;
}

interface Ran {
  reply: JupyterMessage;
  msgs: JupyterMessage[];
  stdout: string;
  result: string | undefined;
}

async function startKernel(p: GatewayProvider = provider): Promise<Driven> {
  const kernel = await p.start('python3', { workDir: '/nonexistent-on-the-gateway' });
  started.push(kernel);
  const iopub = new Map<string, JupyterMessage[]>();
  const inputHandlers = new Map<string, (msg: JupyterMessage) => void>();
  const driven: Driven = {
    kernel,
    deaths: [],
    dropped: 0,
    channels: kernel.connect({
      iopub: (m) => {
        const id = m.parent_header.msg_id ?? '';
        iopub.set(id, [...(iopub.get(id) ?? []), m]);
      },
      stdin: (m) => inputHandlers.get(m.parent_header.msg_id ?? '')?.(m),
      dropped: () => { driven.dropped += 1; },
    }),
    began: (snippet) => [...iopub.values()].flat().some((m) => m.header.msg_type === 'execute_input' && String(m.content.code).includes(snippet)),
    async run(code, options = {}) {
      const { msg, reply } = driven.channels.request('shell', 'execute_request', {
        code, silent: false, store_history: true, user_expressions: {}, allow_stdin: options.allowStdin ?? false, stop_on_error: false,
      });
      const id = msg.header.msg_id;
      if (options.onInput) {
        inputHandlers.set(id, (req) => driven.channels.send('stdin', 'input_reply', { value: options.onInput!(String(req.content.prompt)) }, req.header));
      }
      const answer = await reply;
      const msgs = () => iopub.get(id) ?? [];
      await waitFor(() => msgs().some((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle'), DEADLINE_MS, 'the final idle');
      const stdout = msgs().filter((m) => m.header.msg_type === 'stream').map((m) => String(m.content.text)).join('');
      const result = msgs().find((m) => m.header.msg_type === 'execute_result');
      return { reply: answer, msgs: msgs(), stdout, result: (result?.content.data as Record<string, string> | undefined)?.['text/plain'] };
    },
  };
  kernel.watch((reason) => driven.deaths.push(reason));
  return driven;
}

/** Kernel ids the server has now. */
async function kernelIds(): Promise<string[]> {
  const res = await fetch(`${server.url}/api/kernels`, { headers: { Authorization: `token ${server.token}` } });
  return ((await res.json()) as { id: string }[]).map((k) => k.id);
}

test('the gateway\'s kernelspecs are offered; a kernel runs code with a stream, a result and input()', LONG, async () => {
  const specs = await provider.listSpecs();
  const python = specs.find((s) => s.name === 'python3');
  assert.ok(python, `python3 among ${specs.map((s) => s.name)}`);
  assert.equal(python.language, 'python');
  assert.equal(python.displayName, 'Python 3 (ipykernel)');

  const k = await startKernel();
  assert.match(k.kernel.isolation.description, new RegExp(`kernel gateway at ${server.url}`));
  assert.equal(await k.kernel.memoryInUse(), null);
  const r = await k.run("print('hi'); 6*7");
  assert.equal(r.reply.content.status, 'ok');
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.result, '42');

  const asked = await k.run("name = input('who? ')\nprint('hello', name)", { allowStdin: true, onInput: (prompt) => (prompt === 'who? ' ? 'Ada' : 'wrong prompt') });
  assert.equal(asked.reply.content.status, 'ok');
  assert.match(asked.stdout, /hello Ada/);
  assert.equal(k.dropped, 0);
  assert.deepEqual(k.deaths, []);
});

test('interrupt stops a time.sleep(60) through the gateway\'s interrupt route', LONG, async () => {
  const k = await startKernel();
  const t0 = Date.now();
  const running = k.run('import time\ntime.sleep(60)');
  await waitFor(() => k.began('time.sleep(60)'), DEADLINE_MS, 'the sleep to begin');
  assert.equal(await k.kernel.interrupt(), true);
  const r = await running;
  assert.equal(r.reply.content.status, 'error');
  assert.equal(r.reply.content.ename, 'KeyboardInterrupt');
  assert.ok(Date.now() - t0 < 30_000, 'interrupted well before the sleep ended');
  const after = await k.run('1 + 1');
  assert.equal(after.result, '2', 'the kernel lives on');
  assert.deepEqual(k.deaths, []);
});

test('restart is a fresh start: the old kernel is deleted on the gateway, the new one holds none of its state', LONG, async () => {
  const old = await startKernel();
  await old.run('x = 41');
  const oldId = (old.kernel as unknown as { id: string }).id;
  const end = await old.kernel.kill();
  assert.match(end.reason, /shut down/);
  assert.equal(old.kernel.end, end);
  assert.ok(!(await kernelIds()).includes(oldId), 'the old kernel is gone from the gateway');
  await assert.rejects(old.channels.request('shell', 'kernel_info_request', {}).reply, /shut down/);
  assert.deepEqual(await old.kernel.kill(), end, 'kill is idempotent');

  const fresh = await startKernel();
  const r = await fresh.run('x');
  assert.equal(r.reply.content.status, 'error');
  assert.equal(r.reply.content.ename, 'NameError');
});

test('a kernel that dies (os._exit) is reported dead with a reason, and its replacement is removed from the gateway', LONG, async () => {
  const k = await startKernel();
  await k.run('1');
  const id = (k.kernel as unknown as { id: string }).id;
  const pending = k.run('import os; os._exit(1)');
  const end = await k.kernel.exited;
  assert.match(end.reason, /the kernel died/);
  assert.match(end.reason, new RegExp(`kernel gateway at ${server.url}`));
  await assert.rejects(pending, /the kernel died/);
  assert.equal(k.deaths.length, 1);
  assert.equal(k.deaths[0], end.reason);
  const deadline = Date.now() + DEADLINE_MS;
  while ((await kernelIds()).includes(id)) {
    assert.ok(Date.now() < deadline, 'the gateway\'s replacement kernel was deleted');
    await new Promise((r) => setTimeout(r, 50));
  }
});

test('a gateway that cannot be reached: listing and starting fail at once with a message naming it', LONG, async () => {
  const [port] = await findFreePorts(1);
  const down = new GatewayProvider({ url: `http://127.0.0.1:${port}`, token: 't', requestTimeoutMs: 5_000, startTimeoutMs: 5_000 });
  const unreachable = new RegExp(`^the kernel gateway at http://127\\.0\\.0\\.1:${port} cannot be reached: .*ECONNREFUSED`);
  await assert.rejects(down.listSpecs(), (err: Error) => unreachable.test(err.message));
  await assert.rejects(down.start('python3', { workDir: '/tmp' }), (err: Error) => unreachable.test(err.message));
});

test('a wrong token is refused with a message naming the setting', LONG, async () => {
  const wrong = new GatewayProvider(server.settings({ token: 'not-the-token' }));
  await assert.rejects(wrong.listSpecs(), /refused the bridge \(HTTP 403\); check KERNEL_GATEWAY_TOKEN/);
});

test('a slow gateway: requests time out with a clear message, and a kernel whose gateway stops answering is reported lost', LONG, async () => {
  const proxy = await startProxy(server.port);
  try {
    const viaProxy = new GatewayProvider(server.settings({ url: proxy.url, requestTimeoutMs: 400 }), { pollIntervalMs: 200, maxMissedPolls: 2 });
    const k = await startKernel(viaProxy);
    assert.equal((await k.run('2 + 3')).result, '5');
    proxy.setDelay(5_000);
      const slow = new RegExp(`^the kernel gateway at ${proxy.url} cannot be reached: it did not answer GET /api/kernelspecs within 0.4 s$`);
    await assert.rejects(viaProxy.listSpecs(), (err: Error) => slow.test(err.message));
    const end = await k.kernel.exited;
    assert.match(end.reason, new RegExp(`^the kernel gateway at ${proxy.url} cannot be reached: it did not answer GET /api/kernels/[\\w-]+ within 0.4 s$`));
    assert.deepEqual(k.deaths, [end.reason]);
  } finally {
    await proxy.close();
  }
});

test('a dropped websocket is reconnected while the kernel lives: its state and the request in flight survive', LONG, async () => {
  const proxy = await startProxy(server.port);
  try {
    const k = await startKernel(new GatewayProvider(server.settings({ url: proxy.url })));
    await k.run('x = 41');
    const inFlight = k.run('import time; time.sleep(1); x + 1');
    // Cut while the sleep runs: the reply is produced while the bridge is away.
    await waitFor(() => k.began('time.sleep(1)'), DEADLINE_MS, 'the sleep to begin');
    proxy.cutAll();
    const r = await inFlight;
    assert.equal(r.result, '42');
    assert.equal((await k.run('x')).result, '41');
    assert.deepEqual(k.deaths, []);
    assert.equal(k.kernel.end, null);
  } finally {
    await proxy.close();
  }
});

test('a gateway restart: a kernel that died with it is reported dead with the reason; a new start works', LONG, async () => {
  const k = await startKernel(new GatewayProvider(server.settings(), { reconnectAttempts: 20, reconnectMaxDelayMs: 500 }));
  await k.run('x = 1');
  await server.stop();
  await server.start();
  const end = await k.kernel.exited;
  assert.equal(end.reason, `the kernel is no longer on the kernel gateway at ${server.url} (the gateway restarted, or the kernel was shut down there)`);
  const fresh = await startKernel();
  assert.equal((await fresh.run('40 + 2')).result, '42');
});
