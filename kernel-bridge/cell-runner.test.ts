// runCell against the real python3 ipykernel: the source it runs, the states and
// counts it leaves, stdin, abandoning a run, and a kernel that dies under it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import {
  executionCountOf, executionStateOf, findCell, insertCell, deleteCell, outputsOf, outputToJSON, sourceOf,
} from '../notebook-model';
import type { OutputJSON } from '../notebook-model/nbformat/types';
import { KernelClient } from './kernel-client';
import { deadKernelErrorName, runCell } from './cell-runner';
import { waitFor } from './wait-for';

let kernel: KernelClient;
const LONG = { timeout: 120_000 };

before(async () => {
  kernel = await KernelClient.start({ specName: 'python3' });
});

after(async () => {
  await kernel?.shutdown();
});

function notebook(...sources: string[]): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  const ids = sources.map((source, i) => insertCell(doc, i, { cell_type: 'code', source }));
  return { doc, ids };
}

const outputs = (doc: Y.Doc, id: string): OutputJSON[] => outputsOf(findCell(doc, id)!).map((o) => outputToJSON(o));
const stdout = (doc: Y.Doc, id: string) => outputs(doc, id).map((o) => (o.output_type === 'stream' ? o.text : '')).join('');
const state = (doc: Y.Doc, id: string) => executionStateOf(findCell(doc, id)!);

test('runs the source in the document when it starts, replaces old outputs, and leaves count and idle state', LONG, async () => {
  const doc = new Y.Doc();
  const id = insertCell(doc, 0, {
    cell_type: 'code', source: 'print("draft")', execution_count: 99,
    outputs: [{ output_type: 'stream', name: 'stdout', text: 'stale\n' }],
  });
  assert.equal((await runCell(kernel, doc, id)).status, 'ok');
  assert.equal(stdout(doc, id), 'draft\n', 'the stale output is gone');

  const source = sourceOf(findCell(doc, id)!);
  source.delete(0, source.length);
  source.insert(0, 'import time; time.sleep(0.2); print("edited")');
  const states: string[] = [];
  doc.on('afterTransaction', () => states.push(state(doc, id)));
  const outcome = await runCell(kernel, doc, id);
  assert.equal(outcome.status, 'ok');
  assert.equal(stdout(doc, id), 'edited\n', 'the edited source ran');
  assert.ok(states.includes('running'), 'running while it ran');
  assert.equal(state(doc, id), 'idle');
  assert.equal(outcome.executionCount, executionCountOf(findCell(doc, id)!));
  assert.ok(typeof outcome.executionCount === 'number' && outcome.executionCount >= 2);
});

test('a missing cell is reported and nothing runs', LONG, async () => {
  const { doc, ids: [id] } = notebook('print("x")');
  deleteCell(doc, id);
  const before = Y.encodeStateAsUpdate(doc).length;
  const outcome = await runCell(kernel, doc, id);
  assert.equal(outcome.status, 'missing');
  assert.match(outcome.reason ?? '', new RegExp(id));
  assert.equal(Y.encodeStateAsUpdate(doc).length, before, 'the document is untouched');
});

test('an exception is the outcome "error" with the exception named', LONG, async () => {
  const { doc, ids: [id] } = notebook('raise ValueError("bad value")');
  const outcome = await runCell(kernel, doc, id);
  assert.equal(outcome.status, 'error');
  assert.equal(outcome.reason, 'ValueError: bad value');
  assert.equal(outputs(doc, id)[0].output_type, 'error');
  assert.equal(state(doc, id), 'idle');
});

test('the cell after an error runs: the kernel is never left aborting requests', LONG, async () => {
  // With stop_on_error, ipykernel aborts requests arriving just after an error; that
  // window is short, so try many times.
  const { doc, ids: [failing, next] } = notebook('1/0', 'print("ran")');
  const outcomes: string[] = [];
  for (let i = 0; i < 60; i++) {
    await runCell(kernel, doc, failing);
    outcomes.push((await runCell(kernel, doc, next)).status);
  }
  assert.deepEqual(outcomes.filter((s) => s !== 'ok'), []);
  assert.equal(stdout(doc, next), 'ran\n');
});

test('input() is forwarded with its prompt; the answer reaches the code and is echoed', LONG, async () => {
  const { doc, ids: [id] } = notebook('name = input("Name? ")\nimport getpass\npin = getpass.getpass("PIN: ")\nprint("hello", name, len(pin))');
  const asked: { prompt: string; password: boolean }[] = [];
  const outcome = await runCell(kernel, doc, id, {
    onInputRequest: async (request) => {
      asked.push(request);
      return request.password ? '1234' : 'Ada';
    },
  });
  assert.equal(outcome.status, 'ok');
  assert.deepEqual(asked, [{ prompt: 'Name? ', password: false }, { prompt: 'PIN: ', password: true }]);
  assert.match(stdout(doc, id), /^Name\? Ada\n/);
  assert.match(stdout(doc, id), /hello Ada 4\n$/);
  assert.doesNotMatch(stdout(doc, id), /1234/, 'a password is never written into the document');
});

test('without an input handler, input() fails at once instead of waiting', LONG, async () => {
  const { doc, ids: [id] } = notebook('input("never answered")');
  const outcome = await runCell(kernel, doc, id);
  assert.equal(outcome.status, 'error');
  assert.match(outcome.reason ?? '', /StdinNotImplementedError/);
});

test('an abort stops waiting at once; nothing is written after runCell returns', LONG, async () => {
  const { doc, ids: [id] } = notebook('import time\nprint("started", flush=True)\ntime.sleep(60)');
  const abort = new AbortController();
  const run = runCell(kernel, doc, id, { signal: abort.signal });
  await waitFor(() => stdout(doc, id) === 'started\n', 30_000, 'the cell to start');
  abort.abort(new Error('the kernel was restarted'));
  const outcome = await run;
  assert.deepEqual(outcome, { status: 'aborted', reason: 'the kernel was restarted' });
  assert.equal(state(doc, id), 'idle');
  const snapshot = JSON.stringify(outputs(doc, id));

  // The kernel is still in the sleep; interrupt it and wait for the KeyboardInterrupt to have been sent.
  await kernel.interrupt();
  await waitFor(() => kernel.executionState === 'idle', 30_000, 'the kernel to be idle again');
  const next = notebook('1 + 1');
  assert.equal((await runCell(kernel, next.doc, next.ids[0])).status, 'ok');
  assert.equal(JSON.stringify(outputs(doc, id)), snapshot, 'the interrupted run wrote nothing more');
});

test('a kernel that dies under a cell: outcome "dead", an error output says so, state idle', LONG, async () => {
  const own = await KernelClient.start({ specName: 'python3' });
  try {
    const { doc, ids: [id] } = notebook('import os; os._exit(3)');
    const outcome = await runCell(own, doc, id);
    assert.equal(outcome.status, 'dead');
    assert.match(outcome.reason ?? '', /exited with code 3/);
    const [error] = outputs(doc, id);
    assert.ok(error.output_type === 'error');
    assert.equal(error.ename, deadKernelErrorName);
    assert.match(error.evalue, /exited with code 3/);
    assert.equal(state(doc, id), 'idle');
  } finally {
    await own.shutdown();
  }
});
