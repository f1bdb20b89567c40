// The bridge records each run in the document and starts a new kernel session on
// every (re)start, so stale marks follow a real kernel: run A (`x = 1`), run B
// (`print(x)`), re-run A → B stale because of A; edit B → stale because edited;
// restart → everything stale because of the session; run the stale cells → all
// fresh. Seen by an editor's client and by a second, read-only client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebSocket as NodeWebSocket } from 'ws';
import { findCell, sourceOf } from '../notebook-model';
import { runDurationMs, runRecordOf, kernelSessionOf } from '../notebook-model/run-record';
import { cellsToRunForStale, describeReason, staleMarks } from '../notebook-model/stale-marks';
import { cellLines } from '../cli/commands/cells';
import { KERNEL_DEADLINE_MS, outputText, startRig, waitFor, type Rig } from './bridge-test-harness';

let rig: Rig;
const LONG = { timeout: 4 * KERNEL_DEADLINE_MS };

before(async () => { rig = await startRig(); });
after(async () => { await rig?.close(); });

/** An editor's client (the rig's browsers are read-only watchers). */
async function editorClient(notebookId: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(rig.collabUrl, notebookId, doc, {
    params: { token: await rig.token(notebookId, 'editor', { name: 'Grace', userId: 'user-grace' }) },
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    disableBc: true,
  });
  await waitFor(() => provider.synced, 10_000, 'the editor client to sync');
  return { doc, close: () => { provider.destroy(); provider.awareness.destroy(); doc.destroy(); } };
}

const reasons = (doc: Y.Doc, id: string) => {
  const mark = staleMarks(doc).byId.get(id);
  return mark?.state === 'stale' ? mark.reasons.map(describeReason) : mark?.state;
};

test('run records and stale marks through the bridge with a real kernel, seen alike by two clients', LONG, async () => {
  const nb = await rig.notebook(['x = 1', 'print(x)']);
  const [a, b] = nb.cellIds;
  const token = await rig.token(nb.id, 'editor', { name: 'Ada', userId: 'user-ada' });
  const editor = await editorClient(nb.id);
  const watcher = await rig.browser(nb.id);
  const both = (check: (doc: Y.Doc) => boolean) => check(editor.doc) && check(watcher.doc);
  /** Runs cells as Ada, after the editor's edits, and waits until both clients see the new records. */
  const run = async (ids: string[]) => {
    const previous = new Map(ids.map((id) => [id, JSON.stringify(runRecordOf(findCell(watcher.doc, id)!))]));
    const after = Buffer.from(Y.encodeStateVector(editor.doc)).toString('base64');
    const res = await rig.post(`/notebooks/${nb.id}/execute`, token, { cellIds: ids, after });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    await waitFor(() => both((doc) => ids.every((id) => JSON.stringify(runRecordOf(findCell(doc, id)!)) !== previous.get(id))), KERNEL_DEADLINE_MS, `runs of ${ids.join(', ')} to be recorded`);
  };

  await run([a]);
  await run([b]);
  assert.equal(outputText(watcher.doc, b), '1\n');
  const record = runRecordOf(findCell(watcher.doc, b)!)!;
  assert.deepEqual(record.runBy, { name: 'Ada', id: 'user-ada' });
  assert.equal(record.session, kernelSessionOf(watcher.doc));
  assert.ok(record.session, 'the bridge started a kernel session in the document');
  for (const key of ['busy', 'executeInput', 'executeReply', 'idle'] as const) assert.match(record[key] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, key);
  assert.ok((runDurationMs(record) ?? -1) >= 0);
  assert.deepEqual(record.inputs, [{ cellId: a, names: ['x'] }]);
  assert.deepEqual([reasons(watcher.doc, a), reasons(watcher.doc, b)], ['fresh', 'fresh']);

  // Re-run A: B read x from it.
  await run([a]);
  await waitFor(() => both((doc) => reasons(doc, b) !== 'fresh'), 10_000, 'B to turn stale');
  for (const doc of [editor.doc, watcher.doc]) {
    assert.deepEqual(reasons(doc, b), ['depends on cell 1 (x), re-run since']);
    assert.deepEqual(reasons(doc, a), ['ran after a cell below it']);
  }
  // `nb cells` reads the stored document: the same marks.
  await waitFor(async () => {
    const stored = await rig.storedDoc(nb.id);
    try { return cellLines(stored).cells[1].reasons[0]?.text === 'depends on cell 1 (x), re-run since'; } finally { stored.destroy(); }
  }, 10_000, 'the stored document to show B stale');

  // Edit B.
  const text = sourceOf(findCell(editor.doc, b)!);
  text.insert(text.length, '  # checked');
  await waitFor(() => reasons(watcher.doc, b) !== undefined && (reasons(watcher.doc, b) as string[]).includes('edited since it ran'), 10_000, 'the edit to reach the watcher');
  assert.deepEqual(reasons(editor.doc, b), ['edited since it ran', 'depends on cell 1 (x), re-run since']);

  // Restart: every cell describes a kernel state that is gone.
  const sessionBefore = kernelSessionOf(watcher.doc);
  assert.equal((await rig.post(`/notebooks/${nb.id}/restart`, token)).status, 200);
  await waitFor(() => both((doc) => kernelSessionOf(doc) !== sessionBefore), 10_000, 'a new kernel session in the document');
  for (const doc of [editor.doc, watcher.doc]) {
    assert.ok((reasons(doc, a) as string[]).includes('ran before the kernel was restarted'));
    assert.ok((reasons(doc, b) as string[]).includes('ran before the kernel was restarted'));
  }

  // Run stale cells: all fresh again.
  const toRun = cellsToRunForStale(editor.doc);
  assert.deepEqual(toRun, [a, b]);
  await run(toRun);
  await waitFor(() => both((doc) => staleMarks(doc).cells.every((m) => m.state === 'fresh')), 10_000, 'every cell to be fresh');
  assert.equal(outputText(watcher.doc, b), '1\n', 'B ran on the new kernel, after A');
  assert.deepEqual(cellsToRunForStale(watcher.doc), []);
  editor.close();
});
