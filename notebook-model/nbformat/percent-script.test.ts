import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notebookToPercentScript, parseNotebook, percentScriptToNotebook, type CellJSON, type NotebookJSON } from './index';
import { readNotebookFiles } from './test-corpus';

const shape = (cells: CellJSON[]) => cells
  .filter((c) => ['code', 'markdown', 'raw'].includes(c.cell_type))
  .map((c) => ({ type: c.cell_type, source: c.source }));

function roundTrip(nb: NotebookJSON): NotebookJSON {
  return percentScriptToNotebook(notebookToPercentScript(nb));
}

test('every corpus notebook survives notebook → script → notebook with types and sources exact', () => {
  for (const { name, text } of readNotebookFiles('corpus')) {
    const nb = parseNotebook(text);
    const back = roundTrip(nb);
    assert.deepEqual(shape(back.cells), shape(nb.cells), name);
    assert.deepEqual(back.metadata.kernelspec, nb.metadata.kernelspec, name);
  }
});

const make = (cells: [CellJSON['cell_type'], string][], metadata = {}): NotebookJSON => ({
  nbformat: 4, nbformat_minor: 5, metadata,
  cells: cells.map(([type, source], i) => (type === 'code'
    ? { id: `c${i}`, cell_type: type, source, metadata: {}, outputs: [], execution_count: null }
    : { id: `c${i}`, cell_type: type, source, metadata: {} })),
});

test('tricky sources round-trip exactly', () => {
  const tricky = make([
    ['code', ''],
    ['markdown', ''],
    ['code', 'x = 1\n'],
    ['code', 'y = 2\n\n\n'],
    ['code', '\n\nleading blank lines'],
    ['code', 'a = """\n# %%\n#%% also\n  # %% [markdown]\n"""'],
    ['code', '#~ # %% already looks escaped\n#~ #~ # %% twice'],
    ['markdown', '# Heading\n\n## Sub\n#hashtag\n%% not a marker\n    indented code\n'],
    ['markdown', '# %% a markdown line that looks like a marker'],
    ['raw', 'raw\n\ntext\n'],
    ['code', 'windows\r\nline\r\nends\r\n'],
    ['markdown', ' \n  \n'],
    ['code', '# ---\nnot a header'],
    ['code', '   '],
  ], { kernelspec: { name: 'python3', display_name: 'Python 3: "quoted" # hash', language: 'python' } });
  const script = notebookToPercentScript(tricky);
  const back = percentScriptToNotebook(script);
  assert.deepEqual(shape(back.cells), shape(tricky.cells), script);
  assert.deepEqual(back.metadata.kernelspec, tricky.metadata.kernelspec);
  // Readable: a blank line before each marker, markdown commented line by line.
  assert.ok(script.includes('\n\n# %% [markdown]\n# # Heading\n#\n# ## Sub\n'), script);
});

test('cell metadata travels on the marker line; volatile view state does not', () => {
  const nb = make([['markdown', 'hello'], ['code', 'print(1)']]);
  nb.cells[0].metadata = { tags: ['intro', 'a b'], slideshow: { slide_type: 'slide' } };
  nb.cells[1].metadata = { collapsed: true, ExecuteTime: { start: 'x' }, tags: ['x=1 "y"'] };
  const script = notebookToPercentScript(nb);
  assert.ok(script.startsWith('# %% [markdown] tags=["intro","a b"] slideshow={"slide_type":"slide"}\n# hello\n'), script);
  const back = percentScriptToNotebook(script);
  assert.deepEqual(back.cells[0].metadata, nb.cells[0].metadata);
  assert.deepEqual(back.cells[1].metadata, { tags: ['x=1 "y"'] });
});

test('plain scripts: no markers is one code cell; markers split; titles are ignored', () => {
  const plain = percentScriptToNotebook('import os\n\nprint(os.getcwd())\n');
  assert.deepEqual(shape(plain.cells), [{ type: 'code', source: 'import os\n\nprint(os.getcwd())' }]);
  assert.equal(percentScriptToNotebook('').cells.length, 0);

  const split = percentScriptToNotebook('import os\n\n#%% Load data\nx = 1\n\n# %% [md]\n# Some *text*\n\n# %%\ny = 2\n');
  assert.deepEqual(shape(split.cells), [
    { type: 'code', source: 'import os' },
    { type: 'code', source: 'x = 1' },
    { type: 'markdown', source: 'Some *text*' },
    { type: 'code', source: 'y = 2' },
  ]);
  assert.deepEqual(split.cells[1].metadata, {});
  const ids = split.cells.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
});
