import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSummaryText } from './run-summary-text';

test('a fresh run summed up in one line: outcome, time, and the cells whose output changed (1-based)', () => {
  assert.equal(runSummaryText(null), null);
  assert.equal(runSummaryText({ ok: true, durationMs: 2345, cells: [{ index: 0, differs: false }] }), 'every cell ran · 2.3 s');
  assert.equal(
    runSummaryText({ ok: true, durationMs: 1000, cells: [{ index: 2, differs: true }, { index: 6, differs: true }, { index: 7, differs: false }] }),
    'every cell ran · 1.0 s · output changed on a clean run: cell 3, 7',
  );
  assert.equal(runSummaryText({ ok: false, error: 'An error occurred while executing cell 2', durationMs: 500, cells: [] }), 'failed: An error occurred while executing cell 2 · 0.5 s');
});
