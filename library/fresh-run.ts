// "Save & run all": runs the notebook as it stands top to bottom in a fresh
// kernel of its own (the `nb run` engine, not the shared live kernel, so the
// collaborators keep working; the kernel bridge starts it, kernel-bridge/fresh-runs.ts),
// then saves the executed notebook as a
// "fresh-run" version with a summary: whether every cell succeeded, the run
// time, and for each code cell whether its clean-run output differs from the
// output the live notebook had (hidden state made visible).
import { notebookToDoc } from '../notebook-model';
import type { CodeCellJSON, NotebookJSON } from '../notebook-model/nbformat/types';
import { NotebookRunError, runNotebook, type NotebookRunOptions } from '../kernel-bridge/notebook-runner';
import type { FreshRunProgress } from '../notebook-model/service-protocol';
import type { Storage, VersionRecord } from '../storage';
import { loadNotebookJSON } from './notebook-library';
import { outputsDiffer } from './output-comparison';
import { saveVersionOfDoc, type VersionAuthor } from './versions';

export interface FreshRunCell {
  index: number;
  id: string;
  /** ran: executed; error: raised; not-run: after the failure, blank or skipped. */
  status: 'ran' | 'error' | 'not-run';
  /** The clean-run output differs from the live one (false for cells that did not run). */
  differs: boolean;
}

/** Stored as the version's runResult. */
export interface FreshRunResult {
  ok: boolean;
  durationMs: number;
  /** Why the run stopped early, when it did, in one line ("KeyError: 'x' in cell 3"). */
  error?: string;
  cells: FreshRunCell[];
}

/** Compares the live and the executed notebooks cell by cell (same order, same ids). */
export function compareRun(live: NotebookJSON, executed: NotebookJSON, ran: ReadonlySet<string>, failedId?: string): FreshRunCell[] {
  const cells: FreshRunCell[] = [];
  executed.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const before = live.cells[index] as CodeCellJSON | undefined;
    const didRun = ran.has(cell.id);
    cells.push({
      index,
      id: cell.id,
      status: cell.id === failedId ? 'error' : didRun ? (cell.outputs.some((o) => o.output_type === 'error') ? 'error' : 'ran') : 'not-run',
      differs: didRun && outputsDiffer(before?.outputs ?? [], cell.outputs),
    });
  });
  return cells;
}

/**
 * Runs the notebook as stored now and saves the result as a version. A run
 * that stops on an error is saved too (with ok: false), holding the outputs of
 * the cells that ran; a kernel that cannot start throws instead.
 */
export async function saveAndRunAll(
  storage: Storage, notebookId: string,
  input: { name: string; author: VersionAuthor; onProgress?: (progress: FreshRunProgress) => void; runOptions?: NotebookRunOptions },
): Promise<VersionRecord> {
  const live = await loadNotebookJSON(storage, notebookId);
  const ran = new Set<string>();
  const started = Date.now();
  let executed: NotebookJSON;
  let error: string | undefined;
  let failedId: string | undefined;
  try {
    executed = await runNotebook(live, {
      ...input.runOptions,
      onCellStart: (cell) => {
        ran.add(cell.id);
        input.onProgress?.({ codeCellNumber: cell.codeCellNumber, codeCellCount: cell.codeCellCount, index: cell.index });
      },
    });
  } catch (err) {
    if (!(err instanceof NotebookRunError) || !err.notebook) throw err;
    executed = err.notebook;
    error = err.summary;
    failedId = err.cell?.id;
  }
  const result: FreshRunResult = {
    ok: error === undefined,
    durationMs: Date.now() - started,
    ...(error !== undefined ? { error } : {}),
    cells: compareRun(live, executed, ran, failedId),
  };
  const doc = notebookToDoc(executed);
  try {
    return await saveVersionOfDoc(storage, notebookId, doc, { name: input.name, author: input.author, kind: 'fresh-run', runResult: result });
  } finally {
    doc.destroy();
  }
}
