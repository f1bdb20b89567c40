// What the page does and says for each way the collab server ends a connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeCodes } from '../../notebook-model/service-protocol';
import { actionForClose, NOTEBOOK_DELETED, refusedEditMessage } from './close-policy';

test('a replaced document reloads, a withdrawn token asks the app, a deleted notebook stops with its sentence', () => {
  assert.deepEqual(actionForClose(closeCodes.documentReplaced, 'document replaced'), { kind: 'reload' });
  assert.deepEqual(actionForClose(closeCodes.accessWithdrawn, 'token expired'), { kind: 'refresh-access' });
  assert.deepEqual(actionForClose(closeCodes.notebookGone, 'deleted'), { kind: 'stop', message: NOTEBOOK_DELETED });
});

test('a limit the page ran into is said in words, with the server\'s reason, the code and what to do', () => {
  const cases: [number, RegExp][] = [
    [closeCodes.updateTooLarge, /last change was too large/],
    [closeCodes.documentTooLarge, /larger than the server allows/],
    [closeCodes.awarenessStateTooLarge, /presence .* too large/],
    [closeCodes.awarenessRateExceeded, /faster than the server allows/],
    [closeCodes.malformedMessage, /could not read what this page sent/],
  ];
  for (const [code, sentence] of cases) {
    const action = actionForClose(code, 'the server\'s own words');
    assert.equal(action.kind, 'stop');
    const { message } = action as { message: string };
    assert.match(message, sentence, `code ${code}`);
    assert.match(message, /the server's own words, code \d+\)/, `code ${code}`);
    assert.match(message, /Reload the page/, `code ${code}`);
  }
});

test('any other code still stops with the server\'s reason and the code', () => {
  assert.deepEqual(actionForClose(4499, 'something new'), { kind: 'stop', message: 'The collaboration server closed this notebook: something new (code 4499).' });
});

test('a refused edit is reported with the server\'s reason, as not saved', () => {
  const message = refusedEditMessage('refused: this change would break the notebook (cells[0] is not a map)');
  assert.match(message, /did not accept your last change \(refused: this change would break the notebook \(cells\[0\] is not a map\)\); it was not saved/);
  assert.match(message, /Reload the page/);
});
