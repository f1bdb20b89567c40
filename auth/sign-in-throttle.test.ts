// The per-account sign-in throttle: attempts add up per email, a block says
// when it ends and lifts by itself, a success starts the count over, one
// account's block is not another's, and guesses sent all at once are held to
// the same bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSignInThrottle, SignInThrottledError } from './sign-in-throttle';

async function refusal(attempt: Promise<void>): Promise<SignInThrottledError> {
  try {
    await attempt;
  } catch (err) {
    if (err instanceof SignInThrottledError) return err;
    throw err;
  }
  assert.fail('the sign-in was not refused');
}

test('once the allowance is used up, that email, and only that email, is refused for the block time', async () => {
  const throttle = createSignInThrottle({ failures: 3, windowSeconds: 600, blockSeconds: 300 });
  // Three wrong passwords: each attempt is let through, then fails.
  await throttle.attempt('ada@example.test');
  await throttle.attempt('ada@example.test');
  await throttle.attempt('ADA@example.test '); // the same account, however it is typed
  const refused = await refusal(throttle.attempt('ada@example.test'));
  assert.ok(refused.retryAfterSeconds > 290 && refused.retryAfterSeconds <= 300, `retry after ${refused.retryAfterSeconds} s`);
  assert.equal(refused.message, 'Too many failed sign-ins for this account. Try again in 5 minutes.');
  await throttle.attempt('bob@example.test');
  // Trying again while blocked is refused again.
  await refusal(throttle.attempt('ada@example.test'));
});

test('a successful sign-in starts the count over', async () => {
  const throttle = createSignInThrottle({ failures: 3, windowSeconds: 600, blockSeconds: 300 });
  await throttle.attempt('cy@example.test');
  await throttle.attempt('cy@example.test');
  await throttle.succeeded('cy@example.test');
  await throttle.attempt('cy@example.test');
  await throttle.attempt('cy@example.test');
  await throttle.attempt('cy@example.test');
});

test('an attempt that failed for another reason than the password does not count', async () => {
  const throttle = createSignInThrottle({ failures: 2, windowSeconds: 600, blockSeconds: 300 });
  for (let i = 0; i < 5; i++) {
    await throttle.attempt('eve@example.test');
    await throttle.notCounted('eve@example.test');
  }
  await throttle.attempt('eve@example.test');
});

test('guesses sent all at once are held to the same bound', async () => {
  const throttle = createSignInThrottle({ failures: 3, windowSeconds: 600, blockSeconds: 300 });
  const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => throttle.attempt('fay@example.test')));
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
  assert.ok(outcomes.every((o) => o.status === 'fulfilled' || o.reason instanceof SignInThrottledError));
});

test('a block lifts by itself when its time is up', async () => {
  const throttle = createSignInThrottle({ failures: 1, windowSeconds: 600, blockSeconds: 1 });
  await throttle.attempt('dee@example.test');
  await refusal(throttle.attempt('dee@example.test'));
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await throttle.attempt('dee@example.test');
      break;
    } catch (err) {
      if (!(err instanceof SignInThrottledError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});
