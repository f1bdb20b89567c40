// What Tab completes after, and how a kernel's reply becomes CodeMirror options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completesAfter, completionOptions } from './completion';

test('Tab completes after a name, a dot or an opening quote, and indents elsewhere', () => {
  for (const before of ['pri', 'os.', 'os.pa', "open('", 'df["', 'x = np', '%ti', "open('data/"]) {
    assert.equal(completesAfter(before), true, before);
  }
  assert.equal(completesAfter(''), false, 'start of line: indent');
  assert.equal(completesAfter('    '), false, 'after indentation: indent');
  assert.equal(completesAfter('f(x, '), false, 'after a space');
  assert.equal(completesAfter('f('), false, 'after an opening parenthesis (Shift+Tab is help there)');
});

test("a reply's matches keep the kernel's order and carry its types and signatures", () => {
  const options = completionOptions({
    status: 'ok',
    matches: ['path', 'pathsep', 'pardir'],
    cursor_start: 3,
    cursor_end: 5,
    metadata: {
      _jupyter_types_experimental: [
        { text: 'path', type: 'module' },
        { text: 'pathsep', type: 'instance' },
        { text: 'pardir', type: 'function', signature: '()' },
      ],
    },
  });
  assert.deepEqual(options.map((o) => o.label), ['path', 'pathsep', 'pardir']);
  assert.deepEqual(options.map((o) => o.type), ['namespace', 'variable', 'function']);
  assert.equal(options[2].detail, '()');
  const boosts = options.map((o) => o.boost ?? 0);
  assert.ok(boosts[0] > boosts[1] && boosts[1] > boosts[2], 'earlier matches rank higher');
});

test('a reply without type metadata still gives plain options', () => {
  const options = completionOptions({ status: 'ok', matches: ['alpha'], cursor_start: 0, cursor_end: 1 });
  assert.deepEqual(options.map(({ label, type, detail }) => ({ label, type, detail })), [{ label: 'alpha', type: undefined, detail: undefined }]);
});
