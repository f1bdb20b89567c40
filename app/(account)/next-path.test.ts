import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeNextPath } from './next-path';

test('only paths on this site are followed after signing in', () => {
  assert.equal(safeNextPath('/notebooks/abc?x=1'), '/notebooks/abc?x=1');
  assert.equal(safeNextPath('//evil.example/'), '/');
  assert.equal(safeNextPath('/\\evil.example'), '/');
  assert.equal(safeNextPath('https://evil.example'), '/');
  assert.equal(safeNextPath(null), '/');
});
