// Kernel lifecycle against the real python3 ipykernel: restart, death by exit,
// signal and silence, failed starts, message-mode interrupt, shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { KernelClient, type KernelStatus } from './kernel-client';
import { findKernelSpec, type KernelSpec } from './kernelspecs';
import { waitFor } from './wait-for';

let python: KernelSpec;
let kernel: KernelClient;
// A test that hangs must fail, not block the run.
const LONG = { timeout: 60_000 };
const statuses: KernelStatus[] = [];

before(async () => {
  python = await findKernelSpec('python3');
  kernel = await KernelClient.start({ spec: python, heartbeatIntervalMs: 200 });
  kernel.on('status', (s) => statuses.push(s));
});

after(async () => {
  await kernel?.shutdown();
});

async function value(code: string): Promise<string> {
  let text = '';
  const h = kernel.execute(code).onIopub((m) => {
    if (m.header.msg_type === 'execute_result') text = (m.content.data as Record<string, string>)['text/plain'];
  });
  const outcome = await h.done;
  assert.equal(outcome.status, 'completed');
  return text;
}

test('restart resets state and execution_count, emitting restarting → starting → idle', LONG, async () => {
  await value('x = 41');
  assert.equal(await value('x + 1'), '42');
  const oldPid = kernel.pid;
  const oldConnectionFile = kernel.connectionInfo;
  assert.ok(oldConnectionFile);
  statuses.length = 0;
  await kernel.restart();
  assert.deepEqual(statuses, ['restarting', 'starting', 'idle']);
  assert.notEqual(kernel.pid, oldPid);
  const h = kernel.execute("'x' in globals()");
  const outcome = await h.done;
  assert.ok(outcome.status === 'completed');
  assert.equal(outcome.reply.execution_count, 1);
  assert.equal(await value("'x' in globals()"), 'False');
});

test('os._exit(1) marks the kernel dead with the exit code and settles the pending execution', LONG, async () => {
  const deaths: string[] = [];
  const listener = (s: KernelStatus) => { if (s === 'dead') deaths.push(kernel.death!.reason); };
  kernel.on('status', listener);
  const outcome = await kernel.execute("import os, sys; print('bye', file=sys.stderr, flush=True); os._exit(1)").done;
  kernel.off('status', listener);
  assert.equal(outcome.status, 'kernel-died');
  assert.match(outcome.status === 'kernel-died' ? outcome.reason : '', /exited with code 1/);
  assert.equal(kernel.status, 'dead');
  assert.deepEqual(deaths, ['kernel process exited with code 1']);
  assert.equal(kernel.death!.exitCode, 1);
  // Work asked of a dead kernel settles at once with the reason.
  const late = await kernel.execute('1').done;
  assert.equal(late.status, 'kernel-died');
  await assert.rejects(kernel.complete('x', 1), /exited with code 1/);
  await kernel.restart();
  assert.equal(await value('1+1'), '2');
});

test('a segfault is reported with signal SIGSEGV', LONG, async () => {
  const outcome = await kernel.execute('import ctypes; ctypes.string_at(0)').done;
  assert.equal(outcome.status, 'kernel-died');
  assert.equal(kernel.status, 'dead');
  assert.equal(kernel.death!.signal, 'SIGSEGV');
  assert.equal(kernel.death!.reason, 'kernel process exited with signal SIGSEGV');
  await kernel.restart();
  assert.equal(kernel.status, 'idle');
});

test('a kernel that stops answering heartbeats is declared dead and killed', LONG, async () => {
  const pid = kernel.pid!;
  const pending = kernel.execute('import time; time.sleep(30)').done;
  process.kill(pid, 'SIGSTOP'); // frozen: alive but silent
  const outcome = await pending;
  assert.equal(outcome.status, 'kernel-died');
  assert.match(kernel.death!.reason, /stopped answering heartbeats/);
  await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, 10_000, 'the frozen kernel to be killed');
  await kernel.restart();
  assert.equal(await value('3*3'), '9');
});

test('shutdown is clean, idempotent, removes the connection file, and later calls fail clearly', LONG, async () => {
  const k = await KernelClient.start({ spec: python });
  const pid = k.pid!;
  const file = (k as unknown as { runtime: { process: { connectionFile: string } } }).runtime.process.connectionFile;
  assert.ok(existsSync(file));
  await Promise.all([k.shutdown(), k.shutdown()]);
  await k.shutdown();
  assert.equal(k.status, 'dead');
  assert.equal(k.death!.reason, 'the kernel was shut down');
  assert.equal(existsSync(file), false);
  assert.throws(() => process.kill(pid, 0));
  assert.equal((await k.execute('1').done).status, 'kernel-died');
  await assert.rejects(k.restart(), /shut down/);
});

test("interrupt_mode 'message' interrupts through the control channel", LONG, async () => {
  const k = await KernelClient.start({ spec: { ...python, interruptMode: 'message' } });
  try {
    const h = k.execute("import time; print('sleeping', flush=True); time.sleep(60)");
    let error = '';
    h.onIopub((m) => {
      if (m.header.msg_type === 'stream') void k.interrupt();
      if (m.header.msg_type === 'error') error = m.content.ename as string;
    });
    const outcome = await h.done;
    assert.ok(outcome.status === 'completed' && outcome.reply.status === 'error');
    assert.equal(error, 'KeyboardInterrupt');
  } finally {
    await k.shutdown();
  }
});

test('a kernel that dies while starting rejects start with its exit and output', LONG, async () => {
  const broken: KernelSpec = {
    ...python,
    name: 'broken-python',
    argv: [python.argv[0], '-c', "import sys; sys.stderr.write('no kernel here\\n'); sys.exit(3)"],
  };
  await assert.rejects(KernelClient.start({ spec: broken }), (err: Error) => {
    assert.match(err.message, /kernel "broken-python" died while starting: kernel process exited with code 3/);
    assert.match(err.message, /no kernel here/);
    return true;
  });
  await assert.rejects(KernelClient.start({ spec: { ...python, argv: ['/nonexistent/kernel-binary'] } }), /could not start kernel "python3" \(\/nonexistent\/kernel-binary\): spawn .*ENOENT/);
});

test('a kernel that never answers hits the startup timeout', LONG, async () => {
  const silent: KernelSpec = { ...python, name: 'silent', argv: [python.argv[0], '-c', 'import time; time.sleep(60)'] };
  await assert.rejects(KernelClient.start({ spec: silent, startupTimeoutMs: 1500 }), /kernel "silent" did not answer within 1.5 s of starting/);
});
