// Whether a saved notebook's outputs still describe its code: "all outputs
// fresh" or which cells are stale and why, for the published page and the
// versions list. The marks come from `staleMarks` (notebook-model), the same
// function the editor and `nb cells` use, so all of them agree.
import { describeReason, notebookToDoc, staleMarks } from '../notebook-model';
import type { NotebookJSON } from '../notebook-model/nbformat/types';
import type { Storage } from '../storage';
import { loadVersionNotebook } from './version-content';

export interface StaleCell {
  /** 1-based position in the notebook (all cell types counted), as the editor numbers cells. */
  index: number;
  reasons: string[];
}

export interface OutputFreshness {
  /** True when every code cell that ran is fresh. */
  fresh: boolean;
  stale: StaleCell[];
  /** False for kernels other than Python: only edits and restarts were checked. */
  dependencyAnalysis: boolean;
}

/** The freshness of a notebook's outputs, or null when no cell carries a run record (nothing to judge). */
export function outputFreshnessOf(notebook: NotebookJSON): OutputFreshness | null {
  const doc = notebookToDoc(notebook);
  try {
    const marks = staleMarks(doc);
    if (!marks.cells.some((m) => m.state !== 'not-run')) return null;
    const stale = marks.cells
      .filter((m) => m.state === 'stale')
      .map((m) => ({ index: m.index, reasons: m.reasons.map(describeReason) }));
    return { fresh: stale.length === 0, stale, dependencyAnalysis: marks.dependencyAnalysis };
  } finally {
    doc.destroy();
  }
}

/** How many versions of a list are checked (each is read and analysed); older ones show no freshness. */
export const FRESHNESS_CHECKED_VERSIONS = 30;

/** A saved version's freshness; null when it cannot be read (the list still shows the version). */
export async function versionFreshness(storage: Storage, versionId: string): Promise<OutputFreshness | null> {
  try {
    return outputFreshnessOf(await loadVersionNotebook(storage, versionId));
  } catch {
    return null;
  }
}
