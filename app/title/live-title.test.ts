// Two pages' replicas of one notebook document, synced by exchanging real Yjs
// updates: a rename announced by one page reaches the other; a title the
// document already held before a page caught up is not news to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { setNotebookMetadata } from '../../notebook-model';
import { LiveTitle } from './live-title';

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

test('a page follows renames made while it is connected, not a title the document held before', () => {
  const shared = new Y.Doc();
  setNotebookMetadata(shared, 'title', 'Renamed long ago');
  const page = new Y.Doc();
  const title = new LiveTitle(page, 'Stored title');
  const stop = title.watch();
  const seen: string[] = [];
  title.subscribe(() => seen.push(title.value));

  sync(shared, page); // the first sync
  title.synced();
  assert.equal(title.value, 'Stored title', 'the stored title wins over an old one in the document');

  const renamer = new Y.Doc();
  sync(shared, renamer);
  const renamersTitle = new LiveTitle(renamer, 'Stored title');
  const stopRenamer = renamersTitle.watch();
  renamersTitle.synced();
  renamersTitle.announce('Results, final', 'renamer');
  assert.equal(renamersTitle.value, 'Results, final', 'the renamer sees it at once');
  sync(renamer, page);
  assert.equal(title.value, 'Results, final');
  setNotebookMetadata(page, 'kernelspec', { name: 'python3', display_name: 'Python 3' });
  assert.deepEqual(seen, ['Results, final'], 'other metadata changes are not renames');

  stop();
  renamersTitle.announce('After leaving', 'renamer');
  sync(renamer, page);
  assert.equal(title.value, 'Results, final', 'a stopped page no longer follows');
  stopRenamer();
});
