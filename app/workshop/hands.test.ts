import { test } from 'node:test';
import assert from 'node:assert/strict';
import { handQueue, lowerHand, wasLowered } from './hands';

test('raised hands queue up first raised first, with who and which cell', () => {
  const states = new Map<number, unknown>([
    [1, { user: { name: 'Grace' } }],
    [2, { user: { name: 'Ada' }, hand: { cellId: 'c2', raisedAt: 200 } }],
    [3, { user: { name: 'Bob' }, hand: { cellId: 'c5', raisedAt: 100 } }],
    [4, { user: { name: 'Cy' }, hand: null }],
  ]);
  assert.deepEqual(handQueue(states).map((h) => [h.person.user.name, h.hand.cellId]), [['Bob', 'c5'], ['Ada', 'c2']]);
});

test('a presenter lowers a hand through their own state; raising again shows it again', () => {
  const states = new Map<number, unknown>([
    [1, { user: { name: 'Grace' } }],
    [2, { user: { name: 'Ada' }, hand: { cellId: 'c2', raisedAt: 200 } }],
    [3, { user: { name: 'Bob' }, hand: { cellId: 'c5', raisedAt: 100 } }],
  ]);
  const lowered = lowerHand(states, undefined, 3, { cellId: 'c5', raisedAt: 100 });
  states.set(1, { user: { name: 'Grace' }, loweredHands: lowered });
  assert.deepEqual(handQueue(states).map((h) => h.person.user.name), ['Ada']);
  assert.equal(wasLowered(states, 3, { cellId: 'c5', raisedAt: 100 }), true);
  assert.equal(wasLowered(states, 2, { cellId: 'c2', raisedAt: 200 }), false);

  // Bob took his hand down and raised it again later: a new raising, shown again.
  states.set(3, { user: { name: 'Bob' }, hand: { cellId: 'c6', raisedAt: 300 } });
  assert.deepEqual(handQueue(states).map((h) => h.person.user.name), ['Ada', 'Bob']);
  // The next lowering forgets the entry for Bob's old hand.
  assert.deepEqual(lowerHand(states, lowered, 2, { cellId: 'c2', raisedAt: 200 }), { 2: 200 });
});
