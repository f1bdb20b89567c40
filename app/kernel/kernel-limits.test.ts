// The page's side of the kernel limits, against the real bridge and kernels: a
// run refused because the person's kernels are at their limit reaches them as a
// notice they can act on and leaves the cells unrun; "Shut down kernel" stops
// the kernel for everyone and frees the slot, so the refused run then works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as Y from 'yjs';
import { executionCountOf, executionStateOf, findCell, outputsOf, outputToJSON } from '../../notebook-model';
import { startRig, waitFor, type Rig } from '../../kernel-bridge/bridge-test-harness';
import { KernelActions } from './kernel-actions';
import { KernelClient } from './kernel-client';
import { KernelNotices } from './kernel-notices';
import { KernelStateStore } from './use-kernel-state';

let rig: Rig;
before(async () => { rig = await startRig({ limits: { maxTotal: 0, maxPerPerson: 1 } }); });
after(async () => { await rig?.close(); });

/** Starting a Python kernel takes seconds, more on a loaded machine; only a failure waits this long. */
const KERNEL_WAIT = 90_000;
const ada = { name: 'Ada', userId: 'user-ada' };

const text = (doc: Y.Doc, id: string) =>
  outputsOf(findCell(doc, id)!).map((o) => (outputToJSON(o) as { text?: string }).text ?? '').join('');

async function pageFor(notebookId: string) {
  const browser = await rig.browser(notebookId);
  const token = await rig.token(notebookId, 'editor', ada);
  const client = new KernelClient({ bridgeUrl: rig.bridgeUrl, notebookId, token: () => token });
  const notices = new KernelNotices();
  return { doc: browser.doc, kernel: new KernelStateStore(browser.provider.awareness), notices, actions: new KernelActions(browser.doc, client, notices, { source: 'test' }) };
}

test('a run over the person\'s kernel limit is a notice naming their kernel; Shut down frees it', { timeout: 240_000 }, async () => {
  const lesson = await rig.notebook(['print("lesson")'], 'Lesson 1');
  const exercise = await rig.notebook(['print("exercise")'], 'Exercise 1');
  const lessonPage = await pageFor(lesson.id);
  const exercisePage = await pageFor(exercise.id);

  assert.equal(await lessonPage.actions.runAll(), true, lessonPage.notices.message ?? '');
  await waitFor(() => text(lessonPage.doc, 'cell0') === 'lesson\n', KERNEL_WAIT, 'the lesson to run');

  assert.equal(await exercisePage.actions.runAll(), false);
  assert.equal(exercisePage.notices.message,
    'You already have a kernel running (notebook "Lesson 1"), the most one person may run at once; '
    + 'shut one down (Run ▾ › Shut down kernel in that notebook) to start another.');
  assert.equal(executionStateOf(findCell(exercisePage.doc, 'cell0')!), 'idle');
  assert.equal(executionCountOf(findCell(exercisePage.doc, 'cell0')!), null);
  assert.equal(exercisePage.kernel.state.status, 'none');

  assert.equal(await lessonPage.actions.shutdown(), true);
  await waitFor(() => lessonPage.kernel.state.status === 'none', 10_000, 'the lesson kernel to be gone');
  assert.equal(text(lessonPage.doc, 'cell0'), 'lesson\n', 'outputs stay after a shutdown');

  assert.equal(await exercisePage.actions.runAll(), true, exercisePage.notices.message ?? '');
  assert.equal(exercisePage.notices.message, null, 'a successful run clears the notice');
  await waitFor(() => text(exercisePage.doc, 'cell0') === 'exercise\n', KERNEL_WAIT, 'the exercise to run');
});
