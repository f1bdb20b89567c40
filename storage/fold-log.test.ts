// foldLog, the compaction collab servers on several nodes use: the snapshot and
// the log are read under the notebook's write lock and folded in one
// transaction; appends made at the same time from two writers all survive,
// folded or still in the log. Both real databases.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import type { Storage } from './index';
import { testBackends } from './test-databases';

const fold = (snapshot: Uint8Array | null, updates: Uint8Array[]) => Y.mergeUpdates([...(snapshot ? [snapshot] : []), ...updates]);

function typed(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

for (const backend of testBackends('foldlog')) {
  describe(`foldLog on ${backend.name}`, () => {
    let storage: Storage;
    before(async () => { storage = await backend.open(); });
    after(async () => {
      await storage?.close();
      await backend.cleanUp();
    });

    test('folds the whole log into the snapshot; appends racing it from two writers are all kept', async () => {
      const { id, epoch } = await storage.notebooks.create({ title: 'fold' });
      await storage.documents.append(id, epoch, [typed('a'), typed('b')]);
      const racing: Promise<number>[] = [];
      for (let i = 0; i < 20; i++) racing.push(storage.documents.append(id, epoch, [typed(`w${i}`)]));
      const folds = [storage.documents.foldLog(id, epoch, fold), storage.documents.foldLog(id, epoch, fold)];
      await Promise.all([...racing, ...folds]);
      await storage.documents.foldLog(id, epoch, fold);
      const stored = await storage.documents.load(id);
      assert.equal(stored.updates.length, 0, 'everything folded');
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.snapshot!);
      const text = doc.getText('t').toString();
      for (const piece of ['a', 'b', ...Array.from({ length: 20 }, (_, i) => `w${i}`)]) assert.ok(text.includes(piece), `${piece} kept`);
      await storage.documents.foldLog(id, 'another-epoch', () => { throw new Error('must not fold under a stale epoch'); });
    });
  });
}
