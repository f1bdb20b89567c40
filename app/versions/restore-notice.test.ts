import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replacedCloseReason, restoreNoticeOf } from '../../notebook-model/service-protocol';
import { dismissPageRestoreNotice, keepRestoreNotice, pageRestoreNotice, takeRestoreNotice } from './restore-notice';

function memoryStore() {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
    size: () => items.size,
  };
}

test('a restore named in the close reason survives the reload once; other reasons keep nothing', () => {
  const store = memoryStore();
  const reason = replacedCloseReason({ restoredVersionId: 'cmabc123', backupVersionId: 'cmdef456' });
  assert.ok(new TextEncoder().encode(replacedCloseReason({ restoredVersionId: 'x'.repeat(40), backupVersionId: 'y'.repeat(40) })).length <= 123, 'fits a close reason');
  keepRestoreNotice('nb1', reason, store);
  assert.deepEqual(takeRestoreNotice('nb2', store), null, 'another notebook has none');
  assert.deepEqual(takeRestoreNotice('nb1', store), { restoredVersionId: 'cmabc123', backupVersionId: 'cmdef456' });
  assert.equal(takeRestoreNotice('nb1', store), null, 'shown once');
  keepRestoreNotice('nb1', 'document replaced', store);
  keepRestoreNotice('nb1', 'document replaced; restored ../../api x', store);
  assert.equal(store.size(), 0);
  store.setItem('cellmate:restore-notice:nb1', '{"restoredVersionId":"a/b"}');
  assert.equal(takeRestoreNotice('nb1', store), null, 'a tampered entry never reaches a URL');
  assert.throws(() => replacedCloseReason({ restoredVersionId: 'a b', backupVersionId: null }));
  assert.deepEqual(restoreNoticeOf(replacedCloseReason({ restoredVersionId: 'v1', backupVersionId: null })), { restoredVersionId: 'v1', backupVersionId: null });
});

test('one page load gets the same notice however often its banners mount, until dismissed', () => {
  const saved = globalThis.window;
  const store = memoryStore();
  Object.assign(globalThis, { window: { sessionStorage: store } });
  try {
    keepRestoreNotice('nb9', replacedCloseReason({ restoredVersionId: 'cmr1', backupVersionId: 'cmb1' }), store);
    assert.deepEqual(pageRestoreNotice('nb9'), { restoredVersionId: 'cmr1', backupVersionId: 'cmb1' });
    assert.equal(store.size(), 0, 'taken out of storage: the next page load shows none');
    assert.deepEqual(pageRestoreNotice('nb9'), { restoredVersionId: 'cmr1', backupVersionId: 'cmb1' }, 'a remounted banner finds it');
    dismissPageRestoreNotice('nb9');
    assert.equal(pageRestoreNotice('nb9'), null);
  } finally {
    Object.assign(globalThis, { window: saved });
  }
});
