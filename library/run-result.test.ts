import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellsNotRun } from './run-result';

test('the cells a failed run never reached are those after the failing one', () => {
  const run = {
    ok: false, durationMs: 10, error: 'NameError: name \'y\' is not defined in cell 3',
    cells: [
      { index: 0, id: 'blank', status: 'not-run', differs: false },
      { index: 1, id: 'a', status: 'ran', differs: false },
      { index: 2, id: 'b', status: 'error', differs: true },
      { index: 3, id: 'c', status: 'not-run', differs: false },
      { index: 5, id: 'd', status: 'not-run', differs: false },
    ],
  };
  assert.deepEqual([...cellsNotRun(run)], ['c', 'd']);
  assert.deepEqual([...cellsNotRun({ ...run, ok: true })], [], 'a finished run ran everything it meant to');
  for (const junk of [null, 'x', { ok: false }, { ok: false, cells: [1, { status: 'error' }, { id: 3 }] }]) assert.deepEqual([...cellsNotRun(junk)], []);
});
