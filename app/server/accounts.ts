// The web server's accounts instance (see auth/accounts.ts), created once over
// the shared storage, its sign-in throttle, and the signed-in user of the
// current request.
import { nextCookies } from 'better-auth/next-js';
import { headers } from 'next/headers';
import { createAccounts, type Accounts } from '../../auth/accounts';
import { createSignInThrottle, type SignInThrottle } from '../../auth/sign-in-throttle';
import { sharedRedis } from './redis';
import { getStorage } from './storage';

const key = Symbol.for('cellmate.accounts');
const throttleKey = Symbol.for('cellmate.sign-in-throttle');
type Holder = { [key]?: Promise<Accounts>; [throttleKey]?: SignInThrottle };

export function getAccounts(): Promise<Accounts> {
  const holder = globalThis as Holder;
  // nextCookies lets server actions set the session cookie; it must be the last plugin.
  holder[key] ??= getStorage().then((storage) => createAccounts(storage, { plugins: [nextCookies()] }));
  holder[key].catch(() => { delete holder[key]; });
  return holder[key];
}

/** Counts failed sign-ins per account (auth/sign-in-throttle.ts): in Redis when there is one, shared by every web app process. */
export function signInThrottle(): SignInThrottle {
  const holder = globalThis as Holder;
  return (holder[throttleKey] ??= createSignInThrottle(undefined, sharedRedis() ?? undefined));
}

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
}

/**
 * The user whose session cookie came with this request, or null. Route handlers
 * pass their request's headers; pages and actions leave it to Next's.
 */
export async function currentUser(requestHeaders?: Headers): Promise<SignedInUser | null> {
  const accounts = await getAccounts();
  const session = await accounts.api.getSession({ headers: requestHeaders ?? (await headers()) });
  if (!session) return null;
  return { id: session.user.id, name: session.user.name, email: session.user.email };
}
