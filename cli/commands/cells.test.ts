// `nb cells` as a user runs it: the real launcher, a real SQLite database in a
// temporary data folder, and a notebook imported from a file Cellmate exported
// with its run records (cell 2 read x from cell 1, which was re-run after it).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nbIn } from '../test-launcher';
import { docToNotebook, emptyNotebook, findCell, insertCell, notebookToDoc, sourceOf } from '../../notebook-model';
import { recordRun, setExecutionCount } from '../../notebook-model/execution';
import { startKernelSession } from '../../notebook-model/run-record';
import { serializeNotebook } from '../../notebook-model/nbformat';

const dataDir = mkdtempSync(join(tmpdir(), 'cellmate-cli-cells-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const nb = nbIn(dataDir);

/** A notebook file: markdown, A `x = 1`, B `print(x)`, C never run; run A, B, then A again. */
function exportedFile(): string {
  const doc = notebookToDoc({ ...emptyNotebook(), cells: [] });
  insertCell(doc, 0, { id: 'intro', cell_type: 'markdown', source: '# Title' });
  const ids = ['x = 1', 'print(x)', 'y = 2'].map((source, i) => insertCell(doc, i + 1, { id: `cell-${'abc'[i]}`, cell_type: 'code', source }));
  startKernelSession(doc);
  let n = 0;
  for (const id of [ids[0], ids[1], ids[0]]) {
    const t = (k: number) => new Date(Date.UTC(2026, 11, 1, 9, 0, n) + k).toISOString();
    recordRun(doc, id, { source: sourceOf(findCell(doc, id)!).toString(), timestamps: { busy: t(0), executeInput: t(1), executeReply: t(5), idle: t(6) }, runBy: { name: 'Ada', id: 'u1' } });
    setExecutionCount(doc, id, ++n);
  }
  const file = join(dataDir, 'ran.ipynb');
  writeFileSync(file, serializeNotebook(docToNotebook(doc)));
  return file;
}

test('nb cells prints each cell with its mark; --json the same; --check fails on stale cells', async () => {
  const imported = await nb('import', exportedFile());
  assert.equal(imported.code, 0, imported.stderr);
  const id = imported.stdout.split('\t')[0];

  const listed = await nb('cells', id);
  assert.equal(listed.code, 0, listed.stderr);
  // It says which installation it works on (on stderr: stdout stays the answer).
  assert.equal(listed.stderr, `nb: using the installation at ${dataDir}\n`);
  assert.deepEqual(listed.stdout.trimEnd().split('\n'), [
    '1\tintro\tmarkdown\t-\t-',
    '2\tcell-a\tcode\t3\tstale (ran after a cell below it)',
    '3\tcell-b\tcode\t2\tstale (depends on cell 2 (x), re-run since)',
    '4\tcell-c\tcode\t-\tnot run',
  ]);

  const json = await nb('cells', id, '--json');
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  assert.equal(parsed.notebookId, id);
  assert.equal(parsed.dependencyAnalysis, true);
  assert.deepEqual(parsed.cells[2], {
    index: 3, id: 'cell-b', type: 'code', executionCount: 2, state: 'stale',
    reasons: [{ kind: 'depends', cellId: 'cell-a', index: 2, names: ['x'], change: 're-run', text: 'depends on cell 2 (x), re-run since' }],
  });
  assert.equal(parsed.cells[3].state, 'not-run');

  assert.equal((await nb('cells', id, '--check')).code, 2);
});

test('nb cells on an unknown id or without one says so', async () => {
  const missing = await nb('cells', 'no-such-notebook');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no notebook with id "no-such-notebook"/);
  const bare = await nb('cells');
  assert.notEqual(bare.code, 0);
  assert.match(bare.stderr, /usage: nb cells/);
});
