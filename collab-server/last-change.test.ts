import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LastChangeClock } from './last-change';

test('the first stored edit is written at once, a burst once more when its interval ends, failures only logged', async () => {
  const writes: string[] = [];
  const logged: string[] = [];
  const clock = new LastChangeClock(async (id) => {
    if (id === 'broken') throw new Error('database down');
    writes.push(id);
  }, 40, (m) => logged.push(m));
  clock.stored('a');
  assert.deepEqual(writes, ['a'], 'the first edit moves the time at once');
  for (let i = 0; i < 50; i++) clock.stored('a');
  clock.stored('b');
  assert.deepEqual(writes, ['a', 'b'], 'a burst is not written keystroke by keystroke; other notebooks are apart');
  const deadline = Date.now() + 5_000;
  while (writes.length < 3 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  assert.deepEqual(writes, ['a', 'b', 'a'], 'the end of the burst is written when the interval ends');
  clock.stored('broken');
  while (logged.length < 1 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  assert.match(logged[0], /notebook broken: could not record the last change: database down/);
  clock.stored('c');
  clock.stored('c');
  clock.flush('c');
  assert.deepEqual(writes.slice(3), ['c', 'c'], 'flush writes a pending change now');
});
