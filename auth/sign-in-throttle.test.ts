// The per-account sign-in throttle: attempts add up per email, a block says
// when it ends and lifts by itself, a success starts the count over, one
// account's block is not another's, and guesses sent all at once are held to
// the same bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
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

test('on Redis (the machine\'s real one), two web app processes count the same attempts, and guesses at once hold to the bound', async () => {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `test-${randomBytes(5).toString('hex')}:`;
  try {
    const limits = { failures: 3, windowSeconds: 600, blockSeconds: 300 };
    const first = createSignInThrottle(limits, { redis, prefix });
    const second = createSignInThrottle(limits, { redis, prefix });
    await first.attempt('gus@example.test');
    await second.attempt('gus@example.test');
    await first.attempt('gus@example.test');
    const refused = await refusal(second.attempt('gus@example.test'));
    assert.ok(refused.retryAfterSeconds > 290 && refused.retryAfterSeconds <= 300, `retry after ${refused.retryAfterSeconds} s`);
    await second.succeeded('hal@example.test');
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).attempt('hal@example.test')));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 3);
  } finally {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
});
