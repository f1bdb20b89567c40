// `/sign-in`: email and password; goes on to `?next=` (a path here) or the list.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import type { JSX } from 'react';
import { currentUser } from '../../server/accounts';
import { AccountForm } from '../AccountForm';
import { safeNextPath } from '../next-path';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in · Cellmate' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }): Promise<JSX.Element> {
  const next = safeNextPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <main className="account-page">
      <h1>Sign in to Cellmate</h1>
      <AccountForm mode="sign-in" next={next} />
      <p>New here? <a href={`/sign-up?next=${encodeURIComponent(next)}`} data-testid="go-sign-up">Create an account</a></p>
    </main>
  );
}
