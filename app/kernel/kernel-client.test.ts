// The page's kernel layer against the real thing: a collab server, the bridge
// and Python kernels (kernel-bridge's test rig). The client sends requests the
// way the page does; results are read the way the page reads them, from a
// replica of the document and from the room's awareness through KernelStateStore.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EditorState } from '@codemirror/state';
import { CompletionContext } from '@codemirror/autocomplete';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { executionCountOf, executionStateOf, findCell, insertCell, outputsOf, outputToJSON } from '../../notebook-model';
import { KERNEL_DEADLINE_MS, startRig, waitFor, type Browser, type Rig } from '../../kernel-bridge/bridge-test-harness';
import { kernelCompletionSource } from './completion';
import { helpTextOf } from './inspect-tooltip';
import { KernelActions } from './kernel-actions';
import { KernelClient, KernelRequestError } from './kernel-client';
import { KernelNotices } from './kernel-notices';
import { KernelStateStore } from './use-kernel-state';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig?.close(); });

const LONG = { timeout: 240_000 };
const ada = { name: 'Ada', userId: 'user-ada' };
const bob = { name: 'Bob', userId: 'user-bob' };

const count = (doc: Y.Doc, id: string) => executionCountOf(findCell(doc, id)!);
const idle = (doc: Y.Doc, id: string) => executionStateOf(findCell(doc, id)!) === 'idle';
const text = (doc: Y.Doc, id: string) =>
  outputsOf(findCell(doc, id)!).map((o) => {
    const j = outputToJSON(o) as { text?: string; ename?: string; evalue?: string };
    return j.text ?? `${j.ename}: ${j.evalue}`;
  }).join('');

async function clientFor(notebookId: string, user = ada, role: 'editor' | 'viewer' = 'editor'): Promise<KernelClient> {
  const token = await rig.token(notebookId, role, user);
  return new KernelClient({ bridgeUrl: `${rig.bridgeUrl}/`, notebookId, token: () => token });
}

/** A page: a replica of the notebook, the kernel state from awareness, and the run actions. */
async function pageFor(notebookId: string, user = ada) {
  const browser: Browser = await rig.browser(notebookId);
  const client = await clientFor(notebookId, user);
  const notices = new KernelNotices();
  return {
    doc: browser.doc,
    kernel: new KernelStateStore(browser.provider.awareness),
    notices,
    client,
    actions: new KernelActions(browser.doc, client, notices, { source: 'test' }),
  };
}

test('a run goes through the bridge and the page sees the kernel work in awareness', LONG, async () => {
  const nb = await rig.notebook(['import time; time.sleep(0.5); print("ran")', 'print("next")']);
  const page = await pageFor(nb.id);
  assert.equal(page.kernel.state.status, 'none', 'no kernel before the first run');
  const seen = new Set<string>();
  let queuedSecond = false;
  page.kernel.subscribe(() => {
    seen.add(page.kernel.state.status);
    if (page.kernel.state.queue.some((q) => q.cellId === 'cell1' && q.queuedBy.name === 'Ada')) queuedSecond = true;
  });

  assert.equal(await page.actions.runAll(), true);
  await waitFor(() => count(page.doc, 'cell1') !== null && idle(page.doc, 'cell1'), KERNEL_DEADLINE_MS, 'both cells to run');
  assert.equal(text(page.doc, 'cell0'), 'ran\n');
  assert.equal(text(page.doc, 'cell1'), 'next\n');
  await waitFor(() => page.kernel.state.status === 'idle', 10_000, 'the kernel to be idle');
  assert.equal(page.kernel.state.specName, 'python3');
  assert.ok(seen.has('busy'), `saw the kernel busy (saw ${[...seen].join(', ')})`);
  assert.ok(queuedSecond, 'saw the second cell waiting in the queue, queued by Ada');
  assert.equal(page.notices.message, null);
});

test('run above, run below and restart & run all queue the cells they name', LONG, async () => {
  const nb = await rig.notebook(['a = 1', 'b = 2', 'c = 3']);
  const page = await pageFor(nb.id);

  await page.actions.runBelow('cell1');
  await waitFor(() => count(page.doc, 'cell2') !== null && idle(page.doc, 'cell2'), KERNEL_DEADLINE_MS, 'cells from cell1 down');
  assert.equal(count(page.doc, 'cell0'), null, 'run below leaves the cells above alone');
  assert.deepEqual([count(page.doc, 'cell1'), count(page.doc, 'cell2')], [1, 2]);

  await page.actions.runAbove('cell2');
  await waitFor(() => count(page.doc, 'cell1') === 4 && idle(page.doc, 'cell1'), KERNEL_DEADLINE_MS, 'the cells above cell2');
  assert.deepEqual([count(page.doc, 'cell0'), count(page.doc, 'cell1'), count(page.doc, 'cell2')], [3, 4, 2]);

  // A restart resets the kernel's counter: a full run after it counts from 1 again.
  assert.equal(await page.actions.restartAndRunAll(), true);
  await waitFor(() => count(page.doc, 'cell2') === 3 && idle(page.doc, 'cell2'), KERNEL_DEADLINE_MS, 'the run after the restart');
  assert.deepEqual([count(page.doc, 'cell0'), count(page.doc, 'cell1'), count(page.doc, 'cell2')], [1, 2, 3]);
});

test('restart & run all on a notebook whose kernel never started just runs everything', LONG, async () => {
  const nb = await rig.notebook(['x = 6 * 7', 'print(x)']);
  const page = await pageFor(nb.id);
  assert.equal(await page.actions.restartAndRunAll(), true);
  await waitFor(() => count(page.doc, 'cell1') !== null && idle(page.doc, 'cell1'), KERNEL_DEADLINE_MS, 'the run');
  assert.equal(text(page.doc, 'cell1'), '42\n');
  assert.equal(page.notices.message, null);
});

test('a cell typed and run at once runs as its author sees it, even when the run overtakes the edits', LONG, async () => {
  const nb = await rig.notebook(['print("old source")']);
  // An editor's replica, offline for now: its edits cannot reach the bridge yet.
  const doc = new Y.Doc();
  const token = await rig.token(nb.id, 'editor', ada);
  const provider = new WebsocketProvider(rig.collabUrl, nb.id, doc, { params: { token }, WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket, disableBc: true });
  try {
    await waitFor(() => provider.synced, 10_000, 'the editor replica to sync');
    provider.disconnect();
    const source = findCell(doc, 'cell0')!.get('source') as Y.Text;
    source.delete(0, source.length);
    source.insert(0, 'print("new source")');
    const newId = insertCell(doc, 1, { cell_type: 'code', source: 'print("new cell")' });
    // The run request leaves first; the edits follow once it is on its way.
    const client = new KernelClient({
      bridgeUrl: rig.bridgeUrl,
      notebookId: nb.id,
      token: () => token,
      fetch: (input, init) => {
        const reply = fetch(input, init);
        if (String(input).endsWith('/execute')) setTimeout(() => provider.connect(), 100);
        return reply;
      },
    });
    const notices = new KernelNotices();
    assert.equal(await new KernelActions(doc, client, notices, {}).run(['cell0', newId]), true, notices.message ?? '');
    await waitFor(() => count(doc, newId) !== null && idle(doc, newId), KERNEL_DEADLINE_MS, 'both cells to run');
    assert.equal(text(doc, 'cell0'), 'new source\n');
    assert.equal(text(doc, newId), 'new cell\n');

    // Edits that never arrive (this viewer's, which the server drops) are not waited for forever, and nothing runs.
    const watcher = await pageFor(nb.id);
    const ghost = insertCell(watcher.doc, 0, { cell_type: 'code', source: '1' });
    assert.equal(await watcher.actions.run([ghost]), false);
    assert.match(watcher.notices.message ?? '', /edits have not reached the server/);
    assert.equal(count(doc, 'cell0'), 1);
  } finally {
    provider.destroy();
    doc.destroy();
  }
});

test('refusals reach the person as the bridge worded them', LONG, async () => {
  const nb = await rig.notebook(['print(1)']);
  const page = await pageFor(nb.id);

  // Restarting a kernel that was never started.
  assert.equal(await page.actions.restart(), false);
  assert.match(page.notices.message ?? '', /not started/i);

  // A viewer's token may not run code.
  const viewer = await clientFor(nb.id, bob, 'viewer');
  await assert.rejects(viewer.execute(['cell0']), (err: unknown) => {
    assert.ok(err instanceof KernelRequestError);
    assert.equal(err.status, 403);
    assert.match(err.message, /viewer/);
    return true;
  });

  // An unreachable bridge says so instead of failing silently.
  const nowhere = new KernelClient({ bridgeUrl: 'http://127.0.0.1:9', notebookId: nb.id, token: () => 'x' });
  await assert.rejects(nowhere.interrupt(), (err: unknown) => err instanceof KernelRequestError && err.status === 0 && /cannot be reached/.test(err.message));

  // A later success clears the notice.
  assert.equal(await page.actions.run(['cell0']), true);
  assert.equal(page.notices.message, null);
});

test('input() prompts only the person who ran the cell, who answers it', LONG, async () => {
  const nb = await rig.notebook(['name = input("name? ")\nprint("hello", name)']);
  const page = await pageFor(nb.id, ada);
  const bobs = await clientFor(nb.id, bob);
  assert.equal(await page.actions.run(['cell0']), true, `the run request was refused: ${page.notices.message}`);
  // The first run of a notebook also starts its kernel, which takes seconds on a loaded machine.
  const request = await waitFor(() => page.kernel.state.inputRequest, KERNEL_DEADLINE_MS, `the input request (kernel ${page.kernel.state.status})`);
  assert.deepEqual(request, { cellId: 'cell0', prompt: 'name? ', password: false, forUserId: 'user-ada' });

  await assert.rejects(bobs.answerInput('Mallory'), (err: unknown) => err instanceof KernelRequestError && err.status === 403);
  assert.equal(await page.actions.answerInput('Grace'), true);
  await waitFor(() => count(page.doc, 'cell0') !== null && idle(page.doc, 'cell0'), KERNEL_DEADLINE_MS, 'the cell to finish');
  assert.equal(text(page.doc, 'cell0'), 'name? Grace\nhello Grace\n');
  assert.equal(page.kernel.state.inputRequest, undefined);
});

test('Tab completion and Shift+Tab help come from the kernel', LONG, async () => {
  const nb = await rig.notebook(['import os']);
  const page = await pageFor(nb.id);
  const source = kernelCompletionSource(page.client);
  const complete = (doc: string, pos = doc.length) => source(new CompletionContext(EditorState.create({ doc }), pos, true));

  // Before the kernel runs there is nothing to ask: no list, no error.
  assert.equal(await complete('import o'), null);

  await page.actions.run(['cell0']);
  await waitFor(() => count(page.doc, 'cell0') !== null && idle(page.doc, 'cell0'), KERNEL_DEADLINE_MS, 'the kernel to start');
  const result = await complete('import o');
  assert.ok(result);
  assert.equal(result.from, 7);
  assert.ok(result.options.some((o) => o.label === 'os'), 'os is offered');

  // Offsets after a non-BMP character are converted both ways.
  const snake = await complete('s = "🐍"; os.pat');
  assert.ok(snake);
  assert.equal(snake.from, 'os.pat'.length + 's = "🐍"; '.length - 3);
  assert.ok(snake.options.some((o) => o.label === 'path'));

  // Implicit (typing) requests never reach the kernel.
  assert.equal(await source(new CompletionContext(EditorState.create({ doc: 'import o' }), 8, false)), null);

  const help = helpTextOf(await page.client.inspect('len', 3));
  assert.match(help ?? '', /Return the number of items in a container/);
  assert.equal(helpTextOf(await page.client.inspect('no_such_name_here', 5)), null);

  const specs = await page.client.kernelspecs();
  assert.ok(specs.some((s) => s.name === 'python3' && s.language === 'python'));
});
