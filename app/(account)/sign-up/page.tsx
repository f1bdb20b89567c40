// `/sign-up`: name, email and password; signed in at once, then on to `?next=`.
import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import type { JSX } from 'react';
import { currentUser } from '../../server/accounts';
import { AccountForm } from '../AccountForm';
import { safeNextPath } from '../next-path';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Create an account · Cellmate' };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string }> }): Promise<JSX.Element> {
  const next = safeNextPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <main className="account-page">
      <h1>Create a Cellmate account</h1>
      <AccountForm mode="sign-up" next={next} />
      <p>Have an account? <a href={`/sign-in?next=${encodeURIComponent(next)}`}>Sign in</a></p>
    </main>
  );
}
