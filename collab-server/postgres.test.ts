// The collab server on PostgreSQL (the machine's real server, TEST_POSTGRES_URL):
// the same code path as on SQLite (store before broadcast, reload after a
// restart, compaction on unload), in a schema of its own that is dropped after.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as Y from 'yjs';
import { cellsOf } from '../notebook-model';
import { dropPostgresSchema, postgresSchemaUrl } from '../storage/test-databases';
import { startRig, waitFor, sourceOf, type Rig } from './test-rig';

const schema = `collab_${process.pid}_${Date.now()}`;
let rig: Rig | undefined;

after(async () => {
  await rig?.close();
  await dropPostgresSchema(schema);
});

test('on PostgreSQL: edits are stored before they are broadcast, survive a restart and are compacted', { timeout: 120_000 }, async () => {
  process.env.COLLAB_TEST_DATABASE_URL = postgresSchemaUrl(schema);
  rig = await startRig({ idleUnloadMs: 100 });
  delete process.env.COLLAB_TEST_DATABASE_URL;
  assert.equal(rig.storage.provider, 'postgresql');

  const id = await rig.newNotebook(['']);
  const ada = await rig.connect(id, { name: 'Ada' });
  const bob = await rig.connect(id, { name: 'Bob', role: 'viewer' });
  const text = cellsOf(ada.doc).get(0).get('source') as Y.Text;
  for (const ch of 'print("pg")') text.insert(text.length, ch);
  await waitFor(() => sourceOf(bob.doc, 0) === 'print("pg")', 'Bob to see the typing');
  // Bob has seen it, so it is stored.
  assert.equal(sourceOf(await rig.stored(id), 0), 'print("pg")');

  ada.destroy();
  bob.destroy();
  await waitFor(async () => (await rig!.storage.documents.load(id)).updates.length === 0, 'compaction on unload');
  await rig.restart();
  const again = await rig.connect(id);
  assert.equal(sourceOf(again.doc, 0), 'print("pg")');
  assert.equal(cellsOf(again.doc).length, 1);
  again.destroy();
});
