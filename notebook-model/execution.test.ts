import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as Y from 'yjs';
import { insertCell, findCell, executionStateOf, outputsOf } from './cells';
import { outputToJSON } from './outputs';
import { setExecutionState, appendNotRunNote, notRunNoteText } from './execution';

test('execution state is set on code cells only, and reports missing cells', () => {
  const doc = new Y.Doc();
  const code = insertCell(doc, 0, { cell_type: 'code', source: 'x = 1' });
  const md = insertCell(doc, 1, { cell_type: 'markdown', source: '# t' });
  assert.equal(setExecutionState(doc, code, 'queued'), true);
  assert.equal(executionStateOf(findCell(doc, code)!), 'queued');
  assert.equal(setExecutionState(doc, md, 'queued'), false);
  assert.equal(setExecutionState(doc, 'nope', 'running'), false);
});

test('a not-run note is a stderr stream output that a second peer receives', () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
  const id = insertCell(a, 0, { cell_type: 'code', source: 'print(1)' });
  assert.equal(appendNotRunNote(a, id, 'test'), true);
  const outputs = outputsOf(findCell(b, id)!).map((o) => outputToJSON(o));
  assert.deepEqual(outputs, [{ output_type: 'stream', name: 'stderr', text: notRunNoteText }]);
});
