// What the sandbox escape tests share (sandbox-escape.test.ts for an editor's
// notebook, Save & run all and `nb run`; sandbox-attendee.test.ts for a
// workshop attendee's own copy): the Python that tries ways out and reports
// each one's outcome, running a cell through the bridge's HTTP API, and
// finding the kernel processes a test started. For tests only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { executionCount, executionState, waitFor, KERNEL_DEADLINE_MS, type Browser, type Rig } from './bridge-test-harness';
import { processTree } from './process-tree';

/**
 * Python that tries `attempts` (name → a statement that succeeds only if the
 * way out is open) and prints one JSON object: name → 'REACHED' or
 * 'blocked: <exception type>'.
 */
export function tryAll(attempts: Record<string, string>, prelude = ''): string {
  const lines = ['import json, os, socket, signal', prelude, 'outcome = {}'];
  for (const [name, statement] of Object.entries(attempts)) {
    lines.push('try:', `    ${statement}`, `    outcome[${JSON.stringify(name)}] = 'REACHED'`, 'except Exception as e:', `    outcome[${JSON.stringify(name)}] = 'blocked: ' + type(e).__name__`);
  }
  lines.push('print(json.dumps(outcome))');
  return lines.join('\n');
}

/** The names of the attempts in `printed` (tryAll's output) that were not blocked. */
export function openWaysOut(printed: string): { reached: string[]; tried: number } {
  const outcome = JSON.parse(printed) as Record<string, string>;
  return { reached: Object.entries(outcome).filter(([, v]) => !v.startsWith('blocked')).map(([k]) => k), tried: Object.keys(outcome).length };
}

/**
 * Runs `cellId` of notebook `notebookId` through the bridge with `token` and
 * waits until `view` saw it run and finish. A copy's cells keep the counts of
 * the notebook it was made from, and a new kernel counts from 1 again, so a
 * changed count alone does not tell that the run happened: seeing the cell
 * queued or running does.
 */
export async function runCell(rig: Rig, notebookId: string, cellId: string, view: Pick<Browser, 'doc' | 'kernel'>, token: string): Promise<void> {
  const before = executionCount(view.doc, cellId);
  let seenRunning = false;
  const watch = () => { if (executionState(view.doc, cellId) !== 'idle') seenRunning = true; };
  view.doc.on('afterTransaction', watch);
  try {
    const answer = await rig.post(`/notebooks/${notebookId}/execute`, token, { cellIds: [cellId] });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    await waitFor(() => (seenRunning || executionCount(view.doc, cellId) !== before) && executionState(view.doc, cellId) === 'idle', KERNEL_DEADLINE_MS, `${cellId} to run`)
      .catch((err: Error) => { throw new Error(`${err.message}; the kernel: ${JSON.stringify(view.kernel())}`); });
  } finally {
    view.doc.off('afterTransaction', watch);
  }
}

/** Python processes started under this test process, oldest first. */
export function kernelPids(): number[] {
  return processTree(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'python3';
    } catch {
      return false;
    }
  });
}
