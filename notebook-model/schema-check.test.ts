// The schema check and the set-aside repair, on real Y.Docs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { cellsOf, docToNotebook, metaOf, notebookToDoc } from './index';
import { parseNotebook, serializeNotebook, type NotebookJSON } from './nbformat';
import { defineRoots, documentProblems, transactionProblems } from './schema-check';
import { setAsideDamage, setAsideNote } from './schema-repair';

const notebook = (): NotebookJSON => ({
  nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
  cells: [
    { id: 'a', cell_type: 'code', source: 'print(1)', metadata: {}, execution_count: 1, outputs: [
      { output_type: 'stream', name: 'stdout', text: '1\n' },
      { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=', 'text/plain': '<Figure>' }, metadata: {} },
    ] },
    { id: 'b', cell_type: 'markdown', source: '# Title', metadata: { tags: ['x'] } },
  ],
} as NotebookJSON);

/** A replica that checks every transaction, as the collab server's gate does. */
function checked(): { doc: Y.Doc; change: (fn: (doc: Y.Doc) => void) => ReturnType<typeof transactionProblems> } {
  const doc = new Y.Doc();
  defineRoots(doc);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(notebookToDoc(notebook())));
  return {
    doc,
    change(fn) {
      let problems: ReturnType<typeof transactionProblems> = [];
      doc.transact((transaction) => { fn(doc); problems = transactionProblems(doc, transaction); });
      return problems;
    },
  };
}

test('a notebook made by the model is inside the schema, and ordinary edits pass', () => {
  const { doc, change } = checked();
  assert.deepEqual(documentProblems(doc), []);
  assert.deepEqual(change((d) => (cellsOf(d).get(0).get('source') as Y.Text).insert(0, '# ')), [], 'typing');
  const stream = (cellsOf(doc).get(0).get('outputs') as Y.Array<Y.Map<unknown>>).get(0).get('text') as Y.Text;
  assert.deepEqual(change(() => stream.insert(stream.length, '2\n')), [], 'a stream growing');
  assert.deepEqual(change((d) => cellsOf(d).get(0).set('execution_state', 'running')), [], 'execution state');
  assert.deepEqual(change((d) => (metaOf(d).get('metadata') as Y.Map<unknown>).set('language_info', { name: 'python' })), [], 'notebook metadata');
});

test('each kind of schema break is found in the transaction that makes it', () => {
  const breaks: [string, (doc: Y.Doc) => void][] = [
    ['a non-map cell', (d) => d.getArray('cells').push(['x'])],
    ['a plain-string source', (d) => cellsOf(d).get(0).set('source', 'x')],
    ['a missing id', (d) => cellsOf(d).get(1).delete('id')],
    ['an unknown cell type', (d) => cellsOf(d).get(1).set('cell_type', 'evil')],
    ['an unknown output type', (d) => (cellsOf(d).get(0).get('outputs') as Y.Array<unknown>).push([new Y.Map([['output_type', 'evil']])])],
    ['an output that is not a map', (d) => (cellsOf(d).get(0).get('outputs') as Y.Array<unknown>).push([3])],
    ['tags that are not a list', (d) => (cellsOf(d).get(1).get('metadata') as Y.Map<unknown>).set('tags', 'x')],
    ['binary in metadata', (d) => (cellsOf(d).get(1).get('metadata') as Y.Map<unknown>).set('blob', new Uint8Array([1]))],
    ['a bad execution count', (d) => cellsOf(d).get(0).set('execution_count', 'one')],
    ['nbformat 3', (d) => metaOf(d).set('nbformat', 3)],
    ['notebook metadata that is a list', (d) => metaOf(d).set('metadata', [1])],
    ['a kernelspec without a name', (d) => (metaOf(d).get('metadata') as Y.Map<unknown>).set('kernelspec', { display_name: 'x' })],
  ];
  for (const [what, fn] of breaks) {
    const { change } = checked();
    assert.ok(change(fn).length > 0, what);
  }
});

test('a damaged document is set aside cell by cell: the rest is kept and it exports as valid nbformat', () => {
  const doc = notebookToDoc(notebook());
  doc.transact(() => {
    doc.getArray('cells').insert(1, ['lost text']);
    cellsOf(doc).get(2).set('source', 'markdown as a string');
    (cellsOf(doc).get(0).get('outputs') as Y.Array<unknown>).push([7]);
    metaOf(doc).set('nbformat', 'four');
  });
  assert.ok(documentProblems(doc).length >= 4);
  assert.ok(setAsideDamage(doc).length >= 4);
  assert.deepEqual(documentProblems(doc), []);
  const nb = parseNotebook(serializeNotebook(docToNotebook(doc)));
  assert.equal(nb.cells.length, 3);
  assert.equal(nb.cells[0].source, 'print(1)');
  assert.equal((nb.cells[0] as { outputs: unknown[] }).outputs.length, 2, 'good outputs stay');
  assert.equal(nb.cells[1].cell_type, 'raw');
  assert.ok(String(nb.cells[1].source).startsWith(setAsideNote));
  assert.ok(String(nb.cells[1].source).includes('lost text'));
  assert.ok(String(nb.cells[2].source).includes('markdown as a string'));
  assert.equal(nb.cells[2].id, 'b', 'a set-aside cell keeps its id when it had a good one');
  assert.deepEqual(setAsideDamage(doc), [], 'nothing left to do');
});
