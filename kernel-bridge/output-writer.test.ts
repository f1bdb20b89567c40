// OutputWriter against the real python3 ipykernel: what each kind of iopub
// message does to a cell's outputs in the shared document. One kernel serves
// all tests; every test works on its own document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import {
  executionCountOf, findCell, insertCell, kernelOrigin, moveCell, outputsOf, outputToJSON, sourceOf,
} from '../notebook-model';
import type { OutputJSON } from '../notebook-model/nbformat/types';
import { KernelClient } from './kernel-client';
import { runCell } from './cell-runner';
import { OutputWriter, truncationNoteText, type OutputWriterOptions } from './output-writer';
import type { JupyterMessage } from './wire-protocol';

let kernel: KernelClient;
// A test that hangs must fail, not block the run.
const LONG = { timeout: 120_000 };

before(async () => {
  kernel = await KernelClient.start({ specName: 'python3' });
});

after(async () => {
  await kernel?.shutdown();
});

function docWithCells(count: number): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  const ids = Array.from({ length: count }, (_, i) => insertCell(doc, i, { cell_type: 'code', source: '' }));
  return { doc, ids };
}

const outputs = (doc: Y.Doc, id: string): OutputJSON[] => outputsOf(findCell(doc, id)!).map((o) => outputToJSON(o));

/** Runs `code` with a writer on cell `id`; collects the iopub messages too. */
async function execute(doc: Y.Doc, id: string, code: string, options?: OutputWriterOptions) {
  const writer = new OutputWriter(doc, id, options);
  const messages: JupyterMessage[] = [];
  // As runCell does: with stop_on_error the kernel would abort the request after a failing one.
  const outcome = await kernel.execute(code, { stopOnError: false }).onIopub((m) => {
    messages.push(m);
    writer.accept(m);
  }).done;
  writer.close();
  assert.equal(outcome.status, 'completed');
  assert.notEqual(outcome.status === 'completed' && outcome.reply.status, 'aborted');
  return { writer, messages, reply: outcome.status === 'completed' ? outcome.reply : undefined };
}

/** Calls `onChange` after each kernel-origin transaction. */
function watchKernelWrites(doc: Y.Doc, onChange: () => void): () => void {
  const listener = (tr: Y.Transaction) => { if (tr.origin === kernelOrigin) onChange(); };
  doc.on('afterTransaction', listener);
  return () => doc.off('afterTransaction', listener);
}

test('a loop printing 100,000 lines ends as one stream output, complete and in order', LONG, async () => {
  const { doc, ids: [id] } = docWithCells(1);
  let transactions = 0;
  const stop = watchKernelWrites(doc, () => transactions++);
  const { messages } = await execute(doc, id, 'for i in range(100_000):\n    print(i)');
  stop();
  const outs = outputs(doc, id);
  assert.equal(outs.length, 1);
  assert.equal(outs[0].output_type, 'stream');
  const expected = Array.from({ length: 100_000 }, (_, i) => `${i}\n`).join('');
  assert.ok(outs[0].output_type === 'stream' && outs[0].text === expected, 'every line, in order, once');
  const streamMessages = messages.filter((m) => m.header.msg_type === 'stream').length;
  assert.ok(transactions <= streamMessages + 1, `${transactions} transactions for ${streamMessages} stream messages`);
});

test('messages that arrive in one event-loop turn are written in one transaction', LONG, async () => {
  // Real messages of a real run, replayed to a second writer all at once.
  const first = docWithCells(1);
  const { messages } = await execute(first.doc, first.ids[0], [
    'from IPython.display import display',
    "print('a', flush=True)",
    "display('b')",
    "print('c', flush=True)",
    '42',
  ].join('\n'));
  const { doc, ids: [id] } = docWithCells(1);
  let transactions = 0;
  const stop = watchKernelWrites(doc, () => transactions++);
  const writer = new OutputWriter(doc, id);
  for (const m of messages) writer.accept(m);
  assert.equal(outputs(doc, id).length, 0, 'nothing is written synchronously');
  await new Promise((resolve) => setImmediate(resolve));
  stop();
  assert.equal(transactions, 1);
  assert.deepEqual(outputs(doc, id), outputs(first.doc, first.ids[0]));
  assert.deepEqual(outputs(doc, id).map((o) => o.output_type), ['stream', 'display_data', 'stream', 'execute_result']);
  assert.equal(executionCountOf(findCell(doc, id)!), executionCountOf(findCell(first.doc, first.ids[0])!));
});

test('carriage returns redraw a progress line in place, as in a terminal', LONG, async () => {
  const { doc, ids: [id] } = docWithCells(1);
  const seen: string[] = [];
  const stop = watchKernelWrites(doc, () => {
    const out = outputs(doc, id)[0];
    if (out?.output_type === 'stream') seen.push(out.text);
  });
  // Both styles: "\r" before the text (tqdm) and end="\r" after it.
  await execute(doc, id, [
    'import time',
    'for i in range(5):',
    "    print(f'{i}/4', end='\\r', flush=True); time.sleep(0.02)",
    "print('counted')",
    'for p in range(0, 101, 25):',
    "    print(f'\\r{p:3d}%', end='', flush=True); time.sleep(0.02)",
    "print(' done')",
  ].join('\n'));
  stop();
  assert.deepEqual(outputs(doc, id), [{ output_type: 'stream', name: 'stdout', text: 'counted\n100% done\n' }]);
  for (const text of seen) {
    assert.match(text, /^(\d\/4|counted\n(\s*\d+%)?|counted\n100% done\n)$/, `a terminal never shows ${JSON.stringify(text)}`);
  }
});

test('clear_output(wait=True) clears only when the next output arrives', LONG, async () => {
  const { doc, ids: [id] } = docWithCells(1);
  const lengths: number[] = [];
  const stop = watchKernelWrites(doc, () => lengths.push(outputs(doc, id).length));
  await execute(doc, id, [
    'import time',
    'from IPython.display import clear_output',
    'for i in range(5):',
    '    clear_output(wait=True)',
    "    print(f'frame {i}', flush=True)",
    '    time.sleep(0.02)',
    'clear_output(wait=True)',
  ].join('\n'));
  stop();
  // The last clear has no output after it, so the last frame stays.
  assert.deepEqual(outputs(doc, id), [{ output_type: 'stream', name: 'stdout', text: 'frame 4\n' }]);
  assert.ok(!lengths.slice(lengths.indexOf(1)).includes(0), `never blank between frames: ${lengths.join(',')}`);

  await execute(doc, id, "print('old', flush=True)\nfrom IPython.display import clear_output\nclear_output()\nprint('new')");
  assert.deepEqual(outputs(doc, id), [{ output_type: 'stream', name: 'stdout', text: 'new\n' }], 'clear_output() clears at once');
});

test('update_display_data reaches every output with that display id, in any cell, even after a move', LONG, async () => {
  const { doc, ids: [a, b, c, d] } = docWithCells(4);
  const src = (id: string, code: string) => sourceOf(findCell(doc, id)!).insert(0, code);
  src(a, "from IPython.display import display, update_display\nfirst = display('one', display_id='shared')");
  src(b, "print('before')\nsecond = display('two', display_id='shared')\nprint('after')");
  src(c, "update_display('three', display_id='shared')");
  src(d, "h = display('x', display_id=True)\nh.update('y')");
  for (const id of [a, b]) assert.equal((await runCell(kernel, doc, id)).status, 'ok');
  moveCell(doc, a, 3); // a move replaces the cell's map with a copy
  for (const id of [c, d]) assert.equal((await runCell(kernel, doc, id)).status, 'ok');

  const plain = (o: OutputJSON) => (o.output_type === 'display_data' ? o.data['text/plain'] : o.output_type);
  assert.deepEqual(outputs(doc, a).map(plain), ["'three'"]);
  assert.deepEqual(outputs(doc, b).map((o) => (o.output_type === 'stream' ? o.text : plain(o))), ['before\n', "'three'", 'after\n']);
  assert.deepEqual(outputs(doc, c), [], 'the update itself adds no output');
  assert.deepEqual(outputs(doc, d).map(plain), ["'y'"], 'an update in the same turn as its display');
});

test('output past the limit is cut at a line end, noted once, and the rest of the run is dropped', LONG, async () => {
  const { doc, ids: [id] } = docWithCells(1);
  const limit = 10_000;
  const { writer, reply } = await execute(doc, id, [
    'from IPython.display import display',
    'for i in range(5000):',
    "    print(f'line {i}')",
    "display('after the flood')",
    "print('more')",
  ].join('\n'), { maxOutputBytes: limit });
  assert.equal(writer.truncated, true);
  const outs = outputs(doc, id);
  assert.equal(outs.length, 2);
  const [stream, note] = outs;
  assert.ok(stream.output_type === 'stream' && stream.name === 'stdout');
  assert.ok(Buffer.byteLength(stream.text) <= limit);
  assert.ok(stream.text.length > limit / 2, 'the output is used up to the limit');
  assert.match(stream.text, /\n$/);
  assert.deepEqual(stream.text.split('\n').slice(0, -1), Array.from({ length: stream.text.split('\n').length - 1 }, (_, i) => `line ${i}`));
  assert.deepEqual(note, { output_type: 'stream', name: 'stderr', text: truncationNoteText(limit) });
  assert.match(truncationNoteText(limit), /^Output truncated: .*9\.8 KB/);
  assert.equal(executionCountOf(findCell(doc, id)!), reply?.execution_count, 'the count is still written');
});

test('a rich output larger than the limit is dropped with the note', LONG, async () => {
  const { doc, ids: [id] } = docWithCells(1);
  await execute(doc, id, "print('small')\nfrom IPython.display import HTML, display\ndisplay(HTML('<b>' + 'x' * 50_000 + '</b>'))", { maxOutputBytes: 10_000 });
  assert.deepEqual(outputs(doc, id).map((o) => o.output_type === 'stream' ? o.text : o.output_type), ['small\n', truncationNoteText(10_000)]);
  const total = Buffer.byteLength(JSON.stringify(doc.getArray('cells').toJSON()));
  assert.ok(total < 10_000, `the document stays small (${total} bytes)`);
});

test('an exception becomes an error output after the output printed before it', LONG, async () => {
  const { doc, ids: [id] } = docWithCells(1);
  const { reply } = await execute(doc, id, "print('about to fail')\n1/0");
  assert.equal(reply?.status, 'error');
  const outs = outputs(doc, id);
  assert.deepEqual(outs.map((o) => o.output_type), ['stream', 'error']);
  const error = outs[1];
  assert.ok(error.output_type === 'error');
  assert.equal(error.ename, 'ZeroDivisionError');
  assert.equal(error.evalue, 'division by zero');
  assert.ok(error.traceback.length > 0 && error.traceback.some((line) => line.replace(/\x1b\[[0-9;]*m/g, '').includes('1/0')));
  assert.equal(executionCountOf(findCell(doc, id)!), reply?.execution_count);
});

test('an execute_result carries its execution count, the same as the cell', LONG, async () => {
  const { doc, ids: [id] } = docWithCells(1);
  const { reply } = await execute(doc, id, '6 * 7');
  const outs = outputs(doc, id);
  assert.deepEqual(outs, [{ output_type: 'execute_result', execution_count: reply?.execution_count, data: { 'text/plain': '42' }, metadata: {} }]);
  assert.equal(executionCountOf(findCell(doc, id)!), reply?.execution_count);
});
