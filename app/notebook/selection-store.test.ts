// The local selection: one cell, or a range grown with Shift+J/K or Shift+click.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SelectionStore } from './selection-store';
import { KeyInterpreter } from './keyboard';

test('extending the selection spans anchor to head, in document order, either direction', () => {
  const selection = new SelectionStore();
  selection.reconcile(['a', 'b', 'c', 'd']);
  selection.select('b');
  assert.deepEqual(selection.range, ['b']);
  selection.extendTo('d');
  assert.deepEqual(selection.range, ['b', 'c', 'd']);
  assert.equal(selection.selected, 'd');
  assert.ok(selection.inRange('c') && !selection.inRange('a'));
  selection.extendTo('a');
  assert.deepEqual(selection.range, ['a', 'b']);
  selection.select('c');
  assert.deepEqual(selection.range, ['c']);
  assert.ok(!selection.inRange('a'));
});

test('a range follows the document when cells are removed by someone else', () => {
  const selection = new SelectionStore();
  selection.reconcile(['a', 'b', 'c', 'd']);
  selection.select('a');
  selection.extendTo('c');
  let notified = 0;
  selection.subscribe(() => notified++);
  selection.reconcile(['a', 'c', 'd']);
  assert.deepEqual(selection.range, ['a', 'c']);
  assert.ok(notified > 0);
});

test('Shift+J / Shift+K and Shift+arrows extend the selection in command mode only', () => {
  const keys = new KeyInterpreter();
  assert.equal(keys.interpret('command', { key: 'J', shiftKey: true }), 'extendNext');
  assert.equal(keys.interpret('command', { key: 'ArrowDown', shiftKey: true }), 'extendNext');
  assert.equal(keys.interpret('command', { key: 'K', shiftKey: true }), 'extendPrevious');
  assert.equal(keys.interpret('command', { key: 'ArrowUp', shiftKey: true }), 'extendPrevious');
  assert.equal(keys.interpret('edit', { key: 'ArrowUp', shiftKey: true }), null);
});
