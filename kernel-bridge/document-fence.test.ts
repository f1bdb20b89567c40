// Waiting for a replica to hold what a browser had when it asked for a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { decodeStateVectorParam, hasCaughtUp, waitUntilCaughtUp } from './document-fence';

const param = (doc: Y.Doc) => Buffer.from(Y.encodeStateVector(doc)).toString('base64');

test('a replica that has the browser\'s edits has caught up at once', async () => {
  const browser = new Y.Doc();
  browser.getText('t').insert(0, 'print(1)');
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(browser));
  assert.equal(await waitUntilCaughtUp(replica, decodeStateVectorParam(param(browser)), 1000), true);
  // Having more than the browser (someone else typed meanwhile) is fine too.
  replica.getText('t').insert(0, '#');
  assert.equal(hasCaughtUp(replica, decodeStateVectorParam(param(browser))), true);
});

test('a replica waits for the browser\'s last edit, then proceeds', async () => {
  const browser = new Y.Doc();
  const replica = new Y.Doc();
  browser.getText('t').insert(0, 'print(1)');
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(browser));
  const before = Y.encodeStateVector(replica);
  browser.getText('t').insert(8, '\nprint(2)');
  const wanted = decodeStateVectorParam(param(browser));
  assert.equal(hasCaughtUp(replica, wanted), false);
  const waiting = waitUntilCaughtUp(replica, wanted, 10_000);
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(browser, before));
  assert.equal(await waiting, true);
  assert.equal(replica.getText('t').toString(), 'print(1)\nprint(2)');
});

test('an edit that never arrives ends the wait with false', async () => {
  const browser = new Y.Doc();
  browser.getText('t').insert(0, 'lost');
  assert.equal(await waitUntilCaughtUp(new Y.Doc(), decodeStateVectorParam(param(browser)), 50), false);
});
