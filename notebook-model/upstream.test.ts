import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import {
  cellsOf, cellIdOf, createCell, cellTypeOf, sourceOf, outputsOf, docToNotebook, notebookToDoc, findCell, deleteCell, createOutput,
  recordUpstreamBase, upstreamChanges, pullUpstreamCell, cellFingerprint, UPSTREAM_BASE, type UpstreamCell,
} from './index';
import type { NotebookJSON } from './nbformat/types';

function notebook(cells: { id: string; type?: 'code' | 'markdown'; source: string }[]): NotebookJSON {
  return {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: cells.map((c) => (c.type ?? 'code') === 'code'
      ? { id: c.id, cell_type: 'code', source: c.source, metadata: {}, outputs: [], execution_count: null }
      : { id: c.id, cell_type: 'markdown', source: c.source, metadata: {} }),
  } as NotebookJSON;
}

/** The source notebook's cells as the upstream endpoint sends them. */
function upstream(doc: Y.Doc): UpstreamCell[] {
  return cellsOf(doc).map((c) => ({ id: cellIdOf(c), cell_type: cellTypeOf(c), source: sourceOf(c).toString() }));
}

/** A source notebook and a fork of it as it stands. */
function forked(cells: { id: string; type?: 'code' | 'markdown'; source: string }[]) {
  const source = notebookToDoc(notebook(cells));
  const fork = notebookToDoc(docToNotebook(source));
  recordUpstreamBase(fork);
  return { source, fork };
}

function setSource(doc: Y.Doc, id: string, text: string): void {
  const t = sourceOf(findCell(doc, id)!);
  doc.transact(() => { t.delete(0, t.length); t.insert(0, text); });
}

test('a fresh fork has nothing to pull', () => {
  const { source, fork } = forked([{ id: 'a', source: 'x = 1' }, { id: 'b', type: 'markdown', source: '# Hi' }]);
  assert.deepEqual(upstreamChanges(fork, upstream(source)), []);
});

test("the fork owner's own edits are never offered back as the source's", () => {
  const { source, fork } = forked([{ id: 'a', source: 'x = 1' }]);
  setSource(fork, 'a', 'x = 42  # mine');
  assert.deepEqual(upstreamChanges(fork, upstream(source)), []);
});

test('changes, additions, conflicts and cells deleted in the fork are told apart', () => {
  const { source, fork } = forked([{ id: 'a', source: 'a = 1' }, { id: 'b', source: 'b = 1' }, { id: 'c', source: 'c = 1' }]);
  setSource(source, 'a', 'a = 2');            // source only: clean change
  setSource(source, 'b', 'b = 2');            // both: conflict
  setSource(fork, 'b', 'b = 99');
  setSource(source, 'c', 'c = 2');            // source changed a cell the fork deleted
  deleteCell(fork, 'c');
  source.transact(() => cellsOf(source).insert(1, [createCell({ id: 'n', cell_type: 'code', source: 'new = 1' })]));
  const changes = upstreamChanges(fork, upstream(source));
  assert.deepEqual(changes.map((c) => [c.cell.id, c.kind, c.sourceIndex]), [
    ['a', 'changed', 0], ['n', 'added', 1], ['b', 'conflict', 2], ['c', 'deleted-here', 3],
  ]);
});

test('pulling takes one cell, in place, and it is then no longer offered', () => {
  const { source, fork } = forked([{ id: 'a', source: 'print("hello")' }, { id: 'b', source: 'y = 2' }]);
  setSource(source, 'a', 'print("hello, world")');
  setSource(source, 'b', 'y = 3');
  pullUpstreamCell(fork, upstream(source), 'a');
  assert.equal(sourceOf(findCell(fork, 'a')!).toString(), 'print("hello, world")');
  assert.equal(sourceOf(findCell(fork, 'b')!).toString(), 'y = 2', 'the other cell is left alone');
  assert.deepEqual(upstreamChanges(fork, upstream(source)).map((c) => c.cell.id), ['b']);
});

test('a pulled new cell lands after its nearest neighbour above in the source', () => {
  const { source, fork } = forked([{ id: 'a', source: '1' }, { id: 'b', source: '2' }]);
  source.transact(() => cellsOf(source).insert(1, [createCell({ id: 'n', cell_type: 'markdown', source: '## new' })]));
  pullUpstreamCell(fork, upstream(source), 'n');
  assert.deepEqual(cellsOf(fork).map(cellIdOf), ['a', 'n', 'b']);
  assert.equal(cellTypeOf(findCell(fork, 'n')!), 'markdown');
  assert.deepEqual(upstreamChanges(fork, upstream(source)), []);
});

test("pulling keeps the fork's outputs and changes the type when the source did", () => {
  const { source, fork } = forked([{ id: 'a', source: 'x' }]);
  const outputs = outputsOf(findCell(fork, 'a')!);
  fork.transact(() => outputs.push([createOutput({ output_type: 'stream', name: 'stdout', text: 'mine' })]));
  setSource(source, 'a', 'x + 1');
  pullUpstreamCell(fork, upstream(source), 'a');
  assert.equal(outputsOf(findCell(fork, 'a')!).length, 1);
  const md = notebookToDoc(notebook([{ id: 'a', type: 'markdown', source: '*x*' }]));
  pullUpstreamCell(fork, upstream(md), 'a');
  assert.equal(cellTypeOf(findCell(fork, 'a')!), 'markdown');
  assert.equal(sourceOf(findCell(fork, 'a')!).toString(), '*x*');
});

test('a pull is one undo step, base included, so an undone pull is offered again', () => {
  const { source, fork } = forked([{ id: 'a', source: 'x = 1' }]);
  const origin = { user: 'me' };
  const undo = new Y.UndoManager([cellsOf(fork), fork.getMap(UPSTREAM_BASE)], { trackedOrigins: new Set([origin]) });
  setSource(source, 'a', 'x = 2');
  pullUpstreamCell(fork, upstream(source), 'a', origin);
  assert.equal(upstreamChanges(fork, upstream(source)).length, 0);
  undo.undo();
  assert.equal(sourceOf(findCell(fork, 'a')!).toString(), 'x = 1');
  assert.deepEqual(upstreamChanges(fork, upstream(source)).map((c) => c.kind), ['changed']);
});

test('the base map stays out of exported files', () => {
  const { fork } = forked([{ id: 'a', source: 'x' }]);
  assert.ok(fork.getMap(UPSTREAM_BASE).size > 0);
  assert.ok(!JSON.stringify(docToNotebook(fork)).includes(cellFingerprint('code', 'x')));
});

test('fingerprints tell type and text apart', () => {
  assert.notEqual(cellFingerprint('code', 'x'), cellFingerprint('markdown', 'x'));
  assert.notEqual(cellFingerprint('code', 'x = 1'), cellFingerprint('code', 'x = 2'));
  assert.equal(cellFingerprint('code', 'é'), cellFingerprint('code', 'é'));
});

test('pulling a cell the source no longer has is refused clearly', () => {
  const { fork } = forked([{ id: 'a', source: 'x' }]);
  assert.throws(() => pullUpstreamCell(fork, [], 'a'), /no longer in the source/);
});
