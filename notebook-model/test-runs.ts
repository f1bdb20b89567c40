// For tests: a notebook of code cells whose runs are recorded the way the kernel
// bridge records them (recordRun), with explicit kernel timestamps so the order
// of runs is the test's. Used by the stale-marks and output-freshness tests.
import type * as Y from 'yjs';
import { findCell, insertCell, sourceOf } from './cells';
import { emptyNotebook, notebookToDoc } from './notebook-doc';
import { recordRun } from './execution';
import { startKernelSession } from './run-record';

export interface NotebookWithRuns {
  doc: Y.Doc;
  /** The cells' ids, in order. */
  ids: string[];
  /** Runs cells (records them) in the order given, one timestamped run after another. */
  run: (...which: string[]) => void;
}

/** A notebook of code cells holding `sources`, in a started kernel session, none run yet. */
export function notebookWithRuns(...sources: string[]): NotebookWithRuns {
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
