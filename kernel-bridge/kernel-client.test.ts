// KernelClient against the real python3 ipykernel, one kernel shared by these
// tests (they don't disturb each other's state).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KernelClient } from './kernel-client';
import type { LocalKernel } from './local-kernel';
import { KernelConnection } from './kernel-connection';
import type { ExecuteOptions } from './kernel-client';
import type { ExecutionHandle } from './execution-handle';
import type { JupyterMessage } from './wire-protocol';
import { waitFor } from './wait-for';

let kernel: KernelClient;
// A test that hangs must fail, not block the run.
const LONG = { timeout: 60_000 };

before(async () => {
  kernel = await KernelClient.start({ specName: 'python3' });
});

after(async () => {
  await kernel?.shutdown();
});

async function run(code: string, options?: ExecuteOptions, onStart?: (h: ExecutionHandle) => void) {
  const msgs: JupyterMessage[] = [];
  const handle = kernel.execute(code, options).onIopub((m) => msgs.push(m));
  onStart?.(handle);
  const outcome = await handle.done;
  const ofType = (t: string) => msgs.filter((m) => m.header.msg_type === t);
  const stdout = ofType('stream').filter((m) => m.content.name === 'stdout').map((m) => m.content.text).join('');
  return { outcome, msgs, ofType, stdout };
}

test('start resolves idle with kernel_info', LONG, () => {
  assert.equal(kernel.status, 'idle');
  assert.equal((kernel.kernelInfo?.language_info as { name: string }).name, 'python');
  assert.equal(kernel.kernelInfo?.protocol_version?.toString().startsWith('5.'), true);
});

test("print('hi'); 1+1 streams 'hi' and returns '2'; status idle only after all output", LONG, async () => {
  const r = await run("print('hi'); 1+1");
  assert.equal(r.outcome.status, 'completed');
  assert.equal(r.outcome.status === 'completed' && r.outcome.reply.status, 'ok');
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.ofType('execute_result')[0].content.data && (r.ofType('execute_result')[0].content.data as Record<string, string>)['text/plain'], '2');
  assert.equal(r.ofType('execute_input')[0].content.code, "print('hi'); 1+1");
  const last = r.msgs.at(-1)!;
  assert.equal(last.header.msg_type, 'status');
  assert.equal(last.content.execution_state, 'idle');
  assert.equal(kernel.executionState, 'idle');
});

test('display_data, update_display_data and clear_output(wait=True) are delivered', LONG, async () => {
  const r = await run([
    'from IPython.display import display, clear_output',
    "h = display('first', display_id=True)",
    "h.update('second')",
    'clear_output(wait=True)',
  ].join('\n'));
  const shown = r.ofType('display_data')[0];
  assert.equal((shown.content.data as Record<string, string>)['text/plain'], "'first'");
  const displayId = (shown.content.transient as { display_id: string }).display_id;
  assert.ok(displayId);
  const update = r.ofType('update_display_data')[0];
  assert.equal((update.content.data as Record<string, string>)['text/plain'], "'second'");
  assert.equal((update.content.transient as { display_id: string }).display_id, displayId);
  assert.equal(r.ofType('clear_output')[0].content.wait, true);
});

test('an exception arrives as an error message with traceback and an error reply', LONG, async () => {
  // stopOnError false: with true, ipykernel aborts requests that reach it in the
  // moment after the error, which would hit the next test's request on a busy machine.
  const r = await run('1/0', { stopOnError: false });
  const err = r.ofType('error')[0];
  assert.equal(err.content.ename, 'ZeroDivisionError');
  assert.ok((err.content.traceback as string[]).join('\n').includes('ZeroDivisionError'));
  assert.ok(r.outcome.status === 'completed' && r.outcome.reply.status === 'error');
});

test('input() round-trips through stdin', LONG, async () => {
  const prompts: string[] = [];
  const r = await run("name = input('who? ')\nprint('hello', name)", { allowStdin: true }, (h) => {
    h.onInputRequest((req) => {
      prompts.push(req.prompt);
      h.sendInput('Ada');
    });
  });
  assert.deepEqual(prompts, ['who? ']);
  assert.equal(r.stdout, 'hello Ada\n');
});

test('without allowStdin, input() fails instead of waiting', LONG, async () => {
  const r = await run("input('x')");
  assert.equal(r.ofType('error')[0].content.ename, 'StdinNotImplementedError');
});

test('interrupt stops time.sleep(60) quickly with KeyboardInterrupt', LONG, async () => {
  const started = Date.now();
  // Interrupt once the user code runs (its first print), not while ipykernel is
  // still dispatching the request, where a KeyboardInterrupt is not reported.
  const r = await run("import time; print('sleeping', flush=True); time.sleep(60)", {}, (h) => {
    h.onIopub((m) => {
      if (m.header.msg_type === 'stream') void kernel.interrupt();
    });
  });
  assert.ok(Date.now() - started < 15_000, 'interrupt took too long');
  assert.equal(r.ofType('error')[0].content.ename, 'KeyboardInterrupt');
  assert.equal(kernel.status, 'idle');
});

test('an interrupt sent the moment the request leaves still stops it: the signal waits for the kernel to begin it', LONG, async () => {
  const r = await run('import time; time.sleep(60)', {}, () => { void kernel.interrupt(); });
  assert.equal(r.outcome.status, 'completed');
  // The reply says KeyboardInterrupt: from the kernel, or settled by the client when the
  // interrupt landed in ipykernel's own code before the cell's (no reply, no error output;
  // the cell runner then writes the error output). Either way the sleep did not run.
  assert.equal(r.outcome.status === 'completed' && r.outcome.reply.ename, 'KeyboardInterrupt', 'the sleep was not interrupted');
  assert.equal(kernel.status, 'idle');
});

test('complete and inspect return the reply contents', LONG, async () => {
  await run('import os');
  const completion = await kernel.complete('os.pa', 5);
  assert.equal(completion.status, 'ok');
  const start = completion.cursor_start as number;
  const completed = (completion.matches as string[]).map((m) => 'os.pa'.slice(0, start) + m);
  assert.ok(completed.includes('os.path'), `completions: ${completed.join(', ')}`);
  assert.equal(completion.cursor_end, 5);
  const inspection = await kernel.inspect('len', 3, 0);
  assert.equal(inspection.status, 'ok');
  assert.equal(inspection.found, true);
  assert.match((inspection.data as Record<string, string>)['text/plain'], /Return the number of items/);
});

test('100,000 printed lines all arrive, in order', LONG, async () => {
  const r = await run('for i in range(100000): print(i)');
  const expected = Array.from({ length: 100000 }, (_, i) => `${i}\n`).join('');
  assert.equal(r.stdout.length, expected.length);
  assert.ok(r.stdout === expected, 'stream text differs from the expected sequence');
});

test('messages signed with the wrong key are dropped and counted, never delivered', LONG, async () => {
  // A second connection to the same kernel that holds the wrong key: every
  // kernel message it receives fails verification.
  const info = (kernel.kernel as LocalKernel).process.connection;
  const seen: JupyterMessage[] = [];
  const intruder = new KernelConnection({ ...info, key: 'not-the-key' }, { handlers: { iopub: (m) => seen.push(m) } });
  try {
    await waitFor(() => {
      void kernel.execute('pass').done;
      return intruder.droppedMessages > 0;
    }, 20_000, 'a dropped iopub message');
    assert.equal(seen.length, 0);
    assert.equal(kernel.droppedMessages, 0);
    // The kernel also ignores a request the intruder signs with the wrong key.
    const { reply } = intruder.request('shell', 'kernel_info_request', {});
    const raced = await Promise.race([reply.then(() => 'answered'), run('1').then(() => 'not answered')]);
    assert.equal(raced, 'not answered');
    reply.catch(() => {});
  } finally {
    intruder.close();
  }
});
