// Output a background thread sends after its cell finished reaches the cell,
// as in Jupyter: a print is appended, a display is updated. Real kernel, real
// collab server; the thread waits on a file the test creates only once the run
// has finished, so the output is late for certain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputsOf, outputToJSON } from '../notebook-model';
import { cellById, executionCount, executionState, KERNEL_DEADLINE_MS, startRig, waitFor, type Rig } from './bridge-test-harness';

let rig: Rig;
const dir = mkdtempSync(join(tmpdir(), 'cellmate-late-output-'));
before(async () => { rig = await startRig(); });
after(async () => {
  await rig?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a thread\'s print and display update after its cell finished reach that cell, for everyone', async () => {
  const gate = join(dir, 'gate');
  const nb = await rig.notebook([[
    'import os, threading, time',
    'from IPython.display import display',
    'handle = display("before", display_id=True)',
    'def later():',
    `    while not os.path.exists(${JSON.stringify(gate)}): time.sleep(0.02)`,
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

  writeFileSync(gate, '');
  await waitFor(() => {
    const [display, stream] = outputs();
    return display?.data?.['text/plain'] === "'after'" && stream?.text === 'cell done\nfrom a thread\n';
  }, 10_000, 'the late print and display update');
  assert.equal(outputs().length, 2);
  assert.equal(executionCount(browser.doc, 'cell0'), 1, 'late output is not a new run');
});
