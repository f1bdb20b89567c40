// Slows password guessing, per account: each sign-in for an email is counted
// before its password is checked, and once `failures` attempts were made within
// `windowSeconds` the next one is refused for `blockSeconds`; a successful
// sign-in starts the count over, and an attempt that failed for another reason
// than the password (the server) is given back. Counting first is what makes
// the bound hold for guesses sent all at once. Counting is done by
// rate-limiter-flexible: in Redis when the installation has one (REDIS_URL,
// config/cluster.ts), so every web app process counts the same attempts and a
// restart forgets nothing; else in this process's memory (one web app process;
// a restart forgets the counts). With Redis unreachable a sign-in fails rather
// than going uncounted.
//
// Keyed by email, not by the client's address: without a trusted proxy in
// front, the address Next.js reports comes from a header anyone can set. The
// price is that someone who knows an email can keep its owner out for a block
// at a time; the block is short and says when it ends.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface SignInLimits {
  /** Failed sign-ins allowed per email within the window. */
  failures: number;
  windowSeconds: number;
  /** How long an email is refused once it has used up its failures. */
  blockSeconds: number;
}

export const defaultSignInLimits: SignInLimits = { failures: 10, windowSeconds: 15 * 60, blockSeconds: 15 * 60 };

/** A sign-in refused before its password was checked. */
export class SignInThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    super(`Too many failed sign-ins for this account. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
    this.name = 'SignInThrottledError';
  }
}

export interface SignInThrottle {
  /** Counts an attempt for `email` before its password is checked; throws SignInThrottledError once the attempts are used up. */
  attempt(email: string): Promise<void>;
  /** The password was right: the count starts over. */
  succeeded(email: string): Promise<void>;
  /** The attempt failed for a reason other than the password: it does not count. */
  notCounted(email: string): Promise<void>;
}

export interface SignInThrottleStore {
  /** The installation's Redis: counts shared by every web app process. */
  redis: Redis;
  /** Prefix of the counters' keys (config/cluster.ts's prefix). */
  prefix: string;
}

/** A throttle counting in `store` (Redis) if given, else in this process's memory. */
export function createSignInThrottle(limits: SignInLimits = defaultSignInLimits, store?: SignInThrottleStore): SignInThrottle {
  // The first attempt past `points` blocks the key for `blockDuration` (the library's own blocking).
  const settings = { points: limits.failures, duration: limits.windowSeconds, blockDuration: limits.blockSeconds };
  const attempts = store
    ? new RateLimiterRedis({ ...settings, storeClient: store.redis, keyPrefix: `${store.prefix}sign-in` })
    : new RateLimiterMemory({ ...settings, keyPrefix: 'sign-in' });
  const keyOf = (email: string) => email.trim().toLowerCase();

  return {
    async attempt(email) {
      await attempts.consume(keyOf(email)).catch((refused: unknown) => {
        if (refused instanceof RateLimiterRes) throw new SignInThrottledError(Math.ceil(refused.msBeforeNext / 1000));
        throw refused;
      });
    },
    async succeeded(email) {
      await attempts.delete(keyOf(email));
    },
    async notCounted(email) {
      await attempts.reward(keyOf(email));
    },
  };
}
