// The per-account sign-in throttle: failures add up per email, a block says
// when it ends and lifts by itself, a success starts the count over, and one
// account's block is not another's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSignInThrottle, SignInThrottledError } from './sign-in-throttle';

async function refusal(check: Promise<void>): Promise<SignInThrottledError> {
  try {
    await check;
  } catch (err) {
    if (err instanceof SignInThrottledError) return err;
    throw err;
  }
  assert.fail('the sign-in was not refused');
}

test('the failure that uses up the allowance blocks that email, and only that email, for the block time', async () => {
  const throttle = createSignInThrottle({ failures: 3, windowSeconds: 600, blockSeconds: 300 });
  for (let i = 0; i < 2; i++) {
    await throttle.failed('ada@example.test');
    await throttle.check('ada@example.test');
  }
  await throttle.failed('ADA@example.test '); // the same account, however it is typed
  const refused = await refusal(throttle.check('ada@example.test'));
  assert.ok(refused.retryAfterSeconds > 290 && refused.retryAfterSeconds <= 300, `retry after ${refused.retryAfterSeconds} s`);
  assert.equal(refused.message, 'Too many failed sign-ins for this account. Try again in 5 minutes.');
  await throttle.check('bob@example.test');
  // More failures while blocked do not fail on their own.
  await throttle.failed('ada@example.test');
  await refusal(throttle.check('ada@example.test'));
});

test('a successful sign-in starts the count over', async () => {
  const throttle = createSignInThrottle({ failures: 3, windowSeconds: 600, blockSeconds: 300 });
  await throttle.failed('cy@example.test');
  await throttle.failed('cy@example.test');
  await throttle.succeeded('cy@example.test');
  await throttle.failed('cy@example.test');
  await throttle.failed('cy@example.test');
  await throttle.check('cy@example.test');
});

test('a block lifts by itself when its time is up', async () => {
  const throttle = createSignInThrottle({ failures: 1, windowSeconds: 600, blockSeconds: 1 });
  await throttle.failed('dee@example.test');
  await refusal(throttle.check('dee@example.test'));
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await throttle.check('dee@example.test');
      break;
    } catch (err) {
      if (!(err instanceof SignInThrottledError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});
