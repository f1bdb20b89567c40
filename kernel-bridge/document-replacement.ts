// What a notebook session does when its document is replaced under it (a
// restore or an import swaps the whole document): the old document's cells
// are gone, so their runs are abandoned and the new document starts clean.
//
// Invariants: nothing is written to the old document; the new document's
// 'running'/'queued' states were never this session's runs, so they are reset
// without a note (nothing was cut off here); the kernel itself is kept, its
// running code interrupted.
import type * as Y from 'yjs';
import { kernelOrigin } from '../notebook-model';
import { resetOrphanedRuns } from '../notebook-model/execution';
import type { InputPrompt } from './input-prompt';
import type { NotebookKernel } from './notebook-kernel';
import type { RunQueue } from './run-queue';

/** Abandons the runs of the replaced document and resets `fresh`'s run states. */
export function abandonReplacedDocument(fresh: Y.Doc, queue: RunQueue, input: InputPrompt, kernel: NotebookKernel): void {
  queue.discard();
  input.cancel('the notebook was replaced');
  const running = queue.running;
  if (running) {
    running.abort.abort(new Error('the notebook was replaced'));
    const current = kernel.current;
    if (current && kernel.status !== 'dead') void current.interrupt().catch(() => {});
  }
  resetOrphanedRuns(fresh, kernelOrigin, false);
}
