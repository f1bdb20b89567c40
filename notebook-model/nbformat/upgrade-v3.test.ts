// nbformat 3 files are upgraded to 4.5 exactly as Debian's python3-nbformat
// upgrades them (nbformat.reads(text, 4), which runs nbformat.convert): same
// cells, sources, outputs and metadata, ids aside (both mint random ones). The
// shared corpus holds no v3 file, so its notebooks are turned into v3 files by
// nbformat's own downgrade, and hand-written files cover what a downgrade never
// writes (heading and html cells, several worksheets, lines split without ends,
// short output keys, transient keys).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotebookFormatError, parseNotebook, serializeNotebook } from './index';
import { checkUpgradeWithNbformat, downgradeToV3WithNbformat } from './python-oracle';
import { readNotebookFiles } from './test-corpus';

const corpus = readNotebookFiles('corpus');

const codeCell = (input: unknown, outputs: unknown[] = [], more: Record<string, unknown> = {}) =>
  ({ cell_type: 'code', language: 'python', input, outputs, metadata: {}, ...more });

const v3 = (worksheets: unknown[][], metadata: Record<string, unknown> = { name: 'old' }) =>
  JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata, worksheets: worksheets.map((cells) => ({ cells, metadata: {} })) });

const handWritten: { name: string; input: string }[] = [
  {
    name: 'headings-html-raw',
    input: v3([[
      { cell_type: 'heading', level: 2, source: ['Results', 'of the run'], metadata: {} },
      { cell_type: 'heading', level: 1, source: 'Title\r\nsecond line' },
      { cell_type: 'html', source: '<b>bold</b>' },
      { cell_type: 'raw', source: ['a\n', 'b'], metadata: { format: 'text/x-rst' } },
      { cell_type: 'markdown', source: ['line one', 'line two'], metadata: { trusted: true, tags: ['x'] } },
    ]], { name: 'Analysis', signature: 'sha256:abc', kernel_info: { name: 'python3', language: 'python' } }),
  },
  {
    name: 'outputs',
    input: v3([[
      codeCell(['x = 1\n', 'x'], [
        { output_type: 'pyout', prompt_number: 3, text: ['1', '2'], html: '<i>1</i>', metadata: { png: { width: 3 } } },
        { output_type: 'display_data', png: 'iVBORw0KGgo=', json: '{"a": [1, 2]}', latex: ['$x$'], javascript: 'alert(1)', svg: '<svg/>' },
        { output_type: 'display_data', 'text/markdown': ['**custom**\n', 'x'], text: 'custom' },
        { output_type: 'stream', stream: 'stderr', text: ['warn\n', 'more\n'] },
        { output_type: 'pyerr', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['tb 1', 'tb 2'] },
      ], { prompt_number: 3, collapsed: true, metadata: { trusted: true, scrolled: 'auto' } }),
      codeCell('', [], { prompt_number: null }),
    ]]),
  },
  {
    name: 'two-worksheets',
    input: v3([[codeCell('a = 1', [], { prompt_number: 1 })], [{ cell_type: 'markdown', source: 'second sheet' }, codeCell('b = 2')]]),
  },
];

test('nbformat 3 files are upgraded to 4.5 as nbformat.convert(nb, 4) upgrades them, and the result validates', () => {
  const downgraded = downgradeToV3WithNbformat(corpus.map((f) => f.text));
  assert.ok(downgraded.every(({ text }) => JSON.parse(text).nbformat === 3), 'the downgrade gives nbformat 3 files');
  const valid = corpus.flatMap((f, i) => (downgraded[i].valid ? [{ name: `v3 of ${f.name}`, input: downgraded[i].text }] : []));
  assert.ok(valid.length >= 15, `most of the corpus downgrades to valid v3 files (${valid.length} of ${corpus.length})`);
  const files = [...valid, ...handWritten];
  const items = files.map(({ name, input }) => ({ name, input, ours: serializeNotebook(parseNotebook(input)) }));
  const verdicts = checkUpgradeWithNbformat(items);
  assert.equal(verdicts.length, files.length);
  for (const v of verdicts) {
    assert.ok(v.valid, `${v.name}: nbformat rejects our 4.5 file: ${v.validationError}`);
    assert.ok(v.equal, `${v.name}: differs from nbformat's upgrade: ${v.firstDifference}`);
  }
});

test('the upgrade gives 4.5 with fresh unique ids, markdown headings and MIME-keyed outputs', () => {
  const nb = parseNotebook(handWritten[1].input);
  assert.equal(nb.nbformat, 4);
  assert.equal(nb.nbformat_minor, 5);
  assert.equal(new Set(nb.cells.map((c) => c.id)).size, nb.cells.length);
  const cell = nb.cells[0];
  assert.equal(cell.cell_type, 'code');
  if (cell.cell_type !== 'code') return;
  assert.equal(cell.source, 'x = 1\nx');
  assert.equal(cell.execution_count, 3);
  assert.deepEqual(cell.metadata, { collapsed: true, scrolled: 'auto' });
  assert.deepEqual(cell.outputs[0], { output_type: 'execute_result', execution_count: 3, metadata: { 'image/png': { width: 3 } }, data: { 'text/plain': '1\n2', 'text/html': '<i>1</i>' } });
  assert.deepEqual(cell.outputs[4], { output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['tb 1', 'tb 2'] });
  const headings = parseNotebook(handWritten[0].input);
  assert.deepEqual(headings.cells.map((c) => [c.cell_type, c.source]).slice(0, 3), [['markdown', '## Results of the run'], ['markdown', '# Title second line'], ['markdown', '<b>bold</b>']]);
  assert.deepEqual(headings.metadata, { kernel_info: { name: 'python3', language: 'python' } });
});

test('a v3 file nbformat itself finds invalid is refused, not converted', () => {
  const downgraded = downgradeToV3WithNbformat(corpus.map((f) => f.text));
  const invalid = corpus.flatMap((f, i) => (downgraded[i].valid ? [] : [{ name: f.name, text: downgraded[i].text }]));
  // nbformat-test4plus.ipynb carries keys from a future minor version, which v3 does not allow.
  assert.ok(invalid.length >= 1, 'the corpus has a file whose v3 form is invalid');
  for (const { name, text } of invalid) {
    assert.throws(() => parseNotebook(text), (e: Error) => e instanceof NotebookFormatError && /This nbformat 3 notebook is not valid/.test(e.message), name);
  }
});

function refusal(text: string): NotebookFormatError {
  try {
    parseNotebook(text);
  } catch (e) {
    assert.ok(e instanceof NotebookFormatError, String(e));
    return e;
  }
  assert.fail('expected the file to be refused');
}

test('an invalid nbformat 3 file is refused with each problem, where it is', () => {
  assert.match(refusal(JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {} })).message, /This nbformat 3 notebook is not valid:\n {2}- "worksheets" is required/);
  const cells = refusal(v3([[codeCell('a'), { cell_type: 'code', language: 'python', outputs: [] }], [
    codeCell('b', [{ output_type: 'pyout', text: '1' }, { output_type: 'stream', text: 'x' }]),
    { cell_type: 'slide', source: '' },
  ]]));
  assert.deepEqual(cells.problems, [
    'cell 2: "input" is required',
    'cell 3: output 1: "prompt_number" is required',
    'cell 3: output 2: "stream" is required',
    'cell 4: unknown cell_type "slide" (expected "code", "markdown", "html", "heading", "raw")',
  ]);
  const json = refusal(v3([[codeCell('a', [{ output_type: 'display_data', json: '{not json' }])]]));
  assert.deepEqual(json.problems, ['cell 1 output 1: its "json" output is not JSON']);
  assert.match(refusal(JSON.stringify({ nbformat: 2, nbformat_minor: 0, worksheets: [] })).message, /nbformat 2 notebooks are not supported/);
});
