// The cell-by-cell diff on synthetic notebooks and on a corpus notebook whose
// outputs and cells were changed as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotebook } from '../notebook-model/nbformat';
import { notebooksDir } from '../notebook-model/nbformat/test-corpus';
import type { CellJSON, CodeCellJSON, NotebookJSON } from '../notebook-model/nbformat/types';
import { diffLines, diffNotebooks, diffSummary, foldUnchanged } from './version-diff';

const code = (id: string, source: string, text?: string): CellJSON => ({
  id, cell_type: 'code', source, metadata: {}, execution_count: null,
  outputs: text === undefined ? [] : [{ output_type: 'stream', name: 'stdout', text }],
});
const nb = (cells: CellJSON[]): NotebookJSON => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });

test('line diff keeps common lines and marks the rest', () => {
  assert.deepEqual(diffLines('a\nb\nc', 'a\nB\nc\nd'), [
    { kind: 'same', text: 'a' }, { kind: 'removed', text: 'b' }, { kind: 'added', text: 'B' }, { kind: 'same', text: 'c' }, { kind: 'added', text: 'd' },
  ]);
  assert.deepEqual(diffLines('', 'x'), [{ kind: 'added', text: 'x' }]);
});

test('cells: added, removed, moved and changed (source or output), in the new order', () => {
  const before = nb([code('a', 'x = 1'), code('b', 'print(x)', '1\n'), code('gone', 'del x'), code('c', 'y = 2'), code('d', 'z')]);
  const after = nb([code('c', 'y = 2'), code('a', 'x = 1'), code('b', 'print(x)', '2\n'), code('new', 'w = 0'), code('d', 'z = 3')]);
  const diff = diffNotebooks(before, after);
  assert.deepEqual(diff.map((d) => [d.id, d.kind, d.moved]), [
    ['c', 'unchanged', true],
    ['a', 'unchanged', false],
    ['b', 'changed', false],
    ['gone', 'removed', false],
    ['new', 'added', false],
    ['d', 'changed', false],
  ]);
  const b = diff.find((d) => d.id === 'b')!;
  assert.equal(b.sourceChanged, false);
  assert.equal(b.outputsChanged, true);
  assert.deepEqual(diff.find((d) => d.id === 'd')!.lines, [{ kind: 'removed', text: 'z' }, { kind: 'added', text: 'z = 3' }]);
  assert.deepEqual(diffSummary(diff), { added: 1, removed: 1, changed: 2, moved: 1 });
  assert.deepEqual(diffSummary(diffNotebooks(after, after)), { added: 0, removed: 0, changed: 0, moved: 0 });
});

test('a corpus notebook with a changed image output, an edited source and a deleted cell', () => {
  const before = parseNotebook(readFileSync(join(notebooksDir, 'corpus', 'pdsh-04.01-Simple-Line-Plots.ipynb'), 'utf8'));
  const after = structuredClone(before);
  const plots = after.cells.filter((c): c is CodeCellJSON => c.cell_type === 'code' && c.outputs.some((o) => o.output_type === 'display_data' && 'image/png' in o.data));
  assert.ok(plots.length >= 2, 'the corpus notebook has image outputs');
  // Another figure, with the same description: the image itself differs.
  const figure = plots[0].outputs.find((o) => o.output_type === 'display_data')!;
  const other = plots[2].outputs.find((o) => o.output_type === 'display_data')!;
  if (figure.output_type === 'display_data' && other.output_type === 'display_data') figure.data = { ...figure.data, 'image/png': other.data['image/png'] };
  plots[1].source += '\nplt.title("edited")';
  const deleted = after.cells.splice(after.cells.length - 1, 1)[0];

  const diff = diffNotebooks(before, after);
  const changed = diff.filter((d) => d.kind === 'changed');
  assert.deepEqual(changed.map((d) => d.id), [plots[0].id, plots[1].id]);
  assert.equal(changed[0].outputsChanged, true);
  assert.equal(changed[0].sourceChanged, false);
  assert.deepEqual(changed[1].lines!.filter((l) => l.kind !== 'same'), [{ kind: 'added', text: 'plt.title("edited")' }]);
  assert.deepEqual(diff.filter((d) => d.kind === 'removed').map((d) => d.id), [deleted.id]);
  assert.equal(diff.length, before.cells.length);
});

test('runs of three or more unchanged cells in place fold into one section; shorter runs and moved cells stay open', () => {
  const cells = Array.from({ length: 14 }, (_, i) => code(`c${i}`, `x = ${i}`));
  const after = structuredClone(cells);
  after[3] = code('c3', 'x = 30'); // changed: runs of 3 before, 10 after
  after.splice(12, 1); // c12 removed; c13 stays unchanged after it
  const sections = foldUnchanged(diffNotebooks(nb(cells), nb(after)));
  const shape = sections.map((s) => (s.kind === 'unchanged' ? `${s.diffs.length} unchanged` : `${s.diff.kind} ${s.diff.id}`));
  assert.deepEqual(shape, ['3 unchanged', 'changed c3', '8 unchanged', 'removed c12', 'unchanged c13']);
  const moved = foldUnchanged(diffNotebooks(nb(cells.slice(0, 4)), nb([cells[3], cells[0], cells[1], cells[2]])));
  assert.deepEqual(moved.map((s) => s.kind), ['cell', 'unchanged'], 'the moved cell is shown, the three in place fold');
});
