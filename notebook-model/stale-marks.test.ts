// Stale marks from the document alone: runs are recorded the way the kernel
// bridge records them (recordRun), with explicit kernel timestamps so the order
// of runs is the test's, and the marks are read back as any client would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { deleteCell, findCell, moveCell, sourceOf } from './cells';
import { emptyNotebook, notebookToDoc, setNotebookMetadata } from './notebook-doc';
import { startKernelSession } from './run-record';
import { cellsToRunForStale, describeReason, staleMarks } from './stale-marks';
import { notebookWithRuns } from './test-runs';

function notebook(...sources: string[]) {
  const { doc, ids, run } = notebookWithRuns(...sources);
  const edit = (id: string, text: string) => {
    const source = sourceOf(findCell(doc, id)!);
    doc.transact(() => { source.delete(0, source.length); source.insert(0, text); });
  };
  const reasons = (id: string) => {
    const mark = staleMarks(doc).byId.get(id)!;
    return mark.state === 'stale' ? mark.reasons.map(describeReason) : mark.state;
  };
  return { doc, ids, run, edit, reasons };
}

test('never-run cells are "not-run"; cells run top to bottom are fresh', () => {
  const { doc, ids: [a, b, c], run, reasons } = notebook('x = 1', 'print(x)', 'y = x + 1');
  assert.equal(reasons(a), 'not-run');
  run(a, b, c);
  assert.deepEqual(staleMarks(doc).cells.map((m) => m.state), ['fresh', 'fresh', 'fresh']);
});

test('re-running the cell a later cell read from makes the later cell stale, naming the cell and the names', () => {
  const { ids: [a, b, c], run, reasons } = notebook('x = 1\ndf = 2', 'print(x, df)', 'z = 3');
  run(a, b, c);
  run(a);
  assert.deepEqual(reasons(b), ['depends on cell 1 (df, x), re-run since']);
  assert.deepEqual(reasons(c), 'fresh', 'a cell that reads nothing from it stays fresh');
  assert.deepEqual(reasons(a), ['ran after a cell below it']);
});

test('editing a cell marks it, and marks the cells that read from it', () => {
  const { ids: [a, b], run, edit, reasons } = notebook('x = 1', 'print(x)');
  run(a, b);
  edit(b, 'print(x + 1)');
  assert.deepEqual(reasons(b), ['edited since it ran']);
  edit(b, 'print(x)');
  assert.equal(reasons(b), 'fresh', 'typing the same source back clears it');
  edit(a, 'x = 2');
  assert.deepEqual(reasons(a), ['edited since it ran']);
  assert.deepEqual(reasons(b), ['depends on cell 1 (x), edited since']);
});

test('deleting the cell a name came from marks the reader', () => {
  const { doc, ids: [a, b], run, reasons } = notebook('x = 1', 'print(x)');
  run(a, b);
  deleteCell(doc, a);
  assert.deepEqual(reasons(b), [`depends on deleted cell ${a} (x)`]);
});

test('a new kernel session makes every run cell stale; running them again clears it', () => {
  const { doc, ids: [a, b, c], run, reasons } = notebook('x = 1', 'print(x)', 'never = 0');
  run(a, b);
  startKernelSession(doc);
  assert.deepEqual(reasons(a), ['ran before the kernel was restarted']);
  assert.deepEqual(reasons(b), ['ran before the kernel was restarted']);
  assert.equal(reasons(c), 'not-run');
  assert.deepEqual(cellsToRunForStale(doc), [a, b]);
  run(a, b);
  assert.deepEqual(staleMarks(doc).cells.map((m) => m.state), ['fresh', 'fresh', 'not-run']);
});

test('the provider is the cell that ran last before, wherever it sits; a cell above re-run later also counts', () => {
  const { ids: [a, b, c], run, reasons } = notebook('x = 1', 'print(x)', 'x = 2');
  run(a, c, b); // b read x from c, below it, which ran before it
  assert.deepEqual(reasons(b), ['ran after a cell below it']);
  run(c);
  assert.deepEqual(reasons(b), ['depends on cell 3 (x), re-run since']);
  run(a);
  assert.deepEqual(reasons(b), ['depends on cell 3 (x), re-run since', 'depends on cell 1 (x), re-run since']);
});

test('in-place changes count as giving a name a value (df["c"] = …)', () => {
  const { ids: [a, m, b], run, reasons } = notebook('df = load()', 'df["c"] = 1', 'df.plot()');
  run(a, m, b);
  run(m);
  assert.deepEqual(reasons(b), ['depends on cell 2 (df), re-run since']);
});

test('functions: a cell calling a function depends on the cell defining it, and that on the globals it reads', () => {
  const { doc, ids: [k, f, call], run, reasons } = notebook('k = 2', 'def scale(v):\n    return v * k', 'print(scale(3))');
  run(k, f, call);
  run(k);
  assert.deepEqual(reasons(f), ['depends on cell 1 (k), re-run since']);
  assert.equal(reasons(call), 'fresh', 'only names read directly are tracked');
  assert.deepEqual(cellsToRunForStale(doc), [k, f, call], 'but running stale cells takes the callers along');
});

test('cellsToRunForStale: stale cells and everything downstream of them that ran, in notebook order', () => {
  const { doc, ids: [a, b, c, d, e], run, edit } = notebook('x = 1', 'y = x * 2', 'z = y + 1', 'print("unrelated")', 'w = z');
  run(a, b, c, d, e);
  edit(a, 'x = 10');
  assert.deepEqual(cellsToRunForStale(doc), [a, b, c, e]);
});

test('moving a cell above the cell it read from makes it out of order', () => {
  const { doc, ids: [a, b], run, reasons } = notebook('x = 1', 'print(x)');
  run(a, b);
  moveCell(doc, b, 0);
  assert.deepEqual(reasons(b), ['ran after a cell below it']);
  assert.equal(reasons(a), 'fresh');
});

test('non-Python kernels: only edits and restarts mark cells, and the marks say analysis was off', () => {
  const { doc, ids: [a, b], run, edit, reasons } = notebook('x <- 1', 'print(x)');
  setNotebookMetadata(doc, 'language_info', { name: 'R' });
  setNotebookMetadata(doc, 'kernelspec', { name: 'ir', display_name: 'R', language: 'R' });
  run(a, b);
  run(a);
  assert.equal(staleMarks(doc).dependencyAnalysis, false);
  assert.equal(reasons(b), 'fresh');
  edit(b, 'print(x + 1)');
  assert.deepEqual(reasons(b), ['edited since it ran']);
  startKernelSession(doc);
  assert.deepEqual(reasons(a), ['ran before the kernel was restarted']);
  assert.deepEqual(cellsToRunForStale(doc), [a, b]);
});

test('records from other tools (JupyterLab timings, no inputs, no hash) are read without inventing reasons', () => {
  const doc = notebookToDoc({
    ...emptyNotebook(),
    cells: [
      { id: 'a', cell_type: 'code', source: 'x = 1', metadata: { execution: { 'iopub.status.busy': '2026-01-01T00:00:01.000001Z' } }, outputs: [], execution_count: 1 },
      { id: 'b', cell_type: 'code', source: 'print(x)', metadata: { execution: { 'iopub.status.busy': '2026-01-01T00:00:00.000001Z' } }, outputs: [], execution_count: 2 },
    ],
  } as never);
  const marks = staleMarks(doc);
  assert.equal(marks.session, undefined);
  // No session, no hash: neither restart nor edit is claimed; a ran after b, below it.
  assert.deepEqual(marks.byId.get('a')!.reasons, [{ kind: 'out-of-order' }]);
  // b ran before a (its provider): computed inputs find none; a ran after it, from above.
  assert.deepEqual(marks.byId.get('b')!.reasons.map(describeReason), ['depends on cell 1 (x), re-run since']);
});

test('a second peer computes the same marks from the synced document', () => {
  const { doc, ids: [a, b], run } = notebook('x = 1', 'print(x)');
  run(a, b, a);
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  const strip = (m: ReturnType<typeof staleMarks>) => ({ cells: m.cells, session: m.session });
  assert.deepEqual(strip(staleMarks(peer)), strip(staleMarks(doc)));
  assert.equal(staleMarks(peer).byId.get(b)!.state, 'stale');
});

test('the cached marks follow every kind of change: a peer\'s edit, a move, a type change, a record inside a transaction', () => {
  const { doc, ids: [a, b], run, reasons } = notebook('x = 1', 'print(x)');
  run(a, b);
  assert.equal(reasons(b), 'fresh');
  const peer = new Y.Doc();
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
  const text = sourceOf(findCell(peer, b)!);
  text.insert(text.length, ' # note');
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(doc)));
  assert.deepEqual(reasons(b), ['edited since it ran']);
  doc.transact(() => {
    run(b);
    assert.equal(staleMarks(doc).byId.get(b)!.state, 'fresh', 'read afresh inside the transaction');
  });
  assert.equal(reasons(b), 'fresh');
  moveCell(doc, a, 1);
  assert.deepEqual(staleMarks(doc).cells.map((m) => [m.cellId, m.index]), [[b, 1], [a, 2]]);
});
