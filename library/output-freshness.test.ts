// The freshness line of published pages and versions: computed by the same
// staleMarks as the editor, from the saved .ipynb alone, and drawn as plain HTML
// (a <details> for the reasons, so it opens without JavaScript).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderToStaticMarkup } from 'react-dom/server';
import { docToNotebook, emptyNotebook, findCell, insertCell, notebookToDoc, setNotebookMetadata, sourceOf } from '../notebook-model';
import { recordRun } from '../notebook-model/execution';
import { startKernelSession } from '../notebook-model/run-record';
import { FreshnessBadge } from '../app/versions/FreshnessBadge';
import { outputFreshnessOf } from './output-freshness';

function ranNotebook(...sources: string[]) {
  const doc = notebookToDoc({ ...emptyNotebook(), cells: [] });
  const ids = sources.map((source, i) => insertCell(doc, i, { cell_type: 'code', source }));
  startKernelSession(doc);
  let clock = 0;
  const run = (...which: string[]) => {
    for (const id of which) {
      const t = (n: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, 0) + clock * 10 + n).toISOString();
      clock++;
      recordRun(doc, id, { source: sourceOf(findCell(doc, id)!).toString(), timestamps: { busy: t(0), executeInput: t(1), executeReply: t(2), idle: t(3) }, runBy: { name: 'Ada', id: 'u1' } });
    }
  };
  return { doc, ids, run };
}

test('a notebook run top to bottom is all fresh; the badge says so', () => {
  const { doc, ids, run } = ranNotebook('x = 1', 'print(x)');
  run(...ids);
  const freshness = outputFreshnessOf(docToNotebook(doc));
  assert.deepEqual(freshness, { fresh: true, stale: [], dependencyAnalysis: true });
  const html = renderToStaticMarkup(FreshnessBadge({ freshness })!);
  assert.match(html, /data-state="fresh"[^>]*>✓ All outputs fresh/);
});

test('a re-run upstream cell: the saved file names the stale cell and why, in a <details>', () => {
  const { doc, ids, run } = ranNotebook('x = 1', 'print(x)');
  run(...ids);
  run(ids[0]);
  const freshness = outputFreshnessOf(docToNotebook(doc))!;
  assert.equal(freshness.fresh, false);
  assert.deepEqual(freshness.stale, [
    { index: 1, reasons: ['ran after a cell below it'] },
    { index: 2, reasons: ['depends on cell 1 (x), re-run since'] },
  ]);
  const html = renderToStaticMarkup(FreshnessBadge({ freshness })!);
  assert.match(html, /<details[^>]*data-state="stale"/);
  assert.match(html, /Stale outputs: cell 1, 2/);
  assert.match(html, /cell 2: depends on cell 1 \(x\), re-run since/);
});

test('no run records: nothing to say; other languages: only edits and restarts, and the badge says so', () => {
  assert.equal(outputFreshnessOf(emptyNotebook()), null);
  const { doc, ids, run } = ranNotebook('x <- 1', 'print(x)');
  setNotebookMetadata(doc, 'language_info', { name: 'R' });
  setNotebookMetadata(doc, 'kernelspec', { name: 'ir', display_name: 'R', language: 'R' });
  run(...ids);
  run(ids[0]);
  const freshness = outputFreshnessOf(docToNotebook(doc))!;
  assert.deepEqual(freshness, { fresh: true, stale: [], dependencyAnalysis: false });
  assert.match(renderToStaticMarkup(FreshnessBadge({ freshness })!), /Only edits and kernel restarts are checked/);
});
