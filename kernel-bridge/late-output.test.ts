// Output a background thread sends after its cell finished reaches the cell,
// as in Jupyter: a print is appended, a display is updated. Real kernel, real
// collab server; the thread waits on a file the test creates only once the run
// has finished, so the output is late for certain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { findCell, insertCell, outputsOf, outputToJSON } from '../notebook-model';
import { cellById, executionCount, executionState, KERNEL_DEADLINE_MS, startRig, waitFor, type Rig } from './bridge-test-harness';
import { LateOutput } from './late-output';
import type { JupyterMessage, MessageHeader } from './wire-protocol';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => {
  await rig?.close();
});

test('a thread\'s print and display update after its cell finished reach that cell, for everyone', async () => {
  const nb = await rig.notebook([[
    // In the kernel's working folder: the one place of this machine a sandboxed kernel sees.
    'gate = "gate"',
    'import os, threading, time',
    'from IPython.display import display',
    'handle = display("before", display_id=True)',
    'def later():',
    '    while not os.path.exists(gate): time.sleep(0.02)',
    '    print("from a thread", flush=True)',
    '    handle.update("after")',
    'threading.Thread(target=later).start()',
    'print("cell done")',
  ].join('\n')]);
  const browser = await rig.browser(nb.id);
  const outputs = () => outputsOf(cellById(browser.doc, 'cell0')).map((o) => outputToJSON(o) as { output_type: string; text?: string; data?: Record<string, unknown> });

  const res = await rig.post(`/notebooks/${nb.id}/execute`, await rig.token(nb.id), { cellIds: nb.cellIds });
  assert.equal(res.status, 202);
  await waitFor(() => executionCount(browser.doc, 'cell0') === 1 && executionState(browser.doc, 'cell0') === 'idle', KERNEL_DEADLINE_MS, 'the run to finish');
  await waitFor(() => outputs().some((o) => o.text === 'cell done\n'), 10_000, 'the cell\'s own output');
  assert.deepEqual(outputs().map((o) => o.output_type), ['display_data', 'stream'], 'the thread ran early');

  writeFileSync(join(rig.dataDir, 'kernels', nb.id, 'gate'), '');
  await waitFor(() => {
    const [display, stream] = outputs();
    return display?.data?.['text/plain'] === "'after'" && stream?.text === 'cell done\nfrom a thread\n';
  }, 10_000, 'the late print and display update');
  assert.equal(outputs().length, 2);
  assert.equal(executionCount(browser.doc, 'cell0'), 1, 'late output is not a new run');
});

/** A stdout print as the kernel sends it under request `parent`. */
function printed(parent: string, text: string): JupyterMessage {
  return {
    identities: [], metadata: {}, buffers: [],
    header: { msg_type: 'stream' } as MessageHeader,
    parent_header: { msg_id: parent },
    content: { name: 'stdout', text },
  };
}

test('a re-run takes over its cell: what the earlier run still had queued, or sends later, never lands in it', async () => {
  const doc = new Y.Doc();
  const cellId = insertCell(doc, 0, { cell_type: 'code', source: '' });
  const texts = () => outputsOf(findCell(doc, cellId)!).map((o) => (outputToJSON(o) as { text?: string }).text);
  const late = new LateOutput();
  late.started('run-1', doc, cellId);
  late.accept(printed('run-1', 'old\n')); // queued for the end of this turn…
  late.started('run-2', doc, cellId); // …when the cell runs again
  late.accept(printed('run-1', 'older still\n'));
  late.accept(printed('run-2', 'new\n'));
  await waitFor(() => texts().length > 0, 5_000, 'the late output to be written');
  assert.deepEqual(texts(), ['new\n']);
});

test('a re-run also takes over from the earlier run\'s aliases (the bridge\'s silent requests after it)', async () => {
  const doc = new Y.Doc();
  const cellId = insertCell(doc, 0, { cell_type: 'code', source: '' });
  const texts = () => outputsOf(findCell(doc, cellId)!).map((o) => (outputToJSON(o) as { text?: string }).text);
  const late = new LateOutput();
  late.started('run-1', doc, cellId);
  late.alias('refresh-1', 'run-1'); // a thread of run-1 printed while the variables refresh ran: run-1's
  late.started('run-2', doc, cellId);
  late.accept(printed('refresh-1', 'from the earlier run\n'));
  late.accept(printed('run-2', 'new\n'));
  await waitFor(() => texts().length > 0, 5_000, 'the late output to be written');
  assert.deepEqual(texts(), ['new\n']);
});
