// The cell clipboard: whole cells out of one notebook and into another, and
// what it refuses (nothing copied, damaged or foreign contents, too much).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { cellIdOf, cellsOf, cellToJSON, insertCell, sourceOf } from '../../notebook-model';
import { CellClipboard, ClipboardProblem, MAX_CLIPBOARD_CHARS, cellsForClipboard, pasteCells } from './cell-clipboard';

function memory() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

test('cells copied from one notebook paste into another with outputs, metadata and new ids', async () => {
  const from = new Y.Doc();
  insertCell(from, 0, { id: 'md', cell_type: 'markdown', source: '# Title', metadata: { tags: ['intro'] } });
  insertCell(from, 1, { id: 'code', cell_type: 'code', source: 'x = 1', execution_count: 4, outputs: [{ output_type: 'execute_result', execution_count: 4, metadata: {}, data: { 'text/plain': '1' } }] });
  insertCell(from, 2, { id: 'skip', cell_type: 'code', source: 'not copied' });
  const storage = memory();
  new CellClipboard(storage).write(cellsForClipboard(from, ['code', 'md']));

  const to = new Y.Doc();
  insertCell(to, 0, { id: 'only', cell_type: 'code', source: 'z' });
  const cells = await new CellClipboard(storage).read(to);
  const updates: unknown[] = [];
  to.on('afterTransaction', (t) => updates.push(t.origin));
  const ids = pasteCells(to, 1, cells, 'me');
  assert.deepEqual(updates, ['me'], 'one transaction with the given origin');
  assert.equal(ids.length, 2);
  assert.ok(!ids.includes('md') && !ids.includes('code'), 'pasted cells get new ids');
  assert.deepEqual(cellsOf(to).map((c) => sourceOf(c).toString()), ['z', '# Title', 'x = 1']);
  const pasted = cellToJSON(cellsOf(to).get(2));
  assert.equal(pasted.cell_type, 'code');
  assert.deepEqual({ ...pasted, id: 'code' }, cellToJSON(cellsOf(from).get(1)));
  assert.deepEqual(cellToJSON(cellsOf(to).get(1)).metadata, { tags: ['intro'] });
  // Pasting again makes yet other ids.
  const again = pasteCells(to, 0, cells, 'me');
  assert.equal(new Set([...again, ...ids, ...cellsOf(to).map(cellIdOf)]).size, 5);
});

test('an empty, damaged, foreign or oversized clipboard is refused with a reason', async () => {
  const doc = new Y.Doc();
  const storage = memory();
  const clipboard = new CellClipboard(storage);
  await assert.rejects(clipboard.read(doc), (e) => e instanceof ClipboardProblem && /copy cells first/.test(e.message));
  assert.throws(() => clipboard.write([]), ClipboardProblem);
  const refuse = async (text: string, why: RegExp) => {
    storage.map.set('cellmate:cell-clipboard', text);
    await assert.rejects(clipboard.read(doc), (e) => e instanceof ClipboardProblem && why.test(e.message), text.slice(0, 60));
  };
  await refuse('{not json', /damaged/);
  await refuse(JSON.stringify({ cells: [] }), /another version/);
  await refuse(JSON.stringify({ format: 'cellmate-cells/1', cells: [{ cell_type: 'python', source: '' }] }), /no known type/);
  await refuse(JSON.stringify({ format: 'cellmate-cells/1', cells: [{ cell_type: 'code', source: 1 }] }), /no source/);
  await refuse(JSON.stringify({ format: 'cellmate-cells/1', cells: [{ cell_type: 'code', source: '', outputs: [{ output_type: 'stream' }] }] }), /cell 1/);
  await refuse('x'.repeat(MAX_CLIPBOARD_CHARS + 1), /too large/);
  assert.throws(() => clipboard.write([{ id: 'a', cell_type: 'raw', metadata: {}, source: 'x'.repeat(MAX_CLIPBOARD_CHARS) }]), /too large/);
});
