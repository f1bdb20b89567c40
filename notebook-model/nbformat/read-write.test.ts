import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotebookFormatError, parseNotebook, serializeNotebook, CELL_ID_PATTERN } from './index';
import { checkWithNbformat } from './python-oracle';
import { readNotebookFiles } from './test-corpus';

const corpus = readNotebookFiles('corpus');

test('the corpus is there to test against', () => {
  assert.ok(corpus.length >= 15, `expected the shared corpus, found ${corpus.length} files`);
});

test('every corpus notebook round-trips: valid for nbformat, equal as data, byte-identical to nbformat.write', () => {
  const items = corpus.map(({ name, text }) => ({ name, input: text, ours: serializeNotebook(parseNotebook(text)) }));
  const verdicts = checkWithNbformat(items);
  assert.equal(verdicts.length, corpus.length);
  for (const v of verdicts) {
    assert.ok(v.valid, `${v.name}: nbformat rejects our output: ${v.validationError}`);
    assert.ok(v.equal, `${v.name}: nbformat reads different data from our output`);
    assert.ok(v.identical, `${v.name}: not byte-identical to nbformat.write: ${v.firstDifference}`);
  }
});

test('parsing normalizes to 4.5: joined strings, unique minted ids, session keys dropped', () => {
  for (const { name, text } of corpus) {
    const nb = parseNotebook(text);
    assert.ok(nb.nbformat_minor >= 5, name);
    const ids = nb.cells.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, `${name}: ids must be unique`);
    for (const cell of nb.cells) {
      assert.match(cell.id, CELL_ID_PATTERN, name);
      if ('source' in cell) assert.equal(typeof cell.source, 'string', name);
      if (cell.cell_type !== 'code') continue;
      for (const o of cell.outputs) {
        if (o.output_type === 'stream') assert.equal(typeof o.text, 'string', name);
        if (o.output_type === 'display_data' || o.output_type === 'execute_result') {
          for (const [mime, v] of Object.entries(o.data)) if (mime.startsWith('text/')) assert.equal(typeof v, 'string', `${name} ${mime}`);
        }
      }
    }
  }
  const nb = parseNotebook(JSON.stringify({
    nbformat: 4, nbformat_minor: 4, metadata: { signature: 'x', orig_nbformat: 3, custom: { keep: [1] } },
    cells: [{ cell_type: 'markdown', metadata: { trusted: true, tags: ['a'] }, source: ['a\n', 'b'] }],
  }));
  assert.deepEqual(nb.metadata, { custom: { keep: [1] } });
  assert.deepEqual(nb.cells[0].metadata, { tags: ['a'] });
  assert.equal(nb.cells[0].source, 'a\nb');
  assert.equal(nb.nbformat_minor, 5);
});

test('a notebook from a newer minor version keeps its unknown cells and outputs and its minor', () => {
  const { text } = corpus.find((f) => f.name === 'nbformat-test4plus.ipynb')!;
  const nb = parseNotebook(text);
  assert.equal(nb.nbformat_minor, 99);
  assert.ok(nb.cells.some((c) => (c.cell_type as string) === 'future cell'));
  assert.match(serializeNotebook(nb), /"future output"/);
});

function refusal(text: string): NotebookFormatError {
  try {
    parseNotebook(text);
  } catch (e) {
    assert.ok(e instanceof NotebookFormatError, `expected NotebookFormatError, got ${e}`);
    return e;
  }
  assert.fail('the notebook was accepted');
}

const expectedProblem: Record<string, RegExp> = {
  'nbformat-invalid.ipynb': /cell 3: unknown cell_type "heading"/,
  'nbformat-invalid_cell_id.ipynb': /cell id "\$illegal_chars" may only contain letters, digits/,
  'nbformat-invalid_unique_cell_id.ipynb': /cell ids must be unique: "dup" is used by cells 1 and 2/,
  'nbformat-v4_5_invalid_metadata.ipynb': /"metadata\.kernelspec" must be an object/,
};

test('every invalid notebook is refused with a message naming its problem', () => {
  const invalid = readNotebookFiles('invalid');
  assert.deepEqual(invalid.map((f) => f.name), Object.keys(expectedProblem).sort());
  for (const { name, text } of invalid) {
    const e = refusal(text);
    assert.match(e.message, expectedProblem[name], `${name}: ${e.message}`);
  }
  const all = refusal(invalid.find((f) => f.name === 'nbformat-invalid.ipynb')!.text).problems;
  assert.ok(all.includes('cell 1: "source" is required'), all.join('\n'));
  assert.ok(all.some((p) => p.startsWith('cell 4: output 1: unknown output_type "bad stream"')), all.join('\n'));
  const metadata = refusal(invalid.find((f) => f.name === 'nbformat-v4_5_invalid_metadata.ipynb')!.text).problems;
  assert.ok(metadata.includes('cell 1 (id "asdf"): "metadata.collapsed" must be a boolean'), metadata.join('\n'));
  assert.ok(metadata.includes('"metadata.authors" must be an array'), metadata.join('\n'));
});

const cell = (extra: object) => ({ cell_type: 'code', metadata: {}, source: '', outputs: [], execution_count: null, ...extra });
const notebook = (cells: object[], extra: object = {}) =>
  JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells, ...extra });

test('synthetic mistakes are named with where and what', () => {
  const notJson = refusal('{\n "cells": [\n  }\n');
  assert.match(notJson.message, /not JSON: .* at line 3 column 3/);

  const e = refusal(notebook([cell({ id: 'a' }), cell({ id: 'b' }), cell({ id: 'c', outputs: {} })]));
  assert.deepEqual(e.problems, ['cell 3 (id "c"): "outputs" must be an array']);

  const noType = refusal(notebook([cell({ id: 'x' }), cell({ id: 'abc', outputs: [{ name: 'stdout', text: 'hi' }] })]));
  assert.deepEqual(noType.problems, ['cell 2 (id "abc"): output 1: missing "output_type"']);

  const kernelspec = refusal(notebook([], { metadata: { kernelspec: { display_name: 'Python 3' } } }));
  assert.deepEqual(kernelspec.problems, ['metadata.kernelspec: "name" is required']);

  const dup = refusal(notebook([cell({ id: 'x' }), cell({ id: 'y' }), cell({ id: 'z' }), cell({ id: 'x' })]));
  assert.deepEqual(dup.problems, ['cell ids must be unique: "x" is used by cells 1 and 4']);

  const count = refusal(notebook([cell({ id: 's', execution_count: '1' })]));
  assert.deepEqual(count.problems, ['cell 1 (id "s"): "execution_count" must be an integer or null']);

  assert.match(refusal('[1, 2]').message, /not a notebook/);
});

test('nbformat 2 and older are refused with a way forward (3 is upgraded: upgrade-v3.test.ts)', () => {
  const e = refusal(JSON.stringify({ nbformat: 2, nbformat_minor: 0, metadata: {}, worksheets: [] }));
  assert.match(e.message, /nbformat 2 notebooks are not supported; open and re-save in Jupyter to convert to version 4/);
});

test('serializing splits lines like Python (splitlines keepends), keeps PNG and JSON data whole', () => {
  const nb = parseNotebook(notebook([cell({
    id: 'k',
    source: 'a\r\nb\rc\u2028d\n',
    outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/png': 'AAAA\nBBBB\n', 'application/json': { a: ['x\n'] }, 'text/plain': 'é\n☃' } }],
  })]));
  const text = serializeNotebook(nb);
  assert.ok(text.includes('"source": [\n    "a\\r\\n",\n    "b\\r",\n    "c\u2028",\n    "d\\n"\n   ]'), text);
  assert.ok(text.includes('"image/png": "AAAA\\nBBBB\\n"'), text);
  assert.ok(text.includes('"text/plain": [\n       "é\\n",\n       "☃"\n      ]'), text);
  assert.ok(text.endsWith('}\n'));
});
