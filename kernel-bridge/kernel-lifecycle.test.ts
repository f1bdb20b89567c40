// Kernel lifecycle against the real python3 ipykernel: restart, death by exit,
// signal and silence, failed starts, message-mode interrupt, shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configuredLocalProvider } from './default-kernel-provider';
import { KernelClient, type KernelStatus } from './kernel-client';
import type { KernelProvider } from './kernel-provider';
import { findKernelSpec, type KernelSpec } from './kernelspecs';
import type { LocalKernel } from './local-kernel';
import { waitFor } from './wait-for';

let python: KernelSpec;
let kernel: KernelClient;
let provider: KernelProvider;
let specDir: string;
// A test that hangs must fail, not block the run.
const LONG = { timeout: 60_000 };
const statuses: KernelStatus[] = [];

/** Installs a kernelspec `name` in the test's own data dir (beside a copy of python3). */
function installSpec(name: string, spec: Partial<{ argv: string[]; interrupt_mode: string }>): void {
  mkdirSync(join(specDir, 'kernels', name), { recursive: true });
  writeFileSync(join(specDir, 'kernels', name, 'kernel.json'), JSON.stringify({
    argv: python.argv, display_name: name, language: 'python', ...spec,
  }));
}

/** The kernel's own process, as this machine numbers it (inside its sandbox, if any). */
const pidOf = (k: KernelClient) => (k.kernel as LocalKernel).pid;

before(async () => {
  python = await findKernelSpec('python3');
  specDir = mkdtempSync(join(tmpdir(), 'cellmate-specs-'));
  chmodSync(specDir, 0o755); // readable by a sandboxed kernel's own user
  installSpec('python3', {});
  installSpec('message-python', { interrupt_mode: 'message' });
  installSpec('broken-python', { argv: [python.argv[0], '-c', "import sys; sys.stderr.write('no kernel here\\n'); sys.exit(3)"] });
  installSpec('missing-binary', { argv: ['/nonexistent/kernel-binary'] });
  installSpec('silent', { argv: [python.argv[0], '-c', 'import time; time.sleep(60)'] });
  provider = configuredLocalProvider({ kernelSpecDirs: [specDir], heartbeat: { intervalMs: 200 } });
  kernel = await KernelClient.start({ provider });
  kernel.on('status', (s) => statuses.push(s));
});

after(async () => {
  await kernel?.shutdown();
  rmSync(specDir, { recursive: true, force: true });
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
  const oldPid = pidOf(kernel);
  assert.ok(oldPid);
  statuses.length = 0;
  await kernel.restart();
  assert.deepEqual(statuses, ['restarting', 'starting', 'idle']);
  assert.notEqual(pidOf(kernel), oldPid);
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
  const pid = pidOf(kernel)!;
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
  const k = await KernelClient.start({ provider });
  const pid = pidOf(k)!;
  const file = (k.kernel as LocalKernel).process.connectionFile;
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
  const k = await KernelClient.start({ provider, specName: 'message-python' });
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
  await assert.rejects(KernelClient.start({ provider, specName: 'broken-python' }), (err: Error) => {
    assert.match(err.message, /kernel "broken-python" died while starting: kernel process exited with code 3/);
    assert.match(err.message, /no kernel here/);
    return true;
  });
  await assert.rejects(KernelClient.start({ provider, specName: 'missing-binary' }), /could not start kernel "missing-binary" \(\/nonexistent\/kernel-binary\)/);
});

test('a kernel that never answers hits the startup timeout', LONG, async () => {
  await assert.rejects(KernelClient.start({ provider, specName: 'silent', startupTimeoutMs: 1500 }), /kernel "silent" did not answer within 1.5 s of starting/);
});
