import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import {
  cellsOf, cellIdOf, cellTypeOf, sourceOf, outputsOf, insertCell, deleteCell, moveCell,
  changeCellType, splitCell, mergeCellWithNext, clearOutputs, docToNotebook, notebookToDoc,
  repairDuplicateCells, indexOfCell, appendStreamText, streamTextOf, createOutput, outputToJSON,
} from './index';

function ids(doc: Y.Doc) {
  return cellsOf(doc).map(cellIdOf);
}
function sources(doc: Y.Doc) {
  return cellsOf(doc).map((c) => sourceOf(c).toString());
}
/** Two docs wired together, delivering updates only when `flush` is called. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const sync = () => {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
  };
  return { a, b, sync };
}

test('insert, move, delete keep ids and order', () => {
  const doc = new Y.Doc();
  const x = insertCell(doc, 0, { cell_type: 'code', source: 'x = 1' });
  const y = insertCell(doc, 1, { cell_type: 'markdown', source: '# Title' });
  const z = insertCell(doc, 2, { cell_type: 'raw', source: 'raw' });
  assert.deepEqual(ids(doc), [x, y, z]);
  assert.ok(moveCell(doc, x, 2));
  assert.deepEqual(ids(doc), [y, z, x]);
  assert.equal(sourceOf(cellsOf(doc).get(2)).toString(), 'x = 1');
  assert.ok(moveCell(doc, x, 0));
  assert.deepEqual(ids(doc), [x, y, z]);
  assert.ok(deleteCell(doc, y));
  assert.deepEqual(ids(doc), [x, z]);
  assert.equal(deleteCell(doc, 'missing'), false);
});

test('moving a code cell keeps its outputs and execution count', () => {
  const doc = notebookToDoc({
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { id: 'a', cell_type: 'code', source: 'print(1)', metadata: { tags: ['t'] }, execution_count: 3,
        outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }] },
      { id: 'b', cell_type: 'markdown', source: 'b', metadata: {} },
    ],
  } as any);
  moveCell(doc, 'a', 1);
  const nb = docToNotebook(doc);
  assert.deepEqual(nb.cells.map((c) => c.id), ['b', 'a']);
  assert.deepEqual(nb.cells[1], {
    id: 'a', cell_type: 'code', source: 'print(1)', metadata: { tags: ['t'] }, execution_count: 3,
    outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }],
  });
});

test('change type keeps id and source; code loses outputs when it becomes markdown', () => {
  const doc = new Y.Doc();
  const id = insertCell(doc, 0, { cell_type: 'code', source: 'hello', outputs: [{ output_type: 'stream', name: 'stdout', text: 'x' }] } as any);
  changeCellType(doc, id, 'markdown');
  const cell = cellsOf(doc).get(0);
  assert.equal(cellIdOf(cell), id);
  assert.equal(cellTypeOf(cell), 'markdown');
  assert.equal(sourceOf(cell).toString(), 'hello');
  assert.equal(cell.get('outputs'), undefined);
  changeCellType(doc, id, 'code');
  assert.equal(outputsOf(cellsOf(doc).get(0)).length, 0);
  assert.equal(cellsOf(doc).get(0).get('execution_count'), null);
});

test('split and merge are inverse on line boundaries', () => {
  const doc = new Y.Doc();
  const id = insertCell(doc, 0, { cell_type: 'code', source: 'a = 1\nb = 2' });
  const newId = splitCell(doc, id, 'a = 1\n'.length);
  assert.ok(newId);
  assert.deepEqual(sources(doc), ['a = 1', 'b = 2']);
  assert.deepEqual(ids(doc), [id, newId]);
  mergeCellWithNext(doc, id);
  assert.deepEqual(sources(doc), ['a = 1\nb = 2']);
  assert.deepEqual(ids(doc), [id]);
});

test('clearOutputs empties outputs and execution counts', () => {
  const doc = new Y.Doc();
  insertCell(doc, 0, { cell_type: 'code', source: '1', execution_count: 4, outputs: [{ output_type: 'execute_result', data: { 'text/plain': '1' }, metadata: {}, execution_count: 4 }] } as any);
  clearOutputs(doc);
  const nb = docToNotebook(doc);
  assert.deepEqual((nb.cells[0] as any).outputs, []);
  assert.equal((nb.cells[0] as any).execution_count, null);
});

test('concurrent moves of one cell duplicate it, and the repair leaves one copy everywhere', () => {
  const { a, b, sync } = pair();
  const ids3 = ['p', 'q', 'r'].map((id, i) => insertCell(a, i, { id, cell_type: 'code', source: id }));
  sync();
  moveCell(a, 'p', 2);
  moveCell(b, 'p', 1);
  sync();
  assert.equal(ids(a).filter((id) => id === 'p').length, 2, 'the race really duplicates');
  assert.equal(repairDuplicateCells(a), 1);
  sync();
  assert.deepEqual(ids(a), ids(b));
  assert.deepEqual([...ids(a)].sort(), [...ids3].sort());
  assert.equal(indexOfCell(b, 'p') >= 0, true);
});

test('stream text: carriage returns redraw the last line, backspace erases', () => {
  const doc = new Y.Doc();
  const out = createOutput({ output_type: 'stream', name: 'stdout', text: ['line 1\n', 'prog'] } as any);
  doc.getArray('x').push([out]);
  const text = streamTextOf(out)!;
  assert.equal(text.toString(), 'line 1\nprog', 'a list of lines is joined without separators');
  appendStreamText(text, 'ress 10%\rprogress 50%\rprogress 100%\n');
  appendStreamText(text, 'abc\b\bZ\r\ndone\n');
  assert.equal(text.toString(), 'line 1\nprogress 100%\naZ\ndone\n');
  assert.deepEqual(outputToJSON(out), { output_type: 'stream', name: 'stdout', text: 'line 1\nprogress 100%\naZ\ndone\n' });
});
