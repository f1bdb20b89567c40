// What a page does and says when the collab server ends its connection for good.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeCodes } from '../../notebook-model/service-protocol';
import { actionForClose, NOTEBOOK_DELETED } from './close-policy';

test('replaced documents reload, withdrawn tokens are renewed, deleted notebooks stop', () => {
  assert.deepEqual(actionForClose(closeCodes.documentReplaced, ''), { kind: 'reload' });
  assert.deepEqual(actionForClose(closeCodes.accessWithdrawn, 'expired'), { kind: 'refresh-access' });
  assert.deepEqual(actionForClose(closeCodes.notebookGone, ''), { kind: 'stop', message: NOTEBOOK_DELETED });
});

test('a refused change is told in words a person can act on, not as bytes and a code', () => {
  for (const code of [closeCodes.updateTooLarge, closeCodes.documentTooLarge]) {
    const action = actionForClose(code, 'an update of 20000000 bytes is over the limit of 10000000');
    assert.equal(action.kind, 'stop');
    assert.match(action.kind === 'stop' ? action.message : '', /not saved\. Reload the page/);
    assert.doesNotMatch(action.kind === 'stop' ? action.message : '', /bytes|code 44/);
  }
  const other = actionForClose(closeCodes.awarenessRateExceeded, 'too many messages');
  assert.deepEqual(other, { kind: 'stop', message: 'The collaboration server closed this notebook: too many messages (code 4429).' });
});
