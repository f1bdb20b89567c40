import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotebook, serializeNotebook, stripOutputs, type CodeCellJSON } from './index';
import { readNotebookFiles } from './test-corpus';

test('stripOutputs empties outputs and counts and drops volatile metadata only', () => {
  const { text } = readNotebookFiles('corpus').find((f) => f.name === 'pdsh-05.11-K-Means.ipynb')!;
  const nb = parseNotebook(text);
  nb.metadata.widgets = { state: {} };
  nb.metadata.signature = 'sha256:x';
  const code = nb.cells.find((c): c is CodeCellJSON => c.cell_type === 'code' && c.outputs.length > 0)!;
  code.metadata = { collapsed: false, scrolled: true, ExecuteTime: { end_time: 'x' }, execution: {}, tags: ['keep'], custom: 1 };
  const md = nb.cells.find((c) => c.cell_type === 'markdown')!;
  md.metadata = { heading_collapsed: true, hidden: true, slideshow: { slide_type: 'slide' } };

  const stripped = stripOutputs(nb);
  for (const cell of stripped.cells) {
    if (cell.cell_type === 'code') {
      assert.deepEqual(cell.outputs, []);
      assert.equal(cell.execution_count, null);
    }
  }
  assert.deepEqual(stripped.cells.find((c) => c.id === code.id)!.metadata, { tags: ['keep'], custom: 1 });
  assert.deepEqual(stripped.cells.find((c) => c.id === md.id)!.metadata, { slideshow: { slide_type: 'slide' } });
  assert.equal(stripped.metadata.widgets, undefined);
  assert.equal(stripped.metadata.signature, undefined);
  assert.deepEqual(stripped.metadata.kernelspec, nb.metadata.kernelspec);
  assert.deepEqual(stripped.metadata.language_info, nb.metadata.language_info);
  assert.deepEqual(stripped.cells.map((c) => c.source), nb.cells.map((c) => c.source));
  assert.ok(code.outputs.length > 0, 'the input is not modified');
  assert.ok(serializeNotebook(stripped).length < text.length / 10);
});
