// The freshness line of published pages and versions: computed by the same
// staleMarks as the editor, from the saved .ipynb alone, and drawn as plain HTML
// (a <details> for the reasons, so it opens without JavaScript).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderToStaticMarkup } from 'react-dom/server';
import { docToNotebook, emptyNotebook, setNotebookMetadata } from '../notebook-model';
import { FreshnessBadge } from '../app/versions/FreshnessBadge';
import { notebookWithRuns } from '../notebook-model/test-runs';
import { outputFreshnessOf } from './output-freshness';

test('a notebook run top to bottom is all fresh; the badge says so', () => {
  const { doc, ids, run } = notebookWithRuns('x = 1', 'print(x)');
  run(...ids);
  const freshness = outputFreshnessOf(docToNotebook(doc));
  assert.deepEqual(freshness, { fresh: true, stale: [], dependencyAnalysis: true });
  const html = renderToStaticMarkup(FreshnessBadge({ freshness })!);
  assert.match(html, /data-state="fresh"[^>]*>✓ All outputs fresh/);
});

test('a re-run upstream cell: the saved file names the stale cell and why, in a <details>', () => {
  const { doc, ids, run } = notebookWithRuns('x = 1', 'print(x)');
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
  const { doc, ids, run } = notebookWithRuns('x <- 1', 'print(x)');
  setNotebookMetadata(doc, 'language_info', { name: 'R' });
  setNotebookMetadata(doc, 'kernelspec', { name: 'ir', display_name: 'R', language: 'R' });
  run(...ids);
  run(ids[0]);
  const freshness = outputFreshnessOf(docToNotebook(doc))!;
  assert.deepEqual(freshness, { fresh: true, stale: [], dependencyAnalysis: false });
  assert.match(renderToStaticMarkup(FreshnessBadge({ freshness })!), /Only edits and kernel restarts are checked/);
});
