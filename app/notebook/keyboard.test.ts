// The keyboard table as a specification: which key does what in which mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chordOf, commandDescriptions, displayKeys, KeyInterpreter, keyTable, SEQUENCE_TIMEOUT_MS } from './keyboard';

test('chords name modifiers in a fixed order, letters in lower case, and the minus key by position', () => {
  assert.equal(chordOf({ key: 'Enter', shiftKey: true }), 'Shift-Enter');
  assert.equal(chordOf({ key: 'M', shiftKey: true }), 'Shift-m');
  assert.equal(chordOf({ key: '_', code: 'Minus', ctrlKey: true, shiftKey: true }), 'Ctrl-Shift-Minus');
  assert.equal(chordOf({ key: 'Enter', metaKey: true }), 'Ctrl-Enter', 'Cmd counts as Ctrl');
});

test('command-mode keys act on cells; the same letters are typing in edit mode', () => {
  const keys = new KeyInterpreter();
  assert.equal(keys.interpret('command', { key: 'a' }), 'insertAbove');
  assert.equal(keys.interpret('command', { key: 'b' }), 'insertBelow');
  assert.equal(keys.interpret('command', { key: 'm' }), 'toMarkdown');
  assert.equal(keys.interpret('command', { key: 'y' }), 'toCode');
  assert.equal(keys.interpret('command', { key: 'r' }), 'toRaw');
  assert.equal(keys.interpret('command', { key: 'ArrowDown' }), 'selectNext');
  assert.equal(keys.interpret('command', { key: 'k' }), 'selectPrevious');
  assert.equal(keys.interpret('command', { key: 'Enter' }), 'enterEdit');
  assert.equal(keys.interpret('command', { key: 'z' }), 'undo');
  for (const key of ['a', 'b', 'm', 'd', 'z', 'Enter']) assert.equal(keys.interpret('edit', { key }), null, key);
  assert.equal(keys.interpret('edit', { key: 'Escape' }), 'enterCommand');
  assert.equal(keys.interpret('edit', { key: '_', code: 'Minus', ctrlKey: true, shiftKey: true }), 'split');
});

test('Shift/Ctrl/Alt+Enter run in both modes with their three follow-ups', () => {
  const keys = new KeyInterpreter();
  for (const mode of ['command', 'edit'] as const) {
    assert.equal(keys.interpret(mode, { key: 'Enter', shiftKey: true }), 'runSelectNext');
    assert.equal(keys.interpret(mode, { key: 'Enter', ctrlKey: true }), 'runStay');
    assert.equal(keys.interpret(mode, { key: 'Enter', altKey: true }), 'runInsertBelow');
  }
});

test('D D deletes only when the second D follows within the timeout', () => {
  let now = 1_000;
  const keys = new KeyInterpreter(keyTable, () => now);
  assert.equal(keys.interpret('command', { key: 'd' }), null);
  assert.equal(keys.waiting, true);
  now += 100;
  assert.equal(keys.interpret('command', { key: 'd' }), 'deleteCell');
  assert.equal(keys.waiting, false);

  assert.equal(keys.interpret('command', { key: 'd' }), null);
  now += SEQUENCE_TIMEOUT_MS + 1;
  assert.equal(keys.interpret('command', { key: 'd' }), null, 'too slow: starts a new sequence instead');
  now += 10;
  assert.equal(keys.interpret('command', { key: 'd' }), 'deleteCell');

  assert.equal(keys.interpret('command', { key: 'd' }), null);
  assert.equal(keys.interpret('command', { key: 'b' }), 'insertBelow', 'another key cancels the sequence and acts');
  assert.equal(keys.interpret('command', { key: 'd' }), null);
});

test('every command in the table is reachable and no chord is bound twice in one mode', () => {
  const seen = new Set<string>();
  for (const b of keyTable) {
    for (const mode of b.mode === 'both' ? ['command', 'edit'] : [b.mode]) {
      const id = `${mode}:${b.keys}`;
      assert.ok(!seen.has(id), `duplicate binding ${id}`);
      seen.add(id);
    }
  }
});

test('the clipboard, line-number, find and shortcut-sheet keys', () => {
  const keys = new KeyInterpreter();
  assert.equal(keys.interpret('command', { key: 'c' }), 'copyCells');
  assert.equal(keys.interpret('command', { key: 'x' }), 'cutCells');
  assert.equal(keys.interpret('command', { key: 'v' }), 'pasteBelow');
  assert.equal(keys.interpret('command', { key: 'V', shiftKey: true }), 'pasteAbove');
  assert.equal(keys.interpret('command', { key: 'L', shiftKey: true }), 'toggleLineNumbers');
  assert.equal(keys.interpret('command', { key: 'h' }), 'showShortcuts');
  assert.equal(keys.interpret('edit', { key: 'F', ctrlKey: true, shiftKey: true }), 'findInNotebook');
  for (const key of ['c', 'x', 'v', 'h']) assert.equal(keys.interpret('edit', { key }), null, key);
});

test('every command has a description for the shortcut sheet, and chords read as people write them', () => {
  for (const binding of keyTable) assert.ok(commandDescriptions[binding.command], binding.command);
  assert.equal(displayKeys('Shift-Enter'), 'Shift+Enter');
  assert.equal(displayKeys('d d'), 'D, D');
  assert.equal(displayKeys('Ctrl-Shift-Minus'), 'Ctrl+Shift+-');
  assert.equal(displayKeys('Ctrl-ArrowUp'), 'Ctrl+↑');
});
