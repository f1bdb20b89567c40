// Import and export through the real storage (a temporary SQLite file) and the
// real Yjs document, checked against Debian's Python nbformat.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../storage';
import { parseNotebook, serializeNotebook, NotebookFormatError, type NotebookJSON } from '../notebook-model/nbformat';
import { checkWithNbformat } from '../notebook-model/nbformat/python-oracle';
import { readNotebookFiles } from '../notebook-model/nbformat/test-corpus';
import { loadNotebookJSON } from './notebook-library';
import {
  exportNotebook, fileNameFromTitle, importNotebookFile, titleFromFileName, UnsupportedFileError,
  MAX_NOTEBOOK_FILE_BYTES, replaceNotebookFromFile,
} from './notebook-files';

const dir = mkdtempSync(join(tmpdir(), 'cellmate-files-'));
const storage = await openStorage({ databaseUrl: `file:${join(dir, 'cellmate.db')}` });
after(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const corpus = readNotebookFiles('corpus');


test('every corpus notebook imports and exports as .ipynb that nbformat validates and reads as the same data', async () => {
  assert.ok(corpus.length >= 15, `expected the shared corpus, found ${corpus.length} files`);
  const items = [];
  for (const { name, text } of corpus) {
    const record = await importNotebookFile(storage, { fileName: name, text });
    assert.equal(record.title, name.replace(/\.ipynb$/, ''));
    const exported = await exportNotebook(storage, record.id, 'ipynb');
    assert.equal(exported.fileName, name);
    assert.equal(exported.contentType, 'application/x-ipynb+json');
    items.push({ name, input: text, ours: exported.body });
  }
  const verdicts = checkWithNbformat(items);
  assert.equal(verdicts.length, corpus.length);
  for (const v of verdicts) {
    assert.ok(v.valid, `${v.name}: nbformat rejects the export: ${v.validationError}`);
    assert.ok(v.equal, `${v.name}: nbformat reads different data from the export than from the input`);
  }
});

const expectedProblem: Record<string, RegExp> = {
  'nbformat-invalid.ipynb': /cell 3: unknown cell_type "heading"/,
  'nbformat-invalid_cell_id.ipynb': /cell id "\$illegal_chars" may only contain letters, digits/,
  'nbformat-invalid_unique_cell_id.ipynb': /cell ids must be unique: "dup" is used by cells 1 and 2/,
  'nbformat-v4_5_invalid_metadata.ipynb': /"metadata\.kernelspec" must be an object/,
};

async function notebookIds(): Promise<string[]> {
  return (await storage.notebooks.list()).map((n) => n.id).sort();
}

async function refusal(fileName: string, text: string): Promise<Error> {
  const before = await notebookIds();
  const err = await importNotebookFile(storage, { fileName, text }).then(
    () => assert.fail(`${fileName} was accepted`),
    (e: Error) => e,
  );
  assert.deepEqual(await notebookIds(), before, `${fileName}: a refused file must leave no notebook behind`);
  return err;
}

test('every invalid notebook is refused with its specific problem and leaves no notebook behind', async () => {
  const invalid = readNotebookFiles('invalid');
  assert.deepEqual(invalid.map((f) => f.name), Object.keys(expectedProblem).sort());
  for (const { name, text } of invalid) {
    const err = await refusal(name, text);
    assert.ok(err instanceof NotebookFormatError, `${name}: expected NotebookFormatError, got ${err}`);
    assert.ok(err.problems.some((p) => expectedProblem[name].test(p)), `${name}: problems were ${JSON.stringify(err.problems)}`);
  }
});

test('unknown extensions, empty files, broken JSON and files over 100 MB are refused with a clear reason', async () => {
  const ext = await refusal('report.docx', 'hello');
  assert.ok(ext instanceof UnsupportedFileError);
  assert.match(ext.message, /only Jupyter notebooks \(\.ipynb\) and percent-format Python scripts \(\.py\)/);

  const empty = await refusal('blank.ipynb', '  \n');
  assert.ok(empty instanceof UnsupportedFileError);
  assert.match(empty.message, /blank\.ipynb is empty/);

  const broken = await refusal('broken.ipynb', '{"cells": [');
  assert.ok(broken instanceof NotebookFormatError);
  assert.match(broken.message, /not JSON: .* line 1 column/);

  const huge = await refusal('huge.py', 'x'.repeat(MAX_NOTEBOOK_FILE_BYTES + 1));
  assert.ok(huge instanceof UnsupportedFileError);
  assert.match(huge.message, /larger than 100 MB/);
});

/** Known cell types and sources, which the percent format promises to keep. */
function cellShapes(nb: NotebookJSON) {
  return nb.cells.filter((c) => ['code', 'markdown', 'raw'].includes(c.cell_type)).map((c) => ({ type: c.cell_type, source: c.source }));
}

test('.ipynb → .py → import keeps every cell type and source exactly, for every corpus notebook', async () => {
  for (const { name, text } of corpus) {
    const original = await importNotebookFile(storage, { fileName: name, text });
    const script = await exportNotebook(storage, original.id, 'py');
    assert.equal(script.fileName, name.replace(/\.ipynb$/, '.py'));
    assert.match(script.contentType, /^text\/x-python/);
    const reimported = await importNotebookFile(storage, { fileName: script.fileName, text: script.body });
    assert.equal(reimported.title, original.title);
    const expected = cellShapes(parseNotebook(text));
    assert.deepEqual(cellShapes(await loadNotebookJSON(storage, reimported.id)), expected, name);
    assert.ok(expected.length > 0, name);
  }
});

test('a stripped export has no outputs, null execution counts, and validates', async () => {
  const { name, text } = corpus.find((f) => f.name === 'pdsh-04.01-Simple-Line-Plots.ipynb')!;
  assert.ok(parseNotebook(text).cells.some((c) => c.cell_type === 'code' && c.outputs.length > 0), 'the input has outputs to strip');
  const record = await importNotebookFile(storage, { fileName: name, text });
  const stripped = await exportNotebook(storage, record.id, 'stripped');
  const nb = JSON.parse(stripped.body);
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    assert.deepEqual(cell.outputs, []);
    assert.equal(cell.execution_count, null);
  }
  const [verdict] = checkWithNbformat([{ name, input: stripped.body, ours: stripped.body }]);
  assert.ok(verdict.valid, verdict.validationError);
});

test('an HTML export is a standalone page titled after the notebook', async () => {
  const { name, text } = corpus.find((f) => f.name === 'pdsh-03.09-Pivot-Tables.ipynb')!;
  const record = await importNotebookFile(storage, { fileName: name, text });
  const html = await exportNotebook(storage, record.id, 'html');
  assert.equal(html.fileName, 'pdsh-03.09-Pivot-Tables.html');
  assert.match(html.contentType, /^text\/html/);
  assert.match(html.body, /<title>pdsh-03\.09-Pivot-Tables<\/title>/);
  assert.match(html.body, /Pivot Tables/);
});

test('file names: titles come from file names, download names are safe', () => {
  assert.equal(titleFromFileName('C:\\Users\\ada\\My Analysis.ipynb'), 'My Analysis');
  assert.equal(titleFromFileName('dir/script.PY'), 'script');
  assert.equal(titleFromFileName('.ipynb'), 'Untitled');
  assert.equal(fileNameFromTitle('a/b: "c"?', 'ipynb'), 'a-b- -c-.ipynb');
  assert.equal(fileNameFromTitle('..', 'py'), 'notebook.py');
  assert.equal(fileNameFromTitle('Résumé 2024', 'html'), 'Résumé 2024.html');
});

test('exporting an unknown notebook fails with NotFoundError', async () => {
  await assert.rejects(exportNotebook(storage, 'no-such-notebook', 'ipynb'), { name: 'NotFoundError' });
});

test('replacing with a refused file fails before reaching the collab server or storage', async () => {
  const { text } = corpus.find((f) => f.name === 'nbformat-test4.5.ipynb')!;
  const record = await importNotebookFile(storage, { fileName: 'keep.ipynb', text });
  const before = await exportNotebook(storage, record.id, 'ipynb');
  // Port 9 (discard) is never a collab server: reaching it would fail differently.
  await assert.rejects(
    replaceNotebookFromFile(storage, record.id, { fileName: 'bad.ipynb', text: '{"nbformat": 3}' }, { collabUrl: 'http://127.0.0.1:9' }),
    (e: Error) => e instanceof NotebookFormatError && e.problems.includes('"worksheets" is required'),
  );
  assert.equal((await exportNotebook(storage, record.id, 'ipynb')).body, before.body);
});

function generatedNotebook(cells: number): string {
  return serializeNotebook(parseNotebook(JSON.stringify({
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: Array.from({ length: cells }, (_, i) => (i % 4 === 0
      ? { id: `m${i}`, cell_type: 'markdown', metadata: {}, source: `## Part ${i}\n\nText $x_${i}$.` }
      : { id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: i, source: `y = ${i}\nprint(y)`,
        outputs: [{ output_type: 'stream', name: 'stdout', text: `${i}\n` }] })),
  })));
}

test('a generated 2,000-cell notebook imports and exports intact', async () => {
  const text = generatedNotebook(2000);
  let t = performance.now();
  const record = await importNotebookFile(storage, { fileName: 'big.ipynb', text });
  const importMs = performance.now() - t;
  t = performance.now();
  const exported = await exportNotebook(storage, record.id, 'ipynb');
  const exportMs = performance.now() - t;
  console.log(`2,000 cells (${(text.length / 1024).toFixed(0)} KB): import ${importMs.toFixed(0)} ms, export ${exportMs.toFixed(0)} ms`);
  assert.equal(exported.body, text);
});

