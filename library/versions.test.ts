// Versions against a real collab server and database: a quick save holds what
// the collaborators typed, a restore reaches every connected client without
// duplicating anything, and a fork is independent of its source.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { PrismaClient } from '../generated/prisma-sqlite/client';
import { cellsOf, insertCell, docToNotebook } from '../notebook-model';
import { parseNotebook } from '../notebook-model/nbformat';
import { startRig, waitFor, type Rig } from '../collab-server/test-rig';
import { closeCodes } from '../notebook-model/service-protocol';
import { NotFoundError } from '../storage';
import { exportVersion, forkNotebook, forkTitle, loadVersionNotebook, loadVersionState, restoreVersion, saveQuickVersion, versionName } from './versions';
import { loadNotebookJSON } from './notebook-library';

let rig: Rig;
before(async () => { rig = await startRig(); });
after(async () => { await rig.close(); });

const sources = (doc: Y.Doc) => cellsOf(doc).toArray().map((c) => (c.get('source') as Y.Text).toString());
const collabUrl = () => `http://127.0.0.1:${rig.server.port}`;
const author = { id: null, name: 'Ada' };

test('version names: trimmed, cut, or dated when blank', () => {
  assert.equal(versionName('  Final   run \n'), 'Final run');
  assert.equal(versionName('x'.repeat(500)).length, 200);
  assert.equal(versionName('', new Date('2026-11-25T10:30:00Z')), 'Version of 2026-11-25 10:30 UTC');
});

test('two versions never share a name: a taken one gets the next free number', async () => {
  const id = await rig.newNotebook(['a = 1']);
  const names = [];
  for (let i = 0; i < 3; i++) names.push((await saveQuickVersion(rig.storage, id, { name: 'Version of 2026-12-03 07:04 UTC', author })).name);
  assert.deepEqual(names, ['Version of 2026-12-03 07:04 UTC', 'Version of 2026-12-03 07:04 UTC (2)', 'Version of 2026-12-03 07:04 UTC (3)']);
});

test('a quick save holds the document as the collaborators left it, outputs included', async () => {
  const id = await rig.newNotebook(['a = 1']);
  const ada = await rig.connect(id);
  ada.doc.transact(() => insertCell(ada.doc, 1, { cell_type: 'code', source: 'print(a)', outputs: [{ output_type: 'stream', name: 'stdout', text: '1\n' }], execution_count: 1 }));
  await waitFor(async () => (await loadNotebookJSON(rig.storage, id)).cells.length === 2, 'the edit to be stored');

  const version = await saveQuickVersion(rig.storage, id, { name: 'two cells', author });
  assert.equal(version.kind, 'quick');
  assert.equal(version.authorName, 'Ada');
  const saved = await loadVersionNotebook(rig.storage, version.id);
  assert.deepEqual(saved.cells.map((c) => c.source), ['a = 1', 'print(a)']);
  assert.deepEqual((saved.cells[1] as { outputs: unknown[] }).outputs, [{ output_type: 'stream', name: 'stdout', text: '1\n' }]);

  const py = await exportVersion(rig.storage, version.id, 'py', 'My study');
  assert.equal(py.fileName, 'My study.py');
  assert.match(py.body, /print\(a\)/);
  const stripped = parseNotebook((await exportVersion(rig.storage, version.id, 'stripped', 'x')).body);
  assert.deepEqual((stripped.cells[1] as { outputs: unknown[] }).outputs, []);
  await assert.rejects(loadVersionNotebook(rig.storage, 'no-such-version'), NotFoundError);
  ada.destroy();
});

test('restore while two clients are connected: both reload onto the version, nothing duplicated', async () => {
  const id = await rig.newNotebook(['first']);
  const version = await saveQuickVersion(rig.storage, id, { name: 'v1', author });
  const epoch = (await rig.storage.notebooks.get(id))!.epoch;
  const ada = await rig.connect(id, { epoch, name: 'Ada' });
  const bob = await rig.connect(id, { epoch, name: 'Bob' });
  ada.doc.transact(() => insertCell(ada.doc, 1, { cell_type: 'code', source: 'added later' }));
  await waitFor(() => sources(bob.doc).length === 2, 'Bob to see Ada\'s cell');

  await waitFor(async () => (await loadNotebookJSON(rig.storage, id)).cells.length === 2, 'Ada\'s cell to be stored');
  const restored = await restoreVersion(rig.storage, version.id, { collabUrl: collabUrl(), by: { id: null, name: 'Carol' } });
  assert.equal(restored.notebookId, id);
  // What was there just before stays recoverable, in a version named for the restore.
  const [backup] = await rig.storage.versions.list(id);
  assert.equal(backup.name, `Before Carol restored “${version.name}”`);
  assert.equal(backup.authorName, 'Carol');
  assert.deepEqual((await loadVersionNotebook(rig.storage, backup.id)).cells.map((c) => c.source), ['first', 'added later']);
  assert.equal(restored.backupName, backup.name);
  assert.notEqual(restored.epoch, epoch);
  await waitFor(() => ada.closes.length > 0 && bob.closes.length > 0, 'both clients to be told to reload');
  assert.equal(ada.closes[0].code, closeCodes.documentReplaced);
  assert.equal(bob.closes[0].code, closeCodes.documentReplaced);

  const ada2 = await rig.connect(id, { epoch: restored.epoch, name: 'Ada' });
  const bob2 = await rig.connect(id, { epoch: restored.epoch, name: 'Bob' });
  ada2.doc.transact(() => insertCell(ada2.doc, 1, { cell_type: 'code', source: 'after restore' }));
  await waitFor(() => sources(bob2.doc).length === 2, 'Bob to see the edit after the restore');
  assert.deepEqual(sources(ada2.doc), ['first', 'after restore']);
  assert.deepEqual(sources(bob2.doc), ['first', 'after restore']);
  await waitFor(async () => sources(await rig.stored(id)).length === 2, 'the edit to be stored');
  assert.deepEqual(sources(await rig.stored(id)), ['first', 'after restore']);
  for (const c of [ada, bob, ada2, bob2]) c.destroy();

  await assert.rejects(restoreVersion(rig.storage, 'no-such-version', { collabUrl: collabUrl() }), NotFoundError);
});

test('a fork is a new notebook of the forker\'s, recording its origin, independent of its source', async () => {
  const prisma = rig.storage.prismaClient as PrismaClient;
  const user = await prisma.user.create({ data: { id: randomUUID(), name: 'Bob', email: `bob-${randomUUID()}@example.test` } });
  const id = await rig.newNotebook(['x = 1']);
  const version = await saveQuickVersion(rig.storage, id, { name: 'v1', author });
  const source = await rig.connect(id);
  source.doc.transact(() => insertCell(source.doc, 1, { cell_type: 'code', source: 'live only' }));
  await waitFor(async () => (await loadNotebookJSON(rig.storage, id)).cells.length === 2, 'the live edit to be stored');

  const liveFork = await forkNotebook(rig.storage, { notebookId: id }, user.id);
  const versionFork = await forkNotebook(rig.storage, { notebookId: id, versionId: version.id }, user.id);
  assert.equal(liveFork.title, forkTitle('collab test'));
  assert.deepEqual((await loadNotebookJSON(rig.storage, liveFork.id)).cells.map((c) => c.source), ['x = 1', 'live only']);
  assert.deepEqual((await loadNotebookJSON(rig.storage, versionFork.id)).cells.map((c) => c.source), ['x = 1']);
  assert.equal(await rig.storage.members.roleOf(liveFork.id, user.id), 'owner');
  assert.equal(await rig.storage.members.roleOf(id, user.id), null, 'forking gives no role on the source');
  assert.deepEqual(await rig.storage.notebooks.originOf(versionFork.id), { notebookId: id, versionId: version.id });
  assert.equal(await rig.storage.notebooks.forkCount(id), 2);

  // Edits to the fork stay in the fork, and the other way round.
  const forked = await rig.connect(liveFork.id);
  forked.doc.transact(() => insertCell(forked.doc, 0, { cell_type: 'code', source: 'fork only' }));
  source.doc.transact(() => insertCell(source.doc, 0, { cell_type: 'code', source: 'source only' }));
  await waitFor(async () => (await loadNotebookJSON(rig.storage, liveFork.id)).cells.length === 3, 'the fork edit to be stored');
  await waitFor(async () => (await loadNotebookJSON(rig.storage, id)).cells.length === 3, 'the source edit to be stored');
  assert.deepEqual(docToNotebook(forked.doc).cells.map((c) => c.source), ['fork only', 'x = 1', 'live only']);
  assert.deepEqual((await loadNotebookJSON(rig.storage, id)).cells.map((c) => c.source), ['source only', 'x = 1', 'live only']);

  const other = await rig.newNotebook(['y']);
  await assert.rejects(forkNotebook(rig.storage, { notebookId: other, versionId: version.id }, user.id), NotFoundError, 'a version of another notebook');
  forked.destroy();
  source.destroy();
});

test('versions saved while editing store only what changed, and read back (and restore) whole', async () => {
  const big = 'x'.repeat(20_000);
  const id = await rig.newNotebook([`data = "${big}"`]);
  const epoch = (await rig.storage.notebooks.get(id))!.epoch;
  const ada = await rig.connect(id, { epoch });
  const first = await saveQuickVersion(rig.storage, id, { name: 'v1', author });
  ada.doc.transact(() => insertCell(ada.doc, 1, { cell_type: 'code', source: 'print(len(data))' }));
  await waitFor(async () => (await loadNotebookJSON(rig.storage, id)).cells.length === 2, 'the edit to be stored');
  const second = await saveQuickVersion(rig.storage, id, { name: 'v2', author });

  const firstStored = (await rig.storage.versions.content(first.id))!;
  const secondStored = (await rig.storage.versions.content(second.id))!;
  assert.equal(firstStored.ydocBaseId, null);
  assert.equal(secondStored.ydocBaseId, first.id);
  assert.ok(firstStored.ydoc.length > 20_000);
  assert.ok(secondStored.ydoc.length < 1_000, `the second version stores only the new cell (${secondStored.ydoc.length} bytes)`);
  assert.ok(firstStored.nbformat !== null && firstStored.nbformat.length > 20_000);
  assert.equal(secondStored.nbformat, null, 'no JSON copy for a stored change');
  assert.deepEqual((await loadVersionNotebook(rig.storage, second.id)).cells.map((c) => c.source), [`data = "${big}"`, 'print(len(data))']);
  assert.match((await exportVersion(rig.storage, second.id, 'py', 'x')).body, /print\(len\(data\)\)/);

  const rebuilt = new Y.Doc();
  Y.applyUpdate(rebuilt, await loadVersionState(rig.storage, second.id));
  assert.deepEqual(sources(rebuilt), [`data = "${big}"`, 'print(len(data))']);
  rebuilt.destroy();

  // After a restore of v1 (an older state), the next save is stored whole again.
  ada.doc.transact(() => insertCell(ada.doc, 2, { cell_type: 'code', source: 'third' }));
  await waitFor(async () => (await loadNotebookJSON(rig.storage, id)).cells.length === 3, 'the third cell to be stored');
  const restored = await restoreVersion(rig.storage, second.id, { collabUrl: collabUrl() });
  assert.deepEqual((await loadNotebookJSON(rig.storage, id)).cells.map((c) => c.source), [`data = "${big}"`, 'print(len(data))']);
  const back = await restoreVersion(rig.storage, first.id, { collabUrl: collabUrl() });
  assert.notEqual(back.epoch, restored.epoch);
  const third = await saveQuickVersion(rig.storage, id, { name: 'v3', author });
  assert.equal((await rig.storage.versions.content(third.id))!.ydocBaseId, null);
  assert.deepEqual((await loadVersionNotebook(rig.storage, third.id)).cells.map((c) => c.source), [`data = "${big}"`]);
  ada.destroy();
});
