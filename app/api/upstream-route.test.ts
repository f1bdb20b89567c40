// GET /api/notebooks/:id/upstream over real accounts and a real SQLite database:
// a fork sees its source as it stands now, and only while its caller may open
// that source; what the fork then offers to pull is the source's change alone.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import { createNotebook, loadNotebookDoc } from '../../library/notebook-library';
import { forkNotebook } from '../../library/versions';
import { findCell, sourceOf, upstreamChanges } from '../../notebook-model';
import type { NotebookJSON } from '../../notebook-model/nbformat/types';
import type { Storage } from '../../storage';
import { get, migrateAndOpenAppStorage, routeParams, TestPeople, setUpTemporaryDataDir } from './route-test-kit';
import { GET as upstreamRoute } from './notebooks/[id]/upstream/route';
import type { UpstreamResponse } from '../forks/upstream-response';

const dataDir = setUpTemporaryDataDir('upstream-route');
process.env.CELLMATE_SECRET ??= 'upstream-route-secret';

let storage: Storage;
const people = new TestPeople();
const { cookieOf, idOf } = people;
let sourceId = '';

const notebook: NotebookJSON = {
  nbformat: 4, nbformat_minor: 5, metadata: {},
  cells: [
    { id: 'intro', cell_type: 'markdown', metadata: {}, source: '# Workshop' },
    { id: 'step1', cell_type: 'code', metadata: {}, source: 'x = 1', outputs: [], execution_count: null },
  ],
} as NotebookJSON;

function upstreamOf(notebookId: string, who: string): Promise<Response> {
  return upstreamRoute(get(`/api/notebooks/${notebookId}/upstream`, cookieOf[who]), routeParams({ id: notebookId }));
}

/** Edits the stored source as the collab server would: one more update in its log. */
async function editStoredSource(notebookId: string, cellId: string, text: string): Promise<void> {
  const doc = await loadNotebookDoc(storage, notebookId);
  const before = Y.encodeStateVector(doc);
  const source = sourceOf(findCell(doc, cellId)!);
  doc.transact(() => { source.delete(0, source.length); source.insert(0, text); });
  const record = await storage.notebooks.get(notebookId);
  await storage.documents.append(notebookId, record!.epoch, [Y.encodeStateAsUpdate(doc, before)]);
  doc.destroy();
}

before(async () => {
  storage = await migrateAndOpenAppStorage();
  await people.signUp(storage, ['olga', 'vic', 'finn']);
  sourceId = (await createNotebook(storage, { title: 'Workshop', notebook })).id;
  await storage.members.grant(sourceId, idOf.olga, 'owner');
  await storage.members.grant(sourceId, idOf.vic, 'viewer');
});
after(async () => {
  await storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test("a fork reads its source as it stands, and only the source's change is offered", async () => {
  const fork = await forkNotebook(storage, { notebookId: sourceId }, idOf.vic);
  await editStoredSource(sourceId, 'step1', 'x = 2');
  await editStoredSource(fork.id, 'intro', '# My notes'); // vic's own edit in the fork

  const response = await upstreamOf(fork.id, 'vic');
  assert.equal(response.status, 200);
  const body = (await response.json()) as UpstreamResponse;
  assert.equal(body.source.id, sourceId);
  assert.deepEqual(body.cells.map((c) => [c.id, c.source]), [['intro', '# Workshop'], ['step1', 'x = 2']]);

  const forkDoc = await loadNotebookDoc(storage, fork.id);
  assert.deepEqual(upstreamChanges(forkDoc, body.cells).map((c) => [c.cell.id, c.kind]), [['step1', 'changed']]);
  forkDoc.destroy();
});

test('someone without a role on the fork learns nothing of it or its source', async () => {
  const fork = await forkNotebook(storage, { notebookId: sourceId }, idOf.vic);
  const response = await upstreamOf(fork.id, 'finn');
  assert.equal(response.status, 404);
  assert.doesNotMatch(JSON.stringify(await response.json()), /Workshop|x = /);
});

test('a fork whose owner can no longer open the source gets a clear refusal, not its content', async () => {
  await storage.members.grant(sourceId, idOf.finn, 'viewer');
  const fork = await forkNotebook(storage, { notebookId: sourceId }, idOf.finn);
  assert.equal((await upstreamOf(fork.id, 'finn')).status, 200);
  await storage.members.revoke(sourceId, idOf.finn);
  const response = await upstreamOf(fork.id, 'finn');
  assert.equal(response.status, 404);
  const body = (await response.json()) as { error: string; cells?: unknown };
  assert.match(body.error, /can no longer open it/);
  assert.equal(body.cells, undefined);
});

test('a notebook that is not a fork has no source', async () => {
  const response = await upstreamOf(sourceId, 'olga');
  assert.equal(response.status, 404);
  assert.match(((await response.json()) as { error: string }).error, /not a fork/);
});
