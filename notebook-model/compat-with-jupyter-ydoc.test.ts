// Our documents and JupyterLab's collaborative model (`@jupyter/ydoc`) are the
// same schema: each side reads what the other wrote. This is what keeps a
// Cellmate document openable by Jupyter's real-time collaboration and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { YNotebook } from '@jupyter/ydoc';
import { notebookToDoc, docToNotebook } from './notebook-doc';
import { parseNotebook } from './nbformat';
import { notebooksDir } from './nbformat/test-corpus';

const corpus = join(notebooksDir, 'corpus');

/** A cell as both sides should agree on it (stream text joined, as JupyterLab holds it). */
function comparable(cell: Record<string, any>) {
  const join = (v: unknown) => (Array.isArray(v) ? v.join('') : v);
  return {
    id: cell.id,
    cell_type: cell.cell_type,
    source: join(cell.source),
    metadata: cell.metadata ?? {},
    execution_count: cell.cell_type === 'code' ? cell.execution_count ?? null : undefined,
    outputs: cell.cell_type === 'code'
      ? (cell.outputs ?? []).map((o: Record<string, any>) => ({
        ...o,
        ...(o.text !== undefined ? { text: join(o.text) } : {}),
        ...(o.data ? { data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, typeof v === 'string' || Array.isArray(v) ? join(v) : v])) } : {}),
      }))
      : undefined,
  };
}

const knownCellTypes = new Set(['code', 'markdown', 'raw']);

for (const name of readdirSync(corpus).filter((f) => f.endsWith('.ipynb'))) {
  test(`JupyterLab's YNotebook reads our document of ${name}`, () => {
    const notebook = parseNotebook(readFileSync(join(corpus, name), 'utf8'));
    const ours = notebookToDoc(notebook);
    const theirs = new YNotebook();
    try {
      if (notebook.cells.some((c) => !knownCellTypes.has(c.cell_type))) {
        // nbformat allows unknown cell types and we carry them; JupyterLab's model refuses them.
        assert.throws(() => Y.applyUpdate(theirs.ydoc, Y.encodeStateAsUpdate(ours)), /unknown cell type/);
        return;
      }
      Y.applyUpdate(theirs.ydoc, Y.encodeStateAsUpdate(ours));
      const expected = docToNotebook(ours);
      assert.equal(theirs.cells.length, expected.cells.length);
      theirs.cells.forEach((cell, i) => {
        assert.deepEqual(comparable(cell.toJSON() as Record<string, any>), comparable(expected.cells[i] as Record<string, any>), `cell ${i}`);
      });
      assert.equal(theirs.nbformat, expected.nbformat);
      assert.deepEqual(theirs.getMetadata(), expected.metadata);
    } finally {
      theirs.dispose();
      ours.destroy();
    }
  });
}

test('we read a notebook JupyterLab\'s YNotebook wrote', () => {
  const theirs = new YNotebook();
  try {
    // JupyterLab's document server creates the metadata map when it loads a file;
    // a bare YNotebook drops setMetadata calls until it exists.
    theirs.ydoc.getMap('meta').set('metadata', new Y.Map());
    theirs.setMetadata({ kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, custom: { kept: true } } as never);
    theirs.insertCells(0, [
      { cell_type: 'markdown', id: 'md-1', source: '# Title\n\n$e^{i\\pi}$', metadata: {} },
      {
        cell_type: 'code', id: 'code-1', source: 'print("hi")\n1 + 1', metadata: { tags: ['x'] }, execution_count: 3,
        outputs: [
          { output_type: 'stream', name: 'stdout', text: 'hi\n' },
          { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} },
        ],
      },
      { cell_type: 'raw', id: 'raw-1', source: 'raw text', metadata: {} },
    ] as never);
    const ours = new Y.Doc();
    Y.applyUpdate(ours, Y.encodeStateAsUpdate(theirs.ydoc));
    const nb = docToNotebook(ours);
    assert.deepEqual(nb.cells.map((c) => comparable(c as Record<string, any>)), theirs.cells.map((c) => comparable(c.toJSON() as Record<string, any>)));
    assert.deepEqual((nb.metadata as Record<string, unknown>).custom, { kept: true });
    assert.equal((nb.cells[1] as { execution_count?: unknown }).execution_count, 3);
  } finally {
    theirs.dispose();
  }
});
