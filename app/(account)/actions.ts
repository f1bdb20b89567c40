'use server';
// Sign up, sign in and sign out, as server actions over the accounts library
// (Next.js refuses cross-site action posts by their Origin). The library sets
// and clears the httpOnly session cookie; these validate input, count failed
// sign-ins per account (auth/sign-in-throttle.ts) and say what went wrong in
// words a person can act on.
import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { SignInThrottledError } from '../../auth/sign-in-throttle';
import { getAccounts, signInThrottle } from '../server/accounts';
import { adoptOwnerlessNotebooks } from '../server/first-account';
import { getStorage } from '../server/storage';
import { safeNextPath } from './next-path';

export type AccountFormState = { error: string; email?: string; name?: string } | null;

const email = z.string({ error: 'Enter your email address.' }).trim().toLowerCase().pipe(z.email('Enter a valid email address.'));
const password = z.string({ error: 'Enter a password.' }).min(8, 'A password needs at least 8 characters.').max(200, 'A password can be at most 200 characters.');
const name = z.string({ error: 'Enter your name.' }).trim().min(1, 'Enter your name.').max(40, 'A name can be at most 40 characters.');

function messageOf(err: unknown, fallback: string): string {
  if (err instanceof APIError) return err.body?.message ?? fallback;
  console.error('accounts:', err);
  return fallback;
}

export async function signUpAction(_previous: AccountFormState, form: FormData): Promise<AccountFormState> {
  const parsed = z.object({ name, email, password }).safeParse({ name: form.get('name'), email: form.get('email'), password: form.get('password') });
  const echo = { email: String(form.get('email') ?? ''), name: String(form.get('name') ?? '') };
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'Check the form.', ...echo };
  try {
    const { user } = await (await getAccounts()).api.signUpEmail({ body: parsed.data, headers: await headers() });
    await adoptOwnerlessNotebooks(await getStorage(), user.id);
  } catch (err) {
    return { error: messageOf(err, 'Could not create the account. Try again.'), ...echo };
  }
  redirect(safeNextPath(form.get('next')));
}

export async function signInAction(_previous: AccountFormState, form: FormData): Promise<AccountFormState> {
  const parsed = z.object({ email, password: z.string().min(1, 'Enter your password.') }).safeParse({ email: form.get('email'), password: form.get('password') });
  const echo = { email: String(form.get('email') ?? '') };
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'Check the form.', ...echo };
  const throttle = signInThrottle();
  try {
    await throttle.attempt(parsed.data.email);
  } catch (err) {
    if (err instanceof SignInThrottledError) return { error: err.message, ...echo };
    // The count could not be kept (Redis unreachable): no sign-in goes uncounted.
    console.error('sign-in: the attempt could not be counted', err);
    return { error: 'Signing in is not possible right now: the server cannot count sign-in attempts. Try again in a minute.', ...echo };
  }
  try {
    await (await getAccounts()).api.signInEmail({ body: parsed.data, headers: await headers() });
    await throttle.succeeded(parsed.data.email);
  } catch (err) {
    // A wrong email or password keeps its count; anything else was not a guess.
    if (!(err instanceof APIError && err.statusCode === 401)) await throttle.notCounted(parsed.data.email);
    return { error: messageOf(err, 'Could not sign in. Try again.'), ...echo };
  }
  redirect(safeNextPath(form.get('next')));
}

export async function signOutAction(): Promise<void> {
  await (await getAccounts()).api.signOut({ headers: await headers() }).catch(() => undefined);
  redirect('/sign-in');
}
