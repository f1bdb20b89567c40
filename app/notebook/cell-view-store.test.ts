import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CellViewStore } from './cell-view-store';

function memory() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map };
}

test('folding is per part and per cell, and toggles a range as one', () => {
  const store = new CellViewStore('nb', memory());
  let calls = 0;
  store.subscribe(() => calls++);
  store.toggle(['a'], 'output');
  assert.equal(store.has('a', 'output'), true);
  assert.equal(store.has('a', 'input'), false);
  store.toggle(['a', 'b'], 'output'); // b was open: both fold
  assert.deepEqual([store.has('a', 'output'), store.has('b', 'output')], [true, true]);
  store.toggle(['a', 'b'], 'output');
  assert.deepEqual([store.has('a', 'output'), store.has('b', 'output')], [false, false]);
  assert.equal(calls, 3);
});

test('the choice survives a reload of the same notebook only, and damaged storage is ignored', () => {
  const storage = memory();
  new CellViewStore('nb', storage).toggle(['a'], 'input');
  assert.equal(new CellViewStore('nb', storage).has('a', 'input'), true);
  assert.equal(new CellViewStore('other', storage).has('a', 'input'), false);
  storage.map.set('cellmate:cell-view:nb', '{not json');
  assert.equal(new CellViewStore('nb', storage).has('a', 'input'), false);
  storage.map.set('cellmate:cell-view:nb', JSON.stringify({ input: [1, 'b', null] }));
  assert.equal(new CellViewStore('nb', storage).has('b', 'input'), true);
});
