// Slows password guessing, per account: after `failures` failed sign-ins for
// one email within `windowSeconds`, that email is refused for `blockSeconds`
// without its password even being checked; a successful sign-in clears the
// count. Counting is done by rate-limiter-flexible, in this process's memory
// (the web app is one process; a restart forgets the counts).
//
// Keyed by email, not by the client's address: without a trusted proxy in
// front, the address Next.js reports comes from a header anyone can set. The
// price is that someone who knows an email can keep its owner out for a block
// at a time; the block is short and says when it ends.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

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
  /** Throws SignInThrottledError while `email` is blocked. */
  check(email: string): Promise<void>;
  /** Counts a failed sign-in (wrong password or unknown email: the same to an outsider). */
  failed(email: string): Promise<void>;
  /** Clears the count after a successful sign-in. */
  succeeded(email: string): Promise<void>;
}

export function createSignInThrottle(limits: SignInLimits = defaultSignInLimits): SignInThrottle {
  const failures = new RateLimiterMemory({ keyPrefix: 'sign-in', points: limits.failures, duration: limits.windowSeconds });
  const keyOf = (email: string) => email.trim().toLowerCase();

  return {
    async check(email) {
      const counted = await failures.get(keyOf(email));
      if (counted && counted.consumedPoints >= limits.failures) throw new SignInThrottledError(Math.ceil(counted.msBeforeNext / 1000));
    },
    async failed(email) {
      const key = keyOf(email);
      const counted = await failures.consume(key).catch((refused: unknown) => {
        if (refused instanceof RateLimiterRes) return refused; // already over: nothing more to count
        throw refused;
      });
      // The failure that uses up the allowance starts the block, counted from now.
      if (counted.remainingPoints === 0) await failures.block(key, limits.blockSeconds);
    },
    async succeeded(email) {
      await failures.delete(keyOf(email));
    },
  };
}
