// "Save & run all" with a real kernel and a real database: a notebook whose
// cells were run out of order gets exactly those cells flagged, a failing run
// is saved as not ok, and the comparison ignores memory addresses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage, type Storage } from '../storage';
import type { CellJSON, NotebookJSON, OutputJSON } from '../notebook-model/nbformat/types';
import { createNotebook } from './notebook-library';
import { saveAndRunAll, type FreshRunResult } from './fresh-run';
import { outputsDiffer } from './output-comparison';
import { loadVersionNotebook } from './versions';

const LONG = { timeout: 120_000 };
const dir = mkdtempSync(join(tmpdir(), 'cellmate-fresh-run-'));
let storage: Storage;
before(async () => { storage = await openStorage({ databaseUrl: `file:${join(dir, 'db.sqlite')}` }); });
after(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const stream = (text: string): OutputJSON => ({ output_type: 'stream', name: 'stdout', text });
const result = (text: string, count = 1): OutputJSON => ({ output_type: 'execute_result', execution_count: count, data: { 'text/plain': text }, metadata: {} });
const code = (id: string, source: string, outputs: OutputJSON[] = []): CellJSON => ({ id, cell_type: 'code', source, metadata: {}, outputs, execution_count: outputs.length ? 1 : null });

function notebook(cells: CellJSON[]): NotebookJSON {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    cells,
  };
}

test('output comparison: types and text, memory addresses and stream splits ignored', () => {
  assert.equal(outputsDiffer([result('<object object at 0x7f3a2b4c5d60>')], [result('<object object at 0x7f00deadbeef>', 5)]), false);
  assert.equal(outputsDiffer([stream('a\n'), stream('b\n')], [stream('a\nb\n')]), false);
  assert.equal(outputsDiffer([stream('2\n')], [stream('1\n')]), true);
  assert.equal(outputsDiffer([result('1')], [stream('1')]), true);
  assert.equal(outputsDiffer([], [stream('x')]), true);
  const image = (png: string): OutputJSON => ({ output_type: 'display_data', data: { 'image/png': png, 'text/plain': '<Figure size 640x480 with 1 Axes>' }, metadata: {} });
  assert.equal(outputsDiffer([image('AAAA')], [image('BBBB')]), false, 'a re-rendered figure with the same description');
  assert.equal(outputsDiffer([image('AAAA')], [image('BBBB')], { richData: true }), true, 'the version diff compares the images themselves');
  assert.equal(outputsDiffer([image('AAAA')], [image('AAAA')], { richData: true }), false);
});

test('a fresh run flags exactly the cells whose outputs differ from the live ones', LONG, async () => {
  // As if someone ran `x = 2` in a cell since deleted, then cell 1: the live
  // notebook shows 2 where a clean run prints 1.
  const record = await createNotebook(storage, {
    title: 'out of order',
    notebook: notebook([
      { id: 'intro', cell_type: 'markdown', source: '# Study', metadata: {} },
      code('set', 'x = 1'),
      code('show', 'print(x)', [stream('2\n')]),
      code('same', 'print("hi")', [stream('hi\n')]),
      code('addr', 'class Thing: pass\nThing()', [result('<__main__.Thing at 0x7f3a2b4c5d60>')]),
      code('never', 'y = x * 10\ny', []),
    ]),
  });
  const progress: number[] = [];
  const version = await saveAndRunAll(storage, record.id, {
    name: 'clean run', author: { id: null, name: 'Ada' },
    onProgress: (p) => progress.push(p.codeCellNumber),
  });
  assert.deepEqual(progress, [1, 2, 3, 4, 5]);
  assert.equal(version.kind, 'fresh-run');
  const run = version.runResult as FreshRunResult;
  assert.equal(run.ok, true);
  assert.ok(run.durationMs > 0);
  assert.deepEqual(run.cells.filter((c) => c.differs).map((c) => c.id), ['show', 'never']);
  assert.ok(run.cells.every((c) => c.status === 'ran'));

  const saved = await loadVersionNotebook(storage, version.id);
  const outputs = (id: string) => (saved.cells.find((c) => c.id === id) as { outputs: OutputJSON[] }).outputs;
  assert.deepEqual(outputs('show'), [stream('1\n')]);
  assert.equal((outputs('never')[0] as { data: Record<string, string> }).data['text/plain'], '10');
});

test('a run that stops on an error is saved as not ok, with the cells after it not run', LONG, async () => {
  const record = await createNotebook(storage, {
    title: 'failing',
    notebook: notebook([code('a', 'print(1)', [stream('1\n')]), code('b', 'undefined_name'), code('c', 'print(3)', [stream('3\n')])]),
  });
  const version = await saveAndRunAll(storage, record.id, { name: 'broken', author: { id: null, name: 'Ada' } });
  const run = version.runResult as FreshRunResult;
  assert.equal(run.ok, false);
  assert.equal(run.error, "NameError: name 'undefined_name' is not defined in cell 2", 'the exception and the cell, not nbclient\'s "An error occurred while executing"');
  assert.deepEqual(run.cells.map((c) => [c.id, c.status, c.differs]), [['a', 'ran', false], ['b', 'error', true], ['c', 'not-run', false]]);
});
