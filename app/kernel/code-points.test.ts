// Cursor offsets between JavaScript's UTF-16 and Jupyter's code points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCodePoints, toUtf16 } from './code-points';

test('ASCII offsets are the same in both counts', () => {
  const text = 'import os\nos.pa';
  for (let i = 0; i <= text.length; i++) {
    assert.equal(toCodePoints(text, i), i);
    assert.equal(toUtf16(text, i), i);
  }
});

test('a character outside the BMP is one code point and two UTF-16 units', () => {
  const text = 's = "🐍"; s.up'; // the snake is two UTF-16 units
  assert.equal(text.length, 14);
  assert.equal(toCodePoints(text, text.length), 13);
  assert.equal(toUtf16(text, 13), 14);
  // Offsets after the emoji shift by one; offsets before it do not.
  assert.equal(toCodePoints(text, 5), 5);
  assert.equal(toCodePoints(text, 7), 6);
  assert.equal(toUtf16(text, 6), 7);
  // Round trip at every code-point offset.
  for (let p = 0; p <= 13; p++) assert.equal(toCodePoints(text, toUtf16(text, p)), p);
});

test('offsets past the end are clamped', () => {
  assert.equal(toUtf16('ab', 10), 2);
  assert.equal(toCodePoints('ab', 10), 2);
});
